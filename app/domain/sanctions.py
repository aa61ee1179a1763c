"""Warnings and suspensions: what moderators do about a person, not a post."""
from datetime import datetime, timezone

from flask_babel import lazy_gettext as _l

from app.domain import audit, notifications, permissions
from app.domain.clock import utcnow
from app.domain.errors import Conflict, NotFound, PermissionDenied
from app.domain.text import clean_block
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import NotificationKind, User

REASON_MAX = 1_000


def _person(actor, user_id):
    if not permissions.can_moderate(actor):  # before the look-up: ids must not leak
        raise PermissionDenied()
    user_id = parse_id(user_id)
    person = db.session.get(User, user_id) if user_id is not None else None
    if person is None:
        raise NotFound(_l("We could not find that person."))
    if not permissions.can_sanction(actor, person):
        raise PermissionDenied()
    return person


def _reason(errors, reason):
    return errors.text("reason", clean_block(reason) if isinstance(reason, str) else "",
                       max_length=REASON_MAX)


def warn_person(actor, user_id, *, reason):
    """Send a person a moderator's warning; it is kept in their notifications and the log."""
    person = _person(actor, user_id)
    errors = FieldErrors()
    reason = _reason(errors, reason)
    errors.raise_if_any()
    notifications.notify(person.id, NotificationKind.WARNING, actor=actor, note=reason)
    audit.record_audit(actor, "person.warn", target_type="user", target_id=person.id, reason=reason)
    db.session.commit()
    return person


def suspend_person(actor, user_id, *, until, reason):
    """Suspend a person until a time: they can read but not post, comment or vote."""
    person = _person(actor, user_id)
    errors = FieldErrors()
    reason = _reason(errors, reason)
    if not isinstance(until, datetime):
        errors.add("until", _l("Enter a date and time."))
    else:
        until = until if until.tzinfo else until.replace(tzinfo=timezone.utc)
        if until <= utcnow():
            errors.add("until", _l("Choose a time in the future."))
    errors.raise_if_any()
    before = {"suspended_until": person.suspended_until.isoformat() if person.suspended_until else None}
    person.suspended_until, person.suspension_reason = until, reason
    notifications.notify(person.id, NotificationKind.SUSPENDED, actor=actor, note=reason,
                         until=until.isoformat())
    audit.record_audit(actor, "person.suspend", target_type="user", target_id=person.id,
                       before=before, after={"suspended_until": until.isoformat()}, reason=reason)
    db.session.commit()
    return person


def lift_suspension(actor, user_id, *, reason=""):
    person = _person(actor, user_id)
    errors = FieldErrors()
    reason = errors.text("reason", clean_block(reason) if isinstance(reason, str) else "",
                         max_length=REASON_MAX, required=False)
    errors.raise_if_any()
    if not permissions.is_suspended(person):
        raise Conflict(_l("This person is not suspended."), code="not_suspended")
    before = {"suspended_until": person.suspended_until.isoformat()}
    person.suspended_until, person.suspension_reason = None, ""
    audit.record_audit(actor, "person.unsuspend", target_type="user", target_id=person.id,
                       before=before, after={"suspended_until": None}, reason=reason)
    db.session.commit()
    return person
