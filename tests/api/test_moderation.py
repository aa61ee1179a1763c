from app.models import IdeaStatus, Role
from tests import factories


def status_path(idea):
    return f"/api/v1/ideas/{idea.id}/status"


def test_moderator_changes_status_over_the_api(api, campaign):
    idea = factories.make_idea(campaign)
    moderator = factories.make_user(role=Role.MODERATOR)
    response = api.put(status_path(idea), as_user=moderator, json={"status": "selected", "note": "Go"})
    assert response.status_code == 200 and response.get_json()["status"] == "selected"
    history = api.get(f"/api/v1/ideas/{idea.id}/status-history").get_json()["items"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [(None, "submitted"), ("submitted", "selected")]


def test_status_change_errors(api, campaign):
    idea = factories.make_idea(campaign)
    moderator = factories.make_user(role=Role.MODERATOR)
    assert api.put(status_path(idea), json={"status": "selected"}).status_code == 401
    assert api.put(status_path(idea), as_user=idea.author, json={"status": "selected"}).status_code == 403
    response = api.put(status_path(idea), as_user=moderator, json={"status": "declined"})
    assert response.status_code == 422 and "note" in response.get_json()["error"]["fields"]
    response = api.put(status_path(idea), as_user=moderator, json={"status": 7})
    assert response.status_code == 422 and "status" in response.get_json()["error"]["fields"]
    assert idea.status is IdeaStatus.SUBMITTED
