"""The token owner's notifications, as the bell shows them, and marking them read."""
from flask import current_app
from flask_babel import force_locale

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.openapi import nullable, operation, register_schema
from app.domain import notifications
from app.models import NotificationKind

register_schema("Notification", {
    "type": "object",
    "required": ["id", "kind", "idea_id", "comment_id", "actor", "note", "read", "created_at", "text", "url"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": [kind.value for kind in NotificationKind]},
        "idea_id": nullable({"type": "integer"}),
        "comment_id": nullable({"type": "integer"}),
        "actor": {"type": "string", "description": "Who did it (empty when unknown)."},
        "note": {"type": "string", "description": "A moderator's words to the person."},
        "read": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "text": {"type": "string", "description": "What the bell says, in the person's language."},
        "url": {"type": "string", "description": "Where the bell's entry leads (a path)."},
    },
})
register_schema("Notifications", {
    "type": "object",
    "required": ["unread", "items"],
    "additionalProperties": False,
    "properties": {
        "unread": {"type": "integer", "minimum": 0},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Notification"}},
    },
})
register_schema("UnreadCount", {
    "type": "object", "required": ["unread"], "additionalProperties": False,
    "properties": {"unread": {"type": "integer", "minimum": 0}},
})


def serialize_notification(note):
    from app.web.notifications import render_notification

    shown = render_notification(note)
    return {"id": note.id, "kind": note.kind.value, "idea_id": note.idea_id, "comment_id": note.comment_id,
            "actor": note.actor.display_name if note.actor else "", "note": note.note,
            "read": note.read_at is not None, "created_at": note.created_at.isoformat(),
            "text": shown["text"], "url": shown["url"]}


@bp.get("/notifications")
@operation("listNotifications", "The caller's latest notifications, newest first", tag="notifications",
           auth="required", responses={200: "Notifications"},
           description="Only what the caller may read now: a notification about an idea they can no "
                       "longer see (hidden, or in a campaign no longer open to them) is left out, and "
                       "not counted as unread.")
@token_required
def list_notifications():
    user = current_user()
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        items = [serialize_notification(note) for note in notifications.list_notifications(user)]
    return {"unread": notifications.count_unread(user), "items": items}


@bp.post("/notifications/read")
@operation("markNotificationsRead", "Mark all the caller's notifications read", tag="notifications",
           auth="required", responses={200: "UnreadCount"},
           description="The caller's open pages hear the new count at once.")
@token_required
def mark_notifications_read():
    notifications.mark_notifications_read(current_user())
    return {"unread": 0}
