"""Markdown previews for the composers of ideas and comments (the page's script asks; posted
with the page's CSRF token, rate-limited like any other write-shaped request)."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from app import ratelimits
from app.domain import previews
from app.web.helpers import login_required

bp = Blueprint("previews", __name__)


@bp.post("/preview")
@login_required
@ratelimits.previewing
def preview():
    result = previews.preview_markdown(current_user, kind=request.form.get("kind"),
                                       body=request.form.get("body", ""))
    return jsonify(result)
