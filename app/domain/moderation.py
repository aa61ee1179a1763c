"""Moderation: the status pipeline with its public history; hiding, restoring and approving
posts (one at a time or in bulk from the flag queue); editing as a moderator; locking comments.
Every action here is appended to the audit log."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal_column, select, union_all

from app.domain import activity, audit, campaigns, comments, events, flags, ideas, notifications, permissions
from app.domain.clock import utcnow
from app.domain.errors import Conflict, NotFound, PermissionDenied
from app.domain.text import clean_block
from app.domain.validation import FieldErrors
from app.extensions import db
from app.models import (Comment, ContentState, FlagOutcome, Idea, IdeaFollow, IdeaStatus,
                        IdeaStatusChange, NotificationKind)

NOTE_MAX = 2_000
# Statuses whose change must say why, for the author and everyone following the idea.
NOTE_REQUIRED = {IdeaStatus.DECLINED}
# The pipeline in order; the side exits (declined, duplicate) stand outside it.
PIPELINE = (IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.SHORTLISTED,
            IdeaStatus.SELECTED, IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED)
BACKWARD_MESSAGE = _l("This moves the idea back to an earlier status, and its author and followers "
                      "are told. Confirm that you mean it.")


def parse_status(value, errors):
    try:
        return value if isinstance(value, IdeaStatus) else IdeaStatus(value)
    except ValueError:
        errors.add("status", _l("Choose one of the offered statuses."))
        return None


def is_backward_move(old, new):
    """Whether going from status `old` to `new` undoes progress: an earlier step of the
    pipeline, or back into the pipeline from declined or duplicate. Such moves tell every
    follower, so forms ask for a confirmation first."""
    if new not in PIPELINE:
        return False
    return old not in PIPELINE or PIPELINE.index(new) < PIPELINE.index(old)


def backward_statuses(old):
    """The statuses a move from `old` to would be backwards (for forms that ask first)."""
    return [status for status in IdeaStatus if is_backward_move(old, status)]


def check_backward_move(old, new, confirm, errors):
    """Refuse a backwards move that was not confirmed, on the "confirm" field."""
    if new is not None and old is not None and is_backward_move(old, new) and not confirm:
        errors.add("confirm", BACKWARD_MESSAGE)


def change_idea_status(actor, idea_id, *, status, note="", confirm=False):
    """Move an idea to another status (moderators and admins), with a note that the author
    and followers are told of; declining needs a note, and a backwards move needs `confirm`.
    The change joins the idea's public history, the campaign's live stream and the audit log."""
    idea = ideas.get_idea(actor, idea_id)
    if not permissions.can_change_idea_status(actor, idea):
        raise PermissionDenied()
    errors = FieldErrors()
    new = parse_status(status, errors)
    note = errors.text("note", clean_block(note), max_length=NOTE_MAX, required=new in NOTE_REQUIRED)
    if new is not None and new == idea.status:
        errors.add("status", _l("The idea already has this status."))
    else:
        check_backward_move(idea.status, new, confirm, errors)
    errors.raise_if_any()
    apply_status_change(actor, idea, new, note)
    db.session.commit()
    return idea


def apply_status_change(actor, idea, new, note):
    """Write a status change with its history, notifications, stream entry and audit entry,
    inside the caller's transaction (the caller checked the actor and the input)."""
    old, now = idea.status, utcnow()
    with activity.retallied(idea):
        idea.status = new
        db.session.add(IdeaStatusChange(idea_id=idea.id, from_status=old, to_status=new, note=note,
                                        actor_id=actor.id, created_at=now))
    _notify_followers(actor, idea, new)
    events.record_campaign_event(idea.campaign_id, "idea.status",
                                 {"status": new.value, "note": note}, idea_id=idea.id)
    audit.record_audit(actor, "idea.status", target_type="idea", target_id=idea.id,
                       campaign_id=idea.campaign_id, before={"status": old.value},
                       after={"status": new.value}, reason=note)


def _notify_followers(actor, idea, status):
    followers = set(db.session.scalars(select(IdeaFollow.user_id).where(IdeaFollow.idea_id == idea.id)))
    for user_id in sorted((followers | {idea.author_id}) - {actor.id}):
        notifications.notify(user_id, NotificationKind.STATUS_CHANGED, actor=actor, idea=idea,
                             status=status.value)


def list_status_history(viewer, idea_id):
    """An idea's public status history, oldest first."""
    idea = ideas.get_idea(viewer, idea_id)
    return db.session.scalars(select(IdeaStatusChange).where(IdeaStatusChange.idea_id == idea.id)
                              .order_by(IdeaStatusChange.id)).all()


