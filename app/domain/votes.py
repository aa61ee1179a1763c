"""Up and down votes: one per person per idea, changeable and withdrawable.

The rule "one vote per person per idea" is backed by a unique constraint. Counts on the
idea change by deltas in the same transaction as the vote row, and a vote row is only
changed from the value that was read (compare-and-set), so concurrent requests can
neither lose nor double a count, on SQLite or PostgreSQL. The write transaction holds no
I/O but the database's own: nothing yields to other requests until it commits.
"""
import logging
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError

from app.domain import activity, campaigns, events, ideas, permissions
from app.domain.clock import utcnow
from app.database import is_transient_conflict
from app.domain.errors import Conflict, PermissionDenied, ValidationError
from app.extensions import db
from app.models import Idea, Vote, VoteCountsDue

UP, DOWN, NONE = 1, -1, 0
_ATTEMPTS = 5
log = logging.getLogger(__name__)


class _StaleVote(Exception):
    """The vote row changed between our read and our write."""


@dataclass
class VoteResult:
    idea_id: int
    my_vote: int
    up_count: int
    down_count: int
    score: int


def parse_vote_value(value):
    """Accept 1 / -1 / 0 or "up" / "down" / "none"."""
    mapping = {"up": UP, "down": DOWN, "none": NONE, "1": UP, "-1": DOWN, "0": NONE}
    if isinstance(value, bool):
        value = None
    if isinstance(value, int) and value in (UP, DOWN, NONE):
        return value
    if isinstance(value, str) and value.strip().lower() in mapping:
        return mapping[value.strip().lower()]
    raise ValidationError(fields={"value": _l("Choose up, down or none.")})


def cast_vote(user, idea_id, value):
    """Vote up (1) or down (-1) on an idea, or withdraw (0). Repeating a vote changes nothing."""
    value = parse_vote_value(value)
    idea = ideas.get_idea(user, idea_id)
    campaigns.ensure_can_take_part(user, idea.campaign)
    if not campaigns.takes_votes(idea):
        raise Conflict(_l("This idea is merged or not published, so it takes no votes."),
                       code="not_votable")
    if not campaigns.allows_up_down(idea.campaign):
        raise PermissionDenied(_l("This campaign compares ideas in pairs instead of up and down votes."),
                               code="voting_mode")
    if not permissions.can_vote_on_idea(user, idea):
        raise PermissionDenied(_l("You cannot vote on your own idea."), code="own_idea")
    idea_id, campaign_id = idea.id, idea.campaign_id  # ids survive a rollback
    for _ in range(_ATTEMPTS):
        try:
            if _apply(user, idea, value):
                # Counts reach viewers coalesced, a few times a second (app.realtime).
                events.record_change("votes.changed", {"campaign_id": campaign_id, "idea_id": idea_id})
            db.session.commit()
            break
        except (IntegrityError, _StaleVote):
            db.session.rollback()
        except OperationalError as error:
            # A deadlock or serialization failure aborted the whole transaction and wrote
            # nothing; running it again from the read is safe (the vote is compare-and-set).
            db.session.rollback()
            if not is_transient_conflict(error):
                raise
    else:
        raise Conflict()
    return vote_result(user, idea_id)


