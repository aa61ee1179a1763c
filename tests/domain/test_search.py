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