# --- hiding, restoring and approving posts ---------------------------------------------------

REASON_MAX = 1_000


def _require_moderator(actor):
    if not permissions.can_moderate(actor):
        raise PermissionDenied()


def _reason(reason, required=True):
    errors = FieldErrors()
    reason = errors.text("reason", clean_block(reason) if isinstance(reason, str) else "",
                         max_length=REASON_MAX, required=required)
    errors.raise_if_any()
    return reason


def _post_audit(actor, action, post, before, reason):
    target_type = "comment" if isinstance(post, Comment) else "idea"
    campaign_id = post.campaign_id if target_type == "idea" else post_idea(post).campaign_id
    audit.record_audit(actor, action, target_type=target_type, target_id=post.id,
                       campaign_id=campaign_id, before={"state": before.value},
                       after={"state": post.content_state.value}, reason=reason)


def post_idea(post):
    return post if isinstance(post, Idea) else db.session.get(Idea, post.idea_id)


def _set_state(actor, post, new_state, reason, *, action):
    """Move an idea or a comment between published, pending and hidden, with everything that
    follows: counts, the live stream, the author's notification, flags and the audit log."""
    old = post.content_state
    idea = post_idea(post)
    is_comment = isinstance(post, Comment)
    with activity.retallied(*([] if is_comment else [idea])):
        post.content_state = new_state
    post.hidden_reason = reason if new_state is ContentState.HIDDEN else ""
    if is_comment:
        if old is ContentState.PUBLISHED:
            comments.unpublish_comment(post, idea)
        elif new_state is ContentState.PUBLISHED:
            comments.publish_comment(post, idea, first_time=old is ContentState.PENDING)
        else:  # pending -> hidden: it was never seen
            events.withdraw_content(comment_id=post.id)
    else:
        if old is ContentState.PUBLISHED:
            ideas.count_published(idea.campaign_id, -1)
            events.withdraw_content(idea_id=idea.id)
            events.record_campaign_event(idea.campaign_id, "idea.hidden", {}, idea_id=idea.id)
        elif new_state is ContentState.PUBLISHED:
            ideas.count_published(idea.campaign_id, +1)
            events.record_campaign_event(idea.campaign_id,
                                         "idea.created" if old is ContentState.PENDING else "idea.restored",
                                         ideas.idea_summary(idea), idea_id=idea.id)
        else:
            events.withdraw_content(idea_id=idea.id)
        # The pairwise leaderboard follows: a hidden idea leaves it, a published one joins.
        events.record_change("comparisons.changed", {"campaign_id": idea.campaign_id})
    if new_state is ContentState.HIDDEN:
        flags.resolve_flags(actor, flags.comment_key(post.id) if is_comment else flags.idea_key(post.id),
                            FlagOutcome.HIDDEN)
        notifications.notify(post.author_id, NotificationKind.CONTENT_HIDDEN, actor=actor, idea=idea,
                             comment_id=post.id if is_comment else None, note=reason)
    elif old is ContentState.PENDING and new_state is ContentState.PUBLISHED:
        notifications.notify(post.author_id, NotificationKind.CONTENT_APPROVED, actor=actor, idea=idea,
                             comment_id=post.id if is_comment else None)
    _post_audit(actor, action, post, old, reason)


def _idea_for_moderation(actor, idea_id):
    _require_moderator(actor)
    return ideas.get_idea(actor, idea_id)


def _comment_for_moderation(actor, comment_id):
    _require_moderator(actor)
    return comments.get_comment(actor, comment_id)


# What each action does to a post: which states it fits, the state it leaves the post in, and
# the refusal when it does not fit. Single actions and bulk actions both go through it.
_MOVES = {
    "hide": (lambda state: state is not ContentState.HIDDEN, ContentState.HIDDEN,
             "unchanged", _l("Nothing to change: it is already so.")),
    "restore": (lambda state: state is ContentState.HIDDEN, ContentState.PUBLISHED,
                "not_hidden", _l("Only a hidden post can be restored.")),
    "approve": (lambda state: state is ContentState.PENDING, ContentState.PUBLISHED,
                "not_pending", _l("Only a post waiting for approval can be approved.")),
}


def _fits(action, post) -> bool:
    return _MOVES[action][0](post.content_state)


def _move(actor, post, action, reason):
    """Apply "hide", "restore" or "approve" to an idea or a comment, or refuse (Conflict)."""
    _fit, new_state, code, message = _MOVES[action]
    if not _fits(action, post):
        raise Conflict(message, code=code)
    kind = "comment" if isinstance(post, Comment) else "idea"
    _set_state(actor, post, new_state, reason, action=f"{kind}.{action}")


