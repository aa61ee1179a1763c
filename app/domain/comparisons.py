"""Pairwise voting: serving pairs of ideas, taking answers, and keeping the ranking fitted.

A participant is shown two ideas of a campaign and picks the better one or skips ("can't
decide"). The pair is chosen by ``ranking.select_pair`` from the campaign's last fit and
written down when served (a ``Comparison`` row), so the only answer the server accepts is
one for the pair it served, once, while it is fresh. The ranking itself is refitted from all
answers by ``refresh_ranking`` — a few times a minute per busy campaign, coalesced by
``app.realtime`` — which stores each idea's chance to beat a random other idea and puts the
new leaderboard into the campaign's live stream.
"""
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import offload
from app.domain import activity, campaigns, events, ideas, ranking
from app.domain.clock import utcnow
from app.domain.errors import Conflict, NoPairLeft, NotFound, PermissionDenied, RateLimited
from app.domain.text import clean_line
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import Comparison, ComparisonChoice, ContentState, Idea

#: A served pair can be answered for this long; after that, a new pair is served.
PAIR_TTL = timedelta(minutes=30)
#: Nobody answers more than this many pairs in a minute (a person reads two ideas first).
ANSWERS_PER_MINUTE = 30
SKIP_REASON_MAX = 200
#: How many ideas the live leaderboard carries.
LEADERBOARD_SIZE = 20
LEADERBOARD_MAX = 100
_SERVE_ATTEMPTS = 3


def _ensure_pairwise(user, campaign):
    campaigns.ensure_can_take_part(user, campaign)
    if not campaigns.allows_pairwise(campaign):
        raise PermissionDenied(_l("This campaign uses up and down votes, not pairs."),
                               code="voting_mode")


def _open_comparison(user_id, campaign_id, now):
    """The person's latest served pair in this campaign if it can still be answered."""
    latest = db.session.scalar(
        select(Comparison).where(Comparison.user_id == user_id, Comparison.campaign_id == campaign_id)
        .order_by(Comparison.id.desc()).limit(1))
    if latest is None or latest.answered_at is not None or latest.served_at < now - PAIR_TTL:
        return None
    if not (_is_rankable(latest.left) and _is_rankable(latest.right)):
        return None
    return latest


def _is_rankable(idea):
    return (idea.status not in ideas.UNRANKED_STATUSES
            and idea.content_state is ContentState.PUBLISHED)


class _KeptSource:
    """What ``ranking.choose_pair`` reads, from the ideas' kept fit (``refresh_ranking``):
    each read is a short walk of an index on (campaign, chance / shown / strength / id), so
    serving a pair costs the same at 100 ideas and at 46,000. Keys are idea ids."""

    def __init__(self, campaign_id):
        self.campaign_id = campaign_id
        self.rows = {}
        self.where = (Idea.campaign_id == campaign_id) & ideas.rankable_clause()

    def _read(self, *conditions, order=(), limit=None):
        query = (select(Idea.id, Idea.pairwise_strength, Idea.pairwise_uncertainty, Idea.pairwise_appearances)
                 .where(self.where, *conditions).order_by(*order))
        found = db.session.execute(query.limit(limit) if limit else query).all()
        for row in found:
            self.rows[row.id] = row
        return [row.id for row in found]

    def _ids(self, *conditions, order, limit):
        return select(Idea.id).where(self.where, *conditions).order_by(*order).limit(limit)

    def fit(self, keys):
        rows = [self.rows[k] for k in keys]
        return (np.array([r.pairwise_strength for r in rows], dtype=float),
                np.array([r.pairwise_uncertainty for r in rows], dtype=float),
                np.array([r.pairwise_appearances for r in rows], dtype=np.int64))

    def leaders(self, limit):
        return self._read(order=(Idea.pairwise_chance.desc(), Idea.id.desc()), limit=limit)

    def least_shown(self, below, limit):
        return self._read(Idea.pairwise_appearances < below, order=(Idea.pairwise_appearances, Idea.id),
                          limit=limit)

    def near(self, strength, limit):
        """One statement: the ``limit`` ideas at or above ``strength`` and below it."""
        above = self._ids(Idea.pairwise_strength >= strength, order=(Idea.pairwise_strength, Idea.id), limit=limit)
        below = self._ids(Idea.pairwise_strength < strength,
                          order=(Idea.pairwise_strength.desc(), Idea.id.desc()), limit=limit)
        found = self._read(or_(Idea.id.in_(above), Idea.id.in_(below)))
        return sorted(found, key=lambda k: abs(self.rows[k].pairwise_strength - strength))

    def random(self, count, rng):
        """Ideas at random ids: the first rankable idea at or after each of ``count`` uniform
        draws between the campaign's lowest and highest idea id (two statements, each
        draw one index step; an idea after a gap in the ids is a little likelier)."""
        low, high = db.session.execute(select(func.min(Idea.id), func.max(Idea.id))
                                       .where(Idea.campaign_id == self.campaign_id)).one()
        if low is None:
            return []
        starts = sorted({int(x) for x in rng.integers(low, high + 1, size=count)})
        firsts = [self._ids(Idea.id >= start, order=(Idea.id,), limit=1).scalar_subquery() for start in starts]
        found = self._read(Idea.id.in_(firsts))
        return [found[k] for k in rng.permutation(len(found))]

    def everything(self):
        return self._read(order=(Idea.id,))


