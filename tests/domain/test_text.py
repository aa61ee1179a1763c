from html.parser import HTMLParser

import pytest

from app.domain.text import clean_block, clean_line, render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "![x](https://evil.example/track.png)",
]


class _Elements(HTMLParser):
    """Collects the elements and attributes a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements_of(html):
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_output_is_inert(payload):
    for tag, attrs in elements_of(render_markdown(payload)):
        assert tag not in {"script", "img", "iframe", "svg"}
        assert not any(name.startswith("on") for name in attrs)
        assert not attrs.get("href", "").strip().lower().startswith("javascript:")


def test_markdown_keeps_formatting_and_marks_links():
    html = render_markdown("**bold** and [a link](https://example.com)")
    assert "<strong>bold</strong>" in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html


def test_clean_line_and_block():
    assert clean_line("  a\u0000b \n c ") == "ab c"
    assert clean_block("one\r\ntwo\x07") == "one\ntwo"


def test_a_cjk_character_counts_twice_towards_minimum_lengths():
    from app.domain.text import fewest_characters, text_length

    assert text_length("無卡提款") == 8 and text_length("ok") == 2
    assert text_length("eSIM 開通") == 9
    assert fewest_characters(5) == 3


def test_simplified_chinese_folds_to_traditional():
    from app.domain.text import fold_chinese

    assert fold_chinese("空压机换成变频的") == "空壓機換成變頻的"
    assert fold_chinese("发短信 账单") == "發簡訊 帳單"
    assert fold_chinese("帳單 賬單") == "帳單 帳單"  # one Traditional variant
    assert fold_chinese("Plain English") == "Plain English"


def test_short_chinese_titles_are_full_titles(app, campaign):
    from app.domain import ideas
    from app.domain.errors import ValidationError
    from tests import factories as f

    idea = ideas.submit_idea(f.make_user(), campaign.id, title="無卡提款", body="忘記帶卡也能領錢。")
    assert idea.title == "無卡提款"
    with pytest.raises(ValidationError) as info:
        ideas.submit_idea(f.make_user(), campaign.id, title="提款", body="太短。")
    assert set(info.value.fields) == {"title"}
