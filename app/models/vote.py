from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, SmallInteger, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow_column_default


class Vote(db.Model):
    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)

    # The database, not only the code, enforces one vote per person per idea.
    __table_args__ = (
        UniqueConstraint("user_id", "idea_id"),
        CheckConstraint("value IN (-1, 1)", name="value_is_up_or_down"),
        # Serves "votes in the last hour" of a few ideas as a short range read.
        Index("ix_votes_idea_created", "idea_id", "created_at"),
    )


class VoteCountsDue(db.Model):
    """Ideas whose vote counts changed and have not yet entered their campaign's stream.

    Written in the vote's own transaction, removed in the transaction that records the
    ``idea.counts`` entry: whichever process sends them, and whatever happened to the one
    that took the vote, the stream always comes to the stored counts."""
    __tablename__ = "vote_counts_due"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
