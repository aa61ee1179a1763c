"""Warnings and suspensions: what moderators do about a person, not a post."""
from flask import request

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.openapi import (DATE_TIME, ID_CONVERTER, nullable, operation, query_parameter,
                             register_schema)
from app.api.parsing import body
from app.api.schemas import KINDS, iso
from app.domain import permissions, sanctions

USER_PATH = f"/users/<{ID_CONVERTER}:user_id>"
REASON = {"type": "string", "minLength": 1, "maxLength": sanctions.REASON_MAX}

register_schema("WarningInput", {
    "type": "object",
    "required": ["reason"],
    "additionalProperties": False,
    "properties": {"reason": {**REASON, "description": "Sent to the person; kept in the audit log."}},
})

register_schema("SuspensionInput", {
    "type": "object",
    "required": ["until", "reason"],
    "additionalProperties": False,
    "properties": {
        "until": {"type": "string", "format": "date-time",
                  "description": "When the suspension ends: a future ISO-8601 time with its "
                                 "offset, e.g. 2026-05-01T09:30:00Z or 2026-05-01T17:30:00+08:00."},
        "reason": {**REASON, "description": "Told to the person; kept in the audit log."},
    },
})

register_schema("PersonStanding", {
    "type": "object",
    "description": "A person as moderators see them: whether they are suspended, and why.",
    "required": ["id", "display_name", "kind", "suspended", "suspended_until",
                 "suspension_reason"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "display_name": {"type": "string"},
        "kind": {"type": "string", "enum": KINDS},
        "suspended": {"type": "boolean",
                      "description": "They can read but not post, comment or vote."},
        "suspended_until": nullable(DATE_TIME),
        "suspension_reason": {"type": "string"},
    },
})


def serialize_standing(person):
    return {"id": person.id, "display_name": person.display_name, "kind": person.kind.value,
            "suspended": permissions.is_suspended(person),
            "suspended_until": iso(person.suspended_until),
            "suspension_reason": person.suspension_reason or ""}


_WHO = ("Moderators and admins, never about themselves nor about another moderator or admin "
        "(403). ")


@bp.post(USER_PATH + "/warn")
@operation("warnPerson", "Send a person a moderator's warning", tag="moderation",
           auth="required", body="WarningInput", responses={200: "PersonStanding"},
           errors={403, 404},
           description=_WHO + "The warning reaches them as a notification.")
@token_required
def warn_person(user_id):
    data = body("reason")
    reason = data.text("reason")
    data.check()
    return serialize_standing(sanctions.warn_person(current_user(), user_id, reason=reason))


@bp.post(USER_PATH + "/suspension")
@operation("suspendPerson", "Suspend a person until a time", tag="moderation", auth="required",
           body="SuspensionInput", responses={200: "PersonStanding"}, errors={403, 404},
           description=_WHO + "Until then they can read but not post, comment, vote or flag. "
                       "Suspending a suspended person sets the new end and reason.")
@token_required
def suspend_person(user_id):
    data = body("until", "reason")
    until, reason = data.aware_datetime("until"), data.text("reason")
    data.check()
    return serialize_standing(sanctions.suspend_person(current_user(), user_id, until=until,
                                                       reason=reason))


@bp.delete(USER_PATH + "/suspension")
@operation("liftSuspension", "Lift a person's suspension now", tag="moderation",
           auth="required",
           query=[query_parameter("reason", {"type": "string"}, "Kept in the audit log.")],
           responses={200: "PersonStanding"}, errors={403, 404, 409},
           description=_WHO + "409 `not_suspended` when they are not suspended.")
@token_required
def lift_suspension(user_id):
    person = sanctions.lift_suspension(current_user(), user_id,
                                       reason=request.args.get("reason", ""))
    return serialize_standing(person)
