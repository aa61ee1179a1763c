"""Personal notifications: a comment on my idea, a reply to my comment."""
from sqlalchemy import func, select, update

from app.domain import events, permissions
from app.domain.clock import utcnow
from app.domain.errors import AuthenticationRequired
from app.extensions import db
from app.models import Notification, NotificationKind

LIST_LIMIT = 30


def notify_comment(comment, idea, parent):
    """Queue notifications for a new comment, inside the comment's transaction."""
    recipients = {}
    if idea.author_id != comment.author_id:
        recipients[idea.author_id] = NotificationKind.COMMENT_ON_MY_IDEA
    if parent is not None and parent.author_id != comment.author_id:
        # A reply outranks "comment on my idea" when both apply.
        recipients[parent.author_id] = NotificationKind.REPLY_TO_MY_COMMENT
    for user_id, kind in recipients.items():
        notify(user_id, kind, actor=comment.author, idea=idea, comment_id=comment.id)


def notify(user_id, kind, *, actor, idea=None, comment_id=None, note="", **details):
    """Add one notification inside the caller's transaction; it reaches the person's open
    pages after commit. ``note`` is a moderator's words to the person (kept); ``details``
    travel with the live message only."""
    now = utcnow()
    notification = Notification(user_id=user_id, kind=kind, actor_id=actor.id,
                                idea_id=idea.id if idea else None, comment_id=comment_id,
                                note=note or "", created_at=now)
    db.session.add(notification)
    db.session.flush()
    events.record_personal_event(user_id, "notification", {
        "id": notification.id, "kind": kind.value, "idea_id": idea.id if idea else None,
        "idea_title": idea.title if idea else "", "comment_id": comment_id,
        "actor": actor.display_name, "note": note or "", "created_at": now.isoformat(), **details,
    })


def _require_login(user):
    if not permissions.is_authenticated(user):
        raise AuthenticationRequired()


def list_notifications(user, limit=LIST_LIMIT):
    """A person's latest notifications, newest first."""
    _require_login(user)
    rows = db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id.desc()).limit(limit)).all()
    # An idea hidden since (or awaiting approval) is not named to people who may not see it.
    return [n for n in rows if n.idea is None or permissions.can_see_post(user, n.idea)]


def count_unread(user) -> int:
    if not permissions.is_authenticated(user):
        return 0
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == user.id, Notification.read_at.is_(None)))


def mark_notifications_read(user):
    """Mark every notification of the person as read."""
    _require_login(user)
    db.session.execute(update(Notification)
                       .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    events.record_personal_event(user.id, "notifications.read", {})
    db.session.commit()
