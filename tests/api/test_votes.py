"""Votes: up, down, change, withdraw; never on your own idea, never outside the open phase."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Idea, Role, Vote
from tests import factories
from tests.api.conftest import count, error_of


def vote_path(idea):
    return f"/api/v1/ideas/{idea.id}/vote"


@pytest.mark.parametrize("value, expected", [
    ("up", 1), ("down", -1), (1, 1), (-1, -1), ("UP", 1), ("none", 0), (0, 0)])
def test_cast_a_vote(api, idea, token, value, expected):
    response = api.put(vote_path(idea), token=token, json={"value": value})
    assert response.status_code == 200
    assert response.get_json() == {
        "idea_id": idea.id, "my_vote": expected, "up_count": int(expected == 1),
        "down_count": int(expected == -1), "score": expected}


def test_change_repeat_and_withdraw(api, idea, token):
    api.put(vote_path(idea), token=token, json={"value": "up"})
    again = api.put(vote_path(idea), token=token, json={"value": "up"}).get_json()
    assert (again["up_count"], again["score"]) == (1, 1)
    changed = api.put(vote_path(idea), token=token, json={"value": -1}).get_json()
    assert (changed["my_vote"], changed["up_count"], changed["down_count"], changed["score"]) == (
        -1, 0, 1, -1)
    withdrawn = api.delete(vote_path(idea), token=token)
    assert withdrawn.status_code == 200
    assert withdrawn.get_json() == {"idea_id": idea.id, "my_vote": 0, "up_count": 0,
                                    "down_count": 0, "score": 0}
    assert count(Vote) == 0


def test_counts_add_up_across_people(api, idea):
    for value in ("up", "up", "down"):
        api.put(vote_path(idea), as_user=factories.make_user(), json={"value": value})
    item = api.get(f"/api/v1/ideas/{idea.id}").get_json()
    assert (item["up_count"], item["down_count"], item["score"]) == (2, 1, 1)


def test_my_vote_appears_on_the_idea(api, idea, token):
    api.put(vote_path(idea), token=token, json={"value": "down"})
    assert api.get(f"/api/v1/ideas/{idea.id}", token=token).get_json()["my_vote"] == -1


def test_not_on_your_own_idea(api, idea):
    response = api.put(vote_path(idea), as_user=idea.author, json={"value": "up"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "own_idea"
    assert count(Vote) == 0 and db.session.get(Idea, idea.id).score == 0


@pytest.mark.parametrize("phase", ["upcoming", "closed"])
def test_not_outside_the_open_phase(api, admin, phase):
    # Ideas exist only in open campaigns; move the clock to reach the other phases.
    campaign = factories.make_campaign(admin)
    idea = factories.make_idea(campaign)
    if phase == "closed":
        campaign.ends_at = campaign.starts_at + timedelta(minutes=90)
        db.session.commit()
        token = api.token_for(factories.make_user())
        api.app.config["CLOCK"].advance(timedelta(days=1))
    else:
        token = api.token_for(factories.make_user())
        api.app.config["CLOCK"].advance(-timedelta(hours=2))
    response = api.put(vote_path(idea), token=token, json={"value": "up"})
    assert response.status_code == 409
    assert error_of(response)["code"] == "campaign_not_open"
    assert api.delete(vote_path(idea), token=token).status_code == 409
    assert count(Vote) == 0


def test_in_a_closed_campaign_by_the_clock(api, idea, token, clock):
    clock.advance(timedelta(days=3))
    response = api.put(vote_path(idea), token=token, json={"value": "up"})
    assert response.status_code == 409
    assert error_of(response)["code"] == "campaign_not_open"


def test_executives_cannot_vote(api, idea):
    response = api.put(vote_path(idea), as_user=factories.make_user(role=Role.EXECUTIVE),
                       json={"value": "up"})
    assert response.status_code == 403
    assert count(Vote) == 0


@pytest.mark.parametrize("payload", [
    {"value": True}, {"value": False}, {"value": 2}, {"value": "sideways"}, {"value": None},
    {}, {"value": 1.0}, {"value": [1]}, {"value": {"up": 1}}, {"value": 10**30},
    {"value": "up", "weight": 5},
])
def test_bad_values_are_422_and_write_nothing(api, idea, token, payload):
    response = api.put(vote_path(idea), token=token, json=payload)
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) & {"value", "weight"}
    assert count(Vote) == 0 and db.session.get(Idea, idea.id).score == 0


@pytest.mark.parametrize("data", ["up", "{value: up}", "[]", ""])
def test_malformed_bodies_are_400(api, idea, token, data):
    response = api.put(vote_path(idea), token=token, data=data,
                       headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert count(Vote) == 0


def test_voting_needs_a_token(api, idea):
    assert api.put(vote_path(idea), json={"value": "up"}).status_code == 401
    assert api.delete(vote_path(idea)).status_code == 401


def test_unknown_idea(api, token):
    assert api.put("/api/v1/ideas/999/vote", token=token, json={"value": "up"}).status_code == 404


def test_get_is_not_allowed(api, idea):
    response = api.get(vote_path(idea))
    assert response.status_code == 405
