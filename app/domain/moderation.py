"""Moderation: moving ideas through the status pipeline, with a public history."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import audit, events, ideas, notifications, permissions
from app.domain.clock import utcnow
from app.domain.errors import PermissionDenied
from app.domain.text import clean_block
from app.domain.validation import FieldErrors
from app.extensions import db
from app.models import IdeaFollow, IdeaStatus, IdeaStatusChange, NotificationKind

NOTE_MAX = 2_000
# Statuses whose change must say why, for the author and everyone following the idea.
NOTE_REQUIRED = {IdeaStatus.DECLINED}


def parse_status(value, errors):
    try:
        return value if isinstance(value, IdeaStatus) else IdeaStatus(value)
    except ValueError:
        errors.add("status", _l("Choose one of the offered statuses."))
        return None


def change_idea_status(actor, idea_id, *, status, note=""):
    """Move an idea to another status (moderators and admins), with a note that the author
    and followers are told of; declining needs a note. The change joins the idea's public
    history, the campaign's live stream and the audit log."""
    idea = ideas.get_idea(actor, idea_id)
    if not permissions.can_change_idea_status(actor, idea):
        raise PermissionDenied()
    errors = FieldErrors()
    new = parse_status(status, errors)
    note = errors.text("note", clean_block(note), max_length=NOTE_MAX, required=new in NOTE_REQUIRED)
    if new is not None and new == idea.status:
        errors.add("status", _l("The idea already has this status."))
    errors.raise_if_any()
    old, now = idea.status, utcnow()
    idea.status = new
    db.session.add(IdeaStatusChange(idea_id=idea.id, from_status=old, to_status=new, note=note,
                                    actor_id=actor.id, created_at=now))
    _notify_followers(actor, idea, new)
    events.record_campaign_event(idea.campaign_id, "idea.status",
                                 {"status": new.value, "note": note}, idea_id=idea.id)
    audit.record_audit(actor, "idea.status", target_type="idea", target_id=idea.id,
                       campaign_id=idea.campaign_id, before={"status": old.value},
                       after={"status": new.value}, reason=note)
    db.session.commit()
    return idea


def _notify_followers(actor, idea, status):
    followers = set(db.session.scalars(select(IdeaFollow.user_id).where(IdeaFollow.idea_id == idea.id)))
    for user_id in sorted((followers | {idea.author_id}) - {actor.id}):
        notifications.notify(user_id, NotificationKind.STATUS_CHANGED, actor=actor, idea=idea,
                             status=status.value)


def list_status_history(viewer, idea_id):
    """An idea's public status history, oldest first."""
    idea = ideas.get_idea(viewer, idea_id)
    return db.session.scalars(select(IdeaStatusChange).where(IdeaStatusChange.idea_id == idea.id)
                              .order_by(IdeaStatusChange.id)).all()