def _choose_pair(user_id, campaign_id, rng):
    """Pick the next pair for this person with the adaptive selection; ``None`` if none left.
    Reads a few dozen ideas through indexes, the person's own ideas and the pairs they were
    already served — never every idea of the campaign (see ``_KeptSource``)."""
    own = db.session.scalars(select(Idea.id).where(Idea.campaign_id == campaign_id,
                                                   Idea.author_id == user_id)).all()
    seen = db.session.execute(
        select(Comparison.low_idea_id, Comparison.high_idea_id)
        .where(Comparison.user_id == user_id, Comparison.campaign_id == campaign_id)).all()
    seen_pairs = [tuple(pair) for pair in seen]
    return ranking.choose_pair(_KeptSource(campaign_id), rng, exclude_items=own, exclude_pairs=seen_pairs,
                               placed={idea for pair in seen_pairs for idea in pair})


def serve_pair(user, campaign_id, rng=None):
    """The pair this person should compare next in a campaign.

    Asking again returns the same pair until it is answered or goes stale (older than
    ``PAIR_TTL``, or one of its ideas left the ranking), so reloading a page does not spend
    pairs. Never the person's own idea, never a declined or duplicate idea, never a pair
    they were already served. Raises ``NoPairLeft`` when nothing is left to ask.
    """
    campaign = campaigns.get_campaign(user, campaign_id)
    _ensure_pairwise(user, campaign)
    user_id, campaign_id = user.id, campaign.id
    rng = rng if rng is not None else np.random.default_rng()
    for _ in range(_SERVE_ATTEMPTS):
        now = utcnow()
        current = _open_comparison(user_id, campaign_id, now)
        if current is not None:
            return current
        pair = _choose_pair(user_id, campaign_id, rng)
        if pair is None:
            raise NoPairLeft()
        left, right = pair
        comparison = Comparison(campaign_id=campaign_id, user_id=user_id, left_idea_id=left,
                                right_idea_id=right, low_idea_id=min(pair), high_idea_id=max(pair),
                                served_at=now)
        db.session.add(comparison)
        try:
            db.session.commit()
            return comparison
        except IntegrityError:  # the same pair was served to this person at the same moment
            db.session.rollback()
    raise Conflict()


def parse_choice(value):
    try:
        return ComparisonChoice(str(value).strip().lower())
    except ValueError:
        return None


def _validated_answer(choice, reason):
    errors = FieldErrors()
    parsed = parse_choice(choice) if isinstance(choice, str) else None
    if parsed is None:
        errors.add("choice", _l("Choose left, right or skip."))
    reason = clean_line(reason) if isinstance(reason, str) else ""
    if len(reason) > SKIP_REASON_MAX:
        errors.add("reason", _l("Use at most %(n)d characters.", n=SKIP_REASON_MAX))
    errors.raise_if_any()
    # A reason explains a skip; with a pick it would only be noise.
    return parsed, reason if parsed is ComparisonChoice.SKIP else ""


