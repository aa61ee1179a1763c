"""Pairwise voting: get a pair of ideas to compare, answer it, and read the leaderboard."""

from flask import url_for

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.openapi import (DATE_TIME, ID_CONVERTER, nullable, operation, query_parameter, ref,
                             register_schema)
from app.api.parsing import body, campaign_ref, query_int
from app.api.schemas import iso
from app.domain import comparisons
from app.domain.validation import FieldErrors
from app.models import ComparisonChoice

register_schema("PairIdea", {
    "type": "object",
    "required": ["id", "title", "body", "body_html", "tags", "author_kind", "url"],
    "additionalProperties": False,
    "description": "An idea as shown for comparing: no vote counts, so every choice is one's own.",
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "body": {"type": "string", "description": "Markdown source."},
        "body_html": {"type": "string", "description": "Sanitised HTML."},
        "tags": {"type": "array", "items": {"type": "string"}},
        "author_kind": {"type": "string", "enum": ["staff", "partner", "customer"]},
        "url": {"type": "string", "format": "uri"},
    },
})

register_schema("Comparison", {
    "type": "object",
    "required": ["id", "campaign_id", "left", "right", "served_at", "expires_at", "answered_at",
                 "choice", "skip_reason"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer", "description": "Answer with POST /comparisons/{id}/answer."},
        "campaign_id": {"type": "integer"},
        "left": ref("PairIdea"),
        "right": ref("PairIdea"),
        "served_at": DATE_TIME,
        "expires_at": {**DATE_TIME, "description": "After this, the pair is stale (409 `stale_pair`)."},
        "answered_at": nullable(DATE_TIME),
        "choice": nullable({"type": "string", "enum": [c.value for c in ComparisonChoice]}),
        "skip_reason": {"type": "string"},
    },
})

register_schema("ComparisonAnswerInput", {
    "type": "object",
    "required": ["choice"],
    "additionalProperties": False,
    "properties": {
        "choice": {"type": "string", "enum": [c.value for c in ComparisonChoice],
                   "description": "The better idea (`left` or `right`), or `skip` (can't decide)."},
        "reason": {"type": "string", "maxLength": comparisons.SKIP_REASON_MAX,
                   "description": "Why you can't decide (kept with a skip only)."},
    },
})

register_schema("ComparisonProgress", {
    "type": "object",
    "required": ["answered", "skipped", "agreeing", "picks_in_top"],
    "additionalProperties": False,
    "properties": {
        "answered": {"type": "integer", "minimum": 0, "description": "Pairs you picked a winner in."},
        "skipped": {"type": "integer", "minimum": 0},
        "agreeing": {"type": "integer", "minimum": 0,
                     "description": "Of your picks, how many the current ranking agrees with."},
        "picks_in_top": {"type": "integer", "minimum": 0,
                         "description": "Ideas you picked that are now in the top 10."},
    },
})

register_schema("ComparisonAnswer", {
    "type": "object",
    "required": ["comparison", "progress"],
    "additionalProperties": False,
    "properties": {"comparison": ref("Comparison"), "progress": ref("ComparisonProgress")},
})

register_schema("RankingEntry", {
    "type": "object",
    "required": ["id", "title", "chance", "chance_low", "chance_high", "appearances", "url"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "chance": {"type": "number", "minimum": 0, "maximum": 1,
                   "description": "The chance this idea beats a random other idea of the campaign."},
        "chance_low": {"type": "number", "minimum": 0, "maximum": 1,
                       "description": "Low end of the likely range of `chance`."},
        "chance_high": {"type": "number", "minimum": 0, "maximum": 1},
        "appearances": {"type": "integer", "minimum": 0,
                        "description": "How often the idea was shown in an answered or skipped pair."},
        "url": {"type": "string", "format": "uri"},
    },
})

