"""Dashboards and exports over the API: who gets which part, and the exports' content."""
import csv
import io

import pytest

from app.extensions import db
from app.models import ParticipantKind, Role
from tests import factories
from tests.api.conftest import error_of


@pytest.fixture
def busy(campaign):
    author = factories.make_user(kind=ParticipantKind.CUSTOMER, country="TW")
    idea = factories.make_idea(campaign, author, title="Porting in one tap", tags=["porting"])
    factories.make_vote(idea)
    return idea


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.MODERATOR, Role.ADMIN])
def test_organisers_get_everything(api, campaign, busy, role):
    token = api.token_for(factories.make_user(role=role))
    data = api.get(f"/api/v1/campaigns/{campaign.id}/dashboard", token=token).get_json()
    assert data["shows_people"] and data["totals"]["people"] == 2
    assert data["leaderboard"][0]["title"] == "Porting in one tap"
    assert {row["value"] for row in data["segments"]["kind"]} == {"customer", "staff"}
    assert data["contributors"] and len(data["hours"]) == 72
    site = api.get("/api/v1/dashboard", token=token).get_json()
    assert site["campaign_id"] is None and site["campaigns"][0]["id"] == campaign.id


def test_participants_and_visitors_get_the_ideas_only(api, campaign, busy, token):
    for caller in (token, None):
        data = api.get(f"/api/v1/campaigns/{campaign.slug}/dashboard", token=caller).get_json()
        assert not data["shows_people"]
        assert data["contributors"] == [] and data["segments"] == {} and data["hours"] == []
        assert data["totals"]["people"] == 0 and data["totals"]["ideas"] == 1
    response = api.get("/api/v1/dashboard", token=token)
    assert response.status_code == 403


def test_a_closed_dashboard_is_not_found_for_participants(api, campaign, busy, token):
    campaign.public_leaderboard = False
    db.session.commit()
    assert api.get(f"/api/v1/campaigns/{campaign.id}/dashboard", token=token).status_code == 404
    executive = api.token_for(factories.make_user(role=Role.EXECUTIVE))
    assert api.get(f"/api/v1/campaigns/{campaign.id}/dashboard", token=executive).status_code == 200
    assert api.get(f"/api/v1/campaigns/{campaign.id}", token=token).get_json()["public_leaderboard"] is False


def test_an_unknown_sort_is_a_clear_error(api, campaign, busy, token):
    response = api.get(f"/api/v1/campaigns/{campaign.id}/dashboard?sort=loudest", token=token)
    assert response.status_code == 422 and "sort" in error_of(response)["fields"]


def test_export_as_json_and_csv(api, campaign, busy):
    token = api.token_for(factories.make_user(role=Role.EXECUTIVE))
    data = api.get(f"/api/v1/campaigns/{campaign.id}/export", token=token).get_json()
    assert data["campaign_id"] == campaign.id
    assert data["items"][0]["author_kind"] == "customer" and data["items"][0]["tags"] == ["porting"]
    response = api.get(f"/api/v1/campaigns/{campaign.id}/export?format=csv", token=token)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["title"] == "Porting in one tap" and rows[0]["author_country"] == "TW"
    bad = api.get(f"/api/v1/campaigns/{campaign.id}/export?format=xlsx", token=token)
    assert bad.status_code == 422 and "format" in error_of(bad)["fields"]


def test_participants_cannot_export(api, campaign, busy, token):
    assert api.get(f"/api/v1/campaigns/{campaign.id}/export", token=token).status_code == 403
    assert api.get(f"/api/v1/campaigns/{campaign.id}/export").status_code == 401
