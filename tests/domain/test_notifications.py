"""Notifications are read with the rights their reader has when they are shown or sent: a
person who leaves a private campaign's audience, or whose followed idea is hidden, hears
nothing more of it and no longer sees what they were told of it before."""
import pytest
from sqlalchemy import select

from app.domain import accounts, comments, events, ideas, moderation, notifications, sanctions
from app.extensions import db
from app.models import ContentState, Notification, NotificationKind, ParticipantKind, Role
from tests import factories as f

SECRET = "Staff-only pricing plan for 2027"


@pytest.fixture
def moderator(app):
    return f.make_user(role=Role.MODERATOR)


@pytest.fixture
def private_idea(app, admin):
    campaign = f.make_campaign(admin, audience=["staff"], is_private=True)
    return f.make_idea(campaign, f.make_user(), title="Shared plan")


@pytest.fixture
def delivered():
    seen = []

    def record(kind, data):
        seen.append((kind, data))

    events.subscribe(record)
    yield seen
    events.unsubscribe(record)


def test_a_former_member_hears_nothing_more_and_forgets_what_they_heard(private_idea, admin, moderator,
                                                                        delivered):
    staff = f.make_user()
    ideas.follow_idea(staff, private_idea.id)
    moderation.change_idea_status(moderator, private_idea.id, status="under_review")
    assert notifications.count_unread(staff) == 1

    accounts.update_person(admin, staff.id, kind="customer")
    delivered.clear()
    ideas.edit_idea(private_idea.author, private_idea.id, title=SECRET, body="Only for staff.")
    moderation.change_idea_status(moderator, private_idea.id, status="shortlisted")
    comments.add_comment(moderator, private_idea.id, body="A reply they must not hear of.")

    assert notifications.list_notifications(staff) == []
    assert notifications.count_unread(staff) == 0
    assert not [data for kind, data in delivered if kind == "personal" and data["user_id"] == staff.id]
    # Their own standing is still theirs to hear of.
    sanctions.warn_person(moderator, staff.id, reason="Please stay on topic.")
    assert [n.kind for n in notifications.list_notifications(staff)] == [NotificationKind.WARNING]
    assert notifications.count_unread(staff) == 1


def test_follows_resume_when_access_comes_back(private_idea, admin, moderator):
    staff = f.make_user()
    ideas.follow_idea(staff, private_idea.id)
    accounts.update_person(admin, staff.id, kind="customer")
    moderation.change_idea_status(moderator, private_idea.id, status="under_review")
    accounts.update_person(admin, staff.id, kind="staff")
    moderation.change_idea_status(moderator, private_idea.id, status="shortlisted")
    assert [n.kind for n in notifications.list_notifications(staff)] == [NotificationKind.STATUS_CHANGED]


def test_a_hidden_idea_is_no_longer_named_to_its_followers(app, campaign, moderator):
    idea = f.make_idea(campaign)
    follower = f.make_user()
    ideas.follow_idea(follower, idea.id)
    moderation.change_idea_status(moderator, idea.id, status="under_review")
    moderation.hide_idea(moderator, idea.id, reason="Off topic.")
    assert notifications.list_notifications(follower) == []
    assert notifications.count_unread(follower) == 0
    # The author is told why, and still reads both.
    assert [n.kind for n in notifications.list_notifications(idea.author)] == [
        NotificationKind.CONTENT_HIDDEN, NotificationKind.STATUS_CHANGED]


@pytest.mark.parametrize("role,kind", [(Role.PARTICIPANT, ParticipantKind.STAFF),
                                       (Role.PARTICIPANT, ParticipantKind.CUSTOMER),
                                       (Role.EXECUTIVE, ParticipantKind.CUSTOMER),
                                       (Role.MODERATOR, ParticipantKind.CUSTOMER)])
@pytest.mark.parametrize("state", list(ContentState))
def test_the_sql_rule_and_the_python_rule_agree(app, admin, campaign, private_idea, role, kind, state):
    reader = f.make_user(role=role, kind=kind)
    ideas_told = [private_idea, f.make_idea(campaign, f.make_user()), f.make_idea(campaign, f.make_user())]
    ideas_told[2].author_id = reader.id  # their own idea (executives cannot post one themselves)
    for idea in ideas_told:
        idea.content_state = state
    db.session.add_all([Notification(user_id=reader.id, kind=NotificationKind.COMMENT_ON_MY_IDEA,
                                     actor_id=admin.id, idea_id=idea.id) for idea in ideas_told]
                       + [Notification(user_id=reader.id, kind=NotificationKind.WARNING, actor_id=admin.id)])
    db.session.commit()
    made = db.session.scalars(select(Notification).where(Notification.user_id == reader.id)).all()
    expected = {n.id for n in made if notifications.may_read(reader, n)}
    assert {n.id for n in notifications.list_notifications(reader)} == expected
    assert notifications.count_unread(reader) == len(expected)
