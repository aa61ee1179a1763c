"""Shortlisting and review over the API."""
import pytest

from app.domain import moderation
from app.models import IdeaStatus, Role
from tests import factories
from tests.api.conftest import error_of

CRITERIA = {"criteria": [{"name": "Impact", "weight": 3}, {"name": "Cost", "weight": 1}]}


def test_scorecard_reviewers_review_board_and_decision(api, campaign, moderator):
    idea = factories.make_idea(campaign, title="Reviewed over the API", tags=["api"])
    mod = api.token_for(moderator)
    c = f"/api/v1/campaigns/{campaign.id}"
    criteria = api.put(c + "/review-criteria", token=mod, json=CRITERIA).get_json()["items"]
    ids = {item["name"]: item["id"] for item in criteria}
    moved = api.post(c + "/board/moves", token=mod, json={"idea_ids": [idea.id], "status": "shortlisted"})
    assert moved.get_json() == {"moved": [idea.id]}
    reviewer = factories.make_user(display_name="Rae Viewer")
    assigned = api.put(f"/api/v1/ideas/{idea.id}/reviewers", token=mod, json={"reviewer_ids": [reviewer.id]})
    assert [p["display_name"] for p in assigned.get_json()["items"]] == ["Rae Viewer"]
    review = api.put(f"/api/v1/ideas/{idea.id}/review", as_user=reviewer,
                     json={"scores": {str(ids["Impact"]): 5, str(ids["Cost"]): 1}, "note": "Bold"})
    assert review.status_code == 200 and review.get_json()["scores"] == {str(ids["Impact"]): 5, str(ids["Cost"]): 1}
    board = api.get(c + "/board?tag=api", token=mod).get_json()
    shortlisted = next(col for col in board["columns"] if col["status"] == "shortlisted")
    summary = shortlisted["cards"][0]["reviews"]
    assert summary["count"] == 1 and summary["mean"] == pytest.approx(4.0) and summary["spread"] == 0
    owner = factories.make_user()
    decided = api.put(f"/api/v1/ideas/{idea.id}/decision", token=mod,
                      json={"outcome": "selected", "owner_id": owner.id, "note": "Go ahead"})
    assert decided.status_code == 200
    public = api.get(f"/api/v1/ideas/{idea.id}/decision").get_json()
    assert public["outcome"] == "selected" and public["owner"]["id"] == owner.id
    assert idea.status is IdeaStatus.SELECTED


def test_refusals(api, campaign, moderator):
    idea = factories.make_idea(campaign)
    c = f"/api/v1/campaigns/{campaign.id}"
    participant = api.token_for(factories.make_user())
    for method, path, payload in (("put", c + "/review-criteria", CRITERIA),
                                  ("post", c + "/board/moves", {"idea_ids": [idea.id], "status": "selected"}),
                                  ("put", f"/api/v1/ideas/{idea.id}/decision", {"outcome": "declined", "note": "No"})):
        response = getattr(api, method)(path, token=participant, json=payload)
        assert response.status_code == 403
    assert api.get(c + "/board", token=participant).status_code == 403
    assert api.get(c + "/board").status_code == 401
    assert api.get(f"/api/v1/ideas/{idea.id}/decision").status_code == 404
    mod = api.token_for(moderator)
    bad = api.put(c + "/review-criteria", token=mod, json={"criteria": [{"name": "", "weight": 0}]})
    assert bad.status_code == 422 and "criteria" in error_of(bad)["fields"]
    not_shortlisted = api.put(f"/api/v1/ideas/{idea.id}/reviewers", token=mod,
                              json={"reviewer_ids": [factories.make_user().id]})
    assert not_shortlisted.status_code == 409
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    not_assigned = api.put(f"/api/v1/ideas/{idea.id}/review", token=participant, json={"scores": {}})
    assert not_assigned.status_code == 403
    no_owner = api.put(f"/api/v1/ideas/{idea.id}/decision", token=mod, json={"outcome": "selected", "note": "x"})
    assert no_owner.status_code == 422 and "owner_id" in error_of(no_owner)["fields"]
