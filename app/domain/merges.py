"""Merging duplicate ideas, and undoing a merge exactly.

Merging idea A into idea B moves A's votes to B, except the votes of people who already
voted on B (or wrote B): nobody counts twice. A becomes a duplicate pointing at B, its
comments stay where they are and are shown on B's page, and its link leads to B. What moved
is recorded (``IdeaMerge``), so an undo puts every vote back and restores A's status.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, update

from app.domain import activity, audit, comments, events, ideas, notifications, permissions
from app.domain.clock import utcnow
from app.domain.errors import Conflict, NotFound, PermissionDenied
from app.domain.text import clean_block
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import (ContentState, Idea, IdeaMerge, IdeaStatus, IdeaStatusChange,
                        NotificationKind, Vote)

NOTE_MAX = 2_000


def _recount(idea_id):
    """Set an idea's vote counts from its vote rows (inside the caller's transaction)."""
    up, down = db.session.execute(
        select(func.coalesce(func.sum(case((Vote.value == 1, 1), else_=0)), 0),
               func.coalesce(func.sum(case((Vote.value == -1, 1), else_=0)), 0))
        .where(Vote.idea_id == idea_id)).one()
    db.session.execute(update(Idea).where(Idea.id == idea_id)
                       .values(up_count=up, down_count=down, score=up - down))


def _status_change(actor, idea, new, note):
    old = idea.status
    idea.status = new
    db.session.add(IdeaStatusChange(idea_id=idea.id, from_status=old, to_status=new, note=note,
                                    actor_id=actor.id, created_at=utcnow()))
    events.record_campaign_event(idea.campaign_id, "idea.status", {"status": new.value, "note": note},
                                 idea_id=idea.id)


def _announce_counts(*idea_list):
    for idea in idea_list:
        events.record_change("votes.changed", {"campaign_id": idea.campaign_id, "idea_id": idea.id})
    events.record_change("comparisons.changed", {"campaign_id": idea_list[0].campaign_id})


def _move_votes_and_mark(actor, source, target, note):
    target_voters = set(db.session.scalars(select(Vote.user_id).where(Vote.idea_id == target.id)))
    moved = [vote_id for vote_id, user_id in db.session.execute(
        select(Vote.id, Vote.user_id).where(Vote.idea_id == source.id).order_by(Vote.id))
        if user_id not in target_voters and user_id != target.author_id]
    if moved:
        db.session.execute(update(Vote).where(Vote.id.in_(moved)).values(idea_id=target.id))
    record = IdeaMerge(source_id=source.id, target_id=target.id, actor_id=actor.id, note=note,
                       source_status=source.status, moved_vote_ids=moved, created_at=utcnow())
    db.session.add(record)
    source.merged_into_id = target.id
    if source.status is not IdeaStatus.DUPLICATE:
        _status_change(actor, source, IdeaStatus.DUPLICATE, note)
    db.session.flush()
    _recount(source.id)
    _recount(target.id)
    ideas.keep_best_scores([source.id, target.id])
    return record


def merge_idea(actor, source_id, *, into, note=""):
    """Merge idea ``source_id`` into idea ``into`` (moderators and admins); returns the record."""
    if not permissions.can_moderate(actor):
        raise PermissionDenied()
    source = ideas.get_idea(actor, source_id)
    errors = FieldErrors()
    target_id = parse_id(into)
    target = db.session.get(Idea, target_id) if target_id is not None else None
    if target is None or target.campaign_id != source.campaign_id:
        errors.add("into", _l("Choose an idea of the same campaign."))
    elif target.id == source.id:
        errors.add("into", _l("An idea cannot be merged into itself."))
    elif target.merged_into_id is not None or target.content_state is not ContentState.PUBLISHED:
        errors.add("into", _l("That idea is merged or not published; choose the idea it points to."))
    note = errors.text("note", clean_block(note) if isinstance(note, str) else "",
                       max_length=NOTE_MAX, required=False)
    errors.raise_if_any()
    if source.merged_into_id is not None:
        raise Conflict(_l("This idea is already merged."), code="already_merged")

    with activity.retallied(source, target):
        record = _move_votes_and_mark(actor, source, target, note)
    events.record_campaign_event(source.campaign_id, "idea.merged", {"into": target.id},
                                 idea_id=source.id)
    _announce_counts(source, target)
    if source.author_id != actor.id:
        notifications.notify(source.author_id, NotificationKind.IDEA_MERGED, actor=actor, idea=source,
                             note=note or target.title)
    audit.record_audit(actor, "idea.merge", target_type="idea", target_id=source.id,
                       campaign_id=source.campaign_id,
                       before={"status": record.source_status.value, "merged_into": None},
                       after={"status": IdeaStatus.DUPLICATE.value, "merged_into": target.id,
                              "moved_votes": len(record.moved_vote_ids)}, reason=note)
    db.session.commit()
    return record


def get_merge(actor, merge_id):
    merge_id = parse_id(merge_id)
    record = db.session.get(IdeaMerge, merge_id) if merge_id is not None else None
    if record is None:
        raise NotFound(_l("We could not find that merge."))
    ideas.get_idea(actor, record.source_id)
    return record


def undo_merge(actor, merge_id, *, reason=""):
    """Undo a merge exactly: the moved votes go back, both ideas' counts are recomputed,
    and the merged idea gets its earlier status back."""
    if not permissions.can_moderate(actor):
        raise PermissionDenied()
    record = get_merge(actor, merge_id)
    if record.undone_at is not None:
        raise Conflict(_l("This merge was already undone."), code="already_undone")
    source, target = record.source, record.target
    with activity.retallied(source, target):
        if record.moved_vote_ids:
            db.session.execute(update(Vote).where(Vote.id.in_(record.moved_vote_ids),
                                                  Vote.idea_id == target.id)
                               .values(idea_id=source.id))
        source.merged_into_id = None
        if source.status is not record.source_status:
            _status_change(actor, source, record.source_status, clean_block(reason or ""))
        record.undone_at = utcnow()
        db.session.flush()
        _recount(source.id)
        _recount(target.id)
        ideas.keep_best_scores([source.id, target.id])
    events.record_campaign_event(source.campaign_id, "idea.unmerged", {"from": target.id},
                                 idea_id=source.id)
    _announce_counts(source, target)
    audit.record_audit(actor, "idea.unmerge", target_type="idea", target_id=source.id,
                       campaign_id=source.campaign_id,
                       before={"status": IdeaStatus.DUPLICATE.value, "merged_into": target.id},
                       after={"status": record.source_status.value, "merged_into": None},
                       reason=clean_block(reason or ""))
    db.session.commit()
    return record


def merged_into_this(viewer, idea_id):
    """The ideas merged into this one, each with its comment threads: [(merge, threads)]."""
    idea = ideas.get_idea(viewer, idea_id)
    records = db.session.scalars(select(IdeaMerge).where(IdeaMerge.target_id == idea.id,
                                                         IdeaMerge.undone_at.is_(None))
                                 .order_by(IdeaMerge.id)).all()
    return [(record, comments.list_comments(viewer, record.source_id)) for record in records
            if permissions.can_see_post(viewer, record.source)]


def current_merge_of(idea):
    """The merge that made this idea a duplicate, if it is merged."""
    if idea.merged_into_id is None:
        return None
    return db.session.scalar(select(IdeaMerge).where(IdeaMerge.source_id == idea.id,
                                                     IdeaMerge.undone_at.is_(None))
                             .order_by(IdeaMerge.id.desc()).limit(1))


MERGE_TARGETS_MAX = 200


def merge_targets(actor, idea_id, *, limit=MERGE_TARGETS_MAX):
    """The ideas a moderator could merge ``idea_id`` into, newest first: the other published
    ideas of its campaign that are not merged themselves. Empty for people who may not merge."""
    if not permissions.can_moderate(actor):
        return []
    idea = ideas.get_idea(actor, idea_id)
    return db.session.scalars(
        select(Idea).where(Idea.campaign_id == idea.campaign_id, Idea.id != idea.id,
                           Idea.merged_into_id.is_(None), ideas.published_clause())
        .order_by(Idea.created_at.desc(), Idea.id.desc()).limit(limit)).all()
