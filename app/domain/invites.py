"""Invite links: each sets the participant kind of the people who register through it."""
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.domain import permissions
from app.domain.audit import record_audit
from app.domain.clock import utcnow
from app.domain.errors import NotFound, PermissionDenied
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import Invite

MAX_USES_LIMIT = 10_000
MAX_DAYS = 365


def create_invite(actor, *, kind, max_uses, expires_in_days):
    """Create an invite link for a participant kind, with an expiry and a use limit."""
    from app.domain.accounts import parse_kind

    if not permissions.can_manage_invites(actor):
        raise PermissionDenied()
    errors = FieldErrors()
    kind = parse_kind(kind, errors)
    max_uses = _int_in_range(errors, "max_uses", max_uses, 1, MAX_USES_LIMIT)
    days = _int_in_range(errors, "expires_in_days", expires_in_days, 1, MAX_DAYS)
    errors.raise_if_any()
    invite = Invite(code=secrets.token_urlsafe(24), kind=kind, max_uses=max_uses,
                    expires_at=utcnow() + timedelta(days=days), created_by_id=actor.id)
    db.session.add(invite)
    db.session.flush()
    record_audit(actor, "invite.create", target_type="invite", target_id=invite.id,
                 after={"kind": kind.value, "max_uses": max_uses, "expires_in_days": days})
    db.session.commit()
    return invite


def _int_in_range(errors, field, value, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, _l("Enter a whole number."))
        return None
    if not low <= number <= high:
        errors.add(field, _l("Enter a number from %(low)d to %(high)d.", low=low, high=high))
    return number


def is_usable(invite, now=None) -> bool:
    now = now or utcnow()
    return invite.revoked_at is None and invite.uses < invite.max_uses and invite.expires_at > now


def find_usable_invite(code):
    invite = db.session.scalar(select(Invite).where(Invite.code == str(code)))
    return invite if invite is not None and is_usable(invite) else None


def redeem_invite(invite) -> bool:
    """Count one use, atomically, so concurrent registrations cannot exceed the limit."""
    result = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.uses < Invite.max_uses,
               Invite.revoked_at.is_(None), Invite.expires_at > utcnow())
        .values(uses=Invite.uses + 1)
    )
    return result.rowcount == 1


def list_invites(actor):
    if not permissions.can_manage_invites(actor):
        raise PermissionDenied()
    return db.session.scalars(select(Invite).order_by(Invite.id.desc())).all()


def revoke_invite(actor, invite_id):
    if not permissions.can_manage_invites(actor):
        raise PermissionDenied()
    invite_id = parse_id(invite_id)
    invite = db.session.get(Invite, invite_id) if invite_id is not None else None
    if invite is None:
        raise NotFound()
    if invite.revoked_at is None:
        invite.revoked_at = utcnow()
        record_audit(actor, "invite.revoke", target_type="invite", target_id=invite.id,
                     before={"revoked": False}, after={"revoked": True})
        db.session.commit()
    return invite
