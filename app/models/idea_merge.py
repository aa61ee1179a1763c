from sqlalchemy import JSON, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.idea_status import IdeaStatus
from app.models.types import UTCDateTime, enum_column


class IdeaMerge(db.Model):
    """Idea ``source`` merged into ``target``: what moved, so the merge can be undone exactly.

    ``moved_vote_ids`` are the source's votes that moved to the target (voters who had not
    voted on the target, and were not its author); the others stayed on the source, so
    nobody counts twice. ``source_status`` is the status the source had before.
    """

    __tablename__ = "idea_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    source_status: Mapped[IdeaStatus] = mapped_column(enum_column(IdeaStatus, "source_status"))
    moved_vote_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at = mapped_column(UTCDateTime, nullable=False)
    undone_at = mapped_column(UTCDateTime)

    source = relationship("Idea", foreign_keys=[source_id])
    target = relationship("Idea", foreign_keys=[target_id])

    __table_args__ = (Index("ix_idea_merges_target", "target_id", "undone_at"),
                      Index("ix_idea_merges_source", "source_id", "undone_at"))
