"""The dashboards' aggregates, kept up to date inside the transaction that changes what they
count (models: ``app.models.activity``).

What counts, so that every figure can be recomputed from raw rows (``rebuild_activity``):

* an idea counts while it is published (hidden and pending ideas do not), in the hour it was
  posted, for its author, its author's segments, its tags and its status; its up votes count
  as "votes received" by its author;
* a comment counts while it is published and not deleted, in the hour it was posted;
* a vote counts while its row exists (up or down), in the hour it was first cast; an answered
  pair (left or right, not "can't decide") counts as a vote in the hour it was answered;
* a person is active in an hour when they posted, commented, voted or answered a pair in it
  (the ledger ``ActivityPerson``), and is a new voice in the first such hour.

Hot paths (a vote, a comment, a new idea) change the tallies by deltas. Rare, many-sided
changes (a status change, hiding, merging, an edit of tags) go through ``retallied``: the
idea's whole contribution is taken out before the change and put back after it, read from
the database each time, so nothing has to be worked out twice.
"""
from collections import defaultdict
from contextlib import contextmanager
from datetime import timezone

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import (SITE_SCOPE, ActivityHour, ActivityPerson, Comment, Comparison, ComparisonChoice,
                        ContentState, Contributor, Idea, IdeaStatus, IdeaStatusChange, SegmentTally, StatusTally,
                        TagTally, User, Vote, idea_tags)

# "Top contributors" order: an idea weighs five comments' worth, a comment two received votes.
POINTS_PER_IDEA = 5
POINTS_PER_COMMENT = 2
POINTS_PER_VOTE_RECEIVED = 1

DIMENSIONS = ("kind", "department", "country")


