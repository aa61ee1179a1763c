"""Comments on ideas, threaded one level deep, with soft deletion."""
from flask_babel import lazy_gettext as _l
from flask import current_app
from sqlalchemy import false, func, or_, select, true, update

from app.domain import activity, campaigns, conduct, events, ideas, limits, notifications, permissions
from app.domain.clock import utcnow
from app.domain.errors import Conflict, NotFound, PermissionDenied
from app.domain.text import clean_block, render_markdown
from app.domain.paging import Page
from app.domain.validation import FieldErrors, bounded_int, parse_id
from app.extensions import db
from app.models import Campaign, Comment, ContentState, Idea

BODY_MAX = 5_000
THREADS_PER_PAGE_MAX = 200


def _validated_body(body):
    errors = FieldErrors()
    body = errors.text("body", clean_block(body), max_length=BODY_MAX)
    errors.raise_if_any()
    return body


def get_comment(user, comment_id):
    """A comment whose idea the person may see, or NotFound."""
    return _comment_and_idea(user, comment_id)[0]


def _comment_and_idea(user, comment_id):
    comment_id = parse_id(comment_id)
    comment = db.session.get(Comment, comment_id) if comment_id is not None else None
    if comment is None:
        raise NotFound(_l("We could not find that comment."))
    idea = ideas.get_idea(user, comment.idea_id)
    if comment.content_state is ContentState.PENDING and not permissions.can_see_unpublished(user, comment):
        raise NotFound(_l("We could not find that comment."))
    return comment, idea


def is_withheld(user, comment) -> bool:
    """A hidden or pending comment whose words this viewer may not read (it shows as a marker)."""
    return not permissions.can_see_post(user, comment)


def add_comment(user, idea_id, *, body, parent_id=None, accept_code_of_conduct=False):
    """Comment on an idea, or reply to a comment; the commenter then follows the idea.

    A reply to a reply joins the same thread, so threads stay one level deep. Not on an
    idea that is unpublished or whose comments a moderator locked; the campaign's code of
    conduct, pace limit and pre-moderation apply as for ideas.
    """
    idea = ideas.get_idea(user, idea_id)
    campaigns.ensure_can_take_part(user, idea.campaign)
    if idea.content_state is not ContentState.PUBLISHED:
        raise Conflict(_l("This idea is not published, so it cannot be commented on."),
                       code="not_published")
    if idea.comments_locked:
        raise Conflict(_l("A moderator has locked the comments on this idea."), code="comments_locked")
    parent = None
    if parent_id not in (None, ""):
        parent_key = parse_id(parent_id)
        parent = db.session.get(Comment, parent_key) if parent_key is not None else None
        if parent is None or parent.idea_id != idea.id:
            raise NotFound(_l("The comment you are replying to no longer exists."),
                           fields={"parent_id": _l("The comment you are replying to no longer exists.")})
        if parent.parent_id is not None:
            parent = db.session.get(Comment, parent.parent_id)
    body = _validated_body(body)
    conduct.ensure_conduct_accepted(user, idea.campaign, accept_code_of_conduct)
    limits.ensure_within_limit(user, idea.campaign, limits.COMMENTS)
    now = utcnow()
    comment = Comment(idea_id=idea.id, author_id=user.id, parent_id=parent.id if parent else None,
                      body=body, body_html=render_markdown(body), created_at=now,
                      content_state=campaigns.initial_content_state(user, idea.campaign))
    db.session.add(comment)
    db.session.execute(ideas.follow_idea_row(user.id, idea.id))
    db.session.flush()
    activity.record_participation(user, idea.campaign_id, now)
    if comment.is_published:
        publish_comment(comment, idea)
    else:
        events.record_campaign_event(idea.campaign_id, "comment.created",
                                     {"comment": comment_summary(comment)}, idea_id=idea.id,
                                     comment_id=comment.id, visibility=ideas.stream_visibility(comment))
    db.session.commit()
    return comment


