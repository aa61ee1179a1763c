import enum

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, enum_column, utcnow_column_default


class NotificationKind(enum.Enum):
    COMMENT_ON_MY_IDEA = "comment_on_my_idea"
    REPLY_TO_MY_COMMENT = "reply_to_my_comment"
    STATUS_CHANGED = "status_changed"
    CONTENT_HIDDEN = "content_hidden"
    CONTENT_APPROVED = "content_approved"
    IDEA_MERGED = "idea_merged"
    WARNING = "warning"
    SUSPENDED = "suspended"


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)
    read_at = mapped_column(UTCDateTime)
    # What a moderator wrote to the person (why a post was hidden, a warning).
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    actor = relationship("User", foreign_keys=[actor_id])
    idea = relationship("Idea")

    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at", "id"),)
