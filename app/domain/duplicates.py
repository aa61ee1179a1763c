"""Similar ideas while a person writes, and likely duplicates for the moderators.

``find_similar_ideas`` answers "which ideas of this campaign are most like these words?"
from an index kept in each server process (``similarity.SimilarityIndex``): built from
the campaign's ideas and their stored meaning vectors (``domain.idea_vectors``) on first
use, then kept current on every look-up by adding the ideas posted since (one indexed
query for ids above the newest it holds) and re-reading those edited in this process. A
look-up never rebuilds an index: the server's background loop does, when it is old
(``INDEX_MAX_AGE``, so edits made through other processes show) or has grown by a share
(``REBUILD_SHARE``). Whether an idea may be suggested is never taken from the index: each
look-up asks the database which of the candidates are published and not merged, so a
hidden idea disappears from suggestions at once.

``list_duplicate_pairs`` gives moderators the pairs of ideas most alike, from each idea's
nearest idea as found by the last theme refresh (``domain.themes``). Both read one score
(``similarity.combine``): the look-up shows a pair the number the queue shows for it.
"""
import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import offload
from app.domain import campaigns, embedding, events, idea_vectors, ideas, permissions, similarity
from app.domain.clock import utcnow
from app.domain.errors import PermissionDenied
from app.domain.text import clean_block, clean_line
from app.extensions import db
from app.models import Campaign, ContentState, Idea, IdeaStatus, ThemeIdea

SIMILAR_LIMIT = 5
SIMILAR_MAX = 10
SNIPPET_LENGTH = 160
# An index older than this is rebuilt (in the background, by the server's refresh loop), so
# edits made through other server processes show.
INDEX_MAX_AGE = 600.0
# So is one holding more ideas added since its build than this share of it (their words
# unknown to the index's weights do not count until then).
REBUILD_SHARE = 0.05
REBUILD_MIN = 20
LOAD_PAGE = 5_000
# Campaigns up to this many ideas are indexed in the calling thread (in milliseconds, once
# their vectors are stored); larger ones through ``app.offload``.
SMALL_INDEX = 500
# Ideas in the other language offered on an idea's page.
OTHER_LANGUAGE_LIMIT = 3
PAIRS_LIMIT = 20
PAIRS_MAX = 100
# Kinds of stream entries after which an idea's words in the index may be out of date.
_TEXT_KINDS = ("idea.edited", "idea.restored", "idea.created")


@dataclass
class SimilarIdea:
    idea: Idea
    similarity: float

    @property
    def snippet(self):
        return snippet(self.idea.body)


@dataclass
class DuplicatePair:
    """Two published ideas of one campaign, ``older`` posted first, and their similarity."""

    older: Idea
    newer: Idea
    similarity: float


def snippet(body, length=SNIPPET_LENGTH):
    text = clean_line(body)
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def suggestable_clause():
    """SQL condition: an idea others may be pointed to (published, not merged away)."""
    return (ideas.published_clause() & Idea.merged_into_id.is_(None)
            & (Idea.status != IdeaStatus.DUPLICATE))


class _Indexes:
    """This process's similar-idea indexes of one app, by campaign id."""

    def __init__(self):
        self.entries = {}  # campaign id -> (SimilarityIndex, monotonic build time)
        self.edited = {}  # campaign id -> ids of ideas whose words changed here
        self.lock = threading.Lock()
        self.building = {}  # campaign id -> lock held while building


def _indexes() -> _Indexes:
    store = current_app.extensions.get("similar_ideas")
    if store is None:
        store = current_app.extensions.setdefault("similar_ideas", _Indexes())
    return store


def note_changes(kind, data):
    """Subscriber of ``domain.events``: remember ideas whose words changed in this process."""
    if kind != "campaign" or data.get("kind") not in _TEXT_KINDS or not data.get("idea_id"):
        return
    try:
        store = _indexes()
    except RuntimeError:  # no app context: nothing of ours to keep current
        return
    with store.lock:
        if data["campaign_id"] in store.entries:
            store.edited.setdefault(data["campaign_id"], set()).add(data["idea_id"])


events.subscribe(note_changes)