def get_comparison(user, comparison_id):
    """A pair served to this person, or NotFound: nobody can see or answer another's pair."""
    comparison_id = parse_id(comparison_id)
    comparison = db.session.get(Comparison, comparison_id) if comparison_id is not None else None
    if comparison is None or user is None or comparison.user_id != getattr(user, "id", None):
        raise NotFound(_l("That pair was never shown to you."), code="pair_not_served")
    return comparison


def _ensure_answerable(comparison, now):
    if comparison.answered_at is not None:
        raise Conflict(_l("You have already answered this pair."), code="already_answered")
    newer = db.session.scalar(
        select(func.count()).select_from(Comparison)
        .where(Comparison.user_id == comparison.user_id,
               Comparison.campaign_id == comparison.campaign_id, Comparison.id > comparison.id))
    if (newer or comparison.served_at < now - PAIR_TTL
            or not (_is_rankable(comparison.left) and _is_rankable(comparison.right))):
        raise Conflict(_l("This pair is out of date; here is a new one."), code="stale_pair")


def _ensure_pace(user_id, now):
    recent = db.session.scalar(
        select(func.count()).select_from(Comparison)
        .where(Comparison.user_id == user_id, Comparison.answered_at >= now - timedelta(minutes=1)))
    if recent >= ANSWERS_PER_MINUTE:
        raise RateLimited()


def answer_comparison(user, comparison_id, choice, reason=None):
    """Record a person's answer to the pair they were served: "left", "right" or "skip".

    Refused cleanly, changing nothing: a pair never served to this person (NotFound), an
    answer already given (Conflict ``already_answered``), a pair that is stale — a newer one
    was served, it is older than ``PAIR_TTL``, or an idea in it left the ranking (Conflict
    ``stale_pair``) — and more than ``ANSWERS_PER_MINUTE`` answers a minute (RateLimited).
    The answer is written with a compare-and-set, so two simultaneous answers to one pair
    store exactly one. A skip counts as exposure, never as a win.
    """
    choice, reason = _validated_answer(choice, reason)
    comparison = get_comparison(user, comparison_id)
    _ensure_pairwise(user, comparison.campaign)
    now = utcnow()
    _ensure_answerable(comparison, now)
    _ensure_pace(user.id, now)
    campaign_id, left, right = comparison.campaign_id, comparison.left_idea_id, comparison.right_idea_id
    written = db.session.execute(
        update(Comparison).where(Comparison.id == comparison.id, Comparison.answered_at.is_(None))
        .values(choice=choice, skip_reason=reason, answered_at=now))
    if written.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("You have already answered this pair."), code="already_answered")
    db.session.execute(update(Idea).where(Idea.id.in_([left, right]))
                       .values(pairwise_appearances=Idea.pairwise_appearances + 1))
    activity.tally_answer(user, campaign_id, choice, now)
    if choice is not ComparisonChoice.SKIP:
        events.record_change("comparisons.changed", {"campaign_id": campaign_id})
    db.session.commit()
    db.session.refresh(comparison)
    return comparison


#: From this many ideas the fit runs in a child process (``app.offload``), away from the
#: server's event loop; below it, it takes milliseconds and a child would cost more.
OFFLOAD_FROM = 2000
#: Ideas (and their answered pairs) read per statement; the loop may run others in between.
LOAD_PAGE = 5000
PAIR_PAGE = 20000
#: A kept chance is written again when it moved further than this (the leaderboard shows it to
#: 0.01 %), a strength or uncertainty further than ``KEPT_STRENGTH_TOLERANCE`` (far below any
#: standard error): a refresh after a few answers writes the ideas they moved, not all of them.
KEPT_TOLERANCE = 1e-4
KEPT_STRENGTH_TOLERANCE = 1e-3


def _rankable_rows(campaign_id, pause):
    """The campaign's rankable ideas with their kept fit, in id order, a page at a time."""
    rows, after = [], 0
    while True:
        page = db.session.execute(
            select(Idea.id, Idea.pairwise_strength, Idea.pairwise_uncertainty, Idea.pairwise_chance,
                   Idea.pairwise_chance_low, Idea.pairwise_chance_high)
            .where(Idea.campaign_id == campaign_id, ideas.rankable_clause(), Idea.id > after)
            .order_by(Idea.id).limit(LOAD_PAGE)).all()
        rows.extend(page)
        if len(page) < LOAD_PAGE:
            return rows
        after = page[-1].id
        if pause:
            pause()


