"""Themes, similar ideas and likely duplicates over the API."""
from urllib.parse import quote

import pytest

from app.domain import moderation, themes
from app.extensions import db
from app.models import ParticipantKind, Role, Theme
from tests import factories
from tests.api.conftest import MODERATOR_ROLES, OTHER_ROLES, error_of
from tests.themes_data import seed, theme_of


def test_similar_ideas_for_anyone_who_may_see_the_campaign(api, campaign):
    idea = factories.make_idea(campaign, title="Roaming day pass at one price", body="A flat price abroad.")
    hidden = factories.make_idea(campaign, title="Roaming day pass, one price", body="A flat price abroad.")
    moderation.hide_idea(factories.make_user(role=Role.MODERATOR), hidden.id, reason="Spam")
    body = api.get(f"/api/v1/campaigns/{campaign.slug}/similar-ideas?title={quote('roaming price')}").get_json()
    assert body["campaign_id"] == campaign.id and [item["id"] for item in body["items"]] == [idea.id]
    assert body["items"][0]["url"].endswith(f"/ideas/{idea.id}")
    empty = api.get(f"/api/v1/campaigns/{campaign.id}/similar-ideas").get_json()
    assert empty == {"campaign_id": campaign.id, "items": []}


@pytest.mark.parametrize("limit", ["0", "11", "x"])
def test_similar_ideas_check_the_limit(api, campaign, limit):
    response = api.get(f"/api/v1/campaigns/{campaign.id}/similar-ideas?title=x&limit={limit}")
    assert response.status_code == 422 and "limit" in error_of(response)["fields"]


def test_private_campaigns_do_not_leak(api, admin):
    private = factories.make_campaign(admin, audience=["staff"], is_private=True)
    seed(private, author=factories.make_user(kind=ParticipantKind.STAFF))
    themes.refresh_themes(private.id)
    theme_id = themes.list_themes(admin, private.id)[0].id
    outsider = factories.make_user(kind=ParticipantKind.CUSTOMER)
    for path in (f"/api/v1/campaigns/{private.id}/similar-ideas?title=roaming",
                 f"/api/v1/campaigns/{private.id}/themes"):
        assert api.get(path).status_code == 404
        assert api.get(path, as_user=outsider).status_code == 404
        assert api.get(path, as_user=factories.make_user(kind=ParticipantKind.STAFF)).status_code == 200
    moderator_elsewhere = factories.make_user(role=Role.MODERATOR, kind=ParticipantKind.CUSTOMER)
    assert api.patch(f"/api/v1/themes/{theme_id}", as_user=outsider, json={"name": "x"}).status_code == 404
    assert api.patch(f"/api/v1/themes/{theme_id}", as_user=moderator_elsewhere,
                     json={"name": "x"}).status_code == 200


def test_themes_list_largest_first(api, campaign):
    assert api.get(f"/api/v1/campaigns/{campaign.id}/themes").get_json() == {
        "campaign_id": campaign.id, "refreshed_at": None, "items": []}
    roaming = seed(campaign)[1]
    themes.refresh_themes(campaign.id)
    body = api.get(f"/api/v1/campaigns/{campaign.slug}/themes").get_json()
    sizes = [item["size"] for item in body["items"]]
    assert sizes == sorted(sizes, reverse=True) and body["refreshed_at"].endswith("Z")
    roaming_theme = next(item for item in body["items"] if item["id"] == theme_of(roaming[0]))
    assert "roaming" in roaming_theme["label"] and roaming_theme["growth_last_hour"] == roaming_theme["size"]
    assert len(api.get(f"/api/v1/campaigns/{campaign.id}/themes?limit=1").get_json()["items"]) == 1


@pytest.mark.parametrize("role", MODERATOR_ROLES)
def test_moderators_rename_and_merge(api, campaign, role):
    _bills, roaming, stores = seed(campaign)
    themes.refresh_themes(campaign.id)
    source, target = theme_of(roaming[0]), theme_of(stores[0])
    token = api.token_for(factories.make_user(role=role))
    renamed = api.patch(f"/api/v1/themes/{target}", token=token, json={"name": "Shops"}).get_json()
    assert renamed["name"] == "Shops" and renamed["named"]
    merged = api.post(f"/api/v1/themes/{source}/merge", token=token, json={"into": target})
    assert merged.status_code == 200 and merged.get_json()["id"] == target
    assert db.session.get(Theme, source).merged_into_id == target
    again = api.patch(f"/api/v1/themes/{source}", token=token, json={"name": "x"})
    assert again.status_code == 409 and error_of(again)["code"] == "theme_merged"
    bad = api.post(f"/api/v1/themes/{target}/merge", token=token, json={"into": target})
    assert bad.status_code == 422 and "into" in error_of(bad)["fields"]
    missing = api.patch(f"/api/v1/themes/{target}", token=token, json={})
    assert missing.status_code == 422 and "name" in error_of(missing)["fields"]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_others_may_not_edit_themes_nor_see_duplicates(api, campaign, role):
    seed(campaign)
    themes.refresh_themes(campaign.id)
    first, second = [t.id for t in themes.list_themes(factories.make_user(), campaign.id)[:2]]
    token = api.token_for(factories.make_user(role=role))
    assert api.patch(f"/api/v1/themes/{first}", token=token, json={"name": "x"}).status_code == 403
    assert api.post(f"/api/v1/themes/{first}/merge", token=token, json={"into": second}).status_code == 403
    assert api.get(f"/api/v1/campaigns/{campaign.id}/duplicates", token=token).status_code == 403
    assert api.get(f"/api/v1/campaigns/{campaign.id}/duplicates").status_code == 401


def test_moderators_list_likely_duplicates(api, campaign, moderator):
    author = factories.make_user()
    first = factories.make_idea(campaign, author, title="Explain every bill charge in plain language",
                                body="Add a plain line under each charge on the bill.")
    second = factories.make_idea(campaign, author, title="Plain-language explanations of bill charges",
                                 body="Each charge on the bill needs a plain explanation.")
    for title in ("Roaming day pass", "Solar panels on stores", "Chatbot handover to humans",
                  "Store queue length in the app"):
        factories.make_idea(campaign, author, title=title, body=title)
    themes.refresh_themes(campaign.id)
    body = api.get(f"/api/v1/campaigns/{campaign.id}/duplicates?limit=5", as_user=moderator).get_json()
    assert [(pair["older"]["id"], pair["newer"]["id"]) for pair in body["items"]] == [(first.id, second.id)]
    assert body["items"][0]["similarity"] >= 0.28