def _texts(campaign_id, after_id=0, only=None, pause=None):
    """(id, title, body) of a campaign's ideas with ids above ``after_id`` (or of ``only``),
    by pages, so a big campaign is read in steps (``pause`` runs between them)."""
    rows = []
    while True:
        stmt = (select(Idea.id, Idea.title, Idea.body)
                .where(Idea.campaign_id == campaign_id, Idea.id > after_id)
                .order_by(Idea.id).limit(LOAD_PAGE))
        if only is not None:
            stmt = stmt.where(Idea.id.in_(sorted(only)))
        page = db.session.execute(stmt).all()
        rows.extend(tuple(row) for row in page)
        if len(page) < LOAD_PAGE:
            return rows
        after_id = page[-1][0]
        if pause:
            pause()


def build_index(campaign_id, *, pause=None, since=None, store=True):
    """Build a campaign's index afresh and keep it; the computation goes through
    ``app.offload`` unless the campaign is small. With ``store`` (the background rebuilds),
    vectors it had to compute are stored; a request's first look-up leaves that to the
    background and writes nothing. Requests waiting for the same build share it; with
    ``since`` (a monotonic time), an index built after then is kept as it is."""
    indexes = _indexes()
    with indexes.lock:
        building = indexes.building.setdefault(campaign_id, threading.Lock())
    with building:
        with indexes.lock:
            entry = indexes.entries.get(campaign_id)
        if entry is not None and since is not None and entry[1] >= since:
            return entry[0]
        started = time.monotonic()
        rows = idea_vectors.with_vectors(_texts(campaign_id, pause=pause), backfill=store)
        build = similarity.SimilarityIndex.build
        index = build(rows) if len(rows) <= SMALL_INDEX else offload.run(build, rows)
        if store:
            idea_vectors.keep_computed(campaign_id, rows, index.meaning)
        with indexes.lock:
            indexes.entries[campaign_id] = (index, started)
            indexes.edited.pop(campaign_id, None)
    return index


def _add_to_index(index, rows):
    """Add (id, title, body) rows to an index, with their stored vectors (any missing one
    is computed here: the few ideas posted in the seconds before their vector was)."""
    rows = idea_vectors.with_vectors(rows, backfill=False)
    if not rows:
        return
    vectors = similarity.fill_vectors([(title, body, vector) for _id, title, body, vector in rows])
    for (idea_id, title, body, _vector), vector in zip(rows, vectors):
        index.add(idea_id, title, body, vector)


def _current_index(campaign_id):
    store = _indexes()
    asked = time.monotonic()
    with store.lock:
        entry = store.entries.get(campaign_id)
    if entry is None:
        return build_index(campaign_id, since=asked - INDEX_MAX_AGE, store=False)
    index = entry[0]
    with store.lock:
        edited = store.edited.pop(campaign_id, set())
    _add_to_index(index, _texts(campaign_id, index.max_id))
    if edited:
        _add_to_index(index, _texts(campaign_id, only=edited))
    return index


def indexes_due():
    """Campaign ids whose index is old or holds many ideas added since its build."""
    store = _indexes()
    now = time.monotonic()
    with store.lock:
        return sorted(campaign_id for campaign_id, (index, built) in store.entries.items()
                      if now - built > INDEX_MAX_AGE
                      or index.pending >= max(REBUILD_MIN, REBUILD_SHARE * index.built_size))


def large_open_campaigns():
    """Ids of open campaigns too large to index within a request (a server builds theirs at
    start-up)."""
    return list(db.session.scalars(select(Campaign.id).where(
        Campaign.idea_count > SMALL_INDEX, Campaign.ends_at > utcnow()).order_by(Campaign.id)))


def forget_indexes():
    """Drop every index of this app (they are rebuilt on the next look-up)."""
    store = _indexes()
    with store.lock:
        store.entries.clear()
        store.edited.clear()


def _limit(value, default, maximum):
    if isinstance(value, int) and not isinstance(value, bool):
        return max(1, min(value, maximum))
    return default


def find_similar_ideas(viewer, campaign_id, *, title="", body="", limit=SIMILAR_LIMIT):
    """The published ideas of a campaign most like ``title`` and ``body``, most similar
    first: [SimilarIdea]. Anyone who may view the campaign may ask; nothing a viewer may
    not see is ever returned (pending, hidden and merged ideas are left out)."""
    campaign = campaigns.get_campaign(viewer, campaign_id)
    limit = _limit(limit, SIMILAR_LIMIT, SIMILAR_MAX)
    title = clean_line(title)[:ideas.TITLE_MAX]
    body = clean_block(body)[:ideas.BODY_MAX]
    if not similarity.features(title, body) and not (title + body).strip():
        return []
    index = _current_index(campaign.id)
    candidates = index.most_similar(title, body, embedding.encode_ideas([(title, body)])[0],
                                    limit=limit * 4 + 20, min_score=similarity.SUGGESTION_THRESHOLD)
    return _shown(campaign.id, candidates)[:limit]


