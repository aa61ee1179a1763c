"""Comments on ideas, threaded one level deep, with soft deletion."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.domain import campaigns, events, ideas, notifications, permissions
from app.domain.clock import utcnow
from app.domain.errors import NotFound, PermissionDenied
from app.domain.text import clean_block, render_markdown
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import Campaign, Comment, Idea

BODY_MAX = 5_000


def _validated_body(body):
    errors = FieldErrors()
    body = errors.text("body", clean_block(body), max_length=BODY_MAX)
    errors.raise_if_any()
    return body


def get_comment(user, comment_id):
    """A comment whose idea the person may see, or NotFound."""
    comment_id = parse_id(comment_id)
    comment = db.session.get(Comment, comment_id) if comment_id is not None else None
    if comment is None:
        raise NotFound(_l("We could not find that comment."))
    ideas.get_idea(user, comment.idea_id)
    return comment


def add_comment(user, idea_id, *, body, parent_id=None):
    """Comment on an idea, or reply to a comment; the commenter then follows the idea.

    A reply to a reply joins the same thread, so threads stay one level deep.
    """
    idea = ideas.get_idea(user, idea_id)
    campaigns.ensure_can_take_part(user, idea.campaign)
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
    now = utcnow()
    comment = Comment(idea_id=idea.id, author_id=user.id, parent_id=parent.id if parent else None,
                      body=body, body_html=render_markdown(body), created_at=now)
    db.session.add(comment)
    count = db.session.execute(update(Idea).where(Idea.id == idea.id)
                               .values(comment_count=Idea.comment_count + 1)
                               .returning(Idea.comment_count)).scalar_one()
    db.session.execute(ideas.bump_trending(idea.id, ideas.WEIGHT_COMMENT))
    db.session.execute(ideas.follow_idea_row(user.id, idea.id))
    db.session.flush()
    notifications.notify_comment(comment, idea, parent)
    events.record_campaign_event(idea.campaign_id, "comment.created",
                                 {"comment": comment_summary(comment),
                                  "comment_count": count}, idea_id=idea.id)
    db.session.commit()
    return comment


def comment_summary(comment) -> dict:
    """A comment as plain data for live updates (deleted comments carry no text)."""
    return {
        "id": comment.id, "idea_id": comment.idea_id, "parent_id": comment.parent_id,
        "author": {"id": comment.author_id, "display_name": comment.author.display_name,
                   "kind": comment.author.kind.value},
        "body_html": comment.body_html, "deleted": comment.is_deleted,
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
    body = _validated_body(body)
    if body != comment.body:
        comment.body, comment.body_html, comment.edited_at = body, render_markdown(body), utcnow()
        events.record_campaign_event(comment_campaign(comment).id, "comment.edited",
                                     {"comment": comment_summary(comment)}, idea_id=comment.idea_id)
        db.session.commit()
    return comment


def delete_comment(user, comment_id):
    """The author deletes their comment; a marker keeps the thread readable."""
    comment = _own_comment_in_open_campaign(user, comment_id)
    comment.body, comment.body_html, comment.deleted_at = "", "", utcnow()
    count = db.session.execute(update(Idea).where(Idea.id == comment.idea_id)
                               .values(comment_count=Idea.comment_count - 1)
                               .returning(Idea.comment_count)).scalar_one()
    events.record_campaign_event(comment_campaign(comment).id, "comment.deleted",
                                 {"comment": comment_summary(comment), "comment_count": count},
                                 idea_id=comment.idea_id)
    db.session.commit()
    return comment


def list_comments(user, idea_id):
    """An idea's comments as threads: [(top-level comment, [replies...]), ...], oldest first."""
    idea = ideas.get_idea(user, idea_id)
    rows = db.session.scalars(select(Comment).where(Comment.idea_id == idea.id)
                              .order_by(Comment.created_at, Comment.id)).all()
    replies = {}
    for comment in rows:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(c, replies.get(c.id, [])) for c in rows if c.parent_id is None]


def list_comments_by_author(viewer, author_id, limit=50):
    """A person's live comments in campaigns the viewer may see, newest first."""
    return db.session.scalars(
        select(Comment).join(Idea, Idea.id == Comment.idea_id)
        .join(Campaign, Campaign.id == Idea.campaign_id)
        .where(Comment.author_id == author_id, Comment.deleted_at.is_(None),
               campaigns.visible_campaigns_clause(viewer))
        .order_by(Comment.created_at.desc()).limit(limit)
    ).all()