register_schema("Ranking", {
    "type": "object",
    "required": ["campaign_id", "comparisons", "people", "items"],
    "additionalProperties": False,
    "properties": {
        "campaign_id": {"type": "integer"},
        "comparisons": {"type": "integer", "minimum": 0, "description": "Answered pairs so far."},
        "people": {"type": "integer", "minimum": 0, "description": "People who answered any."},
        "items": {"type": "array", "items": ref("RankingEntry"), "description": "Best first."},
    },
})


def serialize_pair_idea(idea):
    return {"id": idea.id, "title": idea.title, "body": idea.body, "body_html": idea.body_html,
            "tags": [tag.name for tag in idea.tags], "author_kind": idea.author.kind.value,
            "url": url_for("ideas.show", idea_id=idea.id, _external=True)}


def serialize_comparison(comparison):
    return {
        "id": comparison.id, "campaign_id": comparison.campaign_id,
        "left": serialize_pair_idea(comparison.left), "right": serialize_pair_idea(comparison.right),
        "served_at": iso(comparison.served_at),
        "expires_at": iso(comparison.served_at + comparisons.PAIR_TTL),
        "answered_at": iso(comparison.answered_at),
        "choice": comparison.choice.value if comparison.choice else None,
        "skip_reason": comparison.skip_reason or "",
    }


@bp.post("/campaigns/<campaign>/comparisons")
@operation("servePair", "The next pair of ideas for you to compare", tag="comparisons",
           auth="required", responses={200: "Comparison"}, errors={403, 404, 409},
           description="Asking again returns the same pair until it is answered or goes stale. "
                       "Never your own idea, never a declined or duplicate one, never a pair "
                       "you were served before. 409 `no_pair_left` when nothing is left; 403 "
                       "`voting_mode` in a campaign without pairwise voting.")
@token_required
def serve_pair(campaign):
    return serialize_comparison(comparisons.serve_pair(current_user(), campaign_ref(campaign)))


@bp.post(f"/comparisons/<{ID_CONVERTER}:comparison_id>/answer")
@operation("answerPair", "Answer a pair you were served: left, right or skip", tag="comparisons",
           auth="required", body="ComparisonAnswerInput", responses={200: "ComparisonAnswer"},
           errors={403, 404, 409, 422, 429},
           description="404 `pair_not_served` for a pair never served to you; 409 "
                       "`already_answered` for a second answer; 409 `stale_pair` when a newer "
                       "pair was served, the pair expired, or one of its ideas left the ranking.")
@token_required
def answer_pair(comparison_id):
    data = body("choice", "reason")
    choice, reason = data.text("choice"), data.text("reason")
    data.check()
    user = current_user()
    comparison = comparisons.answer_comparison(user, comparison_id, choice, reason)
    progress = comparisons.get_progress(user, comparison.campaign_id)
    return {"comparison": serialize_comparison(comparison),
            "progress": {"answered": progress.answered, "skipped": progress.skipped,
                         "agreeing": progress.agreeing, "picks_in_top": progress.picks_in_top}}


@bp.get("/campaigns/<campaign>/ranking")
@operation("getRanking", "The pairwise leaderboard: ideas by their chance to beat a random other",
           tag="comparisons",
           query=[query_parameter("limit", {"type": "integer", "minimum": 1,
                                            "maximum": comparisons.LEADERBOARD_MAX,
                                            "default": comparisons.LEADERBOARD_SIZE},
                                  "How many ideas.")],
           responses={200: "Ranking"}, errors={404, 422})
def get_ranking(campaign):
    errors = FieldErrors()
    limit = query_int("limit", errors)
    errors.raise_if_any()
    board = comparisons.get_leaderboard(current_user(), campaign_ref(campaign), limit=limit)
    return {"campaign_id": board.campaign.id, "comparisons": board.comparisons,
            "people": board.people,
            "items": [{**comparisons.leaderboard_entry(idea), "title": idea.title,
                       "url": url_for("ideas.show", idea_id=idea.id, _external=True)}
                      for idea in board.ideas]}
