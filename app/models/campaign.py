import enum

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, enum_column, utcnow_column_default
from app.models.user import ParticipantKind


class Phase(enum.Enum):
    """A campaign's phase is never stored: it follows from the clock (see domain.campaigns)."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class VotingMode(enum.Enum):
    """How participants vote in a campaign: up/down on each idea, on pairs, or both."""

    UP_DOWN = "up_down"
    PAIRWISE = "pairwise"
    BOTH = "both"


class Campaign(db.Model):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    question: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    starts_at = mapped_column(UTCDateTime, nullable=False, index=True)
    ends_at = mapped_column(UTCDateTime, nullable=False, index=True)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)
    idea_count: Mapped[int] = mapped_column(Integer, default=0)
    # The number of the latest entry in this campaign's live stream (CampaignEvent.seq).
    event_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    code_of_conduct: Mapped[str] = mapped_column(Text, default="", server_default="")
    code_of_conduct_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Pace limits (domain.limits); accounts younger than a week get half.
    limit_ideas_per_hour: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    limit_comments_per_minute: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    limit_flags_per_day: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    # Whether participants see the campaign's dashboard of ideas (leaderboard, rising ideas,
    # totals); moderators, executives and admins always see all of it.
    public_leaderboard: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # The language of the texts above ("en" or "zh"); the *_translation fields hold the same
    # texts in the other one, empty when not given (domain.languages.campaign_text).
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    title_translation: Mapped[str] = mapped_column(String(160), default="", server_default="")
    question_translation: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description_translation: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_translation_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    code_of_conduct_translation: Mapped[str] = mapped_column(Text, default="", server_default="")
    code_of_conduct_translation_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    voting_mode: Mapped[VotingMode] = mapped_column(enum_column(VotingMode), default=VotingMode.BOTH,
                                                    server_default=VotingMode.BOTH.value)

    audience = relationship(
        "CampaignAudience", cascade="all, delete-orphan", lazy="selectin",
        order_by="CampaignAudience.kind",
    )
    created_by = relationship("User")
    premoderation = relationship(
        "CampaignPremoderation", cascade="all, delete-orphan", lazy="selectin",
        order_by="CampaignPremoderation.kind",
    )

    @property
    def audience_kinds(self) -> set[ParticipantKind]:
        return {row.kind for row in self.audience}

    @property
    def premoderated_kinds(self) -> set[ParticipantKind]:
        return {row.kind for row in self.premoderation}


class CampaignAudience(db.Model):
    """Which participant kinds may take part in a campaign."""

    __tablename__ = "campaign_audiences"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[ParticipantKind] = mapped_column(enum_column(ParticipantKind), primary_key=True)


class CampaignPremoderation(db.Model):
    """Participant kinds whose posts in a campaign wait for a moderator's approval."""

    __tablename__ = "campaign_premoderation"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[ParticipantKind] = mapped_column(enum_column(ParticipantKind), primary_key=True)


class ConductAcceptance(db.Model):
    """A person accepted a campaign's code of conduct (before their first post in it)."""

    __tablename__ = "conduct_acceptances"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    accepted_at = mapped_column(UTCDateTime, nullable=False)
