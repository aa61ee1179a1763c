"""Comparing two ideas at a time, and the leaderboard those comparisons produce."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.domain import campaigns, comparisons, ideas
from app.domain.errors import Conflict, NoPairLeft, RateLimited, ValidationError
from app.forms.comparisons import AnswerForm
from app.web.helpers import flash_error, login_required

bp = Blueprint("comparisons", __name__)


@bp.get("/c/<slug>/compare")
@login_required
def compare(slug):
    campaign = campaigns.get_campaign(current_user, slug)
    comparison, finished = None, None
    try:
        comparison = comparisons.serve_pair(current_user, campaign.id)
    except NoPairLeft as error:
        finished = error.message
    return render_template(
        "comparisons/compare.html", campaign=campaign, comparison=comparison, finished=finished,
        form=AnswerForm(formdata=None), progress=comparisons.get_progress(current_user, campaign.id),
        reason_max=comparisons.SKIP_REASON_MAX)


@bp.post("/comparisons/<int:comparison_id>")
@login_required
def answer(comparison_id):
    comparison = comparisons.get_comparison(current_user, comparison_id)
    slug = comparison.campaign.slug
    form = AnswerForm()
    try:
        comparisons.answer_comparison(current_user, comparison_id, form.choice.data, form.reason.data)
    except (Conflict, RateLimited, ValidationError) as error:
        # Stale or repeated answers, or going too fast: say so and show the current pair.
        flash_error(error)
    return redirect(url_for(".compare", slug=slug))


@bp.get("/c/<slug>/ranking")
def leaderboard(slug):
    campaign = campaigns.get_campaign(current_user, slug)
    board = comparisons.get_leaderboard(current_user, campaign.id)
    return render_template("comparisons/ranking.html", campaign=campaign, board=board,
                           sort_ranked=ideas.IdeaSort.RANKED)
