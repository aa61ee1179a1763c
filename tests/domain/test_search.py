import pytest

from app.domain import ideas, search
from tests import factories as f


def test_index_terms_split_words_and_chinese_pairs():
    terms = search.index_terms("Launch 中國電信 5G faster")
    assert {"launch", "5g", "faster", "中國", "國電", "電信", "中", "信"} <= terms


@pytest.mark.parametrize("query, found", [
    ("電信", True), ("中國電信", True), ("電", True), ("信電", False),
    ("LAUNCH", True), ("laun", True), ("launch cloud", False), ("faster 電信", True),
    ("", True),
])
def test_search_english_and_chinese(app, campaign, query, found):
    f.make_idea(campaign, title="Launch with 中國電信 partners", body="Go faster together.")
    f.make_idea(campaign, title="Unrelated thing", body="Nothing here.")
    page = ideas.list_ideas(f.make_user(), campaign.id, q=query)
    titles = [i.title for i in page.items]
    if query == "":
        assert page.total == 2
    else:
        assert ("Launch with 中國電信 partners" in titles) is found
        assert "Unrelated thing" not in titles


def test_search_follows_edits(app, campaign):
    idea = f.make_idea(campaign, title="Fibre to every home", body="Cheaper fibre.")
    ideas.edit_idea(idea.author, idea.id, title="Satellite to every home", body="Orbit.")
    viewer = f.make_user()
    assert ideas.list_ideas(viewer, campaign.id, q="fibre").total == 0
    assert ideas.list_ideas(viewer, campaign.id, q="satellite").total == 1


def test_search_finds_tags(app, campaign):
    f.make_idea(campaign, title="Pop-up stores", body="Shops.", tags=["retail"])
    assert ideas.list_ideas(f.make_user(), campaign.id, q="retail").total == 1


def _reference_pieces(text):
    """The character-by-character reading the regular expression replaced."""
    import re
    import unicodedata

    def is_cjk(ch):
        code = ord(ch)
        return (0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F
                or 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF)

    pieces = []
    for token in re.findall(r"\w+", unicodedata.normalize("NFKC", text or "").lower()):
        word = []
        for ch in token:
            if is_cjk(ch):
                if word:
                    pieces.append(("word", "".join(word)))
                    word = []
                pieces.append(("cjk", ch))
            else:
                word.append(ch)
        if word:
            pieces.append(("word", "".join(word)))
    merged = []
    for kind, value in pieces:
        if kind == "cjk" and merged and merged[-1][0] == "cjk":
            merged[-1] = ("cjk", merged[-1][1] + value)
        else:
            merged.append((kind, value))
    return merged


def test_text_pieces_read_every_script_as_before():
    import random

    alphabet = ("abcXYZ éü_0123456789 ,.!?-\n\t中國電信帳單說明ｶﾀｶﾅかなカナー・한국어"
                "\u4dc0\u3000\uff0c\u3001\U00020001\uf900①Ⅻ")
    rng = random.Random(7)
    samples = ["Launch 中國電信 5G faster", "帳單，客戶 說明", "abc中def", "", "eSIM 轉移：QR 碼"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    for text in samples:
        assert list(search.text_pieces(text)) == _reference_pieces(text), text
