from datetime import datetime, timedelta, timezone

import pytest

from app.domain import campaigns
from app.domain.errors import CampaignNotOpen, NotFound, PermissionDenied, ValidationError
from app.models import Phase, Role
from tests import factories as f

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_phase_follows_the_clock(app, clock, admin):
    clock.set(T0)
    campaign = f.make_campaign(admin, starts_at=T0 + timedelta(hours=1), ends_at=T0 + timedelta(hours=3))
    assert campaigns.campaign_phase(campaign) is Phase.UPCOMING
    clock.advance(timedelta(hours=1))
    assert campaigns.campaign_phase(campaign) is Phase.OPEN  # the start instant is open
    clock.advance(timedelta(hours=2))
    assert campaigns.campaign_phase(campaign) is Phase.CLOSED  # the end instant is closed


def test_create_validates_every_field_and_writes_nothing(app, admin):
    with pytest.raises(ValidationError) as info:
        campaigns.create_campaign(admin, title="", question="?", starts_at="not a date",
                                  ends_at=None, audience=["robots"])
    assert set(info.value.fields) == {"title", "question", "starts_at", "ends_at", "audience"}
    assert campaigns.list_campaigns(admin).open == []


def test_end_must_follow_start(app, admin):
    with pytest.raises(ValidationError) as info:
        campaigns.create_campaign(admin, title="Jam", question="Why not?", starts_at=T0,
                                  ends_at=T0, audience=["staff"])
    assert "ends_at" in info.value.fields


def test_naive_times_are_refused(app, admin):
    with pytest.raises(ValidationError) as info:
        campaigns.create_campaign(admin, title="Jam", question="Why not?",
                                  starts_at=datetime(2026, 1, 1), ends_at=T0, audience=["staff"])
    assert "starts_at" in info.value.fields


def test_only_admins_create_campaigns(app):
    moderator = f.make_user(role=Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        campaigns.create_campaign(moderator, title="Jam", question="Why not?", starts_at=T0,
                                  ends_at=T0 + timedelta(days=1), audience=["staff"])


def test_slugs_are_unique(app, admin):
    first = f.make_campaign(admin, title="Faster launches")
    second = f.make_campaign(admin, title="Faster launches")
    assert first.slug == "faster-launches" and second.slug == "faster-launches-2"


def test_private_campaign_is_invisible_outside_its_audience(app, admin):
    private = f.make_campaign(admin, audience=["staff"], is_private=True)
    customer = f.make_user(kind="customer")
    staff = f.make_user(kind="staff")
    executive = f.make_user(role=Role.EXECUTIVE, kind="customer")
    with pytest.raises(NotFound):
        campaigns.get_campaign(customer, private.slug)
    assert private not in campaigns.list_campaigns(customer).open
    assert campaigns.get_campaign(staff, private.id) is private
    assert private in campaigns.list_campaigns(executive).open


def test_anonymous_sees_public_campaigns_only(app, admin):
    from flask_login import AnonymousUserMixin

    public = f.make_campaign(admin)
    f.make_campaign(admin, is_private=True, audience=["staff"])
    assert campaigns.list_campaigns(AnonymousUserMixin()).open == [public]


def test_moderator_opens_early_extends_and_closes(app, clock, admin):
    clock.set(T0)
    moderator = f.make_user(role=Role.MODERATOR)
    campaign = f.make_campaign(admin, phase="upcoming")
    campaigns.open_campaign_early(moderator, campaign.id)
    assert campaigns.campaign_phase(campaign) is Phase.OPEN
    new_end = campaign.ends_at + timedelta(days=1)
    campaigns.extend_campaign(moderator, campaign.id, ends_at=new_end)
    assert campaign.ends_at == new_end
    campaigns.close_campaign(moderator, campaign.id)
    assert campaigns.campaign_phase(campaign) is Phase.CLOSED
    with pytest.raises(CampaignNotOpen):
        campaigns.close_campaign(moderator, campaign.id)


def test_extend_must_move_the_end_later(app, admin):
    campaign = f.make_campaign(admin)
    with pytest.raises(ValidationError):
        campaigns.extend_campaign(admin, campaign.id, ends_at=campaign.ends_at - timedelta(hours=1))


def test_extending_a_closed_campaign_reopens_it(app, clock, admin):
    clock.set(T0)
    campaign = f.make_campaign(admin, phase="closed")
    campaigns.extend_campaign(admin, campaign.id, ends_at=T0 + timedelta(hours=2))
    assert campaigns.campaign_phase(campaign) is Phase.OPEN


def test_participants_cannot_change_the_phase(app, admin):
    campaign = f.make_campaign(admin)
    with pytest.raises(PermissionDenied):
        campaigns.close_campaign(f.make_user(), campaign.id)


def test_executives_never_take_part(app, admin):
    campaign = f.make_campaign(admin)
    executive = f.make_user(role=Role.EXECUTIVE)
    with pytest.raises(PermissionDenied):
        campaigns.ensure_can_take_part(executive, campaign)


def test_a_numeric_title_does_not_make_a_slug_that_reads_as_an_id(app, admin):
    campaign = f.make_campaign(admin, title="2024")
    assert campaign.slug == "c-2024"
    assert campaigns.get_campaign(admin, "c-2024") is campaign


def test_may_predicates_join_the_phase_and_the_permission(app, clock, admin):
    campaign = f.make_campaign(admin, audience=["staff"])
    idea = f.make_idea(campaign)
    comment = f.make_comment(idea)
    staff, customer = f.make_user(kind="staff"), f.make_user(kind="customer")
    assert campaigns.may_contribute(staff, campaign) and not campaigns.may_contribute(customer, campaign)
    assert campaigns.may_vote_on(staff, idea) and not campaigns.may_vote_on(idea.author, idea)
    assert campaigns.may_edit_idea(idea.author, idea) and not campaigns.may_edit_idea(staff, idea)
    assert campaigns.may_change_comment(comment.author, comment, campaign)
    clock.advance(timedelta(days=3))  # closed: nobody may do anything
    assert not campaigns.may_contribute(staff, campaign)
    assert not campaigns.may_vote_on(staff, idea)
    assert not campaigns.may_edit_idea(idea.author, idea)
    assert not campaigns.may_change_comment(comment.author, comment, campaign)


def test_may_comment_on_needs_a_published_idea_with_open_comments(app, clock, admin):
    from app.domain import moderation

    campaign = f.make_campaign(admin)
    idea = f.make_idea(campaign)
    moderator, staff = f.make_user(role=Role.MODERATOR), f.make_user()
    assert campaigns.may_comment_on(staff, idea)
    moderation.set_comments_locked(moderator, idea.id, locked=True)
    assert not campaigns.may_comment_on(staff, idea) and not campaigns.may_comment_on(moderator, idea)
    moderation.set_comments_locked(moderator, idea.id, locked=False)
    moderation.hide_idea(moderator, idea.id, reason="Checking")
    assert not campaigns.may_comment_on(idea.author, idea)
    moderation.restore_idea(moderator, idea.id)
    assert campaigns.may_comment_on(staff, idea)
    clock.advance(timedelta(days=3))
    assert not campaigns.may_comment_on(staff, idea)
