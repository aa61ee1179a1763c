"""A person's notifications: the list, marking them read, and the live message of each one,
worded by the same template as the bell and the page so that it reads the same after a reload."""
import logging

from flask import (Blueprint, current_app, g, has_request_context, redirect, render_template, request,
                   url_for)
from flask_login import current_user, login_required
from markupsafe import Markup

from app.domain import notifications
from app.errors import wants_json
from app.extensions import db
from app.models import User

bp = Blueprint("notifications", __name__)
log = logging.getLogger(__name__)


@bp.get("/notifications")
@login_required
def index():
    return render_template("notifications/index.html",
                           notifications=notifications.list_notifications(current_user),
                           unread=notifications.count_unread(current_user))


@bp.post("/notifications/read")
@login_required
def mark_read():
    notifications.mark_notifications_read(current_user)
    if wants_json():
        return {"unread": 0}
    return redirect(url_for("notifications.index"))


def notification_url(note):
    """Where a notification leads: the idea (at the comment), else the notifications page,
    which holds a moderator's whole message (a warning, a suspension)."""
    if note.idea_id:
        return url_for("ideas.show", idea_id=note.idea_id,
                       _anchor=f"comment-{note.comment_id}" if note.comment_id else None)
    return url_for("notifications.index", _anchor=f"notification-{note.id}")


bp.add_app_template_global(notification_url, "notification_url")


def render_notification(note) -> dict:
    """One notification as its reader sees it: the entry's HTML (as in the bell and on the
    page), its plain text and its link."""
    entry = render_template("notifications/_entry.html", note=note)
    return {"html": entry, "text": " ".join(Markup(entry).striptags().split()),
            "url": notification_url(note)}


def live_message(user_id, kind, payload):
    """The live message for one person, checked and worded now, just before it is sent: None
    when there is nothing they may read. It runs after the commit that recorded it, so it
    reads in a session of its own, as the reader (their language, their rights)."""
    app = current_app._get_current_object()
    base_url = request.url_root if has_request_context() else app.config.get("PUBLIC_URL") or None
    try:
        with app.app_context(), app.test_request_context("/", base_url=base_url):
            reader = db.session.get(User, user_id)
            if reader is None or not reader.active:
                return None
            g._login_user = reader  # Flask-Login's current user: the reader, for this message only
            message = {"unread": notifications.count_unread(reader)}
            if kind == "notification":
                note = notifications.get_readable_notification(reader, payload.get("id"))
                if note is None:
                    return None
                message.update(payload, **_fields(note), **render_notification(note))
            return message
    except Exception:  # noqa: BLE001 - a message that cannot be worded is dropped; pages catch up
        log.warning("could not prepare the live %s for person %s", kind, user_id, exc_info=True)
        return None


def _fields(note):
    return {"id": note.id, "kind": note.kind.value, "idea_id": note.idea_id,
            "idea_title": note.idea.title if note.idea else "", "comment_id": note.comment_id,
            "actor": note.actor.display_name if note.actor else "", "note": note.note,
            "read": note.read_at is not None, "created_at": note.created_at.isoformat()}
