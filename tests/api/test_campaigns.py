"""Campaigns: listing with phases, detail by id or slug, private campaigns kept private."""
import pytest

from app.models import ParticipantKind, Role
from tests import factories
from tests.api.conftest import error_of


def test_list_gives_every_visible_campaign_with_its_phase(api, admin, campaign):
    upcoming = factories.make_campaign(admin, phase="upcoming")
    closed = factories.make_campaign(admin, phase="closed")
    response = api.get("/api/v1/campaigns")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [(c["id"], c["phase"]) for c in items] == [
        (campaign.id, "open"), (upcoming.id, "upcoming"), (closed.id, "closed")]
    first = items[0]
    assert first["slug"] == campaign.slug
    assert first["idea_count"] == 0
    assert first["audience"] == ["customer", "partner", "staff"]
    assert first["starts_at"].endswith("Z")
    assert first["url"].endswith(f"/c/{campaign.slug}")


def test_list_can_be_filtered_by_phase(api, admin, campaign):
    closed = factories.make_campaign(admin, phase="closed")
    response = api.get("/api/v1/campaigns?phase=closed")
    assert [c["id"] for c in response.get_json()["items"]] == [closed.id]


def test_an_unknown_phase_is_a_validation_error(api):
    response = api.get("/api/v1/campaigns?phase=soon")
    assert response.status_code == 422
    assert "phase" in error_of(response)["fields"]


def test_idea_count_follows_new_ideas(api, campaign):
    factories.make_idea(campaign)
    response = api.get(f"/api/v1/campaigns/{campaign.id}")
    assert response.get_json()["idea_count"] == 1


def test_detail_by_id_and_by_slug(api, campaign):
    by_id = api.get(f"/api/v1/campaigns/{campaign.id}")
    by_slug = api.get(f"/api/v1/campaigns/{campaign.slug}")
    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.get_json() == by_slug.get_json()
    assert by_id.get_json()["description_html"].startswith("<p>")


def test_can_take_part_tells_the_caller_what_they_may_do(api, admin, campaign):
    staff = factories.make_user()
    executive = factories.make_user(role=Role.EXECUTIVE)
    closed = factories.make_campaign(admin, phase="closed")
    assert api.get(f"/api/v1/campaigns/{campaign.id}").get_json()["can_take_part"] is False
    assert api.get(f"/api/v1/campaigns/{campaign.id}", as_user=staff).get_json()["can_take_part"]
    assert not api.get(f"/api/v1/campaigns/{campaign.id}",
                       as_user=executive).get_json()["can_take_part"]
    assert not api.get(f"/api/v1/campaigns/{closed.id}", as_user=staff).get_json()["can_take_part"]


@pytest.mark.parametrize("ref", ["999999", "no-such-campaign", "99999999999999999999999",
                                 "²", "١", "%F0%9F%92%A9", "0"])
def test_unknown_campaigns_are_404(api, campaign, ref):
    response = api.get(f"/api/v1/campaigns/{ref}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


class TestPrivateCampaigns:
    @pytest.fixture
    def private(self, admin):
        return factories.make_campaign(admin, audience=("partner",), is_private=True)

    def test_outsiders_do_not_see_them(self, api, campaign, private):
        staff = factories.make_user(kind=ParticipantKind.STAFF)
        for kwargs in ({}, {"as_user": staff}):
            listed = [c["id"] for c in api.get("/api/v1/campaigns", **kwargs).get_json()["items"]]
            assert campaign.id in listed and private.id not in listed
            for path in (f"/api/v1/campaigns/{private.id}", f"/api/v1/campaigns/{private.slug}",
                         f"/api/v1/campaigns/{private.id}/ideas"):
                response = api.get(path, **kwargs)
                assert response.status_code == 404, path

    def test_their_ideas_are_hidden_from_outsiders(self, api, private):
        partner = factories.make_user(kind=ParticipantKind.PARTNER)
        idea = factories.make_idea(private, partner)
        staff = factories.make_user(kind=ParticipantKind.STAFF)
        for path in (f"/api/v1/ideas/{idea.id}", f"/api/v1/ideas/{idea.id}/comments",
                     f"/api/v1/ideas/{idea.id}/versions"):
            assert api.get(path).status_code == 404
            assert api.get(path, as_user=staff).status_code == 404
        response = api.put(f"/api/v1/ideas/{idea.id}/vote", json={"value": "up"}, as_user=staff)
        assert response.status_code == 404

    def test_the_audience_and_staff_roles_see_them(self, api, private):
        partner = factories.make_user(kind=ParticipantKind.PARTNER)
        executive = factories.make_user(role=Role.EXECUTIVE)
        for person in (partner, executive):
            listed = [c["id"] for c in api.get("/api/v1/campaigns", as_user=person).get_json()["items"]]
            assert private.id in listed
            assert api.get(f"/api/v1/campaigns/{private.slug}", as_user=person).status_code == 200
