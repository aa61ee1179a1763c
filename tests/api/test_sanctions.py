"""Warnings and suspensions over the API."""
from datetime import datetime, timedelta, timezone

import pytest

from app.domain import sanctions
from app.extensions import db
from app.models import AuditEntry, Notification, NotificationKind, Role, User
from tests import factories
from tests.api.conftest import MODERATOR_ROLES, OTHER_ROLES, count, error_of

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def person(app, clock):
    clock.set(NOW)
    return factories.make_user(display_name="Loud Larry")


def user_path(user, end):
    return f"/api/v1/users/{user.id}/{end}"


def standing(user):
    db.session.expire_all()
    user = db.session.get(User, user.id)
    return user.suspended_until, user.suspension_reason


def warnings_of(user):
    return db.session.query(Notification).filter_by(user_id=user.id, kind=NotificationKind.WARNING).count()


@pytest.mark.parametrize("role", MODERATOR_ROLES)
def test_warn(api, person, role):
    response = api.post(user_path(person, "warn"), as_user=factories.make_user(role=role),
                        json={"reason": "Please keep it civil"})
    assert response.status_code == 200
    assert response.get_json() == {"id": person.id, "display_name": "Loud Larry", "kind": "staff",
                                   "suspended": False, "suspended_until": None,
                                   "suspension_reason": ""}
    notification = db.session.query(Notification).filter_by(user_id=person.id).one()
    assert (notification.kind, notification.note) == (NotificationKind.WARNING, "Please keep it civil")


@pytest.mark.parametrize("role", MODERATOR_ROLES)
def test_suspend_and_lift(api, admin, person, role):
    campaign = factories.make_campaign(admin)  # open at the tests' clock
    token = api.token_for(factories.make_user(role=role))
    response = api.post(user_path(person, "suspension"), token=token,
                        json={"until": "2026-03-08T17:00:00+08:00", "reason": "Flooding"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["suspended"], body["suspended_until"], body["suspension_reason"]) == (
        True, "2026-03-08T09:00:00Z", "Flooding")
    assert standing(person) == (datetime(2026, 3, 8, 9, 0, tzinfo=timezone.utc), "Flooding")

    refused = api.post(f"/api/v1/campaigns/{campaign.id}/ideas", as_user=person,
                       json={"title": "Still here", "body": "B"})
    assert refused.status_code == 403

    lifted = api.delete(user_path(person, "suspension") + "?reason=Talked+it+over", token=token)
    assert lifted.status_code == 200
    assert (lifted.get_json()["suspended"], lifted.get_json()["suspended_until"]) == (False, None)
    assert standing(person) == (None, "")
    entry = db.session.query(AuditEntry).filter_by(action="person.unsuspend").one()
    assert entry.reason == "Talked it over"
    again = api.delete(user_path(person, "suspension"), token=token)
    assert again.status_code == 409 and error_of(again)["code"] == "not_suspended"


def test_a_suspension_ends_by_itself(api, person, moderator, clock):
    api.post(user_path(person, "suspension"), as_user=moderator,
             json={"until": "2026-03-02T09:00:00Z", "reason": "Cool down"})
    clock.advance(timedelta(days=2))
    response = api.delete(user_path(person, "suspension"), as_user=moderator)
    assert response.status_code == 409 and error_of(response)["code"] == "not_suspended"


@pytest.mark.parametrize("payload, field", [
    ({"reason": "Flooding"}, "until"),
    ({"until": "2026-03-08T09:00:00", "reason": "Flooding"}, "until"),  # no offset
    ({"until": "2026-03-08", "reason": "Flooding"}, "until"),
    ({"until": "next week", "reason": "Flooding"}, "until"),
    ({"until": 1772960400, "reason": "Flooding"}, "until"),
    ({"until": "2026-02-28T09:00:00Z", "reason": "Flooding"}, "until"),  # in the past
    ({"until": "2026-03-08T09:00:00Z"}, "reason"),
    ({"until": "2026-03-08T09:00:00Z", "reason": "  "}, "reason"),
    ({"until": "2026-03-08T09:00:00Z", "reason": "x" * (sanctions.REASON_MAX + 1)}, "reason"),
    ({"until": "2026-03-08T09:00:00Z", "reason": "r", "days": 7}, "days"),
])
def test_bad_suspensions_change_nothing(api, person, moderator, payload, field):
    response = api.post(user_path(person, "suspension"), as_user=moderator, json=payload)
    assert response.status_code == 422 and field in error_of(response)["fields"]
    assert standing(person) == (None, "")
    assert count(AuditEntry) == 0


@pytest.mark.parametrize("payload", [{}, {"reason": ""}, {"reason": 7}])
def test_a_warning_needs_a_reason(api, person, moderator, payload):
    response = api.post(user_path(person, "warn"), as_user=moderator, json=payload)
    assert response.status_code == 422 and "reason" in error_of(response)["fields"]
    assert warnings_of(person) == 0


def _calls(person):
    return [("post", user_path(person, "warn"), {"reason": "Calm down"}),
            ("post", user_path(person, "suspension"),
             {"until": "2026-03-08T09:00:00Z", "reason": "Calm down"}),
            ("delete", user_path(person, "suspension"), None)]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_others_may_not_sanction(api, person, moderator, role):
    sanctions.suspend_person(moderator, person.id, until=NOW + timedelta(days=1), reason="Before")
    before = standing(person)
    token = api.token_for(factories.make_user(role=role))
    for method, path, payload in _calls(person):
        assert getattr(api, method)(path, token=token, json=payload).status_code == 403, path
        assert getattr(api, method)(path, json=payload).status_code == 401, path
    assert standing(person) == before and warnings_of(person) == 0


@pytest.mark.parametrize("target_role", [Role.MODERATOR, Role.ADMIN, "self"])
def test_moderators_cannot_sanction_moderators_or_themselves(api, moderator, target_role):
    target = moderator if target_role == "self" else factories.make_user(role=target_role)
    for method, path, payload in _calls(target):
        assert getattr(api, method)(path, as_user=moderator, json=payload).status_code == 403, path
    assert standing(target) == (None, "") and warnings_of(target) == 0


def test_unknown_people(api, moderator):
    token = api.token_for(moderator)
    for method, path, payload in _calls(type("Nobody", (), {"id": 987654})):
        assert getattr(api, method)(path, token=token, json=payload).status_code == 404, path
