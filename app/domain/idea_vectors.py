"""Ideas' meaning vectors in the database: read for look-ups and refreshes, written once
after an idea is posted or edited.

A server process notes the ideas posted or edited through it (``note_changes``, a
subscriber of ``domain.events``) and ``encode_noted_ideas``, run by its background loop
(``app.realtime``), encodes them in one batch through ``app.offload`` (a child process:
never in a request, never in the event loop) and stores them. Posting an idea therefore
costs nothing more. Whatever is still missing (ideas posted through another process that
stopped first, or before vectors existed) is computed by the next index build or theme
refresh that reads it, and stored then: each idea is encoded once per text.
"""
import threading

import numpy as np
from flask import current_app
from sqlalchemy import delete, insert, select

from app import offload
from app.domain import embedding, events
from app.extensions import db
from app.models import Idea, IdeaVector

PAGE = 500
# Ideas encoded per child process: a few seconds of work on a quiet core, well inside the
# child's time limit on a busy one.
BATCH = 2_000
# Kinds of stream entries after which an idea's text may be new.
TEXT_KINDS = ("idea.created", "idea.edited", "idea.restored")


class _Noted:
    def __init__(self):
        self.ids = set()
        self.lock = threading.Lock()


def _noted() -> _Noted:
    store = current_app.extensions.get("idea_vectors")
    if store is None:
        store = current_app.extensions.setdefault("idea_vectors", _Noted())
    return store


def note_changes(kind, data):
    """Subscriber of ``domain.events``: remember ideas whose text is new in this process."""
    if kind != "campaign" or data.get("kind") not in TEXT_KINDS or not data.get("idea_id"):
        return
    try:
        store = _noted()
    except RuntimeError:  # no app context: nothing to note
        return
    with store.lock:
        store.ids.add(int(data["idea_id"]))


events.subscribe(note_changes)


def stored_vectors(rows):
    """The stored, up-to-date vectors of (id, title, body) rows: a list in their order,
    None where there is none or the text changed since."""
    rows = list(rows)
    found = {}
    ids = [row[0] for row in rows]
    for start in range(0, len(ids), PAGE):
        found.update((idea_id, (digest, vector)) for idea_id, digest, vector in db.session.execute(
            select(IdeaVector.idea_id, IdeaVector.digest, IdeaVector.vector)
            .where(IdeaVector.idea_id.in_(ids[start:start + PAGE]))))
    out = []
    for idea_id, title, body in rows:
        digest, data = found.get(idea_id, (None, None))
        out.append(embedding.from_bytes(data) if digest == embedding.digest(title, body) else None)
    return out


def store_vectors(items):
    """Keep vectors: items of (idea id, campaign id, title, body, vector)."""
    items = list(items)
    for start in range(0, len(items), PAGE):
        part = items[start:start + PAGE]
        db.session.execute(delete(IdeaVector).where(IdeaVector.idea_id.in_([item[0] for item in part])))
        db.session.execute(insert(IdeaVector), [
            {"idea_id": idea_id, "campaign_id": campaign_id, "digest": embedding.digest(title, body),
             "vector": embedding.to_bytes(vector)}
            for idea_id, campaign_id, title, body, vector in part])
    db.session.commit()


def encode_ideas(idea_ids):
    """Compute and store the vectors of these ideas whose stored one is missing or out of
    date (the encoder runs through ``app.offload``). Returns how many were computed."""
    rows = []
    ids = sorted(set(idea_ids))
    for start in range(0, len(ids), PAGE):
        rows.extend(db.session.execute(
            select(Idea.id, Idea.campaign_id, Idea.title, Idea.body)
            .where(Idea.id.in_(ids[start:start + PAGE]))).all())
    current = stored_vectors([(idea_id, title, body) for idea_id, _c, title, body in rows])
    todo = [row for row, vector in zip(rows, current) if vector is None]
    db.session.commit()  # nothing held open while the encoder runs
    if not todo:
        return 0
    for start in range(0, len(todo), BATCH):
        part = todo[start:start + BATCH]
        vectors = offload.run(embedding.encode_ideas, [(title, body) for _i, _c, title, body in part])
        store_vectors((idea_id, campaign_id, title, body, vector)
                      for (idea_id, campaign_id, title, body), vector in zip(part, vectors))
    return len(todo)


def encode_noted_ideas():
    """Encode and store the ideas posted or edited through this process since the last
    call (the server's background loop calls it every few seconds)."""
    store = _noted()
    with store.lock:
        ids, store.ids = store.ids, set()
    if not ids:
        return 0
    try:
        return encode_ideas(ids)
    except Exception:
        with store.lock:  # try again next time
            store.ids.update(ids)
        raise


# More missing vectors than this are computed and stored in batches before a computation
# that needs them (after an upgrade, say), not inside it.
BACKFILL_OVER = 50


def with_vectors(rows, *, backfill=True):
    """(id, title, body, vector or None) from (id, title, body) rows. With ``backfill``
    (never in a request: it writes and commits), many missing vectors are computed and
    stored first (``encode_ideas``, in batches)."""
    rows = list(rows)
    vectors = stored_vectors(rows)
    missing = [row[0] for row, vector in zip(rows, vectors) if vector is None]
    if backfill and len(missing) > BACKFILL_OVER:
        encode_ideas(missing)
        vectors = stored_vectors(rows)
    return [(*row, vector) for row, vector in zip(rows, vectors)]


def keep_computed(campaign_id, rows, vectors):
    """Store the vectors a computation made for rows that had none: ``rows`` are (id,
    title, body, vector or None) as given to it, ``vectors`` its result, row for row."""
    missing = [(row[0], campaign_id, row[1], row[2], np.asarray(vector))
               for row, vector in zip(rows, vectors) if row[3] is None]
    if missing:
        store_vectors(missing)
    return len(missing)
