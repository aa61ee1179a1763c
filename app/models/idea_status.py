import enum

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, enum_column, utcnow_column_default


class IdeaStatus(enum.Enum):
    """Where an idea stands: the pipeline in order, then the two side exits."""

    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    DUPLICATE = "duplicate"


class IdeaStatusChange(db.Model):
    """One step of an idea's public status history."""

    __tablename__ = "idea_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    from_status: Mapped[IdeaStatus | None] = mapped_column(enum_column(IdeaStatus, "from_status"))
    to_status: Mapped[IdeaStatus] = mapped_column(enum_column(IdeaStatus, "to_status"))
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)

    actor = relationship("User")

    __table_args__ = (Index("ix_idea_status_changes_idea", "idea_id", "id"),)
