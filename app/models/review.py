from sqlalchemy import (CheckConstraint, Float, ForeignKey, Index, Integer, SmallInteger, String,
                        Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.idea_status import IdeaStatus
from app.models.types import UTCDateTime, enum_column


class ReviewCriterion(db.Model):
    """One line of a campaign's review scorecard (impact, feasibility, cost...), scored 1–5."""

    __tablename__ = "review_criteria"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    # The name in the campaign's other language (domain.languages.criterion_name); may be empty.
    name_translation: Mapped[str] = mapped_column(String(80), default="", server_default="")
    weight: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_review_criteria_campaign", "campaign_id", "position"),
                      CheckConstraint("weight > 0", name="weight_positive"))


class ReviewAssignment(db.Model):
    """A moderator asked this person to review this idea."""

    __tablename__ = "review_assignments"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at = mapped_column(UTCDateTime, nullable=False)

    reviewer = relationship("User", foreign_keys=[reviewer_id])

    __table_args__ = (Index("ix_review_assignments_reviewer", "reviewer_id", "idea_id"),)


class Review(db.Model):
    """A reviewer's private scorecard for an idea: one score per criterion, and a note."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    submitted_at = mapped_column(UTCDateTime, nullable=False)

    scores = relationship("ReviewScore", cascade="all, delete-orphan", lazy="selectin")
    reviewer = relationship("User")

    __table_args__ = (UniqueConstraint("idea_id", "reviewer_id"),)


class ReviewScore(db.Model):
    __tablename__ = "review_scores"

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("review_criteria.id", ondelete="CASCADE"),
                                              primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger)

    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_one_to_five"),)


class Decision(db.Model):
    """The final decision on an idea, which participants read on it: what was decided, who
    owns the next steps, and why."""

    __tablename__ = "decisions"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    # SELECTED or DECLINED: the idea's status moves there with the decision.
    outcome: Mapped[IdeaStatus] = mapped_column(enum_column(IdeaStatus, "outcome"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at = mapped_column(UTCDateTime, nullable=False)

    owner = relationship("User", foreign_keys=[owner_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
