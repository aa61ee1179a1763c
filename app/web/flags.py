"""Participants flag an idea or a comment for the moderators."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import ratelimits
from app.domain import comments, flags
from app.forms.flags import FlagForm
from app.web.helpers import FLASHED_REFUSALS, flash_error, login_required

bp = Blueprint("flags", __name__)


def _flag(action, target_id, back):
    form = FlagForm()
    form.validate_on_submit()
    try:
        action(current_user, target_id, reason=form.reason.data, note=form.note.data)
    except FLASHED_REFUSALS as error:  # a missing reason, flagged already, too many
        flash_error(error)
    else:
        flash(_("Thanks — the moderators will take a look."), "success")
    return redirect(back)


@bp.post("/ideas/<int:idea_id>/flag")
@login_required
@ratelimits.flagging
def flag_idea(idea_id):
    return _flag(flags.flag_idea, idea_id, url_for("ideas.show", idea_id=idea_id))


@bp.post("/comments/<int:comment_id>/flag")
@login_required
@ratelimits.flagging
def flag_comment(comment_id):
    comment = comments.get_comment(current_user, comment_id)
    return _flag(flags.flag_comment, comment.id,
                 url_for("ideas.show", idea_id=comment.idea_id, _anchor=f"comment-{comment.id}"))
