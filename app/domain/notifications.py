"""Personal notifications: a comment on my idea, a reply to my comment, a status change of an
idea I follow, a moderator's word about my post or my standing.

Who may read a notification is decided when it is shown or sent, never when it was made or
subscribed (``may_read``): a notification about an idea speaks of it only while its
recipient may see that idea (``permissions.can_view_idea``). A person who leaves a private
campaign's audience, or whose idea-to-follow was hidden, stops hearing of it at once: no new
notification is made for them, their bell, notifications page and unread count leave out the
old ones, and a live message is checked again just before it is sent (``app.realtime``).
Follows are kept, not deleted: they take effect again if the person regains access (an
admin's change of kind undone), and nothing about the idea reaches them in the meantime.
"""
from sqlalchemy import func, or_, select, update

from app.domain import events, ideas, permissions
from app.domain.clock import utcnow
from app.domain.errors import AuthenticationRequired
from app.extensions import db
from app.models import Campaign, Idea, Notification, NotificationKind, User

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
    """Add one notification inside the caller's transaction, unless its idea is one the person
    may no longer see (then nothing is made, and None is returned). It reaches the person's
    open pages after commit. ``note`` is a moderator's words to the person (kept);
    ``details`` travel with the live message only."""
    recipient = db.session.get(User, user_id)
    if recipient is None or (idea is not None and not permissions.can_view_idea(recipient, idea)):
        return None
    now = utcnow()
    notification = Notification(user_id=user_id, kind=kind, actor_id=actor.id,
                                idea_id=idea.id if idea else None, comment_id=comment_id,
                                note=note or "", created_at=now)
    db.session.add(notification)
    db.session.flush()
    # Only the id and what the row does not keep: the message is read afresh, checked and
    # worded for its reader when it is sent (app.realtime), as the bell would show it.
    events.record_personal_event(user_id, "notification", {"id": notification.id, **details})
    return notification


def may_read(user, notification) -> bool:
    """Whether the person may read this notification now: it speaks of no idea, or of one
    they may see (the rule that readable_clause mirrors in SQL)."""
    return (permissions.is_authenticated(user) and notification.user_id == user.id
            and (notification.idea is None or permissions.can_view_idea(user, notification.idea)))


def readable_clause(user):
    """SQL condition on Notification, outer-joined to Idea and Campaign: mirrors may_read."""
    return (Notification.user_id == user.id) & or_(Notification.idea_id.is_(None),
                                                   ideas.visible_ideas_clause(user))


def _readable(user):
    return (select(Notification).outerjoin(Idea, Idea.id == Notification.idea_id)
            .outerjoin(Campaign, Campaign.id == Idea.campaign_id).where(readable_clause(user)))


def _require_login(user):
    if not permissions.is_authenticated(user):
        raise AuthenticationRequired()


def list_notifications(user, limit=LIST_LIMIT):
    """A person's latest notifications that they may read now, newest first."""
    _require_login(user)
    return db.session.scalars(_readable(user).order_by(Notification.id.desc()).limit(limit)).all()


def count_unread(user) -> int:
    """Unread notifications the person may read now (what the badge shows)."""
    if not permissions.is_authenticated(user):
        return 0
    return db.session.scalar(select(func.count()).select_from(
        _readable(user).where(Notification.read_at.is_(None)).subquery()))


def get_readable_notification(user, notification_id):
    """One notification, if the person may read it now; else None (sent live: checked again
    just before sending)."""
    notification = db.session.get(Notification, notification_id)
    return notification if notification is not None and may_read(user, notification) else None


def mark_notifications_read(user):
    """Mark every notification of the person as read; their other tabs hear the new count."""
    _require_login(user)
    db.session.execute(update(Notification)
                       .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    events.record_personal_event(user.id, "notifications.read", {})
    db.session.commit()
