from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime


class Theme(db.Model):
    """A group of a campaign's ideas that say something alike, found by ``domain.themes``.

    ``label`` and ``terms`` are worked out again at every refresh (the group's most telling
    words); ``name`` is a moderator's and wins over the label. A refresh matches its new
    groups to these rows by the ideas they share, so a theme keeps its id, its name and
    what was merged into it. A theme merged into another keeps its row, pointing there.
    """

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200), default="", server_default="")
    terms: Mapped[list] = mapped_column(JSON, default=list)
    name: Mapped[str | None] = mapped_column(String(80))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    # As of the last refresh: published ideas in the theme, and the best of them (by the
    # "best" sort) for the summaries, which check each is still shown before showing it.
    size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    top_idea_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at = mapped_column(UTCDateTime, nullable=False)
    updated_at = mapped_column(UTCDateTime, nullable=False)

    merged_into = relationship("Theme", remote_side=[id])

    __table_args__ = (Index("ix_themes_campaign_size", "campaign_id", "size", "id"),)

    @property
    def display_name(self) -> str:
        return self.name or self.label


class ThemeIdea(db.Model):
    """Which theme an idea is in (one at most), and its nearest idea of the campaign with
    their similarity: the moderation queue's likely duplicates read these."""

    __tablename__ = "theme_ideas"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    twin_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    twin_score: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")

    __table_args__ = (Index("ix_theme_ideas_theme", "theme_id", "idea_id"),
                      Index("ix_theme_ideas_campaign_twin", "campaign_id", "twin_score"))


class ThemeRefresh(db.Model):
    """The last refresh of a campaign's themes. ``version`` grows with every refresh and
    every moderator's edit: a refresh that finds it moved while it computed drops its
    result (another process refreshed, or a moderator renamed or merged meanwhile)."""

    __tablename__ = "theme_refreshes"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"),
                                             primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    refreshed_at = mapped_column(UTCDateTime)
    ideas: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_idea_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")


class IdeaVector(db.Model):
    """What an idea means, as ``domain.embedding`` encodes it: computed once after the idea
    is posted or edited (away from the request), read by the similar-idea look-ups and the
    theme refreshes. ``digest`` is a hash of the text encoded: a vector whose digest no
    longer matches the idea's text is out of date and computed again."""

    __tablename__ = "idea_vectors"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(32))
    vector: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_idea_vectors_campaign", "campaign_id", "idea_id"),)