def hide_idea(actor, idea_id, *, reason):
    """Hide an idea with a reason: it vanishes from every page, list, search, leaderboard,
    the API and open screens at once; its author is told why; its open flags are settled."""
    idea = _idea_for_moderation(actor, idea_id)
    _move(actor, idea, "hide", _reason(reason))
    db.session.commit()
    return idea


def restore_idea(actor, idea_id, *, reason=""):
    """Publish a hidden idea again."""
    idea = _idea_for_moderation(actor, idea_id)
    _move(actor, idea, "restore", _reason(reason, required=False))
    db.session.commit()
    return idea


def approve_idea(actor, idea_id):
    """Publish an idea that was waiting for approval (pre-moderated campaigns)."""
    idea = _idea_for_moderation(actor, idea_id)
    _move(actor, idea, "approve", "")
    db.session.commit()
    return idea


def hide_comment(actor, comment_id, *, reason):
    """Hide a comment with a reason: a marker takes its place everywhere, its author is told."""
    comment = _comment_for_moderation(actor, comment_id)
    _move(actor, comment, "hide", _reason(reason))
    db.session.commit()
    return comment


def restore_comment(actor, comment_id, *, reason=""):
    comment = _comment_for_moderation(actor, comment_id)
    _move(actor, comment, "restore", _reason(reason, required=False))
    db.session.commit()
    return comment


def approve_comment(actor, comment_id):
    comment = _comment_for_moderation(actor, comment_id)
    _move(actor, comment, "approve", "")
    db.session.commit()
    return comment


def dismiss_flags(actor, key, *, reason=""):
    """Settle the open flags on an item without changing it."""
    _require_moderator(actor)
    target = _target_of(actor, key)
    reason = _reason(reason, required=False)
    count = flags.resolve_flags(actor, key, FlagOutcome.DISMISSED)
    if count == 0:
        db.session.rollback()
        raise Conflict(_l("There are no open flags on this."), code="no_open_flags")
    _post_audit(actor, "flags.dismiss", target, target.content_state, reason)
    db.session.commit()
    return count


# --- acting on many items at once ---------------------------------------------------------------

BULK_ACTIONS = ("hide", "restore", "approve", "dismiss")
BULK_MAX = 100


def _target_of(actor, key):
    kind, _, raw_id = (key or "").partition(":")
    if kind == "idea":
        return ideas.get_idea(actor, raw_id)
    if kind == "comment":
        return comments.get_comment(actor, raw_id)
    raise NotFound(_l("We could not find that."))


@dataclass
class BulkResult:
    done: list
    skipped: dict  # key -> the reason it was left alone


def moderate_in_bulk(actor, *, action, keys, reason=""):
    """Apply one action ("hide", "restore", "approve", "dismiss") to many queue items.

    Everything is checked first, so bad input changes nothing; items the action does not
    fit (say, restoring a published idea) are skipped and reported, the rest done together
    in one transaction.
    """
    _require_moderator(actor)
    errors = FieldErrors()
    if action not in BULK_ACTIONS:
        errors.add("action", _l("Choose hide, restore, approve or dismiss."))
    keys = list(dict.fromkeys(keys or []))
    if not keys:
        errors.add("keys", _l("Select at least one item."))
    elif len(keys) > BULK_MAX:
        errors.add("keys", _l("Select at most %(n)d items at once.", n=BULK_MAX))
    if action == "hide" and not (isinstance(reason, str) and reason.strip()):
        errors.add("reason", _l("This field is required."))
    errors.raise_if_any()
    reason = _reason(reason, required=action == "hide")
    targets = [(key, _target_of(actor, key)) for key in keys]
    done, skipped = [], {}
    for key, post in targets:
        if action == "dismiss":
            if flags.resolve_flags(actor, key, FlagOutcome.DISMISSED):
                _post_audit(actor, "flags.dismiss", post, post.content_state, reason)
                done.append(key)
            else:
                skipped[key] = "no_open_flags"
            continue
        if not _fits(action, post):
            skipped[key] = "unchanged"
            continue
        _move(actor, post, action, reason)
        done.append(key)
    db.session.commit()
    return BulkResult(done=done, skipped=skipped)


# --- editing as a moderator, locking comments -------------------------------------------------

