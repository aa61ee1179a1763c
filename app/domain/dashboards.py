"""Dashboards: a campaign's, or every campaign's at once, for the people who run a jam.

Everything here reads the tallies ``app.domain.activity`` keeps, through their primary keys
and indexes, plus a bounded read of the top ideas per campaign, so a dashboard costs the
same with a thousand ideas as with fifty thousand. Participants may see a campaign's
dashboard of ideas (unless the campaign keeps it to its organisers); who took part — top
contributors, kinds, departments, countries, new voices, active people — is for moderators,
executives and admins only.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.domain import activity, campaigns, ideas, permissions
from app.domain.clock import utcnow
from app.domain.errors import NotFound, PermissionDenied
from app.domain.validation import FieldErrors
from app.extensions import db
from app.models import (SITE_SCOPE, ActivityHour, Campaign, Comment, ContentState, Contributor, Idea,
                        IdeaStatus, SegmentTally, StatusTally, Tag, TagTally, User, Vote)

LEADERBOARD_SIZE = 10
RISING_SIZE = 8
TOP_CONTRIBUTORS = 10
TOP_TAGS = 12
SEGMENT_ROWS = 8
HOURS_SHOWN = 72
DAYS_SHOWN = 60

PIPELINE = (IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.SHORTLISTED, IdeaStatus.SELECTED,
            IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED)
SIDE_EXITS = (IdeaStatus.DECLINED, IdeaStatus.DUPLICATE)
# Across campaigns, only sorts whose numbers mean the same in every campaign can be merged
# ("best" depends on an idea's own votes only; the pairwise chance is relative to a campaign).
SITE_SORTS = (ideas.IdeaSort.BEST, ideas.IdeaSort.TOP, ideas.IdeaSort.TRENDING, ideas.IdeaSort.DISCUSSED,
              ideas.IdeaSort.NEWEST)
_MERGE_KEY = {
    ideas.IdeaSort.BEST: lambda idea: (idea.best_score, idea.id),
    ideas.IdeaSort.TOP: lambda idea: (idea.score, idea.id),
    ideas.IdeaSort.TRENDING: lambda idea: (idea.trending, idea.id),
    ideas.IdeaSort.DISCUSSED: lambda idea: (idea.comment_count, idea.id),
    ideas.IdeaSort.NEWEST: lambda idea: (idea.created_at, idea.id),
}


@dataclass
class Totals:
    ideas: int = 0
    comments: int = 0
    votes: int = 0
    people: int = 0
    active_this_hour: int = 0
    new_voices_today: int = 0


@dataclass
class Period:
    """One hour or one day of activity; ``starts_at`` is its beginning (UTC)."""

    starts_at: datetime
    ideas: int = 0
    comments: int = 0
    votes: int = 0
    active_people: int = 0
    new_people: int = 0


@dataclass
class RisingIdea:
    idea: Idea
    votes_last_hour: int
    comments_last_hour: int


@dataclass
class FunnelStep:
    status: IdeaStatus
    now_in: int
    reached: int | None  # in the pipeline: ideas now in this status or a later one
    average_days: float | None


@dataclass
class SegmentRow:
    value: str
    people: int
    ideas: int
    comments: int
    votes: int
    is_rest: bool = False


@dataclass
class ContributorRow:
    user: User
    ideas: int
    comments: int
    votes_cast: int
    votes_received: int
    points: int


@dataclass
class CampaignRow:
    campaign: Campaign
    phase: str
    ideas: int
    comments: int
    votes: int
    people: int


@dataclass
class Dashboard:
    campaign: Campaign | None
    generated_at: datetime
    shows_people: bool
    sort: ideas.IdeaSort
    sorts: list
    totals: Totals
    leaderboard: list
    rising: list
    hours: list
    days: list
    funnel: list
    tags: list
    contributors: list = field(default_factory=list)
    segments: dict = field(default_factory=dict)
    campaigns: list = field(default_factory=list)
    my_votes: dict = field(default_factory=dict)

    @property
    def scope(self):
        return self.campaign.id if self.campaign else SITE_SCOPE


def reader_zone(name):
    """The zone days are cut in: an IANA name, UTC when missing or unknown."""
    try:
        return ZoneInfo(str(name)) if name and str(name) != "UTC" else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def get_dashboard(viewer, campaign_id=None, *, sort=None, strict=False, zone=None):
    """The dashboard of one campaign, or with ``campaign_id`` None of every campaign.

    Participants get the campaign's ideas (leaderboard, rising ideas, totals, tags and the
    status funnel) where the campaign shows them; organisers also get who took part. With
    ``strict`` (the API) an unknown sort is an error; pages fall back to the default. Days
    ("new voices today", the daily chart) run midnight to midnight in ``zone`` (an IANA
    name; UTC by default), the reader's own.
    """
    now = utcnow()
    zone = reader_zone(zone)
    if campaign_id is None:
        if not permissions.can_view_site_dashboard(viewer):
            raise PermissionDenied()
        campaign, visible = None, _site_campaigns(viewer)
        sorts = list(SITE_SORTS)
    else:
        campaign = campaigns.get_campaign(viewer, campaign_id)
        if not permissions.can_view_dashboard(viewer, campaign):
            raise NotFound()
        visible, sorts = [campaign], ideas.available_sorts(campaign)
    errors = FieldErrors() if strict else None
    sort = ideas.parse_sort(sort, campaign, errors) if campaign else _site_sort(sort, errors)
    if errors is not None:
        errors.raise_if_any()
    scope = campaign.id if campaign else SITE_SCOPE
    shows_people = permissions.can_view_people_breakdowns(viewer)
    leaderboard = _leaderboard(visible, sort)
    rising = _rising(visible, now)
    board = Dashboard(
        campaign=campaign, generated_at=now, shows_people=shows_people, sort=sort, sorts=sorts,
        totals=_totals(scope, now, shows_people, zone), leaderboard=leaderboard, rising=rising,
        hours=_hours(scope, _window_end(campaign, now)) if shows_people else [],
        days=_days(scope, campaign, now, shows_people, zone),
        funnel=_funnel(scope, now), tags=_tags(scope),
        my_votes=ideas.votes_of(viewer, [i.id for i in leaderboard] + [r.idea.id for r in rising]))
    if shows_people:
        board.contributors = _contributors(scope)
        board.segments = {dimension: _segments(scope, dimension) for dimension in activity.DIMENSIONS}
    if campaign is None:
        board.campaigns = _campaign_rows(visible, now)
    return board


def wall_sort(campaign):
    """A wall screen shows the same top list as every other page: the campaign's
    ``ideas.top_sort`` ("best" across campaigns)."""
    return ideas.top_sort(campaign) if campaign is not None else SITE_SORTS[0]


def _site_campaigns(viewer):
    return db.session.scalars(select(Campaign).where(campaigns.visible_campaigns_clause(viewer))
                              .order_by(Campaign.starts_at.desc())).all()


def _site_sort(value, errors):
    for sort in SITE_SORTS:
        if value == sort.value or value is sort:
            return sort
    if errors is not None and value not in (None, ""):
        errors.add("sort", _l("Sort by one of: %(sorts)s.", sorts=", ".join(s.value for s in SITE_SORTS)))
    return SITE_SORTS[0]


def _window_end(campaign, now):
    """The hour the activity chart ends: now, or when a closed campaign closed."""
    return min(now, campaign.ends_at) if campaign is not None else now


def _leaderboard(visible, sort):
    if len(visible) == 1:
        return ideas.top_ideas(visible[0].id, sort, LEADERBOARD_SIZE)
    merged = [idea for campaign in visible for idea in ideas.top_ideas(campaign.id, sort, LEADERBOARD_SIZE)]
    return sorted(merged, key=_MERGE_KEY[sort], reverse=True)[:LEADERBOARD_SIZE]


def _rising(visible, now):
    """The ideas with the most recent activity (the trending sort), with what the last hour
    brought each: a short index range per idea, never a scan of the votes."""
    candidates = [idea for campaign in visible
                  for idea in ideas.top_ideas(campaign.id, ideas.IdeaSort.TRENDING, RISING_SIZE)]
    candidates = sorted(candidates, key=_MERGE_KEY[ideas.IdeaSort.TRENDING], reverse=True)[:RISING_SIZE]
    ids = [idea.id for idea in candidates]
    since = now - timedelta(hours=1)
    vote_counts = dict(db.session.execute(
        select(Vote.idea_id, func.count()).where(Vote.idea_id.in_(ids), Vote.created_at >= since)
        .group_by(Vote.idea_id)).tuples().all()) if ids else {}
    comment_counts = dict(db.session.execute(
        select(Comment.idea_id, func.count()).where(Comment.idea_id.in_(ids), Comment.created_at >= since,
                                                    Comment.content_state == ContentState.PUBLISHED,
                                                    Comment.deleted_at.is_(None))
        .group_by(Comment.idea_id)).tuples().all()) if ids else {}
    return [RisingIdea(idea, vote_counts.get(idea.id, 0), comment_counts.get(idea.id, 0))
            for idea in candidates]


def _as_time(hour):
    return datetime.fromtimestamp(hour * 3600, tz=timezone.utc)


def _local_day(moment, zone) -> date:
    return moment.astimezone(zone).date()


def _day_start(day: date, zone) -> datetime:
    """The first moment of a day in a zone, in UTC (on a day with a shift at midnight, the
    first moment that exists)."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


