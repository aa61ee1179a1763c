"""Posting, editing and deleting comments (JSON-aware, so JS can add them in place)."""
from flask import Blueprint, abort, flash, jsonify, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import ratelimits
from app.domain import campaigns, comments, conduct, flags, ideas, permissions
from app.domain.errors import CampaignNotOpen, Conflict, ValidationError
from app.forms.comments import CommentForm, DeleteCommentForm, EditCommentForm
from app.forms.flags import FlagForm
from app.web.helpers import apply_field_errors, comment_draft_key, login_required, mark_draft_posted, wants_json
from app.web.ideas import render_idea

bp = Blueprint("comments", __name__)


def _comment_url(comment):
    return url_for("ideas.show", idea_id=comment.idea_id, _anchor=f"comment-{comment.id}")


@bp.post("/ideas/<int:idea_id>/comments")
@login_required
@ratelimits.commenting
def create(idea_id):
    form = CommentForm()
    form.validate_on_submit()
    if wants_json():
        comment = comments.add_comment(current_user, idea_id, body=form.body.data,
                                       parent_id=form.parent_id.data or None,
                                       accept_code_of_conduct=form.accept_code_of_conduct.data)
        return _comment_json(comment), 201
    idea = ideas.get_idea(current_user, idea_id)
    try:
        comment = comments.add_comment(current_user, idea.id, body=form.body.data,
                                       parent_id=form.parent_id.data or None,
                                       accept_code_of_conduct=form.accept_code_of_conduct.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_idea(idea, comment_form=form, status=error.status)
    except Conflict as error:  # the campaign closed, or a moderator locked the comments
        flash(str(error.message), "error")
        return redirect(url_for("ideas.show", idea_id=idea.id))
    mark_draft_posted(comment_draft_key(idea.id, form.parent_id.data or None))
    if comment.is_published:
        flash(_("Your comment is posted."), "success")
    else:
        flash(_("Your comment is waiting for a moderator's approval."), "info")
    return redirect(_comment_url(comment))


@bp.get("/comments/<int:comment_id>/fragment")
def fragment(comment_id):
    """One comment (with its replies, when it opens a thread) as the idea page shows it to
    this viewer: what arrives live is decided for each reader when it is shown."""
    idea, comment, replies = comments.get_comment_thread(current_user, comment_id)
    keys = [flags.comment_key(c.id) for c in (comment, *replies)]
    # Worked out once for the thread, as the idea page does, not once per comment.
    response = make_response(render_template(
        "comments/_comment.html", comment=comment, replies=replies, idea=idea, campaign=idea.campaign,
        flag_form=FlagForm(formdata=None), flagged=flags.flagged_by(current_user, keys),
        may_comment=campaigns.may_comment_on(current_user, idea),
        moderating=permissions.can_moderate(current_user),
        conduct_needed=conduct.needs_acceptance(current_user, idea.campaign)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _comment_json(comment):
    idea = ideas.get_idea(current_user, comment.idea_id)
    html = render_template("comments/_comment.html", comment=comment, replies=[], idea=idea,
                           campaign=idea.campaign)
    return jsonify({"id": comment.id, "parent_id": comment.parent_id, "html": html,
                    "comment_count": idea.comment_count})


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id):
    comment = comments.get_comment(current_user, comment_id)
    if not permissions.can_edit_comment(current_user, comment):
        abort(403)
    form = EditCommentForm(data={"body": comment.body})
    if not form.validate_on_submit():
        return render_template("comments/edit.html", form=form, comment=comment), (
            422 if form.is_submitted() else 200)
    try:
        comments.edit_comment(current_user, comment.id, body=form.body.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("comments/edit.html", form=form, comment=comment), error.status
    except CampaignNotOpen as error:
        flash(str(error.message), "error")
    else:
        flash(_("Your comment is saved."), "success")
    return redirect(_comment_url(comment))


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id):
    DeleteCommentForm().validate_on_submit()
    try:
        comment = comments.delete_comment(current_user, comment_id)
    except CampaignNotOpen as error:
        flash(str(error.message), "error")
        comment = comments.get_comment(current_user, comment_id)
    else:
        flash(_("Your comment is deleted."), "info")
    return redirect(_comment_url(comment))
