"""The audit log: every moderator and admin action, appended, never changed."""
import csv
import io

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import permissions
from app.domain.clock import utcnow
from app.domain.errors import PermissionDenied
from app.domain.text import clean_line
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import AuditEntry

PER_PAGE = 50
EXPORT_LIMIT = 100_000


def record_audit(actor, action, *, target_type, target_id=None, campaign_id=None, before=None,
                 after=None, reason=""):
    """Add an entry to the log inside the caller's transaction (it commits with the action)."""
    db.session.add(AuditEntry(
        actor_id=getattr(actor, "id", None), action=action, target_type=target_type,
        target_id=target_id, campaign_id=campaign_id, before=before, after=after,
        reason=reason or "", created_at=utcnow()))


def _filtered(actor, *, action=None, actor_id=None, campaign_id=None):
    if not permissions.can_view_audit_log(actor):
        raise PermissionDenied()
    errors = FieldErrors()
    stmt = select(AuditEntry)
    action = clean_line(action)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    for field, value, column in (("actor_id", actor_id, AuditEntry.actor_id),
                                 ("campaign_id", campaign_id, AuditEntry.campaign_id)):
        if value in (None, ""):
            continue
        number = parse_id(value)
        if number is None:
            errors.add(field, _l("Enter a whole number."))
        else:
            stmt = stmt.where(column == number)
    errors.raise_if_any()
    return stmt.order_by(AuditEntry.id.desc())


def list_audit_entries(actor, *, action=None, actor_id=None, campaign_id=None, page=1):
    """One page of the log, newest first, for admins."""
    stmt = _filtered(actor, action=action, actor_id=actor_id, campaign_id=campaign_id)
    return db.paginate(stmt, page=min(parse_id(page) or 1, 100_000), per_page=PER_PAGE, error_out=False)


def export_audit_csv(actor, **filters):
    """The filtered log as CSV text, oldest entries last, for admins."""
    stmt = _filtered(actor, **filters).limit(EXPORT_LIMIT)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "created_at", "actor_id", "action", "target_type", "target_id",
                     "campaign_id", "before", "after", "reason"])
    import json

    for entry in db.session.scalars(stmt):
        writer.writerow([entry.id, entry.created_at.isoformat(), entry.actor_id, entry.action,
                         entry.target_type, entry.target_id, entry.campaign_id,
                         json.dumps(entry.before, ensure_ascii=False) if entry.before is not None else "",
                         json.dumps(entry.after, ensure_ascii=False) if entry.after is not None else "",
                         _csv_safe(entry.reason)])
    return out.getvalue()


def _csv_safe(text):
    """Spreadsheets run cells starting with = + - @ as formulas; quote them as text."""
    return "'" + text if text and text[0] in "=+-@\t\r" else text
