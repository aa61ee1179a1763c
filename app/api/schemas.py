"""Serialisation shared by every noun: times and people (the authors of things)."""
from datetime import timezone

from app.api.openapi import register_schema


def iso(value):
    """An aware datetime as ISO-8601 UTC with a trailing Z, or None."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


KINDS = ["staff", "partner", "customer"]

PERSON = register_schema("Person", {
    "type": "object",
    "description": "Someone who wrote an idea, a comment or a version.",
    "required": ["id", "display_name", "kind"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "display_name": {"type": "string"},
        "kind": {"type": "string", "enum": KINDS},
    },
})


def serialize_person(user):
    return {"id": user.id, "display_name": user.display_name, "kind": user.kind.value}