def _totals(scope, now, shows_people, zone=timezone.utc):
    sums = db.session.execute(
        select(func.coalesce(func.sum(ActivityHour.ideas), 0), func.coalesce(func.sum(ActivityHour.comments), 0),
               func.coalesce(func.sum(ActivityHour.votes), 0), func.coalesce(func.sum(ActivityHour.new_people), 0))
        .where(ActivityHour.scope == scope)).one()
    totals = Totals(ideas=sums[0], comments=sums[1], votes=sums[2])
    if shows_people:
        hour = activity.hour_of(now)
        # The reader's today; in a zone off the whole hour, from the hour the day begins in.
        day_start = activity.hour_of(_day_start(_local_day(now, zone), zone))
        totals.people = sums[3]
        current = db.session.get(ActivityHour, (scope, hour))
        totals.active_this_hour = current.active_people if current else 0
        totals.new_voices_today = db.session.scalar(
            select(func.coalesce(func.sum(ActivityHour.new_people), 0))
            .where(ActivityHour.scope == scope, ActivityHour.hour >= day_start, ActivityHour.hour <= hour))
    return totals


def _hours(scope, end):
    """The last ``HOURS_SHOWN`` hours up to ``end``, empty hours included."""
    last = activity.hour_of(end)
    first = last - HOURS_SHOWN + 1
    rows = {row.hour: row for row in db.session.scalars(
        select(ActivityHour).where(ActivityHour.scope == scope, ActivityHour.hour.between(first, last)))}
    return [_period(_as_time(hour), rows.get(hour)) for hour in range(first, last + 1)]