def hour_of(moment) -> int:
    """Whole hours since the Unix epoch (UTC) of an aware or naive-UTC datetime."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() // 3600)


def epoch_seconds(moment) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def segments_of(user) -> dict:
    """The segment a person falls in, per dimension ("" when they did not say)."""
    return {"kind": user.kind.value, "department": user.department or "", "country": user.country or ""}


def scopes(campaign_id):
    return (campaign_id, SITE_SCOPE)


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def _add_rows(model, key_rows, **deltas):
    """Add the same deltas to several tally rows, creating each at zero first: one atomic
    multi-row upsert, so a vote's tallies for its campaign and for the site, in every segment,
    cost a few statements rather than one per row. The rows' keys must differ (PostgreSQL
    refuses to update one row twice in a statement)."""
    deltas = {name: value for name, value in deltas.items() if value}
    if not deltas or not key_rows:
        return
    table = model.__table__
    stmt = _insert(model).values([{**keys, **deltas} for keys in key_rows])
    stmt = stmt.on_conflict_do_update(index_elements=list(key_rows[0]),
                                      set_={name: table.c[name] + stmt.excluded[name] for name in deltas})
    db.session.execute(stmt)


def _add(model, keys: dict, **deltas):
    """Add deltas to a tally row, creating it at zero first (one atomic upsert)."""
    _add_rows(model, [keys], **deltas)


def _add_hours(scopes_, hour, **deltas):
    _add_rows(ActivityHour, [{"scope": scope, "hour": hour} for scope in scopes_], **deltas)


def _contributor_delta(scopes_, user_id, at_hour, **deltas):
    """Change a contributor's counts and points together, in each of ``scopes_`` (the row
    normally exists from their first participation; ``at_hour`` only serves if it does not)."""
    deltas["points"] = (POINTS_PER_IDEA * deltas.get("ideas", 0)
                        + POINTS_PER_COMMENT * deltas.get("comments", 0)
                        + POINTS_PER_VOTE_RECEIVED * deltas.get("votes_received", 0))
    deltas = {name: value for name, value in deltas.items() if value}
    if not deltas:
        return
    table = Contributor.__table__
    stmt = _insert(Contributor).values([{"scope": scope, "user_id": user_id, "first_hour": at_hour, **deltas}
                                        for scope in scopes_])
    stmt = stmt.on_conflict_do_update(index_elements=["scope", "user_id"],
                                      set_={name: table.c[name] + stmt.excluded[name] for name in deltas})
    db.session.execute(stmt)


def _segments_delta(scopes_, segments, **deltas):
    _add_rows(SegmentTally, [{"scope": scope, "dimension": dimension, "value": segments[dimension]}
                             for scope in scopes_ for dimension in DIMENSIONS], **deltas)


# --- participation ------------------------------------------------------------------------

def record_participation(user, campaign_id, at):
    """Note that a person took part in a campaign at a moment: active in that hour, and a new
    voice (a new contributor of the campaign and of the site) the first time."""
    hour = hour_of(at)
    for scope in scopes(campaign_id):
        entered = db.session.execute(_insert(ActivityPerson).values(scope=scope, hour=hour, user_id=user.id)
                                     .on_conflict_do_nothing())
        if entered.rowcount != 1:
            continue
        first = db.session.execute(_insert(Contributor).values(scope=scope, user_id=user.id, first_hour=hour)
                                   .on_conflict_do_nothing())
        is_new = first.rowcount == 1
        _add(ActivityHour, {"scope": scope, "hour": hour}, active_people=1, new_people=int(is_new))
        if is_new:
            _segments_delta((scope,), segments_of(user), people=1)


# --- votes, comments and answered pairs ----------------------------------------------------

def tally_vote(voter, campaign_id, cast_at, sign):
    """A vote row appears (+1) or goes (-1)."""
    hour, both = hour_of(cast_at), scopes(campaign_id)
    _add_hours(both, hour, votes=sign)
    _contributor_delta(both, voter.id, hour, votes_cast=sign)
    _segments_delta(both, segments_of(voter), votes=sign)


def tally_votes_received(idea, up_delta):
    """The up votes of a published idea changed: its author received more or fewer."""
    if up_delta and idea.content_state is ContentState.PUBLISHED:
        _contributor_delta(scopes(idea.campaign_id), idea.author_id, hour_of(idea.created_at),
                           votes_received=up_delta)


def tally_answer(user, campaign_id, choice, answered_at):
    """A pair was answered: participation always, a vote unless it was "can't decide"."""
    record_participation(user, campaign_id, answered_at)
    if choice is not ComparisonChoice.SKIP:
        tally_vote(user, campaign_id, answered_at, +1)


def tally_comment(comment, author, campaign_id, sign):
    """A comment becomes visible (+1: posted, approved, restored) or stops being so (-1);
    a deleted comment counts for nothing either way."""
    if comment.deleted_at is not None:
        return
    hour, both = hour_of(comment.created_at), scopes(campaign_id)
    _add_hours(both, hour, comments=sign)
    _contributor_delta(both, author.id, hour, comments=sign)
    _segments_delta(both, segments_of(author), comments=sign)


# --- ideas ----------------------------------------------------------------------------------

def _status_stays(idea_id, created_at):
    """An idea's stays in statuses: [(status, entered_at, left_at or None)], oldest first."""
    steps = db.session.execute(select(IdeaStatusChange.to_status, IdeaStatusChange.created_at)
                               .where(IdeaStatusChange.idea_id == idea_id)
                               .order_by(IdeaStatusChange.id)).all()
    stays = []
    for index, step in enumerate(steps):
        left = steps[index + 1].created_at if index + 1 < len(steps) else None
        stays.append((step.to_status, step.created_at, left))
    return stays


