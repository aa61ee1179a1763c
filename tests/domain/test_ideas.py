from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain import ideas, votes
from app.domain.errors import CampaignNotOpen, NotFound, PermissionDenied, ValidationError
from app.extensions import db
from app.models import Idea, IdeaFollow, IdeaVersion, Role
from tests import factories as f


def idea_count():
    return db.session.scalar(select(func.count()).select_from(Idea))


def test_submit_sanitises_markdown_tags_and_follows(app, campaign):
    author = f.make_user()
    idea = ideas.submit_idea(author, campaign.id, title="  Self-service  SIM swap ",
                             body="Use **eSIM** <script>alert(1)</script>", tags="eSIM, #Speed, esim")
    assert idea.title == "Self-service SIM swap"
    assert "<strong>eSIM</strong>" in idea.body_html and "<script>" not in idea.body_html
    assert [t.name for t in idea.tags] == ["esim", "speed"]
    assert ideas.is_following(author, idea.id)
    assert campaign.idea_count == 1


def test_invalid_idea_names_each_field_and_writes_nothing(app, campaign):
    with pytest.raises(ValidationError) as info:
        ideas.submit_idea(f.make_user(), campaign.id, title="abc", body="",
                          tags=["x" * 31] + [f"t{i}" for i in range(6)])
    assert set(info.value.fields) == {"title", "body", "tags"}
    assert idea_count() == 0


def test_overlong_title_is_refused(app, campaign):
    with pytest.raises(ValidationError) as info:
        ideas.submit_idea(f.make_user(), campaign.id, title="x" * 161, body="body")
    assert "title" in info.value.fields


@pytest.mark.parametrize("phase", ["upcoming", "closed"])
def test_no_posting_outside_the_open_phase(app, admin, phase):
    campaign = f.make_campaign(admin, phase=phase)
    with pytest.raises(CampaignNotOpen):
        ideas.submit_idea(f.make_user(), campaign.id, title="A fine idea", body="body")
    assert idea_count() == 0


def test_unknown_campaign_is_not_found(app):
    with pytest.raises(NotFound):
        ideas.submit_idea(f.make_user(), 999, title="A fine idea", body="body")


def test_edit_keeps_versions_and_only_the_author_edits(app, campaign):
    idea = f.make_idea(campaign, title="First title")
    with pytest.raises(PermissionDenied):
        ideas.edit_idea(f.make_user(), idea.id, title="Hijacked", body="x")
    ideas.edit_idea(idea.author, idea.id, title="Second title", body="Better body", tags=["a"])
    versions = ideas.list_versions(idea.author, idea.id)
    assert [v.number for v in versions] == [2, 1]
    assert versions[1].title == "First title" and versions[0].tags == "a"
    assert idea.edited_at is not None


def test_edit_without_change_adds_no_version(app, campaign):
    idea = f.make_idea(campaign, title="Same title", body="Same body")
    ideas.edit_idea(idea.author, idea.id, title="Same title", body="Same body", tags=[])
    assert db.session.scalar(select(func.count()).select_from(IdeaVersion)) == 1


def test_edit_after_close_is_refused(app, clock, campaign):
    idea = f.make_idea(campaign)
    clock.advance(timedelta(days=3))
    with pytest.raises(CampaignNotOpen):
        ideas.edit_idea(idea.author, idea.id, title="Too late now", body="x")


def test_sorts(app, clock, campaign):
    old = f.make_idea(campaign, title="Old but popular")
    clock.advance(timedelta(hours=1))
    discussed = f.make_idea(campaign, title="Much discussed")
    clock.advance(timedelta(hours=1))
    new = f.make_idea(campaign, title="Brand new")
    for _ in range(2):
        votes.cast_vote(f.make_user(), old.id, 1)
    for _ in range(3):
        f.make_comment(discussed)
    viewer = f.make_user()

    def order(sort):
        return [i.id for i in ideas.list_ideas(viewer, campaign.id, sort=sort).items]

    assert order("top")[0] == old.id
    assert order("newest") == [new.id, discussed.id, old.id]
    assert order("discussed")[0] == discussed.id
    assert order("trending")[0] == discussed.id  # three recent comments outweigh two older votes


def test_trending_decays_old_activity(app, clock, campaign):
    early = f.make_idea(campaign, title="Early favourite")
    for _ in range(3):
        votes.cast_vote(f.make_user(), early.id, 1)
    clock.advance(timedelta(hours=24))
    late = f.make_idea(campaign, title="Fresh arrival")
    votes.cast_vote(f.make_user(), late.id, 1)
    order = [i.id for i in ideas.list_ideas(f.make_user(), campaign.id, sort="trending").items]
    assert order == [late.id, early.id]


