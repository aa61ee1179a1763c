from datetime import datetime, timedelta, timezone

import pytest

from app.domain import permissions, sanctions
from app.extensions import db
from app.models import Notification, NotificationKind, Role, User
from tests import factories
from tests.http.conftest import page_text, text_of

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_moderators_see_the_warn_and_suspend_forms(client, member, moderator, login):
    login(moderator)
    page = text_of(client.get(f"/people/{member.id}"))
    assert f'action="/people/{member.id}/warn"' in page and f'action="/people/{member.id}/suspend"' in page
    assert 'type="datetime-local"' in page and 'for="suspend-until"' in page
    assert f"/people/{member.id}/unsuspend" not in page  # not suspended
    for person in (moderator, factories.make_user(role=Role.MODERATOR), factories.make_admin()):
        assert "/warn" not in text_of(client.get(f"/people/{person.id}"))
    login(factories.make_user())
    assert "/warn" not in text_of(client.get(f"/people/{member.id}"))


def test_a_warning_reaches_the_person(client, member, moderator, login):
    login(moderator)
    response = client.post(f"/people/{member.id}/warn", data={"warn-reason": "Mind your tone"})
    assert response.status_code == 302 and response.headers["Location"] == f"/people/{member.id}"
    assert "Mia Member is warned." in page_text(client.get(f"/people/{member.id}"))
    note = db.session.query(Notification).filter_by(user_id=member.id, kind=NotificationKind.WARNING).one()
    assert note.note == "Mind your tone"


def test_a_warning_needs_a_reason(client, member, moderator, login):
    login(moderator)
    response = client.post(f"/people/{member.id}/warn", data={"warn-reason": "  "})
    assert response.status_code == 422 and 'id="warn-reason-error"' in text_of(response)
    assert db.session.query(Notification).filter_by(user_id=member.id).count() == 0


def test_suspending_reads_the_time_in_the_moderators_zone(client, clock, member, login):
    clock.set(T0)
    moderator = factories.make_user(role=Role.MODERATOR, timezone="Asia/Taipei")
    login(moderator)
    response = client.post(f"/people/{member.id}/suspend",
                           data={"suspend-until": "2026-06-08T20:00", "suspend-reason": "Repeated insults"})
    assert response.status_code == 302
    person = db.session.get(User, member.id)
    assert person.suspended_until == datetime(2026, 6, 8, 12, 0, tzinfo=timezone.utc)  # 20:00 in Taipei
    assert person.suspension_reason == "Repeated insults" and permissions.is_suspended(person)
    page = page_text(client.get(f"/people/{member.id}"))
    assert "Mia Member is suspended." in page and "Suspended until" in page and "Repeated insults" in page
    assert f'action="/people/{member.id}/unsuspend"' in page
    login(factories.make_user())
    assert "Suspended until" not in page_text(client.get(f"/people/{member.id}"))


@pytest.mark.parametrize("until, message", [
    ("2026-05-01T12:00", "Choose a time in the future."), ("", "Enter a date and time."),
    ("next tuesday", "Enter a date and time."),
])
def test_bad_suspensions_are_explained_and_change_nothing(client, clock, member, moderator, login, until, message):
    clock.set(T0)
    login(moderator)
    response = client.post(f"/people/{member.id}/suspend", data={"suspend-until": until, "suspend-reason": ""})
    assert response.status_code == 422
    page = page_text(response)
    assert message in page and 'id="suspend-until-error"' in page and 'id="suspend-reason-error"' in page
    assert db.session.get(User, member.id).suspended_until is None


def test_lifting_a_suspension(client, clock, member, moderator, login):
    clock.set(T0)
    sanctions.suspend_person(moderator, member.id, until=T0 + timedelta(days=3), reason="Cool down")
    login(moderator)
    response = client.post(f"/people/{member.id}/unsuspend", data={"lift-reason": "Apologised"})
    assert response.status_code == 302 and response.headers["Location"] == f"/people/{member.id}"
    assert not permissions.is_suspended(db.session.get(User, member.id))
    assert "Mia Member may take part again." in page_text(client.get(f"/people/{member.id}"))
    client.post(f"/people/{member.id}/unsuspend")
    assert "This person is not suspended." in page_text(client.get(f"/people/{member.id}"))


@pytest.mark.parametrize("path, data", [
    ("warn", {"warn-reason": "Stop"}),
    ("suspend", {"suspend-until": "2026-06-08T20:00", "suspend-reason": "Stop"}),
    ("unsuspend", {}),
])
def test_participants_and_moderators_of_moderators_get_403(client, clock, member, moderator, login, path, data):
    clock.set(T0)
    sanctions.suspend_person(moderator, member.id, until=T0 + timedelta(days=3), reason="Cool down")
    login(factories.make_user())
    assert client.post(f"/people/{member.id}/{path}", data=data).status_code == 403
    login(moderator)
    other_moderator = factories.make_user(role=Role.MODERATOR)
    assert client.post(f"/people/{other_moderator.id}/{path}", data=data).status_code == 403
    assert client.post(f"/people/999999/{path}", data=data).status_code == 404
    person = db.session.get(User, member.id)
    assert person.suspended_until == T0 + timedelta(days=3)
    assert db.session.query(Notification).filter_by(kind=NotificationKind.WARNING).count() == 0


def test_a_suspended_person_reads_why_they_cannot_take_part(client, clock, member, moderator, login):
    clock.set(T0)
    campaign = factories.make_campaign()
    idea = factories.make_idea(campaign)
    sanctions.suspend_person(moderator, member.id, until=T0 + timedelta(days=3), reason="Cool down")
    login(member)
    page = page_text(client.get(f"/ideas/{idea.id}"))
    assert "A moderator suspended you from taking part until" in page and "Post comment" not in page
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Let me"})
    assert response.status_code == 403
