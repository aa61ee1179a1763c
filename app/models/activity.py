"""Aggregates the dashboards read, kept up to date by ``app.domain.activity`` in the same
transaction as the rows they count, so no dashboard scans a whole table.

Every table has a ``scope``: a campaign's id, or ``SITE_SCOPE`` (0) for every campaign at
once; the site scope is its own set of rows because people and hours do not add up across
campaigns (one person active in two campaigns in the same hour is one active person).
Hours are whole hours since the Unix epoch, in UTC.
"""
from sqlalchemy import BigInteger, Index, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.idea_status import IdeaStatus
from app.models.types import enum_column

SITE_SCOPE = 0


class ActivityHour(db.Model):
    """What happened in one hour: published ideas and comments posted in it, votes cast in it
    (up/down votes and answered pairs), people active in it and people active for the first
    time in it ("new voices")."""

    __tablename__ = "activity_hours"

    scope: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    ideas: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    comments: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    votes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active_people: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    new_people: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (PrimaryKeyConstraint("scope", "hour"),)


class ActivityPerson(db.Model):
    """The participation ledger: this person did something (posted, commented, voted or
    answered a pair) in this hour. Kept even when the act is later undone — they were there."""

    __tablename__ = "activity_people"

    scope: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)

    __table_args__ = (PrimaryKeyConstraint("scope", "hour", "user_id"),)


class Contributor(db.Model):
    """One person's contribution to a scope: published ideas and comments, votes cast, up
    votes received on published ideas, and the hour they first took part."""

    __tablename__ = "contributors"

    scope: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)
    first_hour: Mapped[int] = mapped_column(Integer)
    ideas: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    comments: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    votes_cast: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    votes_received: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # What orders "top contributors" (domain.activity.POINTS), kept with the counts so the
    # top ten are an index read.
    points: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (PrimaryKeyConstraint("scope", "user_id"),
                      Index("ix_contributors_scope_points", "scope", "points", "user_id"))


class SegmentTally(db.Model):
    """Contribution by participant kind, department or country (``dimension``): people who
    took part, and their published ideas and comments and votes cast."""

    __tablename__ = "segment_tallies"

    scope: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str] = mapped_column(String(12))
    value: Mapped[str] = mapped_column(String(80))
    people: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ideas: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    comments: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    votes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (PrimaryKeyConstraint("scope", "dimension", "value"),)


class TagTally(db.Model):
    """Published ideas carrying a tag."""

    __tablename__ = "tag_tallies"

    scope: Mapped[int] = mapped_column(Integer)
    tag_id: Mapped[int] = mapped_column(Integer)
    ideas: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (PrimaryKeyConstraint("scope", "tag_id"),
                      Index("ix_tag_tallies_scope_ideas", "scope", "ideas", "tag_id"))


class StatusTally(db.Model):
    """The status funnel: published ideas now in a status, and the time spent in it.

    ``entered_sum`` adds up when the ideas now in the status entered it (seconds since the
    epoch), so their average stay so far is ``now - entered_sum / ideas`` without reading them;
    ``exits`` and ``exit_seconds`` count the finished stays.
    """

    __tablename__ = "status_tallies"

    scope: Mapped[int] = mapped_column(Integer)
    status: Mapped[IdeaStatus] = mapped_column(enum_column(IdeaStatus, "status_tally_status"))
    ideas: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    entered_sum: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    exits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    exit_seconds: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    __table_args__ = (PrimaryKeyConstraint("scope", "status"),)
