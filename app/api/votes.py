"""Votes: one per person per idea, up or down, changeable and withdrawable."""
from app.api import bp
from app.api.auth import current_user, token_required
from app.api.ideas import IDEA_PATH, MY_VOTE
from app.api.openapi import operation, register_schema
from app.api.parsing import body
from app import ratelimits
from app.domain import votes

register_schema("VoteInput", {
    "type": "object",
    "required": ["value"],
    "additionalProperties": False,
    "properties": {"value": {
        "description": "up / down / none, or 1 / -1 / 0. none (0) withdraws the vote.",
        "anyOf": [{"type": "string", "enum": ["up", "down", "none"]},
                  {"type": "integer", "enum": [1, -1, 0]}],
    }},
})

register_schema("VoteResult", {
    "type": "object",
    "required": ["idea_id", "my_vote", "up_count", "down_count", "score"],
    "additionalProperties": False,
    "properties": {
        "idea_id": {"type": "integer"},
        "my_vote": {**MY_VOTE, "description": "The caller's vote now: 1 up, -1 down, 0 none."},
        "up_count": {"type": "integer", "minimum": 0},
        "down_count": {"type": "integer", "minimum": 0},
        "score": {"type": "integer"},
    },
})


def serialize_vote_result(result):
    return {"idea_id": result.idea_id, "my_vote": result.my_vote, "up_count": result.up_count,
            "down_count": result.down_count, "score": result.score}


_ERRORS = {403, 404, 409}
_DESCRIPTION = ("You cannot vote on your own idea (403 `own_idea`), nor in a campaign that is "
                "upcoming or closed (409 `campaign_not_open`). Repeating a vote changes nothing.")


@bp.put(IDEA_PATH + "/vote")
@operation("castVote", "Vote on an idea, change or withdraw your vote", tag="votes",
           auth="required", body="VoteInput", responses={200: "VoteResult"}, errors=_ERRORS,
           description=_DESCRIPTION)
@token_required
@ratelimits.voting
def cast_vote(idea_id):
    data = body("value")
    data.check()
    return serialize_vote_result(votes.cast_vote(current_user(), idea_id, data.raw("value")))


@bp.delete(IDEA_PATH + "/vote")
@operation("withdrawVote", "Withdraw your vote on an idea", tag="votes", auth="required",
           responses={200: "VoteResult"}, errors=_ERRORS, description=_DESCRIPTION)
@token_required
@ratelimits.voting
def withdraw_vote(idea_id):
    return serialize_vote_result(votes.cast_vote(current_user(), idea_id, votes.NONE))