def _period(starts_at, row):
    if row is None:
        return Period(starts_at)
    return Period(starts_at, row.ideas, row.comments, row.votes, row.active_people, row.new_people)


def _days(scope, campaign, now, shows_people, zone=timezone.utc):
    """Activity per day of the reader's zone (active people are per hour only: they do not
    add up over a day; new voices only for those who may see who takes part). The tallies
    are hourly, so a day of a zone off the whole hour (India, +5:30) counts from the hour
    its midnight falls in."""
    end = _window_end(campaign, now)
    last_hour = activity.hour_of(end)
    first = _local_day(_as_time(last_hour - 24 * DAYS_SHOWN + 1), zone)
    if campaign is not None:
        first = max(first, _local_day(campaign.starts_at, zone))
    last = _local_day(end, zone)
    first_hour = activity.hour_of(_day_start(first, zone))
    days = defaultdict(lambda: [0, 0, 0, 0])
    for row in db.session.execute(
            select(ActivityHour.hour, ActivityHour.ideas, ActivityHour.comments, ActivityHour.votes,
                   ActivityHour.new_people)
            .where(ActivityHour.scope == scope, ActivityHour.hour.between(first_hour, last_hour))):
        day = days[_local_day(_as_time(row.hour), zone)]
        day[0] += row.ideas
        day[1] += row.comments
        day[2] += row.votes
        day[3] += row.new_people if shows_people else 0
    periods = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        values = days.get(day, [0, 0, 0, 0])
        periods.append(Period(_day_start(day, zone), ideas=values[0], comments=values[1], votes=values[2],
                              new_people=values[3]))
    return periods


