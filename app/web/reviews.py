"""The shortlisting board, the review scorecard, reviewers' scorecards and the decision."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain import ideas, moderation, reviews
from app.domain.errors import ValidationError
from app.forms.reviews import AssignForm, BoardMoveForm, CriteriaForm, DecisionForm
from app.models import IdeaStatus
from app.web.helpers import FLASHED_REFUSALS, apply_field_errors, flash_error, login_required, wants_json

bp = Blueprint("reviews", __name__)


@bp.get("/c/<slug>/board")
@login_required
def board(slug):
    args = request.args
    result = reviews.get_board(current_user, slug, tag=args.get("tag"), min_score=args.get("min_score"),
                               author_kind=args.get("author_kind"))
    return render_template("reviews/board.html", board=result, campaign=result.campaign,
                           move_form=BoardMoveForm(formdata=None),
                           backward={s.value: [b.value for b in moderation.backward_statuses(s)]
                                     for s in IdeaStatus},
                           tags=ideas.popular_tags(current_user, result.campaign.id, limit=40))


@bp.post("/c/<slug>/board/move")
@login_required
def move(slug):
    form = BoardMoveForm()
    if wants_json():
        moved = reviews.move_ideas(current_user, form.idea_ids.data, status=form.status.data,
                                   note=form.note.data, confirm=form.confirm.data)
        return jsonify({"moved": moved})
    try:
        moved = reviews.move_ideas(current_user, form.idea_ids.data, status=form.status.data,
                                   note=form.note.data, confirm=form.confirm.data)
        flash(_("%(n)d ideas moved.", n=len(moved)), "success")
    except FLASHED_REFUSALS as error:
        flash_error(error)
    return redirect(url_for(".board", slug=slug, **request.args))


@bp.route("/c/<slug>/review-criteria", methods=["GET", "POST"])
@login_required
def criteria(slug):
    board_ = reviews.get_board(current_user, slug)
    form = CriteriaForm() if request.method == "POST" else CriteriaForm(
        formdata=None, data={"rows": [{"name": c.name, "name_translation": c.name_translation, "weight": c.weight}
                                 for c in board_.criteria]})
    if request.method == "POST" and form.validate_on_submit():
        rows = [{"name": row.form.name.data, "name_translation": row.form.name_translation.data or "",
                 "weight": row.form.weight.data}
                for row in form.rows if (row.form.name.data or "").strip()]
        try:
            reviews.set_review_criteria(current_user, board_.campaign.id, rows)
        except ValidationError as error:
            apply_field_errors(form, error)
        else:
            flash(_("The scorecard is saved."), "success")
            return redirect(url_for(".board", slug=slug))
    return render_template("reviews/criteria.html", campaign=board_.campaign, form=form), \
        422 if form.errors else 200


PICKER_LIMIT = 20


def _render_review(idea, *, assign_form=None, decision_form=None, status=200):
    criteria = reviews.list_criteria(idea.campaign_id)
    reviewer_q = (request.args.get("reviewer_q") or "").strip()
    mine = reviews.my_review(current_user, idea.id)
    return render_template(
        "reviews/review.html", idea=idea, campaign=idea.campaign, criteria=criteria, mine=mine,
        my_scores={s.criterion_id: s.score for s in mine.scores} if mine else {},
        outcomes=reviews.DECISION_OUTCOMES,
        assigned=reviews.is_assigned(current_user, idea.id),
        reviewers=reviews.reviewers_of(idea.id),
        summary=reviews.summarise_reviews([idea.id], criteria)[idea.id],
        candidates=reviews.reviewer_candidates(current_user, idea.id),
        reviewer_q=reviewer_q,
        found=reviews.reviewer_candidates(current_user, idea.id, q=reviewer_q, limit=PICKER_LIMIT)
        if reviewer_q else [],
        decision=reviews.get_decision(current_user, idea.id),
        backward_statuses=[s.value for s in moderation.backward_statuses(idea.status)],
        assign_form=assign_form or AssignForm(formdata=None),
        decision_form=decision_form or DecisionForm(formdata=None)), status


@bp.get("/ideas/<int:idea_id>/review")
@login_required
def review(idea_id):
    return _render_review(reviews.open_review_sheet(current_user, idea_id))


@bp.post("/ideas/<int:idea_id>/review")
@login_required
def submit(idea_id):
    scores = {key.removeprefix("score_"): value for key, value in request.form.items()
              if key.startswith("score_")}
    try:
        reviews.submit_review(current_user, idea_id, scores=scores, note=request.form.get("note", ""))
    except FLASHED_REFUSALS as error:
        flash_error(error)
    else:
        flash(_("Your review is saved."), "success")
    return redirect(url_for(".review", idea_id=idea_id))


@bp.get("/ideas/<int:idea_id>/reviewer-candidates")
@login_required
def reviewer_candidates(idea_id):
    """The reviewer picker's look-up: people matching ?q= (name, department, country)."""
    reviews.open_review_sheet(current_user, idea_id)
    people = reviews.reviewer_candidates(current_user, idea_id, q=request.args.get("q", ""),
                                         limit=PICKER_LIMIT)
    return jsonify({"items": [{"id": p.id, "name": p.display_name, "department": p.department or "",
                               "country": p.country or ""} for p in people]})


@bp.post("/ideas/<int:idea_id>/reviewers")
@login_required
def assign(idea_id):
    form = AssignForm()
    try:
        reviews.assign_reviewers(current_user, idea_id, form.reviewer_ids.data)
    except FLASHED_REFUSALS as error:
        flash_error(error)
    else:
        flash(_("The reviewers are assigned."), "success")
    return redirect(url_for(".review", idea_id=idea_id))


@bp.post("/ideas/<int:idea_id>/decision")
@login_required
def decide(idea_id):
    form = DecisionForm()
    try:
        reviews.record_decision(current_user, idea_id, outcome=form.outcome.data,
                                owner_id=form.owner_id.data, note=form.note.data,
                                confirm=form.confirm.data)
    except ValidationError as error:
        apply_field_errors(form, error)
        return _render_review(ideas.get_idea(current_user, idea_id), decision_form=form,
                              status=error.status)
    flash(_("The decision is recorded."), "success")
    return redirect(url_for("ideas.show", idea_id=idea_id))