def _shown(campaign_id, candidates, exclude=()):
    """SimilarIdea of the candidates [(id, score)] that may be suggested, in their order."""
    if not candidates:
        return []
    shown = {idea.id: idea for idea in db.session.scalars(
        select(Idea).where(Idea.id.in_([idea_id for idea_id, _ in candidates]),
                           Idea.campaign_id == campaign_id, suggestable_clause()))}
    return [SimilarIdea(shown[idea_id], score) for idea_id, score in candidates
            if idea_id in shown and idea_id not in exclude]


def find_other_language_ideas(viewer, idea, *, limit=OTHER_LANGUAGE_LIMIT):
    """The published ideas of ``idea``'s campaign most like it that are written in the
    other language (English for a Chinese idea and the reverse), most similar first, at
    least ``similarity.SUGGESTION_THRESHOLD`` alike: what the idea's page offers readers
    of the other language. Nothing a viewer may not see is returned. [SimilarIdea]"""
    campaign = campaigns.get_campaign(viewer, idea.campaign_id)
    limit = _limit(limit, OTHER_LANGUAGE_LIMIT, SIMILAR_MAX)
    chinese = similarity.is_chinese(idea.title, idea.body)
    index = _current_index(campaign.id)
    vector = idea_vectors.stored_vectors([(idea.id, idea.title, idea.body)])[0]
    candidates = index.most_similar(idea.title, idea.body, vector, limit=limit * 8 + 20,
                                    min_score=similarity.SUGGESTION_THRESHOLD)
    found = [item for item in _shown(campaign.id, candidates, exclude={idea.id})
             if similarity.is_chinese(item.idea.title, item.idea.body) != chinese]
    return found[:limit]


def list_duplicate_pairs(actor, *, campaign_id=None, limit=PAIRS_LIMIT,
                         threshold=similarity.DUPLICATE_THRESHOLD):
    """Likely duplicates for moderators, most similar first: pairs of published, unmerged
    ideas where one is the other's nearest idea and they are at least ``threshold``
    alike (as of the last theme refresh). ``campaign_id`` (id or slug) narrows to one
    campaign. [DuplicatePair]"""
    if not permissions.can_moderate(actor):
        raise PermissionDenied()
    limit = _limit(limit, PAIRS_LIMIT, PAIRS_MAX)
    twin = aliased(Idea)
    stmt = (select(ThemeIdea.idea_id, ThemeIdea.twin_id, ThemeIdea.twin_score)
            .join(Idea, Idea.id == ThemeIdea.idea_id)
            .join(twin, twin.id == ThemeIdea.twin_id)
            .where(ThemeIdea.twin_score >= threshold, suggestable_clause(),
                   twin.content_state == ContentState.PUBLISHED, twin.merged_into_id.is_(None),
                   twin.status != IdeaStatus.DUPLICATE, twin.campaign_id == Idea.campaign_id))
    if campaign_id not in (None, ""):
        campaign = campaigns.get_campaign(actor, campaign_id)
        stmt = stmt.where(ThemeIdea.campaign_id == campaign.id)
    else:
        stmt = stmt.join(Campaign, Campaign.id == ThemeIdea.campaign_id).where(
            campaigns.visible_campaigns_clause(actor))
    rows = db.session.execute(stmt.order_by(ThemeIdea.twin_score.desc(), ThemeIdea.idea_id)
                              .limit(limit * 2)).all()
    pairs, seen = [], set()
    for idea_id, twin_id, score in rows:
        key = frozenset((idea_id, twin_id))
        if key in seen:
            continue
        seen.add(key)
        pairs.append((min(idea_id, twin_id), max(idea_id, twin_id), score))
        if len(pairs) == limit:
            break
    loaded = {idea.id: idea for idea in db.session.scalars(
        select(Idea).where(Idea.id.in_({i for pair in pairs for i in pair[:2]})))}
    return [DuplicatePair(older=loaded[a], newer=loaded[b], similarity=score) for a, b, score in pairs]
