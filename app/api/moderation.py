"""Moderation over the API: an idea's status and its public history."""
from app.api import bp
from app.api.auth import current_user, token_required
from app.api.ideas import IDEA_PATH, idea_for_viewer
from app.api.openapi import DATE_TIME, nullable, operation, ref, register_schema
from app.api.parsing import body
from app.api.schemas import PERSON, iso, serialize_person
from app.domain import moderation
from app.models import IdeaStatus

STATUSES = [s.value for s in IdeaStatus]

register_schema("StatusInput", {
    "type": "object",
    "required": ["status"],
    "additionalProperties": False,
    "properties": {
        "status": {"type": "string", "enum": STATUSES},
        "note": {"type": "string", "maxLength": moderation.NOTE_MAX,
                 "description": "Told to the author and followers; required when declining."},
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
    data = body("status", "note")
    status, note = data.text("status"), data.text("note")
    data.check()
    user = current_user()
    idea = moderation.change_idea_status(user, idea_id, status=status, note=note or "")
    return idea_for_viewer(idea, user)