def test_filter_by_tag_and_paginate(app, campaign):
    for n in range(5):
        f.make_idea(campaign, tags=["network"] if n % 2 else ["retail"])
    viewer = f.make_user()
    page = ideas.list_ideas(viewer, campaign.id, tag="Network")
    assert page.total == 2
    page = ideas.list_ideas(viewer, campaign.id, per_page=2, page=3)
    assert (page.total, page.pages, len(page.items), page.has_next) == (5, 3, 1, False)
    assert ideas.popular_tags(viewer, campaign.id)[0] == ("retail", 3)


def test_strict_listing_rejects_bad_parameters(app, campaign):
    with pytest.raises(ValidationError) as info:
        ideas.list_ideas(f.make_user(), campaign.id, sort="random", page="x", strict=True)
    assert {"sort", "page"} <= set(info.value.fields)


def test_my_votes_are_returned_with_the_page(app, campaign):
    idea = f.make_idea(campaign)
    voter = f.make_user()
    votes.cast_vote(voter, idea.id, -1)
    assert ideas.list_ideas(voter, campaign.id).my_votes == {idea.id: -1}


def test_follow_and_unfollow(app, campaign):
    idea = f.make_idea(campaign)
    reader = f.make_user()
    ideas.follow_idea(reader, idea.id)
    ideas.follow_idea(reader, idea.id)  # twice is harmless
    assert ideas.is_following(reader, idea.id)
    ideas.unfollow_idea(idea.author, idea.id)
    assert not ideas.is_following(idea.author, idea.id)
    assert db.session.scalar(select(func.count()).select_from(IdeaFollow)) == 1


def test_ideas_in_private_campaigns_stay_hidden(app, admin):
    private = f.make_campaign(admin, audience=["staff"], is_private=True)
    idea = f.make_idea(private)
    outsider = f.make_user(kind="customer")
    with pytest.raises(NotFound):
        ideas.get_idea(outsider, idea.id)
    assert ideas.list_ideas_by_author(outsider, idea.author_id) == []
    assert ideas.list_ideas_by_author(f.make_user(role=Role.EXECUTIVE), idea.author_id) == [idea]


def test_tags_split_on_chinese_commas_too(app, campaign):
    idea = ideas.submit_idea(f.make_user(), campaign.id, title="門市訓練計畫", body="內容",
                             tags="門市，訓練、客服")
    assert [t.name for t in idea.tags] == ["客服", "訓練", "門市"]


def test_a_search_counts_its_matches_up_to_a_bound_and_says_there_are_more(app, campaign, monkeypatch):
    monkeypatch.setattr(ideas, "COUNTED_MATCHES_MAX", 3)
    for n in range(5):
        f.make_idea(campaign, title=f"Fibre rollout plan {n}")
    f.make_idea(campaign, title="Something else entirely")
    viewer = f.make_user()
    found = ideas.list_ideas(viewer, campaign.id, q="fibre", per_page=2)
    assert (found.total, found.more, found.pages) == (3, True, 2)
    assert ideas.list_ideas(viewer, campaign.id, q="entirely").more is False
    everything = ideas.list_ideas(viewer, campaign.id, per_page=2)
    assert (everything.total, everything.more) == (6, False)  # the kept count, exact


def test_pages_reach_a_bounded_depth(app, campaign, monkeypatch):
    monkeypatch.setattr(ideas, "PAGED_IDEAS_MAX", 4)
    for n in range(6):
        f.make_idea(campaign, title=f"Idea for depth {n}")
    viewer = f.make_user()
    assert ideas.list_ideas(viewer, campaign.id, per_page=2).pages == 2
    deepest = ideas.list_ideas(viewer, campaign.id, per_page=2, page=9)
    assert deepest.page == 2 and len(deepest.items) == 2
    assert ideas.list_ideas(viewer, campaign.id, per_page=2, page=3, strict=True).items == []


def test_popular_tags_count_published_ideas_per_tag(app, campaign):
    f.make_idea(campaign, tags=["billing", "5g"])
    f.make_idea(campaign, tags=["billing"])
    other = f.make_campaign()
    f.make_idea(other, tags=["5g"])
    assert ideas.popular_tags(f.make_user(), campaign.id) == [("billing", 2), ("5g", 1)]