def tally_idea(idea_id, sign):
    """Add (+1) or take out (-1) everything a published idea contributes, read afresh from the
    database; an unpublished idea contributes nothing."""
    row = db.session.execute(select(Idea.campaign_id, Idea.author_id, Idea.created_at, Idea.up_count,
                                    Idea.content_state).where(Idea.id == idea_id)).one()
    if row.content_state is not ContentState.PUBLISHED:
        return
    author = db.session.get(User, row.author_id)
    hour = hour_of(row.created_at)
    tag_ids = db.session.scalars(select(idea_tags.c.tag_id).where(idea_tags.c.idea_id == idea_id)).all()
    stays = _status_stays(idea_id, row.created_at)
    for scope in scopes(row.campaign_id):
        _add(ActivityHour, {"scope": scope, "hour": hour}, ideas=sign)
        _contributor_delta((scope,), author.id, hour, ideas=sign, votes_received=sign * row.up_count)
        _segments_delta((scope,), segments_of(author), ideas=sign)
        for tag_id in tag_ids:
            _add(TagTally, {"scope": scope, "tag_id": tag_id}, ideas=sign)
        for status, entered, left in stays:
            if left is None:
                _add(StatusTally, {"scope": scope, "status": status}, ideas=sign,
                     entered_sum=sign * epoch_seconds(entered))
            else:
                _add(StatusTally, {"scope": scope, "status": status}, exits=sign,
                     exit_seconds=sign * max(0, epoch_seconds(left) - epoch_seconds(entered)))


@contextmanager
def retallied(*ideas):
    """Around a change to ideas: take their contribution out first and put it back after, so
    whatever the change touched (state, status, tags, votes) is counted as it ends up."""
    ids = sorted({idea.id for idea in ideas})
    db.session.flush()
    for idea_id in ids:
        tally_idea(idea_id, -1)
    yield
    db.session.flush()
    for idea_id in ids:
        tally_idea(idea_id, +1)


# --- people ---------------------------------------------------------------------------------

def move_person(user, before: dict):
    """A person's kind, department or country changed: move what they contributed to their
    new segments (``before`` is ``segments_of(user)`` from before the change)."""
    after = segments_of(user)
    if after == before:
        return
    for row in db.session.scalars(select(Contributor).where(Contributor.user_id == user.id)):
        counts = {"people": 1, "ideas": row.ideas, "comments": row.comments, "votes": row.votes_cast}
        for dimension in DIMENSIONS:
            if before[dimension] == after[dimension]:
                continue
            _add(SegmentTally, {"scope": row.scope, "dimension": dimension, "value": before[dimension]},
                 **{name: -value for name, value in counts.items()})
            _add(SegmentTally, {"scope": row.scope, "dimension": dimension, "value": after[dimension]},
                 **counts)


# --- recomputation from raw rows ------------------------------------------------------------

TALLY_MODELS = (ActivityHour, Contributor, SegmentTally, TagTally, StatusTally)


