"""Shortlisting and review over the API: the board, the scorecard, reviewers, one's own
review, moving ideas in bulk, and the decision record."""
from flask import request

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.ideas import IDEA_PATH
from app.api.moderation import CONFIRM
from app.api.openapi import DATE_TIME, nullable, operation, query_parameter, ref, register_schema
from app.api.parsing import body, campaign_ref
from app.api.schemas import PERSON, iso, serialize_person
from app.domain import reviews
from app.models import IdeaStatus, ParticipantKind

CAMPAIGN_PATH = "/campaigns/<campaign>"
STATUSES = [s.value for s in IdeaStatus]

register_schema("ReviewCriterion", {
    "type": "object", "required": ["id", "name", "name_translation", "weight"], "additionalProperties": False,
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                   "name_translation": {"type": "string",
                                        "description": "The name in the campaign's other language "
                                                       "(see Campaign.language); empty when not given."},
                   "weight": {"type": "number", "exclusiveMinimum": 0, "maximum": reviews.WEIGHT_MAX}},
})

register_schema("ReviewCriteria", {
    "type": "object", "required": ["items"], "additionalProperties": False,
    "properties": {"items": {"type": "array", "items": ref("ReviewCriterion")}},
})

register_schema("ReviewCriteriaInput", {
    "type": "object", "required": ["criteria"], "additionalProperties": False,
    "properties": {"criteria": {
        "type": "array", "minItems": 1, "maxItems": reviews.CRITERIA_MAX,
        "description": "Replaces the scorecard; refused (409 `reviews_started`) once a review exists.",
        "items": {"type": "object", "required": ["name", "weight"], "additionalProperties": False,
                  "properties": {"name": {"type": "string", "maxLength": reviews.NAME_MAX},
                                 "name_translation": {"type": "string", "maxLength": reviews.NAME_MAX},
                                 "weight": {"type": "number", "exclusiveMinimum": 0,
                                            "maximum": reviews.WEIGHT_MAX}}}}},
})

register_schema("ReviewSummary", {
    "type": "object", "required": ["count", "assigned", "mean", "spread", "by_criterion"],
    "additionalProperties": False,
    "description": "The reviewers' combined result; no single scorecard is ever shown.",
    "properties": {
        "count": {"type": "integer", "minimum": 0, "description": "Reviews submitted."},
        "assigned": {"type": "integer", "minimum": 0, "description": "Reviewers assigned."},
        "mean": nullable({"type": "number", "description": "Mean of the reviewers' weighted scores (1–5)."}),
        "spread": nullable({"type": "number", "description": "Their standard deviation."}),
        "by_criterion": {"type": "object", "additionalProperties": {"type": "number"},
                         "description": "Criterion id → mean score."},
    },
})

register_schema("BoardCard", {
    "type": "object", "required": ["id", "title", "status", "score", "author_kind", "tags", "reviews"],
    "additionalProperties": False,
    "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                   "status": {"type": "string", "enum": STATUSES}, "score": {"type": "integer"},
                   "author_kind": {"type": "string", "enum": [k.value for k in ParticipantKind]},
                   "tags": {"type": "array", "items": {"type": "string"}},
                   "reviews": ref("ReviewSummary")},
})

register_schema("Board", {
    "type": "object", "required": ["campaign_id", "criteria", "columns"], "additionalProperties": False,
    "properties": {
        "campaign_id": {"type": "integer"},
        "criteria": {"type": "array", "items": ref("ReviewCriterion")},
        "columns": {"type": "array", "items": {
            "type": "object", "required": ["status", "cards"], "additionalProperties": False,
            "properties": {"status": {"type": "string", "enum": STATUSES},
                           "cards": {"type": "array", "items": ref("BoardCard")}}}},
    },
})

register_schema("BoardMoveInput", {
    "type": "object", "required": ["idea_ids", "status"], "additionalProperties": False,
    "properties": {"idea_ids": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
                   "status": {"type": "string", "enum": STATUSES},
                   "note": {"type": "string", "description": "Required when declining."},
                   "confirm": CONFIRM},
})

register_schema("BoardMoveResult", {
    "type": "object", "required": ["moved"], "additionalProperties": False,
    "properties": {"moved": {"type": "array", "items": {"type": "integer"},
                             "description": "Ideas whose status changed (the others had it already)."}},
})

register_schema("ReviewersInput", {
    "type": "object", "required": ["reviewer_ids"], "additionalProperties": False,
    "properties": {"reviewer_ids": {"type": "array", "items": {"type": "integer"}, "minItems": 1}},
})

register_schema("Reviewers", {
    "type": "object", "required": ["items"], "additionalProperties": False,
    "properties": {"items": {"type": "array", "items": PERSON}},
})

register_schema("ReviewInput", {
    "type": "object", "required": ["scores"], "additionalProperties": False,
    "properties": {"scores": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1,
                                                                         "maximum": 5},
                              "description": "Criterion id → score 1–5, for every criterion."},
                   "note": {"type": "string", "maxLength": reviews.NOTE_MAX}},
})

register_schema("Review", {
    "type": "object", "required": ["idea_id", "scores", "note", "submitted_at"], "additionalProperties": False,
    "description": "The caller's own scorecard.",
    "properties": {"idea_id": {"type": "integer"},
                   "scores": {"type": "object", "additionalProperties": {"type": "integer"}},
                   "note": {"type": "string"}, "submitted_at": DATE_TIME},
})

register_schema("DecisionInput", {
    "type": "object", "required": ["outcome", "note"], "additionalProperties": False,
    "properties": {"outcome": {"type": "string", "enum": ["selected", "declined"]},
                   "owner_id": nullable({"type": "integer", "description": "Required when selected."}),
                   "note": {"type": "string", "maxLength": reviews.NOTE_MAX}, "confirm": CONFIRM},
})

