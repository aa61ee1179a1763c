"""Pairwise voting over the API: serve, answer, refuse, and read the leaderboard."""
from datetime import timedelta

import pytest

from app.domain import comparisons
from app.extensions import db
from app.models import Comparison, Role
from tests import factories
from tests.api.conftest import error_of


def pair_path(campaign):
    return f"/api/v1/campaigns/{campaign.id}/comparisons"


def answer_path(pair_id):
    return f"/api/v1/comparisons/{pair_id}/answer"


@pytest.fixture
def three_ideas(campaign):
    return [factories.make_idea(campaign, title=f"Idea to compare {k}") for k in range(3)]


def answered():
    return db.session.query(Comparison).filter(Comparison.answered_at.is_not(None)).count()


def test_serve_answer_and_see_progress(api, campaign, three_ideas, token):
    served = api.post(pair_path(campaign), token=token)
    assert served.status_code == 200
    pair = served.get_json()
    assert pair["left"]["id"] != pair["right"]["id"]
    assert "up_count" not in pair["left"] and "score" not in pair["right"]  # counts stay hidden
    assert api.post(pair_path(campaign), token=token).get_json()["id"] == pair["id"]
    result = api.post(answer_path(pair["id"]), token=token, json={"choice": "right"})
    assert result.status_code == 200
    body = result.get_json()
    assert body["comparison"]["choice"] == "right" and body["comparison"]["answered_at"]
    # nothing refitted yet: every idea still stands at 50 %, so no pick "agrees" yet
    assert body["progress"] == {"answered": 1, "skipped": 0, "agreeing": 0, "picks_in_top": 1}


def test_a_skip_with_a_reason(api, campaign, three_ideas, token):
    pair = api.post(pair_path(campaign), token=token).get_json()
    body = api.post(answer_path(pair["id"]), token=token,
                    json={"choice": "skip", "reason": "Too alike"}).get_json()
    assert body["comparison"]["skip_reason"] == "Too alike"
    assert body["progress"]["skipped"] == 1


def test_answers_for_pairs_never_served_are_refused(api, campaign, three_ideas, token):
    other = api.post(pair_path(campaign), as_user=factories.make_user()).get_json()
    for pair_id in (other["id"], 987654):
        response = api.post(answer_path(pair_id), token=token, json={"choice": "left"})
        assert response.status_code == 404
        assert error_of(response)["code"] == "pair_not_served"
    assert answered() == 0


def test_repeated_and_stale_answers_are_refused(api, campaign, three_ideas, token, clock):
    pair = api.post(pair_path(campaign), token=token).get_json()
    api.post(answer_path(pair["id"]), token=token, json={"choice": "left"})
    again = api.post(answer_path(pair["id"]), token=token, json={"choice": "right"})
    assert again.status_code == 409 and error_of(again)["code"] == "already_answered"
    later = api.post(pair_path(campaign), token=token).get_json()
    clock.advance(comparisons.PAIR_TTL + timedelta(minutes=1))
    stale = api.post(answer_path(later["id"]), token=token, json={"choice": "left"})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_pair"
    assert answered() == 1


@pytest.mark.parametrize("payload, field", [
    ({"choice": "both"}, "choice"), ({}, "choice"), ({"choice": 1}, "choice"),
    ({"choice": "skip", "reason": ["no"]}, "reason"), ({"choice": "left", "extra": 1}, "extra"),
    ({"choice": "skip", "reason": "x" * 201}, "reason"),
])
def test_bad_answers_are_validation_errors(api, campaign, three_ideas, token, payload, field):
    pair = api.post(pair_path(campaign), token=token).get_json()
    response = api.post(answer_path(pair["id"]), token=token, json=payload)
    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert answered() == 0


def test_too_fast_is_429(api, campaign, token, monkeypatch):
    monkeypatch.setattr(comparisons, "ANSWERS_PER_MINUTE", 1)
    for k in range(4):
        factories.make_idea(campaign, title=f"Quick idea {k}")
    first = api.post(pair_path(campaign), token=token).get_json()
    api.post(answer_path(first["id"]), token=token, json={"choice": "left"})
    second = api.post(pair_path(campaign), token=token).get_json()
    response = api.post(answer_path(second["id"]), token=token, json={"choice": "left"})
    assert response.status_code == 429 and error_of(response)["code"] == "rate_limited"


def test_no_pair_left_and_wrong_mode(api, admin, campaign, token):
    response = api.post(pair_path(campaign), token=token)
    assert response.status_code == 409 and error_of(response)["code"] == "no_pair_left"
    up_down = factories.make_campaign(admin, voting_mode="up_down")
    response = api.post(pair_path(up_down), token=token)
    assert response.status_code == 403 and error_of(response)["code"] == "voting_mode"
    assert api.get(f"/api/v1/campaigns/{up_down.id}").get_json()["voting_mode"] == "up_down"


def test_serving_needs_a_token_and_a_part_in_the_campaign(api, campaign, three_ideas):
    assert api.post(pair_path(campaign)).status_code == 401
    executive = api.post(pair_path(campaign), as_user=factories.make_user(role=Role.EXECUTIVE))
    assert executive.status_code == 403


def test_the_leaderboard(api, campaign, three_ideas):
    best = three_ideas[0]
    for _ in range(3):
        person = factories.make_user()
        for _ in range(3):
            pair = comparisons.serve_pair(person, campaign.id)
            winner = "left" if pair.left_idea_id == best.id else "right" if pair.right_idea_id == best.id else "skip"
            comparisons.answer_comparison(person, pair.id, winner)
    comparisons.refresh_ranking(campaign.id)
    board = api.get(f"/api/v1/campaigns/{campaign.slug}/ranking").get_json()  # anonymous may read
    assert board["items"][0]["id"] == best.id and board["items"][0]["chance"] > 0.5
    assert board["comparisons"] == 6 and board["people"] == 3
    assert len(api.get(f"/api/v1/campaigns/{campaign.id}/ranking?limit=1").get_json()["items"]) == 1
    for bad in ("0", "101", "x"):
        response = api.get(f"/api/v1/campaigns/{campaign.id}/ranking?limit={bad}")
        assert response.status_code == 422 and "limit" in error_of(response)["fields"]


def test_private_campaign_leaderboards_do_not_leak(api, admin):
    private = factories.make_campaign(admin, audience=("staff",), is_private=True)
    response = api.get(f"/api/v1/campaigns/{private.id}/ranking")
    assert response.status_code == 404