def recompute_activity(session=None) -> dict:
    """Every tally worked out again from raw rows (ideas, comments, votes, answered pairs,
    status history, tags, people) and the participation ledger: ``{table name: {key: {column:
    value}}}``, rows of zeros left out. Streams the big tables, so it runs at jam scale."""
    session = session or db.session
    people = {row.id: row for row in session.execute(
        select(User.id, User.kind, User.department, User.country))}

    def segment(user_id):
        person = people[user_id]
        return {"kind": person.kind.value, "department": person.department or "",
                "country": person.country or ""}

    hours = defaultdict(lambda: defaultdict(int))
    contributors = defaultdict(lambda: defaultdict(int))
    segments = defaultdict(lambda: defaultdict(int))
    tags = defaultdict(lambda: defaultdict(int))
    statuses = defaultdict(lambda: defaultdict(int))

    def count(campaign_id, hour, user_id, what, contributor_what):
        for scope in scopes(campaign_id):
            hours[(scope, hour)][what] += 1
            contributors[(scope, user_id)][contributor_what] += 1
            for dimension, value in segment(user_id).items():
                segments[(scope, dimension, value)][what] += 1

    # The ledger: active people per hour, and each person's first hour per scope.
    first_hour = {}
    for row in session.execute(select(ActivityPerson.scope, ActivityPerson.hour, ActivityPerson.user_id)
                               .execution_options(yield_per=20_000)):
        hours[(row.scope, row.hour)]["active_people"] += 1
        key = (row.scope, row.user_id)
        first_hour[key] = min(first_hour.get(key, row.hour), row.hour)
    for (scope, user_id), hour in first_hour.items():
        hours[(scope, hour)]["new_people"] += 1
        contributors[(scope, user_id)]["first_hour"] = hour
        for dimension, value in segment(user_id).items():
            segments[(scope, dimension, value)]["people"] += 1

    published = {}
    for row in session.execute(select(Idea.id, Idea.campaign_id, Idea.author_id, Idea.created_at,
                                      Idea.up_count).where(Idea.content_state == ContentState.PUBLISHED)
                               .execution_options(yield_per=20_000)):
        published[row.id] = row.campaign_id
        count(row.campaign_id, hour_of(row.created_at), row.author_id, "ideas", "ideas")
        for scope in scopes(row.campaign_id):
            contributors[(scope, row.author_id)]["votes_received"] += row.up_count
    campaign_of_idea = dict(session.execute(select(Idea.id, Idea.campaign_id)).tuples().all())
    for row in session.execute(select(Comment.idea_id, Comment.author_id, Comment.created_at)
                               .where(Comment.content_state == ContentState.PUBLISHED,
                                      Comment.deleted_at.is_(None)).execution_options(yield_per=20_000)):
        count(campaign_of_idea[row.idea_id], hour_of(row.created_at), row.author_id, "comments", "comments")
    for row in session.execute(select(Vote.idea_id, Vote.user_id, Vote.created_at)
                               .execution_options(yield_per=50_000)):
        count(campaign_of_idea[row.idea_id], hour_of(row.created_at), row.user_id, "votes", "votes_cast")
    for row in session.execute(select(Comparison.campaign_id, Comparison.user_id, Comparison.answered_at)
                               .where(Comparison.choice.in_([ComparisonChoice.LEFT, ComparisonChoice.RIGHT]))
                               .execution_options(yield_per=20_000)):
        count(row.campaign_id, hour_of(row.answered_at), row.user_id, "votes", "votes_cast")
    for row in session.execute(select(idea_tags.c.idea_id, idea_tags.c.tag_id)):
        if row.idea_id in published:
            for scope in scopes(published[row.idea_id]):
                tags[(scope, row.tag_id)]["ideas"] += 1
    steps = defaultdict(list)
    for row in session.execute(select(IdeaStatusChange.idea_id, IdeaStatusChange.to_status,
                                      IdeaStatusChange.created_at).order_by(IdeaStatusChange.id)
                               .execution_options(yield_per=20_000)):
        if row.idea_id in published:
            steps[row.idea_id].append((row.to_status, row.created_at))
    for idea_id, history in steps.items():
        for index, (status, entered) in enumerate(history):
            for scope in scopes(published[idea_id]):
                tally = statuses[(scope, status)]
                if index + 1 < len(history):
                    tally["exits"] += 1
                    tally["exit_seconds"] += max(0, epoch_seconds(history[index + 1][1]) - epoch_seconds(entered))
                else:
                    tally["ideas"] += 1
                    tally["entered_sum"] += epoch_seconds(entered)
    for counts in contributors.values():
        counts["points"] = (POINTS_PER_IDEA * counts["ideas"] + POINTS_PER_COMMENT * counts["comments"]
                            + POINTS_PER_VOTE_RECEIVED * counts["votes_received"])

    def nonzero(table):
        kept = {key: {name: value for name, value in values.items() if value or name == "first_hour"}
                for key, values in table.items()}
        return {key: values for key, values in kept.items() if values}

    return {"activity_hours": nonzero(hours), "contributors": nonzero(contributors),
            "segment_tallies": nonzero(segments), "tag_tallies": nonzero(tags),
            "status_tallies": nonzero({(scope, status.value): values
                                       for (scope, status), values in statuses.items()})}


