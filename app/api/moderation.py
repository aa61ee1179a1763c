"""Moderation over the API: an idea's status and its public history; hiding, restoring and
approving ideas and comments, one at a time or many at once from the flag queue; editing
as a moderator; locking an idea's comments."""
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.comments import COMMENT_PATH, serialize_comment
from app.api.ideas import IDEA_PATH, idea_for_viewer
from app.api.openapi import DATE_TIME, nullable, operation, ref, register_schema
from app.api.parsing import body
from app.api.schemas import PERSON, iso, serialize_person
from app.domain import comments, ideas, moderation
from app.domain.text import fewest_characters
from app.models import IdeaStatus

STATUSES = [s.value for s in IdeaStatus]
CONFIRM = {"type": "boolean", "default": False,
           "description": "Required (true) to move an idea backwards: to an earlier step of the pipeline, "
                          "or back into it from declined or duplicate."}

register_schema("StatusInput", {
    "type": "object",
    "required": ["status"],
    "additionalProperties": False,
    "properties": {
        "status": {"type": "string", "enum": STATUSES},
        "note": {"type": "string", "maxLength": moderation.NOTE_MAX,
                 "description": "Told to the author and followers; required when declining."},
        "confirm": CONFIRM,
    },
})

register_schema("StatusChange", {
    "type": "object",
    "required": ["from_status", "to_status", "note", "actor", "created_at"],
    "additionalProperties": False,
    "properties": {
        "from_status": nullable({"type": "string", "enum": STATUSES}),
        "to_status": {"type": "string", "enum": STATUSES},
        "note": {"type": "string"},
        "actor": nullable(PERSON),
        "created_at": DATE_TIME,
    },
})

register_schema("StatusHistory", {
    "type": "object",
    "required": ["items"],
    "additionalProperties": False,
    "properties": {"items": {"type": "array", "items": ref("StatusChange")}},
})


def serialize_change(change):
    return {"from_status": change.from_status.value if change.from_status else None,
            "to_status": change.to_status.value, "note": change.note,
            "actor": serialize_person(change.actor) if change.actor else None,
            "created_at": iso(change.created_at)}


@bp.get(IDEA_PATH + "/status-history")
@operation("listStatusHistory", "An idea's public status history, oldest first", tag="moderation",
           responses={200: "StatusHistory"}, errors={404})
def list_status_history(idea_id):
    return {"items": [serialize_change(c) for c in moderation.list_status_history(current_user(), idea_id)]}


@bp.put(IDEA_PATH + "/status")
@operation("changeIdeaStatus", "Move an idea to another status (moderators and admins)",
           tag="moderation", auth="required", body="StatusInput", responses={200: "Idea"},
           errors={403, 404, 422})
@token_required
def change_idea_status(idea_id):
    data = body("status", "note", "confirm")
    status, note, confirm = data.text("status"), data.text("note"), data.boolean("confirm")
    data.check()
    user = current_user()
    idea = moderation.change_idea_status(user, idea_id, status=status, note=note or "",
                                         confirm=bool(confirm))
    return idea_for_viewer(idea, user)


# --- hiding, restoring and approving posts; moderator edits; locked comments ------------------

REASON = {"type": "string", "maxLength": moderation.REASON_MAX}
KEY = {"type": "string", "pattern": r"^(idea|comment):[1-9][0-9]*$",
       "description": "A queue item: `idea:<id>` or `comment:<id>`.",
       "examples": ["idea:7", "comment:12"]}

register_schema("HideInput", {
    "type": "object",
    "required": ["reason"],
    "additionalProperties": False,
    "properties": {"reason": {**REASON, "minLength": 1,
                              "description": "Told to the author; kept in the audit log."}},
})

register_schema("ReasonInput", {
    "type": "object",
    "description": "An optional reason, kept in the audit log. The body may be left out.",
    "additionalProperties": False,
    "properties": {"reason": REASON},
})

register_schema("IdeaModeratorEdit", {
    "type": "object",
    "description": "The idea's whole new text: every field is needed, so that nothing is "
                   "cleared by leaving it out.",
    "required": ["title", "body", "tags", "reason"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": fewest_characters(ideas.TITLE_MIN), "maxLength": ideas.TITLE_MAX},
        "body": {"type": "string", "maxLength": ideas.BODY_MAX, "description": "Markdown."},
        "tags": {"type": "array", "maxItems": ideas.TAGS_MAX,
                 "items": {"type": "string", "maxLength": ideas.TAG_MAX}},
        "reason": {**REASON, "minLength": 1, "description": "Kept in the audit log."},
    },
})

