import enum

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, enum_column


class ComparisonChoice(enum.Enum):
    """A participant's answer to a pair: the left idea, the right idea, or "can't decide"."""

    LEFT = "left"
    RIGHT = "right"
    SKIP = "skip"


class Comparison(db.Model):
    """A pair of ideas served to one participant, and their answer once given.

    The row is written when the pair is served, so an answer can only ever be for a pair
    the server chose; ``answered_at`` is set exactly once (compare-and-set). The unordered
    pair (``low_idea_id`` < ``high_idea_id``) is unique per person: nobody is asked, or can
    answer, the same pair twice.
    """

    __tablename__ = "comparisons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    left_idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    right_idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    low_idea_id: Mapped[int] = mapped_column(Integer)
    high_idea_id: Mapped[int] = mapped_column(Integer)
    served_at = mapped_column(UTCDateTime, nullable=False)
    answered_at = mapped_column(UTCDateTime)
    choice: Mapped[ComparisonChoice | None] = mapped_column(enum_column(ComparisonChoice))
    skip_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")

    left = relationship("Idea", foreign_keys=[left_idea_id])
    right = relationship("Idea", foreign_keys=[right_idea_id])
    campaign = relationship("Campaign")

    __table_args__ = (
        UniqueConstraint("user_id", "low_idea_id", "high_idea_id"),
        Index("ix_comparisons_user_campaign", "user_id", "campaign_id", "id"),
        Index("ix_comparisons_campaign_choice", "campaign_id", "choice"),
        Index("ix_comparisons_user_answered", "user_id", "answered_at"),
    )
