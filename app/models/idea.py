from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.content_state import ContentState
from app.models.idea_status import IdeaStatus
from app.models.types import UTCDateTime, enum_column, utcnow_column_default

idea_tags = Table(
    "idea_tags",
    db.metadata,
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class Idea(db.Model):
    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # "en" or "zh": what its author marked, else detected from its words (domain.languages).
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)
    edited_at = mapped_column(UTCDateTime)
    # Kept up to date by the domain layer in the same transaction as the rows they count.
    up_count: Mapped[int] = mapped_column(Integer, default=0)
    down_count: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    # log of the time-weighted activity sum; see domain.ideas.trending_increment.
    trending: Mapped[float] = mapped_column(Float, default=0.0)
    # The "best" sort's score (domain.ranking.best_score of the idea's own counts), kept with
    # the counts so the sort is an index read.
    best_score: Mapped[float] = mapped_column(Float, default=0.5, server_default="0.5")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The pairwise ranking's last fit (domain.comparisons.refresh_ranking): the Bradley-Terry
    # strength and its standard error, the chance to beat a random other idea with a likely
    # range, and how often the idea was shown in an answered or skipped pair.
    pairwise_strength: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    pairwise_uncertainty: Mapped[float] = mapped_column(Float, default=2.0, server_default="2")
    pairwise_chance: Mapped[float] = mapped_column(Float, default=0.5, server_default="0.5")
    pairwise_chance_low: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    pairwise_chance_high: Mapped[float] = mapped_column(Float, default=1.0, server_default="1")
    pairwise_appearances: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Moderation: see domain.moderation.
    content_state: Mapped[ContentState] = mapped_column(
        enum_column(ContentState), default=ContentState.PUBLISHED,
        server_default=ContentState.PUBLISHED.value)
    hidden_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    comments_locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    moderator_edited_at = mapped_column(UTCDateTime)
    status: Mapped[IdeaStatus] = mapped_column(enum_column(IdeaStatus), default=IdeaStatus.SUBMITTED,
                                               server_default=IdeaStatus.SUBMITTED.value)

    campaign = relationship("Campaign")
    author = relationship("User", lazy="joined")
    merged_into = relationship("Idea", remote_side=[id])
    tags = relationship("Tag", secondary=idea_tags, lazy="selectin", order_by="Tag.name")

    __table_args__ = (
        Index("ix_ideas_campaign_score", "campaign_id", "score", "id"),
        Index("ix_ideas_campaign_best", "campaign_id", "best_score", "id"),
        Index("ix_ideas_campaign_created", "campaign_id", "created_at", "id"),
        Index("ix_ideas_campaign_comments", "campaign_id", "comment_count", "id"),
        Index("ix_ideas_campaign_trending", "campaign_id", "trending", "id"),
        Index("ix_ideas_campaign_status", "campaign_id", "status", "id"),
        Index("ix_ideas_campaign_pairwise", "campaign_id", "pairwise_chance", "id"),
        # Serving a pair reads a few ideas near a strength or least shown (domain.comparisons).
        Index("ix_ideas_campaign_strength", "campaign_id", "pairwise_strength", "id"),
        Index("ix_ideas_campaign_appearances", "campaign_id", "pairwise_appearances", "id"),
        Index("ix_ideas_campaign_state", "campaign_id", "content_state", "id"),
    )


class IdeaVersion(db.Model):
    """An earlier (or the current) text of an idea, kept on every edit."""

    __tablename__ = "idea_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(String(400), default="")
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)

    editor = relationship("User")

    __table_args__ = (UniqueConstraint("idea_id", "number"),)


class IdeaFollow(db.Model):
    __tablename__ = "idea_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)


class IdeaSearchTerm(db.Model):
    """One searchable term of an idea: a lowercased word, or a CJK character or bigram."""

    __tablename__ = "idea_search_terms"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (Index("ix_idea_search_terms_term", "term", "idea_id"),)