register_schema("CommentModeratorEdit", {
    "type": "object",
    "required": ["body", "reason"],
    "additionalProperties": False,
    "properties": {
        "body": {"type": "string", "maxLength": comments.BODY_MAX, "description": "Markdown."},
        "reason": {**REASON, "minLength": 1, "description": "Kept in the audit log."},
    },
})

register_schema("CommentsLockInput", {
    "type": "object",
    "required": ["locked"],
    "additionalProperties": False,
    "properties": {"locked": {"type": "boolean", "description": "true locks, false unlocks."},
                   "reason": REASON},
})

register_schema("BulkModerationInput", {
    "type": "object",
    "required": ["action", "keys"],
    "additionalProperties": False,
    "properties": {
        "action": {"type": "string", "enum": list(moderation.BULK_ACTIONS)},
        "keys": {"type": "array", "minItems": 1, "maxItems": moderation.BULK_MAX, "items": KEY},
        "reason": {**REASON, "description": "Required to hide; told to the authors."},
    },
})

register_schema("BulkModerationResult", {
    "type": "object",
    "required": ["action", "done", "skipped"],
    "additionalProperties": False,
    "properties": {
        "action": {"type": "string", "enum": list(moderation.BULK_ACTIONS)},
        "done": {"type": "array", "items": KEY, "description": "Items the action was applied to."},
        "skipped": {"type": "object", "additionalProperties": {
                        "type": "string", "enum": ["unchanged", "no_open_flags"]},
                    "description": "Items the action did not fit, each with why: `unchanged` "
                                   "(already so, or not hidden / not pending) or "
                                   "`no_open_flags`."},
    },
})

register_schema("DismissFlagsInput", {
    "type": "object",
    "required": ["key"],
    "additionalProperties": False,
    "properties": {"key": KEY, "reason": REASON},
})

register_schema("DismissFlagsResult", {
    "type": "object",
    "required": ["key", "dismissed"],
    "additionalProperties": False,
    "properties": {"key": KEY,
                   "dismissed": {"type": "integer", "minimum": 1,
                                 "description": "How many open flags were settled."}},
})

_MODERATORS_ONLY = "Moderators and admins only (403 otherwise). "
_STATE_ERRORS = {403, 404, 409}


@bp.post(IDEA_PATH + "/hide")
@operation("hideIdea", "Hide an idea, with a reason told to its author", tag="moderation",
           auth="required", body="HideInput", responses={200: "Idea"}, errors=_STATE_ERRORS,
           description=_MODERATORS_ONLY + "The idea leaves every list, search and leaderboard "
                       "and is 404 for everyone but its author and the moderators; its open "
                       "flags are settled. 409 `unchanged` when it is hidden already.")
@token_required
def hide_idea(idea_id):
    data = body("reason")
    reason = data.text("reason")
    data.check()
    user = current_user()
    return idea_for_viewer(moderation.hide_idea(user, idea_id, reason=reason), user)


@bp.post(IDEA_PATH + "/restore")
@operation("restoreIdea", "Publish a hidden idea again", tag="moderation", auth="required",
           body="ReasonInput", body_required=False, responses={200: "Idea"},
           errors=_STATE_ERRORS,
           description=_MODERATORS_ONLY + "409 `not_hidden` unless the idea is hidden.")
@token_required
def restore_idea(idea_id):
    data = body("reason", optional=True)
    reason = data.text("reason")
    data.check()
    user = current_user()
    return idea_for_viewer(moderation.restore_idea(user, idea_id, reason=reason or ""), user)


@bp.post(IDEA_PATH + "/approve")
@operation("approveIdea", "Publish an idea waiting for approval", tag="moderation",
           auth="required", responses={200: "Idea"}, errors=_STATE_ERRORS,
           description=_MODERATORS_ONLY + "409 `not_pending` unless the idea is pending.")
@token_required
def approve_idea(idea_id):
    user = current_user()
    return idea_for_viewer(moderation.approve_idea(user, idea_id), user)


@bp.post(COMMENT_PATH + "/hide")
@operation("hideComment", "Hide a comment, with a reason told to its author", tag="moderation",
           auth="required", body="HideInput", responses={200: "Comment"}, errors=_STATE_ERRORS,
           description=_MODERATORS_ONLY + "The comment stays in its thread as a marker without "
                       "its words for everyone but its author and the moderators. 409 "
                       "`unchanged` when it is hidden already.")
@token_required
def hide_comment(comment_id):
    data = body("reason")
    reason = data.text("reason")
    data.check()
    user = current_user()
    return serialize_comment(moderation.hide_comment(user, comment_id, reason=reason), user)


@bp.post(COMMENT_PATH + "/restore")
@operation("restoreComment", "Publish a hidden comment again", tag="moderation",
           auth="required", body="ReasonInput", body_required=False, responses={200: "Comment"},
           errors=_STATE_ERRORS,
           description=_MODERATORS_ONLY + "409 `not_hidden` unless the comment is hidden.")