register_schema("Decision", {
    "type": "object", "required": ["idea_id", "outcome", "owner", "note", "decided_at"],
    "additionalProperties": False,
    "properties": {"idea_id": {"type": "integer"}, "outcome": {"type": "string", "enum": ["selected", "declined"]},
                   "owner": nullable(PERSON), "note": {"type": "string"}, "decided_at": DATE_TIME},
})


def serialize_criteria(criteria):
    return {"items": [{"id": c.id, "name": c.name, "name_translation": c.name_translation,
                       "weight": c.weight} for c in criteria]}


def serialize_summary(summary):
    return {"count": summary.count, "assigned": summary.assigned, "mean": summary.mean,
            "spread": summary.spread,
            "by_criterion": {str(k): v for k, v in summary.by_criterion.items()}}


def serialize_review(review):
    return {"idea_id": review.idea_id, "scores": {str(s.criterion_id): s.score for s in review.scores},
            "note": review.note, "submitted_at": iso(review.submitted_at)}


def serialize_decision(decision):
    return {"idea_id": decision.idea_id, "outcome": decision.outcome.value,
            "owner": serialize_person(decision.owner) if decision.owner else None,
            "note": decision.note, "decided_at": iso(decision.decided_at)}


@bp.get(CAMPAIGN_PATH + "/board")
@operation("getBoard", "The shortlisting board: ideas by status with review summaries", tag="reviews",
           auth="required",
           query=[query_parameter("tag", {"type": "string"}, "Only ideas with this tag."),
                  query_parameter("min_score", {"type": "integer"}, "Only ideas with at least this net score."),
                  query_parameter("author_kind", {"type": "string", "enum": [k.value for k in ParticipantKind]},
                                  "Only ideas by this kind of participant.")],
           responses={200: "Board"}, errors={403, 404, 422})
@token_required
def get_board(campaign):
    args = request.args
    board = reviews.get_board(current_user(), campaign_ref(campaign), tag=args.get("tag"),
                              min_score=args.get("min_score"), author_kind=args.get("author_kind"))
    return {"campaign_id": board.campaign.id, "criteria": serialize_criteria(board.criteria)["items"],
            "columns": [{"status": status.value, "cards": [{
                "id": card.idea.id, "title": card.idea.title, "status": card.idea.status.value,
                "score": card.idea.score, "author_kind": card.idea.author.kind.value,
                "tags": [t.name for t in card.idea.tags], "reviews": serialize_summary(card.summary)}
                for card in cards]} for status, cards in board.columns]}


@bp.post(CAMPAIGN_PATH + "/board/moves")
@operation("moveIdeas", "Move several ideas to one status (moderators and admins)", tag="reviews",
           auth="required", body="BoardMoveInput", responses={200: "BoardMoveResult"},
           errors={403, 404, 422})
@token_required
def move_ideas(campaign):
    data = body("idea_ids", "status", "note", "confirm")
    status, note, confirm = data.text("status"), data.text("note"), data.boolean("confirm")
    data.check()
    return {"moved": reviews.move_ideas(current_user(), data.raw("idea_ids"), status=status, note=note or "",
                                        confirm=bool(confirm))}


@bp.put(CAMPAIGN_PATH + "/review-criteria")
@operation("setReviewCriteria", "Set the campaign's review scorecard (moderators and admins)",
           tag="reviews", auth="required", body="ReviewCriteriaInput", responses={200: "ReviewCriteria"},
           errors={403, 404, 409, 422})
@token_required
def set_review_criteria(campaign):
    data = body("criteria")
    data.check()
    return serialize_criteria(reviews.set_review_criteria(current_user(), campaign_ref(campaign),
                                                          data.raw("criteria")))


@bp.put(IDEA_PATH + "/reviewers")
@operation("assignReviewers", "Assign reviewers to a shortlisted idea (moderators and admins)",
           tag="reviews", auth="required", body="ReviewersInput", responses={200: "Reviewers"},
           errors={403, 404, 409, 422})
@token_required
def assign_reviewers(idea_id):
    data = body("reviewer_ids")
    data.check()
    assigned = reviews.assign_reviewers(current_user(), idea_id, data.raw("reviewer_ids"))
    return {"items": [serialize_person(a.reviewer) for a in assigned]}


@bp.put(IDEA_PATH + "/review")
@operation("submitReview", "Score an idea you were asked to review (replaces your earlier review)",
           tag="reviews", auth="required", body="ReviewInput", responses={200: "Review"},
           errors={403, 404, 409, 422})
@token_required
def submit_review(idea_id):
    data = body("scores", "note")
    note = data.text("note")
    data.check()
    return serialize_review(reviews.submit_review(current_user(), idea_id, scores=data.raw("scores"),
                                                  note=note or ""))


@bp.put(IDEA_PATH + "/decision")
@operation("recordDecision", "Record the final decision on an idea (moderators and admins)",
           tag="reviews", auth="required", body="DecisionInput", responses={200: "Decision"},
           errors={403, 404, 422})
@token_required
def record_decision(idea_id):
    data = body("outcome", "owner_id", "note", "confirm")
    outcome, note, confirm = data.text("outcome"), data.text("note"), data.boolean("confirm")
    owner_id = data.optional_id("owner_id")
    data.check()
    return serialize_decision(reviews.record_decision(current_user(), idea_id, outcome=outcome,
                                                      owner_id=owner_id, note=note, confirm=bool(confirm)))


@bp.get(IDEA_PATH + "/decision")
@operation("getDecision", "The decision on an idea, as participants read it", tag="reviews",
           responses={200: "Decision"}, errors={404})
def get_decision(idea_id):
    return serialize_decision(reviews.require_decision(current_user(), idea_id))
