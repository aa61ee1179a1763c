from app.domain import campaigns as campaign_domain
from app.extensions import db
from app.models import Idea, Vote
from tests import factories
from tests.http.conftest import text_of


def _counts(idea_id):
    idea = db.session.get(Idea, idea_id)
    db.session.refresh(idea)
    return idea.up_count, idea.down_count, idea.score


def test_vote_form_post_changes_counts_and_redirects_back(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "up", "next": f"/c/{campaign.slug}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/c/{campaign.slug}"
    assert _counts(idea.id) == (1, 0, 1)
    html = text_of(client.get(f"/c/{campaign.slug}"))
    assert 'aria-pressed="true"' in html and 'value="none"' in html  # pressed "up" now withdraws
    client.post(f"/ideas/{idea.id}/vote", data={"value": "down"})
    assert _counts(idea.id) == (0, 1, -1)
    client.post(f"/ideas/{idea.id}/vote", data={"value": "none"})
    assert _counts(idea.id) == (0, 0, 0)
    assert db.session.query(Vote).count() == 0


def test_vote_json(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "up"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.get_json() == {"idea_id": idea.id, "my_vote": 1, "up_count": 1,
                                   "down_count": 0, "score": 1}


def test_voting_on_own_idea_is_refused(client, campaign, member, login):
    idea = factories.make_idea(campaign, member)
    login(member)
    assert "data-vote-form" not in text_of(client.get(f"/ideas/{idea.id}"))
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "up"}, follow_redirects=True)
    assert "You cannot vote on your own idea." in text_of(response)
    json = client.post(f"/ideas/{idea.id}/vote", data={"value": "up"},
                       headers={"Accept": "application/json"})
    assert json.status_code == 403 and json.get_json()["error"]["code"] == "own_idea"
    assert _counts(idea.id) == (0, 0, 0)


def test_vote_on_closed_campaign_flashes_and_redirects(client, admin, member, login):
    campaign = factories.make_campaign(admin)
    idea = factories.make_idea(campaign)
    campaign_domain.close_campaign(admin, campaign.id)
    login(member)
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "up", "next": f"/ideas/{idea.id}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}"
    assert "has closed and is now read-only" in text_of(client.get(f"/ideas/{idea.id}"))
    assert _counts(idea.id) == (0, 0, 0)


def test_bad_vote_value(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "sideways"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 422 and "value" in response.get_json()["error"]["fields"]


def test_vote_requires_login(client, campaign):
    idea = factories.make_idea(campaign)
    page = client.post(f"/ideas/{idea.id}/vote", data={"value": "up"})
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    json = client.post(f"/ideas/{idea.id}/vote", data={"value": "up"},
                       headers={"Accept": "application/json"})
    assert json.status_code == 401 and json.get_json()["error"]["code"] == "authentication_required"
    assert client.get(f"/ideas/{idea.id}/vote").status_code == 405


def test_vote_ignores_external_next(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "up", "next": "https://evil.example"})
    assert response.headers["Location"] == f"/ideas/{idea.id}"