def _answered_pairs(campaign_id, index, pause):
    """Answered comparisons between the ideas of ``index`` (id -> item), counted per unordered
    pair: arrays ``(low, high, counts, low_wins)`` of items. Read ``PAIR_PAGE`` answers at a
    time by id (each page one bounded index walk), counted with numpy."""
    low, high, low_won = [], [], []
    after = 0
    while True:
        page = db.session.execute(
            select(Comparison.id, Comparison.low_idea_id, Comparison.high_idea_id, Comparison.left_idea_id,
                   Comparison.choice)
            .where(Comparison.campaign_id == campaign_id, Comparison.id > after,
                   Comparison.choice.in_([ComparisonChoice.LEFT, ComparisonChoice.RIGHT]))
            .order_by(Comparison.id).limit(PAIR_PAGE)).all()
        for row in page:
            a, b = index.get(row.low_idea_id), index.get(row.high_idea_id)
            if a is not None and b is not None:  # both ideas still rankable
                low.append(a)
                high.append(b)
                low_won.append((row.choice is ComparisonChoice.LEFT) == (row.left_idea_id == row.low_idea_id))
        if len(page) < PAIR_PAGE:
            break
        after = page[-1].id
        if pause:
            pause()
    n = max(len(index), 1)
    keys, inverse = np.unique(np.array(low, dtype=np.int64) * n + np.array(high, dtype=np.int64),
                              return_inverse=True)
    counts = np.bincount(inverse, minlength=len(keys)).astype(float)
    wins = np.bincount(inverse, weights=np.array(low_won, dtype=float), minlength=len(keys))
    return keys // n, keys % n, counts, wins


def _answer_count(campaign_id):
    return db.session.scalar(select(func.count()).select_from(Comparison).where(
        Comparison.campaign_id == campaign_id,
        Comparison.choice.in_([ComparisonChoice.LEFT, ComparisonChoice.RIGHT])))


def _changed_rows(rows, fitted):
    """The kept figures of the ideas whose fit moved further than the tolerances."""
    kept = np.array([(r.pairwise_strength, r.pairwise_uncertainty, r.pairwise_chance,
                      r.pairwise_chance_low, r.pairwise_chance_high) for r in rows], dtype=float).reshape(-1, 5)
    new = np.column_stack(fitted) if rows else np.zeros((0, 5))
    limits = np.array([KEPT_STRENGTH_TOLERANCE] * 2 + [KEPT_TOLERANCE] * 3)
    moved = np.flatnonzero((np.abs(new - kept) > limits).any(axis=1)) if rows else []
    names = ("pairwise_strength", "pairwise_uncertainty", "pairwise_chance", "pairwise_chance_low",
             "pairwise_chance_high")
    return [{"id": rows[k].id, **{name: float(new[k, c]) for c, name in enumerate(names)}} for k in moved]


def refresh_ranking(campaign_id, *, pause=None):
    """Refit a campaign's pairwise ranking from every answer and keep it on its ideas.

    Reads the ideas and answers a page at a time (``pause`` runs between pages, so a server's
    event loop can serve others), holds no transaction open while it fits, and fits in a
    child process from ``OFFLOAD_FROM`` ideas on (``ranking.fit_ranking``: warm-started from
    the kept fit, O(answers) per Newton step, the chances in linear time). Then, under the
    campaign's stream lock, writes the ideas whose figures moved and puts the new
    leaderboard into the live stream as ``ranking.updated``. If answers arrived while it
    fitted, it asks for another refresh, so the last leaderboard always covers every answer.
    """
    rows = _rankable_rows(campaign_id, pause)
    index = {row.id: k for k, row in enumerate(rows)}
    low, high, counts, low_wins = _answered_pairs(campaign_id, index, pause)
    answers = int(counts.sum())
    total_before = _answer_count(campaign_id)
    db.session.commit()  # nothing is held open while the ranking is fitted
    arguments = (len(rows), low, high, counts, low_wins,
                 np.array([row.pairwise_strength for row in rows], dtype=float))
    fitted = (offload.run(ranking.fit_ranking, *arguments) if len(rows) >= OFFLOAD_FROM
              else ranking.fit_ranking(*arguments))
    seq = events.next_seq(campaign_id)
    changed = _changed_rows(rows, fitted)
    for start in range(0, len(changed), LOAD_PAGE):
        db.session.execute(update(Idea), changed[start:start + LOAD_PAGE])
    if _answer_count(campaign_id) != total_before:
        events.record_change("comparisons.changed", {"campaign_id": campaign_id})
    board = [leaderboard_entry(idea) for idea in _leaders(campaign_id, LEADERBOARD_SIZE)]
    events.record_campaign_event(campaign_id, "ranking.updated", {
        "ideas": board, "comparisons": answers}, seq=seq)
    db.session.commit()
    return board


