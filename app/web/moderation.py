"""Moderators at work: the status pipeline, hiding, restoring and approving posts, locking
comments, editing as a moderator, and the flag queue with its bulk actions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain import campaigns, comments, duplicates, flags, ideas, moderation, permissions
from app.domain.errors import Conflict, NotFound, ValidationError
from app.forms.moderation import (BulkForm, ModeratorCommentForm, ModeratorIdeaForm,
                                  QueueFilterForm, ReasonForm, StatusForm)
from app.web.helpers import apply_field_errors, flash_error, login_required, redirect_next
from app.web.ideas import render_idea

bp = Blueprint("moderation", __name__)


@bp.post("/ideas/<int:idea_id>/status")
@login_required
def change_status(idea_id):
    form = StatusForm()
    form.validate_on_submit()
    try:
        moderation.change_idea_status(current_user, idea_id, status=form.status.data, note=form.note.data,
                                      confirm=form.confirm.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_idea(ideas.get_idea(current_user, idea_id), status_form=form, status=error.status)
    flash(_("The idea's status is changed."), "success")
    return redirect(url_for("ideas.show", idea_id=idea_id))


# --- one post at a time: small forms on the idea page ---------------------------------------

def _act(call, message, back):
    """Run one moderator action; a missing reason or a state that does not fit is flashed,
    a person who may not moderate gets the 403 page."""
    try:
        call()
    except (ValidationError, Conflict) as error:
        flash_error(error)
    else:
        flash(message, "success")
    return redirect(back)


def _idea_url(idea_id):
    return url_for("ideas.show", idea_id=idea_id)


@bp.post("/ideas/<int:idea_id>/hide")
@login_required
def hide_idea(idea_id):
    reason = ReasonForm().reason.data
    return _act(lambda: moderation.hide_idea(current_user, idea_id, reason=reason),
                _("The idea is hidden; its author is told why."), _idea_url(idea_id))


@bp.post("/ideas/<int:idea_id>/restore")
@login_required
def restore_idea(idea_id):
    reason = ReasonForm().reason.data
    return _act(lambda: moderation.restore_idea(current_user, idea_id, reason=reason),
                _("The idea is published again."), _idea_url(idea_id))


@bp.post("/ideas/<int:idea_id>/approve")
@login_required
def approve_idea(idea_id):
    return _act(lambda: moderation.approve_idea(current_user, idea_id),
                _("The idea is approved and published."), _idea_url(idea_id))


@bp.post("/ideas/<int:idea_id>/lock-comments")
@login_required
def lock_comments(idea_id):
    reason = ReasonForm().reason.data
    return _act(lambda: moderation.set_comments_locked(current_user, idea_id, locked=True, reason=reason),
                _("Comments are locked."), _idea_url(idea_id))


@bp.post("/ideas/<int:idea_id>/unlock-comments")
@login_required
def unlock_comments(idea_id):
    reason = ReasonForm().reason.data
    return _act(lambda: moderation.set_comments_locked(current_user, idea_id, locked=False, reason=reason),
                _("Comments are open again."), _idea_url(idea_id))


def _comment_action(comment_id, call, message):
    comment = comments.get_comment(current_user, comment_id)
    back = url_for("ideas.show", idea_id=comment.idea_id, _anchor=f"comment-{comment.id}")
    return _act(lambda: call(comment.id), message, back)


@bp.post("/comments/<int:comment_id>/hide")
@login_required
def hide_comment(comment_id):
    reason = ReasonForm().reason.data
    return _comment_action(comment_id, lambda c: moderation.hide_comment(current_user, c, reason=reason),
                           _("The comment is hidden; its author is told why."))


@bp.post("/comments/<int:comment_id>/restore")
@login_required
def restore_comment(comment_id):
    reason = ReasonForm().reason.data
    return _comment_action(comment_id, lambda c: moderation.restore_comment(current_user, c, reason=reason),
                           _("The comment is published again."))


@bp.post("/comments/<int:comment_id>/approve")
@login_required
def approve_comment(comment_id):
    return _comment_action(comment_id, lambda c: moderation.approve_comment(current_user, c),
                           _("The comment is approved and published."))


# --- editing as a moderator ------------------------------------------------------------------

@bp.route("/ideas/<int:idea_id>/moderate/edit", methods=["GET", "POST"])
@login_required
def edit_idea(idea_id):
    idea = ideas.get_idea(current_user, idea_id)
    if not permissions.can_moderate(current_user):
        abort(403)
    form = ModeratorIdeaForm(data={"title": idea.title, "body": idea.body,
                                   "tags": ", ".join(t.name for t in idea.tags)})
    context = {"form": form, "idea": idea, "title_max": ideas.TITLE_MAX, "body_max": ideas.BODY_MAX}
    if not form.validate_on_submit():
        return render_template("moderation/edit_idea.html", **context), (422 if form.is_submitted() else 200)
    try:
        moderation.edit_idea_as_moderator(current_user, idea.id, title=form.title.data,
                                          body=form.body.data, tags=form.tags.data,
                                          reason=form.reason.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("moderation/edit_idea.html", **context), error.status
    flash(_("The idea is saved. It shows that a moderator edited it."), "success")
    return redirect(_idea_url(idea.id))


@bp.route("/comments/<int:comment_id>/moderate/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id):
    comment = comments.get_comment(current_user, comment_id)
    if not permissions.can_moderate(current_user):
        abort(403)
    form = ModeratorCommentForm(data={"body": comment.body})
    context = {"form": form, "comment": comment, "body_max": comments.BODY_MAX}
    if not form.validate_on_submit():
        return render_template("moderation/edit_comment.html", **context), (
            422 if form.is_submitted() else 200)
    try:
        moderation.edit_comment_as_moderator(current_user, comment.id, body=form.body.data,
                                             reason=form.reason.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("moderation/edit_comment.html", **context), error.status
    flash(_("The comment is saved. It shows that a moderator edited it."), "success")
    return redirect(url_for("ideas.show", idea_id=comment.idea_id, _anchor=f"comment-{comment.id}"))


# --- the queue -------------------------------------------------------------------------------

DUPLICATE_PAIRS = 10


@bp.get("/moderation/queue")
@login_required
def queue():
    form = QueueFilterForm(request.args)
    filters = {"campaign_id": form.campaign.data, "kind": form.kind.data}
    page = flags.list_flag_queue(current_user, **filters, reason=form.reason.data, q=form.q.data,
                                 page=request.args.get("page", 1, type=int))
    pending = moderation.list_pending(current_user, **filters,
                                      page=request.args.get("pending_page", 1, type=int))
    try:
        pairs = duplicates.list_duplicate_pairs(current_user, campaign_id=filters["campaign_id"],
                                                limit=DUPLICATE_PAIRS)
    except NotFound:
        pairs = []
    lists = campaigns.list_campaigns(current_user)
    form.set_campaigns(lists.open + lists.upcoming + lists.closed)
    return render_template("moderation/queue.html", form=form, page=page, pending=pending,
                           bulk_form=BulkForm(formdata=None, next=request.full_path), duplicates=pairs)


@bp.post("/moderation/bulk")
@login_required
def bulk():
    form = BulkForm()
    form.validate_on_submit()
    try:
        result = moderation.moderate_in_bulk(current_user, action=form.action.data,
                                             keys=form.keys.data, reason=form.reason.data)
    except (ValidationError, Conflict, NotFound) as error:
        flash_error(error)
    else:
        flash(_("%(done)d done, %(skipped)d skipped.", done=len(result.done),
                skipped=len(result.skipped)), "success")
    return redirect_next(form.next.data, "moderation.queue")