def publish_comment(comment, idea, *, first_time=True):
    """A comment becomes visible, inside the caller's transaction: count it, put it in the
    stream and, the first time (posted or approved, not restored), tell the people concerned."""
    count = db.session.execute(update(Idea).where(Idea.id == idea.id)
                               .values(comment_count=Idea.comment_count + 1)
                               .returning(Idea.comment_count)).scalar_one()
    activity.tally_comment(comment, comment.author, idea.campaign_id, +1)
    if first_time:
        db.session.execute(ideas.bump_trending(idea.id, ideas.WEIGHT_COMMENT))
        parent = db.session.get(Comment, comment.parent_id) if comment.parent_id else None
        notifications.notify_comment(comment, idea, parent)
    events.record_campaign_event(idea.campaign_id, "comment.created" if first_time else "comment.restored",
                                 {"comment": comment_summary(comment), "comment_count": count},
                                 idea_id=idea.id, comment_id=comment.id)


def unpublish_comment(comment, idea):
    """A published comment is hidden: uncount it and withdraw its words from the stream."""
    count = db.session.execute(update(Idea).where(Idea.id == idea.id)
                               .values(comment_count=Idea.comment_count - 1)
                               .returning(Idea.comment_count)).scalar_one()
    activity.tally_comment(comment, comment.author, idea.campaign_id, -1)
    events.withdraw_content(comment_id=comment.id)
    events.record_campaign_event(idea.campaign_id, "comment.hidden",
                                 {"comment_id": comment.id, "comment_count": count},
                                 idea_id=idea.id, comment_id=comment.id)


def comment_summary(comment) -> dict:
    """A comment as plain data for live updates (deleted comments carry no text)."""
    return {
        "id": comment.id, "idea_id": comment.idea_id, "parent_id": comment.parent_id,
        "author": {"id": comment.author_id, "display_name": comment.author.display_name,
                   "kind": comment.author.kind.value},
        "body_html": comment.body_html if comment.is_published else "",
        "deleted": comment.is_deleted, "hidden": comment.content_state is ContentState.HIDDEN,
        "moderator_edited": comment.moderator_edited_at is not None,
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
    }


def _own_comment_in_open_campaign(user, comment_id):
    comment = get_comment(user, comment_id)
    if not permissions.can_edit_comment(user, comment):
        raise PermissionDenied(_l("Only the author can change this comment."), code="not_author")
    campaigns.ensure_open(comment_campaign(comment))
    return comment


def comment_campaign(comment):
    return db.session.scalar(select(Campaign).join(Idea, Idea.campaign_id == Campaign.id)
                             .where(Idea.id == comment.idea_id))


def edit_comment(user, comment_id, *, body):
    """The author rewrites their comment while the campaign is open."""
    comment = _own_comment_in_open_campaign(user, comment_id)
    if apply_comment_edit(comment, body):
        db.session.commit()
    return comment


def apply_comment_edit(comment, body) -> bool:
    """Validate and write a comment's new text inside the caller's transaction; False when
    nothing changed."""
    body = _validated_body(body)
    if body == comment.body:
        return False
    comment.body, comment.body_html, comment.edited_at = body, render_markdown(body), utcnow()
    events.record_campaign_event(comment_campaign(comment).id, "comment.edited",
                                 {"comment": comment_summary(comment)}, idea_id=comment.idea_id,
                                 comment_id=comment.id, visibility=ideas.stream_visibility(comment))
    return True


def delete_comment(user, comment_id):
    """The author deletes their comment; a marker keeps the thread readable."""
    comment = _own_comment_in_open_campaign(user, comment_id)
    was_counted = comment.is_published
    if was_counted:
        activity.tally_comment(comment, comment.author, comment_campaign(comment).id, -1)
    comment.body, comment.body_html, comment.deleted_at = "", "", utcnow()
    count = db.session.execute(update(Idea).where(Idea.id == comment.idea_id)
                               .values(comment_count=Idea.comment_count - int(was_counted))
                               .returning(Idea.comment_count)).scalar_one()
    events.record_campaign_event(comment_campaign(comment).id, "comment.deleted",
                                 {"comment": comment_summary(comment), "comment_count": count},
                                 idea_id=comment.idea_id, comment_id=comment.id)
    db.session.commit()
    return comment