def stored_activity(session=None) -> dict:
    """The tallies as stored, in the shape of ``recompute_activity`` (rows of zeros left out)."""
    session = session or db.session
    keys = {"activity_hours": ("scope", "hour"), "contributors": ("scope", "user_id"),
            "segment_tallies": ("scope", "dimension", "value"), "tag_tallies": ("scope", "tag_id"),
            "status_tallies": ("scope", "status")}
    stored = {}
    for model in TALLY_MODELS:
        name = model.__tablename__
        table = {}
        for row in session.execute(select(model.__table__)).mappings():
            key = tuple(row[column] for column in keys[name])
            if name == "status_tallies":
                key = (key[0], key[1].value if hasattr(key[1], "value") else key[1])
            values = {column: row[column] for column in row.keys() if column not in keys[name]}
            if name == "contributors" or any(values.values()):
                table[key] = {column: value for column, value in values.items() if value or column == "first_hour"}
        stored[name] = table
    return stored


def rebuild_activity(session=None):
    """Replace every tally with its recomputation from raw rows (after a bulk import, or to
    repair); the participation ledger first gains every act still on record."""
    session = session or db.session
    _backfill_ledger(session)
    computed = recompute_activity(session)
    for model in TALLY_MODELS:
        session.execute(delete(model))
    shapes = {"activity_hours": (ActivityHour, ("scope", "hour")),
              "contributors": (Contributor, ("scope", "user_id")),
              "segment_tallies": (SegmentTally, ("scope", "dimension", "value")),
              "tag_tallies": (TagTally, ("scope", "tag_id")),
              "status_tallies": (StatusTally, ("scope", "status"))}
    for name, (model, key_names) in shapes.items():
        zeros = {column.name: 0 for column in model.__table__.columns if column.name not in key_names}
        rows = [dict(zeros, **dict(zip(key_names, key)), **values) for key, values in computed[name].items()]
        if name == "status_tallies":
            for row in rows:
                row["status"] = IdeaStatus(row["status"])
        for start in range(0, len(rows), 20_000):
            session.execute(model.__table__.insert(), rows[start:start + 20_000])
    session.commit()


def _backfill_ledger(session):
    """Put every surviving act (idea, comment, vote, answered pair) into the ledger."""
    acts = set()
    campaign_of_idea = dict(session.execute(select(Idea.id, Idea.campaign_id)).tuples().all())
    for row in session.execute(select(Idea.campaign_id, Idea.author_id, Idea.created_at)):
        acts.update((scope, hour_of(row.created_at), row.author_id) for scope in scopes(row.campaign_id))
    for row in session.execute(select(Comment.idea_id, Comment.author_id, Comment.created_at)
                                  .execution_options(yield_per=20_000)):
        acts.update((scope, hour_of(row.created_at), row.author_id)
                    for scope in scopes(campaign_of_idea[row.idea_id]))
    for row in session.execute(select(Vote.idea_id, Vote.user_id, Vote.created_at)
                                  .execution_options(yield_per=50_000)):
        acts.update((scope, hour_of(row.created_at), row.user_id)
                    for scope in scopes(campaign_of_idea[row.idea_id]))
    for row in session.execute(select(Comparison.campaign_id, Comparison.user_id, Comparison.answered_at)
                                  .where(Comparison.answered_at.is_not(None))):
        acts.update((scope, hour_of(row.answered_at), row.user_id) for scope in scopes(row.campaign_id))
    acts.difference_update(session.execute(
        select(ActivityPerson.scope, ActivityPerson.hour, ActivityPerson.user_id)).tuples().all())
    rows = [{"scope": scope, "hour": hour, "user_id": user_id} for scope, hour, user_id in sorted(acts)]
    for start in range(0, len(rows), 20_000):
        session.execute(ActivityPerson.__table__.insert(), rows[start:start + 20_000])
