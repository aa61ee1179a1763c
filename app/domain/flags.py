"""Flags: participants report ideas and comments; moderators work through the queue.

A flag names a reason (off-topic, abusive, duplicate, confidential, or other with a note).
The queue groups open flags by the item they point at, most-flagged and oldest first, and
lets moderators search, filter and act on many items at once (see ``moderation``).
"""
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, func, or_, select, update

from app.domain import campaigns, comments, events, ideas, limits, permissions, search
from app.domain.clock import utcnow
from app.domain.errors import AuthenticationRequired, Conflict, NotFound, PermissionDenied
from app.domain.paging import Page
from app.domain.text import clean_block, clean_line
from app.domain.validation import FieldErrors
from app.extensions import db
from app.models import Comment, EventVisibility, Flag, FlagOutcome, FlagReason, Idea

NOTE_MAX = 1_000
PER_PAGE = 25
PER_PAGE_MAX = 100
QUERY_MAX = 200


def idea_key(idea_id) -> str:
    return f"idea:{idea_id}"


def comment_key(comment_id) -> str:
    return f"comment:{comment_id}"


def parse_reason(value, errors):
    try:
        return value if isinstance(value, FlagReason) else FlagReason(value)
    except ValueError:
        errors.add("reason", _l("Choose a reason: off-topic, abusive, duplicate, confidential or other."))
        return None


def _validated(reason, note):
    errors = FieldErrors()
    reason = parse_reason(reason, errors)
    note = clean_block(note) if isinstance(note, str) else ""
    if reason is FlagReason.OTHER and not note:
        errors.add("note", _l("Tell the moderators what is wrong."))
    elif len(note) > NOTE_MAX:
        errors.add("note", _l("Use at most %(n)d characters.", n=NOTE_MAX))
    errors.raise_if_any()
    return reason, note


def flag_idea(user, idea_id, *, reason, note=""):
    """Report an idea to the moderators, once per person. Not one's own."""
    idea = ideas.get_idea(user, idea_id)
    return _flag(user, idea, None, reason, note)


def flag_comment(user, comment_id, *, reason, note=""):
    """Report a comment to the moderators, once per person. Not one's own."""
    comment = comments.get_comment(user, comment_id)
    if comments.is_withheld(user, comment):
        raise NotFound(_l("We could not find that comment."))
    return _flag(user, db.session.get(Idea, comment.idea_id), comment, reason, note)


def _flag(user, idea, comment, reason, note):
    if not permissions.is_authenticated(user):
        raise AuthenticationRequired()
    target = comment or idea
    if not permissions.can_flag(user, target):
        raise PermissionDenied(_l("You cannot flag your own post."), code="own_post")
    reason, note = _validated(reason, note)
    key = comment_key(comment.id) if comment else idea_key(idea.id)
    if db.session.scalar(select(Flag.id).where(Flag.reporter_id == user.id, Flag.target_key == key)):
        raise Conflict(_l("You have already flagged this."), code="already_flagged")
    limits.ensure_within_limit(user, idea.campaign, limits.FLAGS)
    flag = Flag(campaign_id=idea.campaign_id, idea_id=idea.id,
                comment_id=comment.id if comment else None, target_key=key, reporter_id=user.id,
                reason=reason, note=note, created_at=utcnow())
    db.session.add(flag)
    db.session.flush()
    # Moderators' queues update live; nobody else learns that something was flagged.
    events.record_campaign_event(idea.campaign_id, "flag.created",
                                 {"target": key, "open_flags": open_flag_count(key)},
                                 idea_id=idea.id, visibility=EventVisibility.MODERATORS)
    db.session.commit()
    return flag


def open_flag_count(key) -> int:
    return db.session.scalar(select(func.count()).select_from(Flag)
                             .where(Flag.target_key == key, Flag.resolved_at.is_(None)))


def resolve_flags(actor, key, outcome):
    """Close the open flags on one item, inside the caller's transaction; returns how many."""
    result = db.session.execute(
        update(Flag).where(Flag.target_key == key, Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=actor.id, outcome=outcome))
    return result.rowcount


# --- the queue -----------------------------------------------------------------------------

@dataclass
class QueueItem:
    key: str
    idea: Idea
    comment: Comment | None
    flag_count: int
    first_flagged_at: object
    reasons: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)

    @property
    def kind(self):
        return "comment" if self.comment is not None else "idea"


class QueuePage(Page):
    """A page of the flag queue (or of posts waiting for approval)."""


QUEUE_KINDS = ("idea", "comment")