def _visible_to(user):
    """Comments a viewer sees on a page: pending ones only for their author and moderators;
    hidden and deleted ones stay as markers, so a thread keeps its shape."""
    if permissions.is_moderator(user):
        return true()
    own = Comment.author_id == user.id if permissions.is_authenticated(user) else false()
    return or_(Comment.content_state != ContentState.PENDING, own)


def list_comments(user, idea_id):
    """Every one of an idea's comments as threads: [(top-level comment, [replies...]), ...],
    oldest first. Pages use ``list_comment_threads``, which reads one page of threads."""
    idea = ideas.get_idea(user, idea_id)
    rows = db.session.scalars(select(Comment).where(Comment.idea_id == idea.id, _visible_to(user))
                              .order_by(Comment.created_at, Comment.id)).all()
    replies = {}
    for comment in rows:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(c, replies.get(c.id, [])) for c in rows if c.parent_id is None]


def list_comment_threads(user, idea_id, *, page=1, per_page=None, strict=False):
    """One page of an idea's threads, oldest first: ``per_page`` top-level comments, each with
    all its replies, and how many threads there are. Reads two index ranges whatever the
    length of the discussion; out-of-range pages show the last page (``strict``: an error)."""
    idea = ideas.get_idea(user, idea_id)
    errors = FieldErrors()
    per_page = bounded_int(errors, "per_page", per_page, current_app.config["COMMENT_THREADS_PER_PAGE"], 1,
                           THREADS_PER_PAGE_MAX)
    page = bounded_int(errors, "page", page, 1, 1, 1_000_000)
    if strict:
        errors.raise_if_any()
    visible = (Comment.idea_id == idea.id, _visible_to(user))
    total = db.session.scalar(select(func.count()).select_from(Comment)
                              .where(*visible, Comment.parent_id.is_(None)))
    page = min(page, max(1, -(-total // per_page)))
    tops = db.session.scalars(select(Comment).where(*visible, Comment.parent_id.is_(None))
                              .order_by(Comment.created_at, Comment.id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    replies = {}
    if tops:
        for reply in db.session.scalars(select(Comment).where(*visible, Comment.parent_id.in_([c.id for c in tops]))
                                        .order_by(Comment.created_at, Comment.id)):
            replies.setdefault(reply.parent_id, []).append(reply)
    return Page(items=[(c, replies.get(c.id, [])) for c in tops], total=total, page=page, per_page=per_page)


def get_comment_thread(user, comment_id):
    """One comment as the viewer may see it, with its idea and, when it opens a thread, its
    replies: (idea, comment, [replies...]); a reply comes with none. For showing a comment
    that changed while the page was open, the same way the page shows it."""
    comment, idea = _comment_and_idea(user, comment_id)
    if comment.parent_id is not None:
        return idea, comment, []
    replies = db.session.scalars(select(Comment).where(Comment.parent_id == comment.id, _visible_to(user))
                                 .order_by(Comment.created_at, Comment.id)).all()
    return idea, comment, list(replies)


def list_comments_by_author(viewer, author_id, limit=50):
    """A person's live comments in campaigns the viewer may see, newest first."""
    return db.session.scalars(
        select(Comment).join(Idea, Idea.id == Comment.idea_id)
        .join(Campaign, Campaign.id == Idea.campaign_id)
        .where(Comment.author_id == author_id, Comment.deleted_at.is_(None),
               campaigns.visible_campaigns_clause(viewer), ideas.published_clause(),
               Comment.content_state == ContentState.PUBLISHED)
        .order_by(Comment.created_at.desc()).limit(limit)
    ).all()
