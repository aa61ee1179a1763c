"""Domain events: what happened, recorded inside the transaction that made it happen.

A change appends an entry to its campaign's stream (``CampaignEvent``, numbered by
``Campaign.event_seq``) in its own transaction, and queues the entry on the session.
Subscribers receive the entries only after that transaction commits; a rollback drops
them. The domain knows nothing of sockets: ``app.realtime`` subscribes and delivers.
"""
from sqlalchemy import event as sa_event
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.clock import utcnow
from app.extensions import db
from app.models import Campaign, CampaignEvent, EventVisibility

_subscribers = []
_PENDING = "pending_domain_events"


def subscribe(callback):
    """Call ``callback(kind, data)`` after each commit that recorded an event."""
    if callback not in _subscribers:
        _subscribers.append(callback)


def unsubscribe(callback):
    if callback in _subscribers:
        _subscribers.remove(callback)


def _queue(kind, data):
    db.session.info.setdefault(_PENDING, []).append((kind, data))


def next_seq(campaign_id) -> int:
    """Take the next number of a campaign's stream, inside the current transaction.

    The UPDATE locks the campaign row until commit (PostgreSQL) or holds SQLite's single
    write lock, so numbers are gapless and committed in order.
    """
    return db.session.execute(
        update(Campaign).where(Campaign.id == campaign_id)
        .values(event_seq=Campaign.event_seq + 1).returning(Campaign.event_seq)
    ).scalar_one()


def record_campaign_event(campaign_id, kind, payload, *, idea_id=None, comment_id=None,
                          visibility=EventVisibility.PUBLIC, dedupe_key=None, seq=None):
    """Append an entry to a campaign's stream; it is delivered once the transaction commits.

    ``seq`` is for callers that took the number earlier in the same transaction."""
    seq = seq if seq is not None else next_seq(campaign_id)
    entry = CampaignEvent(campaign_id=campaign_id, seq=seq, kind=kind,
                          idea_id=idea_id, comment_id=comment_id, visibility=visibility,
                          payload=payload, dedupe_key=dedupe_key, created_at=utcnow())
    db.session.add(entry)
    # Queued as plain data: after commit the ORM object is expired and must not be touched.
    _queue("campaign", {"campaign_id": campaign_id, "seq": entry.seq, "kind": kind,
                        "idea_id": idea_id, "visibility": visibility, "payload": payload})
    return entry


# Entries that carry the words of an idea or a comment.
CONTENT_KINDS = ("idea.created", "idea.edited", "idea.restored", "comment.created",
                 "comment.edited", "comment.restored")


def withdraw_content(*, idea_id=None, comment_id=None):
    """Make the stream's entries carrying this idea's (and its comments') or this comment's
    words moderators-only, inside the caller's transaction: a catch-up then returns
    placeholders to everyone else. Withdrawal is one-way; restoring records a new entry."""
    condition = (CampaignEvent.comment_id == comment_id if comment_id is not None
                 else CampaignEvent.idea_id == idea_id)
    db.session.execute(update(CampaignEvent)
                       .where(condition, CampaignEvent.kind.in_(CONTENT_KINDS))
                       .values(visibility=EventVisibility.MODERATORS))


def record_personal_event(user_id, kind, payload):
    """Queue a message for one person (e.g. a new notification), sent after commit."""
    _queue("personal", {"user_id": user_id, "kind": kind, "payload": payload})


def record_change(kind, payload):
    """Queue a transport-neutral signal (e.g. "votes changed on idea 7") for after commit."""
    _queue(kind, payload)


def events_after(campaign_id, after_seq, *, include_moderated, limit=500):
    """Stream entries after ``after_seq``, oldest first. Entries a viewer may not see are
    returned as bare placeholders, so their numbers still arrive and no gap appears."""
    rows = db.session.scalars(
        select(CampaignEvent).where(CampaignEvent.campaign_id == campaign_id,
                                    CampaignEvent.seq > after_seq)
        .order_by(CampaignEvent.seq).limit(limit)
    ).all()
    return [serialize_event(row, include_moderated=include_moderated) for row in rows]


def serialize_event(entry, *, include_moderated):
    """The form in which an entry reaches a client (a dict queued at record time, or a row)."""
    get = entry.get if isinstance(entry, dict) else lambda name: getattr(entry, name)
    if get("visibility") is EventVisibility.MODERATORS and not include_moderated:
        return {"campaign_id": get("campaign_id"), "seq": get("seq"), "kind": "skip"}
    return {"campaign_id": get("campaign_id"), "seq": get("seq"), "kind": get("kind"),
            "idea_id": get("idea_id"), "payload": get("payload")}


def current_seq(campaign_id) -> int:
    return db.session.scalar(select(Campaign.event_seq).where(Campaign.id == campaign_id)) or 0


@sa_event.listens_for(Session, "after_commit")
def _deliver(session):
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    for kind, data in pending:
        for callback in list(_subscribers):
            callback(kind, data)


@sa_event.listens_for(Session, "after_soft_rollback")
def _discard(session, previous_transaction):
    session.info.pop(_PENDING, None)
