"""Flags: participants report ideas and comments; moderators read the queue of flagged items."""
from flask import request

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.comments import COMMENT_PATH, serialize_comment
from app.api.ideas import IDEA_PATH, serialize_idea
from app.api.openapi import DATE_TIME, nullable, operation, query_parameter, ref, register_schema
from app.api.parsing import body, campaign_ref, query_int
from app.api.schemas import iso
from app import ratelimits
from app.domain import flags
from app.domain.validation import FieldErrors
from app.models import FlagReason

REASONS = [r.value for r in FlagReason]
KEY = {"type": "string", "pattern": r"^(idea|comment):[1-9][0-9]*$",
       "description": "What was flagged: `idea:<id>` or `comment:<id>`."}

register_schema("FlagInput", {
    "type": "object",
    "required": ["reason"],
    "additionalProperties": False,
    "properties": {
        "reason": {"type": "string", "enum": REASONS},
        "note": {"type": "string", "maxLength": flags.NOTE_MAX,
                 "description": "For the moderators; required with the reason `other`."},
    },
})

register_schema("Flag", {
    "type": "object",
    "required": ["id", "key", "idea_id", "comment_id", "reason", "note", "created_at"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "key": KEY,
        "idea_id": {"type": "integer", "description": "The idea flagged, or the flagged comment's idea."},
        "comment_id": nullable({"type": "integer"}),
        "reason": {"type": "string", "enum": REASONS},
        "note": {"type": "string"},
        "created_at": DATE_TIME,
    },
})

register_schema("FlagQueueItem", {
    "type": "object",
    "required": ["key", "kind", "idea", "comment", "flag_count", "first_flagged_at", "reasons",
                 "notes"],
    "additionalProperties": False,
    "properties": {
        "key": KEY,
        "kind": {"type": "string", "enum": list(flags.QUEUE_KINDS)},
        "idea": {**ref("Idea"), "description": "The flagged idea, or the flagged comment's idea."},
        "comment": nullable(ref("Comment")),
        "flag_count": {"type": "integer", "minimum": 1, "description": "Open flags on the item."},
        "first_flagged_at": DATE_TIME,
        "reasons": {"type": "object", "additionalProperties": False,
                    "properties": {r: {"type": "integer", "minimum": 1} for r in REASONS},
                    "description": "Open flags by reason."},
        "notes": {"type": "array", "items": {"type": "string"},
                  "description": "The latest notes of the open flags (at most three)."},
    },
})

register_schema("FlagQueue", {
    "type": "object",
    "required": ["items", "total", "page", "per_page", "pages"],
    "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": ref("FlagQueueItem"),
                  "description": "Most-flagged first, then longest waiting."},
        "total": {"type": "integer", "minimum": 0, "description": "Items matching, on all pages."},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": flags.PER_PAGE_MAX},
        "pages": {"type": "integer", "minimum": 1},
    },
})


def serialize_flag(flag):
    return {"id": flag.id, "key": flag.target_key, "idea_id": flag.idea_id,
            "comment_id": flag.comment_id, "reason": flag.reason.value, "note": flag.note,
            "created_at": iso(flag.created_at)}


def serialize_queue_item(item, viewer):
    return {
        "key": item.key,
        "kind": item.kind,
        "idea": serialize_idea(item.idea, viewer),
        "comment": serialize_comment(item.comment, viewer) if item.comment is not None else None,
        "flag_count": item.flag_count,
        "first_flagged_at": iso(item.first_flagged_at),
        "reasons": {reason.value: n for reason, n in item.reasons.items()},
        "notes": list(item.notes),
    }


_FLAG_DESCRIPTION = ("Once per person and item (409 `already_flagged`), never your own post "
                     "(403 `own_post`), within the campaign's flags per day (429 `rate_limited`). "
                     "Only the moderators learn of it.")


@bp.post(IDEA_PATH + "/flags")
@operation("flagIdea", "Report an idea to the moderators", tag="flags", auth="required",
           body="FlagInput", responses={201: "Flag"}, errors={403, 404, 409, 429},
           description=_FLAG_DESCRIPTION)
@token_required
@ratelimits.flagging
def flag_idea(idea_id):
    data = body("reason", "note")
    reason, note = data.text("reason"), data.text("note")
    data.check()
    flag = flags.flag_idea(current_user(), idea_id, reason=reason, note=note or "")
    return serialize_flag(flag), 201


@bp.post(COMMENT_PATH + "/flags")
@operation("flagComment", "Report a comment to the moderators", tag="flags", auth="required",
           body="FlagInput", responses={201: "Flag"}, errors={403, 404, 409, 429},
           description=_FLAG_DESCRIPTION)
@token_required
@ratelimits.flagging
def flag_comment(comment_id):
    data = body("reason", "note")
    reason, note = data.text("reason"), data.text("note")
    data.check()
    flag = flags.flag_comment(current_user(), comment_id, reason=reason, note=note or "")
    return serialize_flag(flag), 201


@bp.get("/moderation/queue")
@operation(
    "listFlagQueue", "Flagged items with open flags (moderators and admins)", tag="moderation",
    auth="required",
    query=[
        query_parameter("campaign", {"type": "string", "minLength": 1},
                        "Only this campaign (its numeric id or its slug)."),
        query_parameter("kind", {"type": "string", "enum": list(flags.QUEUE_KINDS)},
                        "Only ideas or only comments."),
        query_parameter("reason", {"type": "string", "enum": REASONS},
                        "Only items with an open flag for this reason."),
        query_parameter("q", {"type": "string"},
                        f"Words found in the idea or the comment (the first {flags.QUERY_MAX} "
                        "characters count)."),
        query_parameter("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number."),
        query_parameter("per_page", {"type": "integer", "minimum": 1,
                                     "maximum": flags.PER_PAGE_MAX, "default": flags.PER_PAGE},
                        "Items per page."),
    ],
    responses={200: "FlagQueue"}, errors={403, 404, 422},
    description="Act on the items with the hide, restore, approve and dismiss operations, or "
                "many at once with POST /moderation/bulk.",
)
@token_required
def list_flag_queue():
    errors = FieldErrors()
    page = query_int("page", errors)
    per_page = query_int("per_page", errors)
    errors.raise_if_any()
    user = current_user()
    args = request.args
    campaign = args.get("campaign") or None
    result = flags.list_flag_queue(
        user, campaign_id=campaign_ref(campaign) if campaign else None, kind=args.get("kind"),
        reason=args.get("reason"), q=args.get("q"), page=page, per_page=per_page, strict=True)
    return {"items": [serialize_queue_item(item, user) for item in result.items],
            "total": result.total, "page": result.page, "per_page": result.per_page,
            "pages": result.pages}
