"""A person's notifications: the list, and marking them read."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.domain import notifications
from app.errors import wants_json

bp = Blueprint("notifications", __name__)


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
