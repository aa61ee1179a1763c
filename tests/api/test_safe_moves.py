"""Moving an idea backwards over the API needs "confirm": true, for a status change, a
board move and a decision alike; anything else is refused on the confirm field."""
from app.domain import moderation
from app.models import IdeaStatus, Role
from tests import factories


def test_backwards_moves_need_confirm_over_the_api(api, campaign):
    moderator = factories.make_user(role=Role.MODERATOR)
    idea = factories.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status="in_progress")
    path = f"/api/v1/ideas/{idea.id}/status"
    refused = api.put(path, as_user=moderator, json={"status": "shortlisted"})
    assert refused.status_code == 422 and "confirm" in refused.get_json()["error"]["fields"]
    assert api.put(path, as_user=moderator, json={"status": "shortlisted", "confirm": "yes"}).status_code == 422
    assert idea.status is IdeaStatus.IN_PROGRESS

    moves = f"/api/v1/campaigns/{campaign.slug}/board/moves"
    refused = api.post(moves, as_user=moderator, json={"idea_ids": [idea.id], "status": "submitted"})
    assert refused.status_code == 422 and "confirm" in refused.get_json()["error"]["fields"]
    owner = factories.make_user()
    decision = f"/api/v1/ideas/{idea.id}/decision"
    refused = api.put(decision, as_user=moderator, json={"outcome": "selected", "owner_id": owner.id, "note": "Again"})
    assert refused.status_code == 422 and "confirm" in refused.get_json()["error"]["fields"]
    assert idea.status is IdeaStatus.IN_PROGRESS

    done = api.put(path, as_user=moderator, json={"status": "shortlisted", "confirm": True})
    assert done.status_code == 200 and done.get_json()["status"] == "shortlisted"
    moved = api.post(moves, as_user=moderator, json={"idea_ids": [idea.id], "status": "submitted", "confirm": True})
    assert moved.status_code == 200 and moved.get_json() == {"moved": [idea.id]}
