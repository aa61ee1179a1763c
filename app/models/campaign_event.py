import enum

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, enum_column, utcnow_column_default


class EventVisibility(enum.Enum):
    """Who may receive an event: everyone who may view the campaign, or its moderators only."""

    PUBLIC = "public"
    MODERATORS = "moderators"


class CampaignEvent(db.Model):
    """One entry of a campaign's live stream, numbered without gaps per campaign.

    Written in the same transaction as the change it reports, so the stream never holds
    what rolled back, and a client that missed entries can fetch them by number.
    """

    __tablename__ = "campaign_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    idea_id: Mapped[int | None] = mapped_column(Integer)
    # Set on comment entries, so hiding a comment can withdraw what its entries carried.
    comment_id: Mapped[int | None] = mapped_column(Integer)
    visibility: Mapped[EventVisibility] = mapped_column(
        enum_column(EventVisibility), default=EventVisibility.PUBLIC
    )
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    # Set for events that must exist once however many processes notice them
    # (a campaign opening at its start time).
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow_column_default, nullable=False)

    __table_args__ = (UniqueConstraint("campaign_id", "seq"),
                      Index("ix_campaign_events_idea", "idea_id"))
