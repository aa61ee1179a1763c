import enum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, enum_column


class FlagReason(enum.Enum):
    OFF_TOPIC = "off_topic"
    ABUSIVE = "abusive"
    DUPLICATE = "duplicate"
    CONFIDENTIAL = "confidential"
    OTHER = "other"


class FlagOutcome(enum.Enum):
    """How a moderator settled a flag: the content was hidden, or the flag dismissed."""

    HIDDEN = "hidden"
    DISMISSED = "dismissed"


class Flag(db.Model):
    """A participant's report that an idea or a comment needs a moderator's eye.

    ``idea_id`` is always set (for a comment, its idea), so a campaign's queue is one query;
    ``target_key`` ("idea:7" or "comment:12") names what was flagged, and one person flags
    each item at most once.
    """

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    target_key: Mapped[str] = mapped_column(String(40))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[FlagReason] = mapped_column(enum_column(FlagReason))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at = mapped_column(UTCDateTime, nullable=False)
    resolved_at = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[FlagOutcome | None] = mapped_column(enum_column(FlagOutcome))

    reporter = relationship("User", foreign_keys=[reporter_id])

    __table_args__ = (
        UniqueConstraint("reporter_id", "target_key"),
        Index("ix_flags_open", "campaign_id", "resolved_at", "target_key"),
        Index("ix_flags_target", "target_key", "resolved_at"),
        Index("ix_flags_reporter_created", "reporter_id", "created_at"),
    )