def edit_idea_as_moderator(actor, idea_id, *, title, body, tags=None, reason):
    """Correct an idea (say, to remove confidential details); it then shows "edited by a
    moderator", the version history names the moderator, and the author is not bypassed:
    the reason goes to the audit log."""
    idea = _idea_for_moderation(actor, idea_id)
    reason = _reason(reason)
    before = {"title": idea.title, "body": idea.body}
    if tags is None:  # left out: the tags stay as they are
        tags = [t.name for t in idea.tags]
    if ideas.apply_idea_edit(actor, idea, title, body, tags):
        audit.record_audit(actor, "idea.moderator_edit", target_type="idea", target_id=idea.id,
                           campaign_id=idea.campaign_id, before=before,
                           after={"title": idea.title, "body": idea.body}, reason=reason)
    db.session.commit()
    return idea


def edit_comment_as_moderator(actor, comment_id, *, body, reason):
    """Correct a comment; it then shows "edited by a moderator"."""
    comment = _comment_for_moderation(actor, comment_id)
    reason = _reason(reason)
    before = {"body": comment.body}
    changed = comments.apply_comment_edit(comment, body)
    if changed:
        comment.moderator_edited_at = comment.edited_at
        audit.record_audit(actor, "comment.moderator_edit", target_type="comment",
                           target_id=comment.id, campaign_id=post_idea(comment).campaign_id,
                           before=before, after={"body": comment.body}, reason=reason)
    db.session.commit()
    return comment


def set_comments_locked(actor, idea_id, *, locked, reason=""):
    """Lock (or unlock) an idea's comments: nobody can add one while it is locked."""
    idea = _idea_for_moderation(actor, idea_id)
    locked = bool(locked)
    if idea.comments_locked == locked:
        raise Conflict(_l("Nothing to change: it is already so."), code="unchanged")
    idea.comments_locked = locked
    reason = _reason(reason, required=False)
    events.record_campaign_event(idea.campaign_id, "idea.comments_locked", {"locked": locked},
                                 idea_id=idea.id)
    audit.record_audit(actor, "idea.lock_comments" if locked else "idea.unlock_comments",
                       target_type="idea", target_id=idea.id, campaign_id=idea.campaign_id,
                       before={"comments_locked": not locked}, after={"comments_locked": locked},
                       reason=reason)
    db.session.commit()
    return idea


# --- waiting for approval ---------------------------------------------------------------------

@dataclass
class PendingItem:
    key: str
    idea: Idea
    comment: Comment | None
    created_at: object

    @property
    def kind(self):
        return "comment" if self.comment is not None else "idea"


def list_pending(user, *, campaign_id=None, kind=None, page=1, per_page=flags.PER_PAGE):
    """Ideas and comments waiting for a moderator's approval (pre-moderated campaigns),
    longest waiting first, one page at a time (a ``flags.QueuePage`` of ``PendingItem``).

    Filters: a campaign (id or slug) and the kind of item ("idea" or "comment"); pages
    forgive bad values and fall back to defaults, like the flag queue.
    """
    _require_moderator(user)
    campaign = campaigns.get_campaign(user, campaign_id) if campaign_id not in (None, "") else None
    page = page if isinstance(page, int) and not isinstance(page, bool) and page >= 1 else 1
    pending_ideas = (select(literal_column("'idea'").label("kind"), Idea.id.label("id"),
                            Idea.created_at.label("created_at"))
                     .where(Idea.content_state == ContentState.PENDING))
    pending_comments = (select(literal_column("'comment'").label("kind"), Comment.id.label("id"),
                               Comment.created_at.label("created_at"))
                        .join(Idea, Idea.id == Comment.idea_id)
                        .where(Comment.content_state == ContentState.PENDING,
                               Comment.deleted_at.is_(None)))
    if campaign is not None:
        pending_ideas = pending_ideas.where(Idea.campaign_id == campaign.id)
        pending_comments = pending_comments.where(Idea.campaign_id == campaign.id)
    parts = {"idea": [pending_ideas], "comment": [pending_comments]}.get(
        kind, [pending_ideas, pending_comments])
    rows = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    total = db.session.scalar(select(func.count()).select_from(rows))
    found = db.session.execute(select(rows.c.kind, rows.c.id, rows.c.created_at)
                               .order_by(rows.c.created_at, rows.c.kind, rows.c.id)
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return flags.QueuePage(items=[_pending_item(row) for row in found], total=total, page=page,
                           per_page=per_page)


def _pending_item(row):
    if row.kind == "comment":
        comment = db.session.get(Comment, row.id)
        return PendingItem(key=flags.comment_key(comment.id), idea=post_idea(comment),
                           comment=comment, created_at=comment.created_at)
    idea = db.session.get(Idea, row.id)
    return PendingItem(key=flags.idea_key(idea.id), idea=idea, comment=None,
                       created_at=idea.created_at)
