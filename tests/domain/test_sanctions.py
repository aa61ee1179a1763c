"""Warnings and suspensions."""
from datetime import timedelta

import pytest

from app.domain import ideas, sanctions, votes
from app.domain.errors import Conflict, PermissionDenied, ValidationError
from app.extensions import db
from app.models import AuditEntry, Notification, NotificationKind, Role
from tests import factories as f


def test_a_warning_reaches_the_person_and_the_log(app, moderator):
    person = f.make_user()
    sanctions.warn_person(moderator, person.id, reason="Please keep it civil.")
    note = db.session.query(Notification).filter_by(user_id=person.id).one()
    assert note.kind is NotificationKind.WARNING and note.note == "Please keep it civil."
    assert db.session.query(AuditEntry).filter_by(action="person.warn", target_id=person.id).count() == 1
    with pytest.raises(ValidationError):
        sanctions.warn_person(moderator, person.id, reason="  ")


def test_a_suspended_person_reads_but_cannot_take_part_until_it_ends(campaign, moderator, clock):
    person = f.make_user()
    idea = f.make_idea(campaign)
    sanctions.suspend_person(moderator, person.id, until=clock() + timedelta(hours=12),
                             reason="Repeated insults")
    assert ideas.get_idea(person, idea.id)
    with pytest.raises(PermissionDenied):
        votes.cast_vote(person, idea.id, "up")
    with pytest.raises(PermissionDenied):
        f.make_idea(campaign, person)
    clock.advance(timedelta(hours=12, seconds=1))
    votes.cast_vote(person, idea.id, "up")


def test_lifting_a_suspension(campaign, moderator, clock):
    person = f.make_user()
    sanctions.suspend_person(moderator, person.id, until=clock() + timedelta(days=1), reason="Spam")
    sanctions.lift_suspension(moderator, person.id, reason="Apologised")
    f.make_idea(campaign, person)
    with pytest.raises(Conflict):
        sanctions.lift_suspension(moderator, person.id)


@pytest.mark.parametrize("until, field", [("tomorrow", "until"), (None, "until"), ("past", "until")])
def test_bad_suspensions_change_nothing(app, moderator, clock, until, field):
    person = f.make_user()
    value = clock() - timedelta(minutes=1) if until == "past" else until
    with pytest.raises(ValidationError) as refused:
        sanctions.suspend_person(moderator, person.id, until=value, reason="Spam")
    assert field in refused.value.fields
    assert db.session.get(type(person), person.id).suspended_until is None


def test_who_may_sanction_whom(app, moderator, clock):
    participant = f.make_user()
    other_moderator = f.make_user(role=Role.MODERATOR)
    until = clock() + timedelta(days=1)
    for actor in (f.make_user(), f.make_user(role=Role.EXECUTIVE)):
        with pytest.raises(PermissionDenied):
            sanctions.warn_person(actor, participant.id, reason="No")
        with pytest.raises(PermissionDenied):
            sanctions.suspend_person(actor, participant.id, until=until, reason="No")
    with pytest.raises(PermissionDenied):  # moderators are not sanctioned by their peers
        sanctions.suspend_person(moderator, other_moderator.id, until=until, reason="No")
    with pytest.raises(PermissionDenied):
        sanctions.warn_person(moderator, moderator.id, reason="No")
    sanctions.suspend_person(f.make_user(role=Role.ADMIN), participant.id, until=until, reason="Spam")