@token_required
def restore_comment(comment_id):
    data = body("reason", optional=True)
    reason = data.text("reason")
    data.check()
    user = current_user()
    return serialize_comment(moderation.restore_comment(user, comment_id, reason=reason or ""),
                             user)


@bp.post(COMMENT_PATH + "/approve")
@operation("approveComment", "Publish a comment waiting for approval", tag="moderation",
           auth="required", responses={200: "Comment"}, errors=_STATE_ERRORS,
           description=_MODERATORS_ONLY + "409 `not_pending` unless the comment is pending.")
@token_required
def approve_comment(comment_id):
    user = current_user()
    return serialize_comment(moderation.approve_comment(user, comment_id), user)


@bp.post("/moderation/bulk")
@operation("moderateInBulk", "Hide, restore, approve or dismiss the flags of many items at once",
           tag="moderation", auth="required", body="BulkModerationInput",
           responses={200: "BulkModerationResult"}, errors={403, 404},
           description=_MODERATORS_ONLY + "Everything is checked first: a bad field or an "
                       "unknown item (404) changes nothing. Items the action does not fit are "
                       "skipped and reported; the others are done together.")
@token_required
def moderate_in_bulk():
    data = body("action", "keys", "reason")
    action = data.text("action")
    keys = data.text_list("keys", _l("Give a list of items, such as idea:7 or comment:12."))
    reason = data.text("reason")
    data.check()
    result = moderation.moderate_in_bulk(current_user(), action=action, keys=keys,
                                         reason=reason or "")
    return {"action": action, "done": result.done, "skipped": result.skipped}


@bp.post("/moderation/dismiss")
@operation("dismissFlags", "Settle an item's open flags without changing it", tag="moderation",
           auth="required", body="DismissFlagsInput", responses={200: "DismissFlagsResult"},
           errors={403, 404, 409},
           description=_MODERATORS_ONLY + "409 `no_open_flags` when nothing is left to settle.")
@token_required
def dismiss_flags():
    data = body("key", "reason")
    key, reason = data.text("key"), data.text("reason")
    data.require("key")
    data.check()
    count = moderation.dismiss_flags(current_user(), key, reason=reason or "")
    return {"key": key, "dismissed": count}


@bp.put(IDEA_PATH + "/moderator-edit")
@operation("editIdeaAsModerator", "Correct an idea's text as a moderator", tag="moderation",
           auth="required", body="IdeaModeratorEdit", responses={200: "Idea"},
           errors={403, 404},
           description=_MODERATORS_ONLY + "The change is a new version naming the moderator; "
                       "the idea then shows as edited by a moderator. The reason goes to the "
                       "audit log. A request that changes nothing makes no version.")
@token_required
def edit_idea_as_moderator(idea_id):
    data = body("title", "body", "tags", "reason")
    title, text, tags = data.text("title"), data.text("body"), data.text_list("tags")
    reason = data.text("reason")
    data.require("title", "body", "tags")
    data.check()
    user = current_user()
    idea = moderation.edit_idea_as_moderator(user, idea_id, title=title, body=text, tags=tags,
                                             reason=reason)
    return idea_for_viewer(idea, user)


@bp.put(COMMENT_PATH + "/moderator-edit")
@operation("editCommentAsModerator", "Correct a comment's text as a moderator",
           tag="moderation", auth="required", body="CommentModeratorEdit",
           responses={200: "Comment"}, errors={403, 404},
           description=_MODERATORS_ONLY + "The comment then shows as edited by a moderator; the "
                       "reason goes to the audit log.")
@token_required
def edit_comment_as_moderator(comment_id):
    data = body("body", "reason")
    text, reason = data.text("body"), data.text("reason")
    data.check()
    user = current_user()
    comment = moderation.edit_comment_as_moderator(user, comment_id, body=text, reason=reason)
    return serialize_comment(comment, user)


@bp.put(IDEA_PATH + "/comments-lock")
@operation("setCommentsLocked", "Lock or unlock an idea's comments", tag="moderation",
           auth="required", body="CommentsLockInput", responses={200: "Idea"},
           errors={403, 404, 409},
           description=_MODERATORS_ONLY + "While locked, adding a comment is refused with 409 "
                       "`comments_locked`. 409 `unchanged` when it is so already.")
@token_required
def set_comments_locked(idea_id):
    data = body("locked", "reason")
    locked, reason = data.boolean("locked"), data.text("reason")
    data.require("locked")
    data.check()
    user = current_user()
    idea = moderation.set_comments_locked(user, idea_id, locked=locked, reason=reason or "")
    return idea_for_viewer(idea, user)
