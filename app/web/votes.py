"""Voting on an idea: a plain form post, or JSON for the in-place vote buttons."""
from dataclasses import asdict

from flask import Blueprint, jsonify
from flask_login import current_user

from app import ratelimits
from app.domain import votes
from app.forms.votes import VoteForm
from app.web.helpers import FLASHED_REFUSALS, flash_error, login_required, redirect_next, referrer_path, wants_json

bp = Blueprint("votes", __name__)


@bp.post("/ideas/<int:idea_id>/vote")
@login_required
@ratelimits.voting
def cast(idea_id):
    form = VoteForm()
    if wants_json():
        return jsonify(asdict(votes.cast_vote(current_user, idea_id, form.value.data)))
    try:
        votes.cast_vote(current_user, idea_id, form.value.data)
    except FLASHED_REFUSALS as error:
        flash_error(error)
    return redirect_next(form.next.data or referrer_path(), "ideas.show", idea_id=idea_id)