def _bounded(errors, name, value, default, high):
    if value in (None, ""):
        return default
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= high:
        return value
    errors.add(name, _l("Enter a whole number from %(low)d to %(high)d.", low=1, high=high))
    return default


def list_flag_queue(user, *, campaign_id=None, kind=None, reason=None, q=None, page=1,
                    per_page=PER_PAGE, strict=False):
    """Flagged items with open flags, most-flagged first, then longest waiting.

    Filters: a campaign (id or slug), the kind of item ("idea" or "comment"), a reason,
    and words found in the idea or comment. ``strict`` (the API) reports bad filters.
    """
    if not permissions.is_moderator(user):
        raise PermissionDenied()
    errors = FieldErrors()
    campaign = campaigns.get_campaign(user, campaign_id) if campaign_id not in (None, "") else None
    if kind in ("", None):
        kind = None
    elif kind not in QUEUE_KINDS:
        errors.add("kind", _l("Choose ideas or comments."))
        kind = None
    reason = parse_reason(reason, errors) if reason not in (None, "") else None
    q = clean_line(q) if isinstance(q, str) else ""
    if len(q) > QUERY_MAX:
        errors.add("q", _l("Use at most %(n)d characters.", n=QUERY_MAX))
        q = q[:QUERY_MAX]
    page = _bounded(errors, "page", page, 1, 1_000_000)
    per_page = _bounded(errors, "per_page", per_page, PER_PAGE, PER_PAGE_MAX)
    if strict:
        errors.raise_if_any()

    conditions = [Flag.resolved_at.is_(None)]
    if campaign is not None:
        conditions.append(Flag.campaign_id == campaign.id)
    if kind == "idea":
        conditions.append(Flag.comment_id.is_(None))
    elif kind == "comment":
        conditions.append(Flag.comment_id.is_not(None))
    if reason is not None:  # items with at least one open flag for this reason
        conditions.append(Flag.target_key.in_(
            select(Flag.target_key).where(Flag.reason == reason, Flag.resolved_at.is_(None))))
    if q:
        matching_ideas = search.matching_idea_ids(q) or []
        text_match = [Flag.comment_id.in_(select(Comment.id).where(Comment.body.contains(q)))]
        idea_match = Flag.comment_id.is_(None)
        for ids in matching_ideas:
            idea_match = and_(idea_match, Flag.idea_id.in_(ids))
        conditions.append(or_(idea_match if matching_ideas else false(), *text_match))

    grouped = (select(Flag.target_key, Flag.idea_id, func.max(Flag.comment_id).label("comment_id"),
                      func.count().label("flags"), func.min(Flag.created_at).label("first"))
               .where(*conditions).group_by(Flag.target_key, Flag.idea_id))
    total = db.session.scalar(select(func.count()).select_from(grouped.subquery()))
    rows = db.session.execute(grouped.order_by(func.count().desc(), func.min(Flag.created_at),
                                               Flag.target_key)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return QueuePage(items=_queue_items(rows), total=total, page=page, per_page=per_page)


def _queue_items(rows):
    keys = [row.target_key for row in rows]
    details = db.session.execute(select(Flag.target_key, Flag.reason, Flag.note)
                                 .where(Flag.target_key.in_(keys), Flag.resolved_at.is_(None))
                                 .order_by(Flag.id)).all() if keys else []
    reasons, notes = {}, {}
    for key, reason, note in details:
        reasons.setdefault(key, Counter())[reason] += 1
        if note:
            notes.setdefault(key, []).append(note)
    idea_rows = {i.id: i for i in db.session.scalars(
        select(Idea).where(Idea.id.in_({row.idea_id for row in rows})))} if rows else {}
    comment_rows = {c.id: c for c in db.session.scalars(
        select(Comment).where(Comment.id.in_({row.comment_id for row in rows if row.comment_id})))}
    return [QueueItem(key=row.target_key, idea=idea_rows[row.idea_id],
                      comment=comment_rows.get(row.comment_id) if row.comment_id else None,
                      flag_count=row.flags, first_flagged_at=row.first,
                      reasons=reasons.get(row.target_key, Counter()),
                      notes=notes.get(row.target_key, [])[-3:])
            for row in rows]


def flagged_by(user, keys):
    """Which of these items the person has flagged already (to show "Flagged")."""
    if not permissions.is_authenticated(user) or not keys:
        return set()
    return set(db.session.scalars(select(Flag.target_key).where(Flag.reporter_id == user.id,
                                                                Flag.target_key.in_(keys))))
