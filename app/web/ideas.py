"""An idea's page (with its comments), its edit form, its versions and following it."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.domain import comments, duplicates, flags, ideas, merges, moderation, permissions, reviews
from app.domain.errors import CampaignNotOpen, ValidationError
from app.forms.comments import CommentForm
from app.forms.flags import FlagForm
from app.forms.ideas import FollowForm, IdeaForm
from app.forms.moderation import StatusForm
from app.web.helpers import apply_field_errors, redirect_next

bp = Blueprint("ideas", __name__)


def render_idea(idea, *, comment_form=None, status_form=None, status=200):
    """The idea page; forms passed in keep what the person typed and its errors."""
    threads = comments.list_comment_threads(current_user, idea.id,
                                            page=request.args.get("comments", 1, type=int))
    return render_template(
        "ideas/show.html", idea=idea, campaign=idea.campaign, threads=threads,
        status_history=moderation.list_status_history(current_user, idea.id),
        # The menu starts at the idea's own status, so pressing the button by mistake changes nothing.
        status_form=status_form or StatusForm(formdata=None, status=idea.status.value),
        backward_statuses=[s.value for s in moderation.backward_statuses(idea.status)],
        following=ideas.is_following(current_user, idea.id),
        my_votes=ideas.votes_of(current_user, [idea.id]),
        comment_form=comment_form or CommentForm(formdata=None),
        follow_form=FollowForm(formdata=None), body_max=comments.BODY_MAX,
        merged=merges.merged_into_this(current_user, idea.id),
        merge_targets=merges.merge_targets(current_user, idea.id),
        flagged=flags.flagged_by(current_user, _post_keys(idea, threads)),
        flag_form=FlagForm(formdata=None),
        decision=reviews.get_decision(current_user, idea.id),
        is_reviewer=reviews.is_assigned(current_user, idea.id),
        other_language=duplicates.find_other_language_ideas(current_user, idea),
    ), status


def _post_keys(idea, threads):
    """The idea and every comment on its page, as flags name them."""
    return [flags.idea_key(idea.id)] + [flags.comment_key(c.id) for top, replies in threads.items
                                        for c in (top, *replies)]


@bp.get("/ideas/<int:idea_id>")
def show(idea_id):
    idea = ideas.get_idea(current_user, idea_id)
    if idea.merged_into_id is not None:  # a merged idea lives on in the one it was merged into
        return redirect(url_for("ideas.show", idea_id=idea.merged_into_id, _anchor=f"merged-{idea.id}"))
    return render_idea(idea)


@bp.get("/ideas/<int:idea_id>/versions")
def versions(idea_id):
    idea = ideas.get_idea(current_user, idea_id)
    return render_template("ideas/versions.html", idea=idea,
                           versions=ideas.list_versions(current_user, idea.id))


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@login_required
def edit(idea_id):
    idea = ideas.get_idea(current_user, idea_id)
    if not permissions.can_edit_idea(current_user, idea):
        abort(403)
    form = IdeaForm(data={"title": idea.title, "body": idea.body, "language": idea.language,
                          "tags": ", ".join(t.name for t in idea.tags)})
    context = {"form": form, "idea": idea, "title_max": ideas.TITLE_MAX, "body_max": ideas.BODY_MAX}
    if not form.validate_on_submit():
        return render_template("ideas/edit.html", **context), (422 if form.is_submitted() else 200)
    try:
        ideas.edit_idea(current_user, idea.id, title=form.title.data, body=form.body.data,
                        tags=form.tags.data, language=form.language.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return render_template("ideas/edit.html", **context), error.status
    except CampaignNotOpen as error:
        flash(str(error.message), "error")
    else:
        flash(_("Your idea is saved."), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id))


@bp.post("/ideas/<int:idea_id>/follow")
@login_required
def follow(idea_id):
    form = FollowForm()
    ideas.follow_idea(current_user, idea_id)
    flash(_("You now follow this idea."), "success")
    return redirect_next(form.next.data, "ideas.show", idea_id=idea_id)


@bp.post("/ideas/<int:idea_id>/unfollow")
@login_required
def unfollow(idea_id):
    form = FollowForm()
    ideas.unfollow_idea(current_user, idea_id)
    flash(_("You no longer follow this idea."), "info")
    return redirect_next(form.next.data, "ideas.show", idea_id=idea_id)
