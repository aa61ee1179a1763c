"""Moderators move ideas through the status pipeline."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain import ideas, moderation
from app.domain.errors import ValidationError
from app.forms.moderation import StatusForm
from app.web.helpers import apply_field_errors, login_required
from app.web.ideas import render_idea

bp = Blueprint("moderation", __name__)


@bp.post("/ideas/<int:idea_id>/status")
@login_required
def change_status(idea_id):
    form = StatusForm()
    form.validate_on_submit()
    try:
        moderation.change_idea_status(current_user, idea_id, status=form.status.data, note=form.note.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_idea(ideas.get_idea(current_user, idea_id), status_form=form, status=error.status)
    flash(_("The idea's status is changed."), "success")
    return redirect(url_for("ideas.show", idea_id=idea_id))
