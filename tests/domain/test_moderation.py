from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain import campaigns, ideas, moderation, notifications
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.extensions import db
from app.models import AuditEntry, IdeaStatus, NotificationKind, Role
from tests import factories as f


@pytest.fixture
def moderator(app):
    return f.make_user(role=Role.MODERATOR)


def test_a_new_idea_starts_submitted_with_its_history(app, campaign):
    idea = f.make_idea(campaign)
    assert idea.status is IdeaStatus.SUBMITTED
    history = moderation.list_status_history(f.make_user(), idea.id)
    assert [(h.from_status, h.to_status) for h in history] == [(None, IdeaStatus.SUBMITTED)]


@pytest.mark.parametrize("status", [s for s in IdeaStatus if s is not IdeaStatus.SUBMITTED])
def test_moderators_move_ideas_to_every_status(app, campaign, moderator, status):
    idea = f.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status=status.value, note="Because.")
    assert idea.status is status
    history = moderation.list_status_history(f.make_user(), idea.id)
    assert history[-1].to_status is status and history[-1].note == "Because."


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.EXECUTIVE])
def test_participants_and_executives_cannot_change_status(app, campaign, role):
    idea = f.make_idea(campaign)
    with pytest.raises(PermissionDenied):
        moderation.change_idea_status(f.make_user(role=role), idea.id, status="shortlisted")
    with pytest.raises(PermissionDenied):  # not even on their own idea
        moderation.change_idea_status(idea.author, idea.id, status="shortlisted")
    assert idea.status is IdeaStatus.SUBMITTED


def test_declining_needs_a_note(app, campaign, moderator):
    idea = f.make_idea(campaign)
    with pytest.raises(ValidationError) as info:
        moderation.change_idea_status(moderator, idea.id, status="declined", note="   ")
    assert "note" in info.value.fields
    assert idea.status is IdeaStatus.SUBMITTED


@pytest.mark.parametrize("status", ["approved", "", None, 3])
def test_unknown_statuses_are_refused(app, campaign, moderator, status):
    idea = f.make_idea(campaign)
    with pytest.raises(ValidationError) as info:
        moderation.change_idea_status(moderator, idea.id, status=status)
    assert "status" in info.value.fields


def test_the_same_status_twice_is_refused(app, campaign, moderator):
    idea = f.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    with pytest.raises(ValidationError):
        moderation.change_idea_status(moderator, idea.id, status="shortlisted")


def test_status_changes_go_on_after_the_campaign_closes(app, clock, campaign, moderator):
    idea = f.make_idea(campaign)
    clock.advance(timedelta(days=5))
    moderation.change_idea_status(moderator, idea.id, status="selected")
    assert idea.status is IdeaStatus.SELECTED


def test_author_and_followers_are_notified_but_not_the_moderator(app, campaign, moderator):
    idea = f.make_idea(campaign)
    follower = f.make_user()
    ideas.follow_idea(follower, idea.id)
    ideas.follow_idea(moderator, idea.id)
    moderation.change_idea_status(moderator, idea.id, status="under_review")
    for person in (idea.author, follower):
        assert [n.kind for n in notifications.list_notifications(person)] == [NotificationKind.STATUS_CHANGED]
    assert notifications.list_notifications(moderator) == []


def test_status_changes_are_streamed_and_audited(app, campaign, moderator):
    idea = f.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status="declined", note="Out of scope")
    entry = campaigns.list_campaign_events(f.make_user(), campaign.id, after=0).events[-1]
    assert entry["kind"] == "idea.status" and entry["payload"] == {"status": "declined", "note": "Out of scope"}
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "idea.status")).one()
    assert (audit.actor_id, audit.target_id, audit.before, audit.after, audit.reason) == (
        moderator.id, idea.id, {"status": "submitted"}, {"status": "declined"}, "Out of scope")


def test_ideas_of_private_campaigns_stay_hidden_from_outside_moderation_calls(app, admin):
    private = f.make_campaign(admin, audience=["staff"], is_private=True)
    idea = f.make_idea(private)
    with pytest.raises(NotFound):
        moderation.list_status_history(f.make_user(kind="customer"), idea.id)
