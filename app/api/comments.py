"""Comments on ideas: threads one level deep, posting, editing and deleting your own."""
from flask import url_for

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.ideas import ACCEPT_CONDUCT, ACCEPT_FIELD, IDEA_PATH, STATE
from app.api.openapi import DATE_TIME, ID_CONVERTER, nullable, operation, query_parameter, ref, register_schema
from app.api.parsing import body, query_int
from app.api.schemas import PERSON, iso, serialize_person
from app import ratelimits
from app.domain import comments
from app.domain.validation import FieldErrors
from app.models import ContentState

_COMMENT_PROPERTIES = {
    "id": {"type": "integer"},
    "idea_id": {"type": "integer"},
    "parent_id": nullable({"type": "integer"}),
    "author": PERSON,
    "body": {"type": "string", "description": "Markdown source; empty once deleted, and "
                                             "empty when hidden, except for its author and "
                                             "the moderators."},
    "body_html": {"type": "string", "description": "Sanitised HTML; empty when `body` is."},
    "created_at": DATE_TIME,
    "edited_at": nullable(DATE_TIME),
    "deleted": {"type": "boolean"},
    "state": STATE,
    "moderator_edited": {"type": "boolean",
                         "description": "A moderator has edited the comment's text."},
}
_COMMENT_REQUIRED = ["id", "idea_id", "parent_id", "author", "body", "body_html", "created_at",
                     "edited_at", "deleted", "state", "moderator_edited"]

register_schema("Comment", {
    "type": "object", "required": _COMMENT_REQUIRED, "additionalProperties": False,
    "properties": _COMMENT_PROPERTIES,
})

register_schema("CommentThread", {
    "type": "object",
    "description": "A top-level comment and its replies, oldest first.",
    "required": [*_COMMENT_REQUIRED, "replies"],
    "additionalProperties": False,
    "properties": {**_COMMENT_PROPERTIES,
                   "replies": {"type": "array", "items": ref("Comment")}},
})

register_schema("CommentThreadList", {
    "type": "object",
    "required": ["items", "total", "page", "per_page", "pages"],
    "additionalProperties": False,
    "properties": {"items": {"type": "array", "items": ref("CommentThread"),
                             "description": "Oldest thread first."},
                   "total": {"type": "integer", "description": "Threads (top-level comments) in all."},
                   "page": {"type": "integer"}, "per_page": {"type": "integer"},
                   "pages": {"type": "integer"}},
})

register_schema("CommentInput", {
    "type": "object",
    "required": ["body"],
    "additionalProperties": False,
    "properties": {
        "body": {"type": "string", "maxLength": comments.BODY_MAX, "description": "Markdown."},
        "parent_id": nullable({"type": "integer", "minimum": 1,
                               "description": "Reply to this comment; a reply to a reply joins "
                                              "the same thread."}),
        ACCEPT_FIELD: ACCEPT_CONDUCT,
    },
})

register_schema("CommentEdit", {
    "type": "object",
    "required": ["body"],
    "additionalProperties": False,
    "properties": {"body": {"type": "string", "maxLength": comments.BODY_MAX}},
})


def serialize_comment(comment, viewer):
    """A comment as ``viewer`` may read it: a withheld (hidden) comment keeps its place in
    the thread, but never its words."""
    withheld = comments.is_withheld(viewer, comment)
    blank = withheld or comment.is_deleted
    return {
        "id": comment.id,
        "idea_id": comment.idea_id,
        "parent_id": comment.parent_id,
        "author": serialize_person(comment.author),
        "body": "" if blank else comment.body,
        "body_html": "" if blank else comment.body_html,
        "created_at": iso(comment.created_at),
        "edited_at": iso(comment.edited_at),
        "deleted": comment.is_deleted,
        "state": ContentState.HIDDEN.value if withheld else comment.content_state.value,
        "moderator_edited": comment.moderator_edited_at is not None,
    }


def serialize_thread(comment, replies, viewer):
    return {**serialize_comment(comment, viewer),
            "replies": [serialize_comment(r, viewer) for r in replies]}


COMMENT_PATH = f"/comments/<{ID_CONVERTER}:comment_id>"


@bp.get(IDEA_PATH + "/comments")
@operation("listComments", "One page of an idea's comments, as threads", tag="comments",
           query=[query_parameter("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number."),
                  query_parameter("per_page", {"type": "integer", "minimum": 1,
                                               "maximum": comments.THREADS_PER_PAGE_MAX},
                                  "Threads per page, each with all its replies.")],
           responses={200: "CommentThreadList"}, errors={404, 422})
def list_comments(idea_id):
    errors = FieldErrors()
    page, per_page = query_int("page", errors), query_int("per_page", errors)
    errors.raise_if_any()
    user = current_user()
    threads = comments.list_comment_threads(user, idea_id, page=page or 1, per_page=per_page, strict=True)
    return {"items": [serialize_thread(comment, replies, user) for comment, replies in threads.items],
            "total": threads.total, "page": threads.page, "per_page": threads.per_page, "pages": threads.pages}


@bp.post(IDEA_PATH + "/comments")
@operation("addComment", "Comment on an idea, or reply to a comment", tag="comments",
           auth="required", body="CommentInput", responses={201: "Comment"},
           errors={403, 404, 409, 429},
           description="409 `comments_locked` when a moderator locked the idea's comments. In a "
                       "pre-moderated campaign the comment is `pending` until approved. 429 "
                       "`rate_limited` beyond the campaign's comments per minute.")
@token_required
@ratelimits.commenting
def add_comment(idea_id):
    data = body("body", "parent_id", ACCEPT_FIELD)
    text, parent_id = data.text("body"), data.optional_id("parent_id")
    accept = data.boolean(ACCEPT_FIELD)
    data.check()
    user = current_user()
    comment = comments.add_comment(user, idea_id, body=text, parent_id=parent_id,
                                   accept_code_of_conduct=bool(accept))
    location = url_for("api.get_comment", comment_id=comment.id)
    return serialize_comment(comment, user), 201, {"Location": location}


@bp.get(COMMENT_PATH)
@operation("getComment", "One comment", tag="comments", responses={200: "Comment"},
           errors={404})
def get_comment(comment_id):
    user = current_user()
    return serialize_comment(comments.get_comment(user, comment_id), user)


@bp.patch(COMMENT_PATH)
@operation("editComment", "Rewrite your comment while the campaign is open", tag="comments",
           auth="required", body="CommentEdit", responses={200: "Comment"},
           errors={403, 404, 409})
@token_required
def edit_comment(comment_id):
    data = body("body")
    text = data.text("body")
    data.check()
    user = current_user()
    return serialize_comment(comments.edit_comment(user, comment_id, body=text), user)


@bp.delete(COMMENT_PATH)
@operation("deleteComment", "Delete your comment while the campaign is open", tag="comments",
           auth="required", responses={204: None}, errors={403, 404, 409},
           description="The comment stays in its thread as a deleted marker with an empty body.")
@token_required
def delete_comment(comment_id):
    comments.delete_comment(current_user(), comment_id)
    return "", 204