def _funnel(scope, now):
    rows = {row.status: row for row in db.session.scalars(select(StatusTally).where(StatusTally.scope == scope))}
    now_seconds = activity.epoch_seconds(now)
    steps, reached = [], 0
    in_pipeline = [rows[s].ideas if s in rows else 0 for s in PIPELINE]
    for index, status in enumerate(PIPELINE + SIDE_EXITS):
        row = rows.get(status)
        now_in = row.ideas if row else 0
        stays = (row.exits + row.ideas) if row else 0
        average = None
        if stays:
            seconds = row.exit_seconds + now_seconds * row.ideas - row.entered_sum
            average = max(0.0, seconds / stays / 86400)
        reached = sum(in_pipeline[index:]) if status in PIPELINE else None
        steps.append(FunnelStep(status, now_in, reached, average))
    return steps


@dataclass
class TagRow:
    name: str
    ideas: int


# Ties go to the later id in both lists: one direction throughout lets the database walk the
# (scope, count, id) index backwards instead of sorting every row of the scope.


def _tags(scope):
    return [TagRow(name, count) for name, count in db.session.execute(
        select(Tag.name, TagTally.ideas).join(Tag, Tag.id == TagTally.tag_id)
        .where(TagTally.scope == scope, TagTally.ideas > 0)
        .order_by(TagTally.ideas.desc(), TagTally.tag_id.desc()).limit(TOP_TAGS)).tuples()]


def _contributors(scope):
    rows = db.session.execute(
        select(Contributor, User).join(User, User.id == Contributor.user_id)
        .where(Contributor.scope == scope, Contributor.points > 0)
        .order_by(Contributor.points.desc(), Contributor.user_id.desc()).limit(TOP_CONTRIBUTORS)).all()
    return [ContributorRow(user, row.ideas, row.comments, row.votes_cast, row.votes_received, row.points)
            for row, user in rows]


def _segments(scope, dimension):
    """The biggest segments of a dimension, then the rest as one row."""
    rows = db.session.scalars(select(SegmentTally).where(SegmentTally.scope == scope,
                                                        SegmentTally.dimension == dimension,
                                                        SegmentTally.people > 0)
                              .order_by(SegmentTally.people.desc(), SegmentTally.value)).all()
    shown = [SegmentRow(row.value, row.people, row.ideas, row.comments, row.votes) for row in rows[:SEGMENT_ROWS]]
    rest = rows[SEGMENT_ROWS:]
    if rest:
        shown.append(SegmentRow("", sum(r.people for r in rest), sum(r.ideas for r in rest),
                                sum(r.comments for r in rest), sum(r.votes for r in rest), is_rest=True))
    return shown


def _campaign_rows(visible, now):
    sums = {row.scope: row for row in db.session.execute(
        select(ActivityHour.scope, func.sum(ActivityHour.ideas).label("ideas"),
               func.sum(ActivityHour.comments).label("comments"), func.sum(ActivityHour.votes).label("votes"),
               func.sum(ActivityHour.new_people).label("people"))
        .where(ActivityHour.scope.in_([c.id for c in visible])).group_by(ActivityHour.scope))}
    rows = []
    for campaign in visible:
        row = sums.get(campaign.id)
        rows.append(CampaignRow(campaign, campaigns.campaign_phase(campaign, now).value,
                                row.ideas if row else 0, row.comments if row else 0,
                                row.votes if row else 0, row.people if row else 0))
    return rows
