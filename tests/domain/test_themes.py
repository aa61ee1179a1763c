"""Themes: found in a campaign's ideas, shown to whoever may see it, renamed and merged by
moderators, and kept through refreshes."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain import clustering, events, moderation, themes
from app.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.extensions import db
from app.models import AuditEntry, Campaign, CampaignEvent, ParticipantKind, Role, Theme
from tests import factories as f
from tests.themes_data import BILLS, ROAMING, STORES, seed, theme_of

def test_a_refresh_groups_ideas_into_labelled_themes(app, campaign):
    bills, roaming, stores = seed(campaign)
    result = themes.refresh_themes(campaign.id)
    assert result.ideas == 12 and result.themes >= 2
    listed = themes.list_themes(f.make_user(), campaign.id)
    assert sum(theme.size for theme in listed) <= 12
    roaming_theme = theme_of(roaming[0])
    assert {theme_of(idea) for idea in roaming} == {roaming_theme}
    assert roaming_theme not in {theme_of(idea) for idea in bills + stores}
    summary = next(theme for theme in listed if theme.id == roaming_theme)
    assert "roaming" in summary.name and summary.name == summary.label and not summary.named
    assert summary.growth_last_hour == summary.size
    assert len(summary.top_ideas) == themes.TOP_IDEAS
    assert {idea.id for idea in summary.top_ideas} <= {idea.id for idea in roaming}
    entry = db.session.scalars(select(CampaignEvent).where(CampaignEvent.kind == "themes.updated")).one()
    assert {"id": roaming_theme, "name": summary.name, "size": summary.size} in entry.payload["themes"]


def test_few_ideas_make_no_themes_yet(app, campaign):
    seed(campaign, groups=(BILLS[:3],))
    themes.refresh_themes(campaign.id)
    assert themes.list_themes(f.make_user(), campaign.id) == []


def test_growth_counts_the_last_hour_and_top_ideas_follow_votes(app, campaign, clock):
    clock.set(campaign.starts_at + timedelta(minutes=5))
    early = seed(campaign, groups=(ROAMING,))[0]
    clock.advance(timedelta(hours=2))
    late = seed(campaign, groups=(BILLS, STORES))
    themes.refresh_themes(campaign.id)
    summary = next(t for t in themes.list_themes(f.make_user(), campaign.id) if t.id == theme_of(early[0]))
    assert summary.growth_last_hour == 0 and summary.size == 4
    for _ in range(2):
        f.make_vote(early[3])
    summary = themes.get_theme_summary(f.make_user(), summary.id)
    assert summary.top_ideas[0].id == early[3].id
    assert late


def test_hidden_ideas_leave_the_top_ideas_at_once_and_the_theme_at_the_next_refresh(app, campaign):
    bills = seed(campaign)[0]
    themes.refresh_themes(campaign.id)
    moderator = f.make_user(role=Role.MODERATOR)
    theme_id = theme_of(bills[0])
    top = themes.get_theme_summary(f.make_user(), theme_id).top_ideas
    moderation.hide_idea(moderator, top[0].id, reason="Spam")
    assert top[0] not in themes.get_theme_summary(f.make_user(), theme_id).top_ideas
    themes.refresh_themes(campaign.id)
    assert theme_of(top[0]) is None


def test_a_theme_whose_ideas_were_all_hidden_can_still_be_renamed(app, campaign):
    bills = seed(campaign)[0]
    themes.refresh_themes(campaign.id)
    moderator = f.make_user(role=Role.MODERATOR)
    theme_id = theme_of(bills[0])
    for idea in bills:
        moderation.hide_idea(moderator, idea.id, reason="Spam")
    assert theme_id not in {t.id for t in themes.list_themes(f.make_user(), campaign.id)}
    themes.rename_theme(moderator, theme_id, name="Gone quiet")
    summary = themes.get_theme_summary(moderator, theme_id)
    assert (summary.name, summary.size, summary.top_ideas) == ("Gone quiet", 0, [])


def test_renames_survive_refreshes(app, campaign):
    roaming = seed(campaign)[1]
    themes.refresh_themes(campaign.id)
    moderator = f.make_user(role=Role.MODERATOR)
    theme_id = theme_of(roaming[0])
    themes.rename_theme(moderator, theme_id, name="Travel without bill shock")
    seed(campaign, groups=([("Roaming price cap", "Cap the roaming bill abroad."),
                            ("Roaming welcome text", "Roaming prices by text when abroad.")],))
    themes.refresh_themes(campaign.id)
    assert theme_of(roaming[0]) == theme_id
    summary = themes.get_theme_summary(f.make_user(), theme_id)
    assert summary.name == "Travel without bill shock" and summary.named
    assert "roaming" in summary.label and summary.size >= 5
    themes.rename_theme(moderator, theme_id, name="  ")
    assert themes.get_theme_summary(f.make_user(), theme_id).name == summary.label
    assert [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))][-2:] == [
        "theme.rename", "theme.rename"]


def test_merges_survive_refreshes(app, campaign):
    bills, roaming, stores = seed(campaign)
    themes.refresh_themes(campaign.id)
    moderator = f.make_user(role=Role.MODERATOR)
    source, target = theme_of(roaming[0]), theme_of(stores[0])
    assert source != target
    members = [idea for idea in roaming + stores if theme_of(idea) in (source, target)]
    assert len(members) >= 6
    merged = themes.merge_themes(moderator, source, into=target)
    assert merged.id == target and merged.size == len(members)
    assert {theme_of(idea) for idea in members} == {target}
    assert db.session.get(Theme, source).merged_into_id == target
    with pytest.raises(NotFound):
        themes.get_theme_summary(f.make_user(), 10_000)
    seed(campaign, groups=([("Roaming text alerts", "Roaming prices by text abroad.")],))
    themes.refresh_themes(campaign.id)
    themes.refresh_themes(campaign.id)
    assert {theme_of(idea) for idea in members} == {target}
    assert theme_of(bills[0]) != target
    listed = {theme.id for theme in themes.list_themes(f.make_user(), campaign.id)}
    assert target in listed and source not in listed
    with pytest.raises(Conflict):
        themes.rename_theme(moderator, source, name="Gone")


def test_merge_needs_another_theme_of_the_same_campaign(app, campaign, admin):
    seed(campaign)
    themes.refresh_themes(campaign.id)
    other = f.make_campaign(admin)
    seed(other)
    themes.refresh_themes(other.id)
    moderator = f.make_user(role=Role.MODERATOR)
    mine = themes.list_themes(moderator, campaign.id)
    theirs = themes.list_themes(moderator, other.id)
    for into in (mine[0].id, theirs[0].id, "x", None):
        with pytest.raises(ValidationError):
            themes.merge_themes(moderator, mine[0].id, into=into)


def test_only_moderators_rename_and_merge(app, campaign):
    seed(campaign)
    themes.refresh_themes(campaign.id)
    first, second = themes.list_themes(f.make_user(), campaign.id)[:2]
    for person in (f.make_user(), f.make_user(role=Role.EXECUTIVE)):
        with pytest.raises(PermissionDenied):
            themes.rename_theme(person, first.id, name="Mine")
        with pytest.raises(PermissionDenied):
            themes.merge_themes(person, first.id, into=second.id)
    with pytest.raises(ValidationError):
        themes.rename_theme(f.make_user(role=Role.ADMIN), first.id, name="x" * (themes.NAME_MAX + 1))


def test_themes_of_a_private_campaign_stay_private(app, admin):
    private = f.make_campaign(admin, audience=["staff"], is_private=True)
    seed(private, author=f.make_user(kind=ParticipantKind.STAFF))
    themes.refresh_themes(private.id)
    assert themes.list_themes(f.make_user(kind=ParticipantKind.STAFF), private.id)
    assert themes.list_themes(f.make_user(role=Role.EXECUTIVE, kind=ParticipantKind.CUSTOMER), private.id)
    theme_id = themes.list_themes(admin, private.id)[0].id
    outsider = f.make_user(kind=ParticipantKind.CUSTOMER)
    with pytest.raises(NotFound):
        themes.list_themes(outsider, private.id)
    with pytest.raises(NotFound):
        themes.get_theme(outsider, theme_id)


def test_a_refresh_drops_its_result_when_a_moderator_edited_meanwhile(app, campaign, monkeypatch):
    roaming = seed(campaign)[1]
    themes.refresh_themes(campaign.id)
    moderator = f.make_user(role=Role.MODERATOR)
    theme_id = theme_of(roaming[0])
    compute = clustering.compute_themes

    def edited_meanwhile(*args):
        themes.rename_theme(moderator, theme_id, name="Named while computing")
        return compute(*args)

    monkeypatch.setattr(clustering, "compute_themes", edited_meanwhile)
    assert themes.refresh_themes(campaign.id) is None
    monkeypatch.setattr(clustering, "compute_themes", compute)
    assert themes.refresh_themes(campaign.id) is not None
    assert themes.get_theme_summary(moderator, theme_id).name == "Named while computing"


def test_campaigns_needing_a_refresh(app, campaign, admin):
    quiet = f.make_campaign(admin)
    assert themes.campaigns_needing_refresh() == []
    seed(campaign)
    assert themes.campaigns_needing_refresh() == [campaign.id]
    themes.refresh_themes(campaign.id)
    assert themes.campaigns_needing_refresh() == []
    f.make_idea(quiet)
    assert themes.campaigns_needing_refresh() == [quiet.id]


def test_edits_are_announced_on_the_stream(app, campaign):
    heard = []

    def listen(kind, data):
        if kind == "campaign" and data["kind"] == "themes.updated":
            heard.append(data)

    events.subscribe(listen)
    try:
        seed(campaign)
        themes.refresh_themes(campaign.id)
        theme_id = themes.list_themes(f.make_user(), campaign.id)[0].id
        themes.rename_theme(f.make_user(role=Role.MODERATOR), theme_id, name="Bills people read")
    finally:
        events.unsubscribe(listen)
    assert len(heard) == 2
    assert any(t["id"] == theme_id and t["name"] == "Bills people read" for t in heard[1]["payload"]["themes"])


def test_theme_counts_grow_with_the_campaign():
    assert clustering.theme_count(6) == 3 and clustering.theme_count(46_000) == clustering.MAX_THEMES


def test_the_server_refreshes_campaigns_whose_ideas_changed(app, campaign):
    from app import realtime

    realtime._dirty_themes.clear()
    realtime._themes_refreshed.clear()
    campaign_id = campaign.id
    seed(campaign)
    assert campaign_id in realtime._dirty_themes
    assert realtime.refresh_themes_due(interval=0) == 1  # (the loop ends its session after each)
    assert themes.list_themes(f.make_user(), campaign_id)
    assert realtime.refresh_themes_due(interval=0) == 0
    f.make_idea(db.session.get(Campaign, campaign_id), title="Roaming alerts by text", body="Roaming abroad.")
    assert realtime.refresh_themes_due(interval=3600) == 0  # refreshed moments ago: later
    assert campaign_id in realtime._dirty_themes
    assert realtime.refresh_themes_due(interval=0) == 1
