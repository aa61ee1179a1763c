"""GET /api/v1/campaigns/<id>/events: the catch-up read of a campaign's live stream."""
from app.domain import campaigns, votes
from app.models import Role
from tests import factories


def events_path(campaign, after=None):
    path = f"/api/v1/campaigns/{campaign.id}/events"
    return path if after is None else f"{path}?after={after}"


def test_stream_numbers_every_change_in_order(api, campaign):
    idea = factories.make_idea(campaign, title="Streamed idea")
    factories.make_comment(idea, body="First!")
    page = api.get(events_path(campaign, 0)).get_json()
    assert [(e["seq"], e["kind"]) for e in page["events"]] == [(1, "idea.created"), (2, "comment.created")]
    assert page["seq"] == 2 and page["more"] is False
    assert page["events"][0]["payload"]["title"] == "Streamed idea"
    assert page["events"][1]["payload"]["comment_count"] == 1


def test_after_returns_only_what_was_missed(api, campaign):
    idea = factories.make_idea(campaign)
    factories.make_comment(idea)
    factories.make_comment(idea)
    page = api.get(events_path(campaign, 2)).get_json()
    assert [e["seq"] for e in page["events"]] == [3]


def test_vote_counts_enter_the_stream_as_one_entry(api, campaign):
    idea = factories.make_idea(campaign)
    for _ in range(3):
        factories.make_vote(idea)
    votes.announce_vote_counts(campaign.id, {idea.id})
    entry = api.get(events_path(campaign, 1)).get_json()["events"][-1]
    assert entry["kind"] == "idea.counts"
    assert entry["payload"]["ideas"][str(idea.id)] == {"up_count": 3, "down_count": 0, "score": 3}


def test_phase_changes_are_streamed(api, campaign):
    moderator = factories.make_user(role=Role.MODERATOR)
    campaigns.close_campaign(moderator, campaign.id)
    entry = api.get(events_path(campaign)).get_json()["events"][-1]
    assert entry["kind"] == "campaign.phase"
    assert entry["payload"]["phase"] == "closed" and entry["payload"]["reason"] == "closed"


def test_private_stream_is_invisible_to_outsiders(api, admin):
    private = factories.make_campaign(admin, audience=["staff"], is_private=True)
    factories.make_idea(private)
    outsider = factories.make_user(kind="customer")
    assert api.get(events_path(private), as_user=outsider).status_code == 404
    assert api.get(events_path(private)).status_code == 404
    staff = factories.make_user(kind="staff")
    assert len(api.get(events_path(private), as_user=staff).get_json()["events"]) == 1


def test_bad_after_is_a_validation_error(api, campaign):
    for value in ("-1", "x", "1.5"):
        response = api.get(f"{events_path(campaign)}?after={value}")
        assert response.status_code == 422
        assert "after" in response.get_json()["error"]["fields"]