def _leaders(campaign_id, limit, offset=0):
    return db.session.scalars(
        select(Idea).where(Idea.campaign_id == campaign_id, ideas.rankable_clause())
        .order_by(Idea.pairwise_chance.desc(), Idea.id.desc()).limit(limit).offset(offset)).all()


def leaderboard_entry(idea) -> dict:
    """An idea's pairwise standing as numbers. No title: the stream keeps entries for late
    catch-ups, and an idea hidden later must not live on in them (pages know the titles)."""
    return {"id": idea.id, "chance": round(idea.pairwise_chance, 4),
            "chance_low": round(idea.pairwise_chance_low, 4),
            "chance_high": round(idea.pairwise_chance_high, 4),
            "appearances": idea.pairwise_appearances}


@dataclass
class Leaderboard:
    campaign: object
    ideas: list
    comparisons: int
    people: int


def get_leaderboard(user, campaign_id, limit=None):
    """The campaign's top ``limit`` ideas (default ``LEADERBOARD_SIZE``) by their chance to
    beat a random other idea, best first, with how many answers and people are behind it."""
    campaign = campaigns.get_campaign(user, campaign_id)
    if limit is None:
        limit = LEADERBOARD_SIZE
    elif isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= LEADERBOARD_MAX:
        errors = FieldErrors()
        errors.add("limit", _l("Enter a whole number from %(low)d to %(high)d.", low=1,
                               high=LEADERBOARD_MAX))
        errors.raise_if_any()
    answered = db.session.execute(
        select(func.count(), func.count(func.distinct(Comparison.user_id)))
        .where(Comparison.campaign_id == campaign.id,
               Comparison.choice.in_([ComparisonChoice.LEFT, ComparisonChoice.RIGHT]))).one()
    return Leaderboard(campaign=campaign, ideas=_leaders(campaign.id, limit),
                       comparisons=answered[0], people=answered[1])


@dataclass
class Progress:
    """How one person's answers are shaping a campaign's ranking."""

    answered: int
    skipped: int
    agreeing: int  # picks whose winner is ahead in the current ranking
    picks_in_top: int  # distinct ideas they picked that are in the current top 10

    @property
    def agreement(self):
        return self.agreeing / self.answered if self.answered else None


def get_progress(user, campaign_id):
    """Count a person's answers in a campaign and how many the current ranking agrees with."""
    campaign = campaigns.get_campaign(user, campaign_id)
    rows = db.session.execute(
        select(Comparison.choice, Comparison.left_idea_id, Comparison.right_idea_id)
        .where(Comparison.user_id == user.id, Comparison.campaign_id == campaign.id,
               Comparison.answered_at.is_not(None))).all()
    ids = {i for row in rows for i in (row.left_idea_id, row.right_idea_id)}
    chance = dict(db.session.execute(select(Idea.id, Idea.pairwise_chance)
                                     .where(Idea.id.in_(ids))).all()) if ids else {}
    top = {idea.id for idea in _leaders(campaign.id, 10)}
    answered = skipped = agreeing = 0
    winners = set()
    for row in rows:
        if row.choice is ComparisonChoice.SKIP:
            skipped += 1
            continue
        answered += 1
        winner, loser = ((row.left_idea_id, row.right_idea_id) if row.choice is ComparisonChoice.LEFT
                         else (row.right_idea_id, row.left_idea_id))
        winners.add(winner)
        agreeing += chance.get(winner, 0.5) > chance.get(loser, 0.5)
    return Progress(answered=answered, skipped=skipped, agreeing=agreeing,
                    picks_in_top=len(winners & top))