def _apply(user, idea, value):
    """Write one vote change with its count deltas and dashboard tallies; False when nothing
    changed.

    Locks, in the one order of campaign writes (``ideas.keep_best_scores``): the vote row,
    the idea row, then the voter's and the author's tallies."""
    user_id, idea_id = user.id, idea.id
    existing = db.session.execute(
        select(Vote.id, Vote.value, Vote.created_at).where(Vote.user_id == user_id, Vote.idea_id == idea_id)
    ).first()
    old = existing.value if existing else NONE
    if old == value:
        return False
    now = utcnow()
    if existing is None:
        db.session.add(Vote(user_id=user_id, idea_id=idea_id, value=value, created_at=now,
                            updated_at=now))
        db.session.flush()
    elif value == NONE:
        result = db.session.execute(delete(Vote).where(Vote.id == existing.id, Vote.value == old))
        if result.rowcount != 1:
            raise _StaleVote()
    else:
        result = db.session.execute(update(Vote).where(Vote.id == existing.id, Vote.value == old)
                                    .values(value=value, updated_at=now))
        if result.rowcount != 1:
            raise _StaleVote()
    up_delta = (value == UP) - (old == UP)
    down_delta = (value == DOWN) - (old == DOWN)
    db.session.execute(
        update(Idea).where(Idea.id == idea_id).values(
            up_count=Idea.up_count + up_delta,
            down_count=Idea.down_count + down_delta,
            score=Idea.score + up_delta - down_delta,
        )
    )
    ideas.keep_best_scores([idea_id])
    mark_counts_due(idea.campaign_id, [idea_id])
    if value == UP:
        db.session.execute(ideas.bump_trending(idea_id, ideas.WEIGHT_UP_VOTE))
    activity.record_participation(user, idea.campaign_id, now)
    if existing is None:
        activity.tally_vote(user, idea.campaign_id, now, +1)
    elif value == NONE:
        activity.tally_vote(user, idea.campaign_id, existing.created_at, -1)
    activity.tally_votes_received(idea, up_delta)
    return True


def vote_result(user, idea_id) -> VoteResult:
    row = db.session.execute(select(Idea.up_count, Idea.down_count, Idea.score)
                             .where(Idea.id == idea_id)).one()
    mine = db.session.scalar(select(Vote.value).where(Vote.user_id == user.id, Vote.idea_id == idea_id))
    return VoteResult(idea_id=idea_id, my_vote=mine or NONE, up_count=row.up_count,
                      down_count=row.down_count, score=row.score)


def mark_counts_due(campaign_id, idea_ids):
    """Note, inside the caller's transaction, that these ideas' counts must enter the stream.

    Durable with the change itself, so no fault of the process that took it (a failed
    announcement, a kill) can leave viewers on old counts: any process sends them
    (``announce_vote_counts``). Taken after the campaign row (see ``ideas.keep_best_scores``)."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(VoteCountsDue)
    db.session.execute(insert.values([{"idea_id": idea_id, "campaign_id": campaign_id}
                                      for idea_id in sorted(idea_ids)]).on_conflict_do_nothing())


def campaigns_with_counts_due():
    """Campaigns with ideas whose counts are not yet in the stream."""
    return sorted(db.session.scalars(select(VoteCountsDue.campaign_id).distinct()))


def announce_vote_counts(campaign_id, idea_ids=()):
    """Put the current counts of the ideas whose counts are due (and of ``idea_ids``) into
    the campaign's stream, as one entry, and strike them off. Returns False, recording
    nothing, when none are due (another process sent them).

    Runs a few times a second per process, so a vote storm becomes a handful of updates.
    The stream number is taken first: it locks the campaign's stream, so the counts read
    after it are at least as new as those of any earlier entry, a later entry never shows
    older counts, and no vote of the campaign commits between reading the due ideas and
    striking them off (each vote holds the campaign row while it marks its idea).
    """
    seq = events.next_seq(campaign_id)
    due = set(db.session.scalars(select(VoteCountsDue.idea_id)
                                 .where(VoteCountsDue.campaign_id == campaign_id)))
    idea_ids = due | set(idea_ids)
    if not idea_ids:
        db.session.rollback()  # gives the stream number back
        return False
    rows = db.session.execute(select(Idea.id, Idea.up_count, Idea.down_count, Idea.score)
                              .where(Idea.id.in_(sorted(idea_ids)), Idea.campaign_id == campaign_id))
    counts = {str(row.id): {"up_count": row.up_count, "down_count": row.down_count,
                            "score": row.score} for row in rows}
    if due:
        db.session.execute(delete(VoteCountsDue).where(VoteCountsDue.idea_id.in_(sorted(due))))
    events.record_campaign_event(campaign_id, "idea.counts", {"ideas": counts}, seq=seq)
    db.session.commit()
    return True
