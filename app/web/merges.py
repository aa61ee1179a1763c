"""Moderators merge a duplicate idea into another, and undo a merge."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain import merges
from app.domain.errors import Conflict, ValidationError
from app.forms.merges import MergeForm, UndoMergeForm
from app.web.helpers import flash_error, is_safe_path, login_required

bp = Blueprint("merges", __name__)


@bp.post("/ideas/<int:idea_id>/merge")
@login_required
def merge(idea_id):
    form = MergeForm()
    back = form.next.data if is_safe_path(form.next.data) else None
    try:
        record = merges.merge_idea(current_user, idea_id, into=form.into.data, note=form.note.data)
    except (ValidationError, Conflict) as error:
        flash_error(error)
        return redirect(back or url_for("ideas.show", idea_id=idea_id))
    if back:
        flash(_("The ideas are merged: votes and comments now show on “%(title)s”.",
                title=record.target.title), "success")
        return redirect(back)
    flash(_("The ideas are merged: votes and comments now show on this idea."), "success")
    return redirect(url_for("ideas.show", idea_id=record.target_id, _anchor=f"merged-{record.source_id}"))


@bp.post("/merges/<int:merge_id>/undo")
@login_required
def undo(merge_id):
    form = UndoMergeForm()
    record = merges.get_merge(current_user, merge_id)
    try:
        merges.undo_merge(current_user, record.id, reason=form.reason.data)
    except Conflict as error:
        flash_error(error)
    else:
        flash(_("The merge is undone: the idea and its votes are back."), "success")
    return redirect(url_for("ideas.show", idea_id=record.source_id))
