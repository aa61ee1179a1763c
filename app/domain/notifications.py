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


def notify(user_id, kind, *, actor, idea, comment_id=None, **details):
    """Add one notification inside the caller's transaction; it reaches the person's open
    pages after commit. ``details`` travel with the live message only."""
    now = utcnow()
    notification = Notification(user_id=user_id, kind=kind, actor_id=actor.id, idea_id=idea.id,
                                comment_id=comment_id, created_at=now)
    db.session.add(notification)
    db.session.flush()
    events.record_personal_event(user_id, "notification", {
        "id": notification.id, "kind": kind.value, "idea_id": idea.id, "idea_title": idea.title,
        "comment_id": comment_id, "actor": actor.display_name, "created_at": now.isoformat(),
        **details,
    })


def _require_login(user):
    if not permissions.is_authenticated(user):
        raise AuthenticationRequired()


def list_notifications(user, limit=LIST_LIMIT):
    """A person's latest notifications, newest first."""
    _require_login(user)
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id.desc()).limit(limit)).all()


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
