"""The API's language fields: a campaign's texts in two languages, each idea's language."""
from app.domain import campaigns
from app.models import Idea
from tests import factories
from tests.api.conftest import count, error_of


def test_campaign_gives_its_language_and_translations(api, admin):
    campaign = factories.make_campaign(admin)
    campaigns.update_campaign(admin, campaign.id, title=campaign.title, question=campaign.question,
                              description=campaign.description, starts_at=campaign.starts_at,
                              ends_at=campaign.ends_at, audience=["staff", "partner", "customer"],
                              is_private=False, language="en", translation=campaigns.Translation(
                                  title="更快上市", question="我們如何更快推出新服務？",
                                  description="分享**點子**。"))
    data = api.get(f"/api/v1/campaigns/{campaign.id}").get_json()
    assert (data["language"], data["title_translation"], data["question_translation"]) == (
        "en", "更快上市", "我們如何更快推出新服務？")
    assert data["description_translation"] == "分享**點子**。"
    assert data["description_translation_html"] == "<p>分享<strong>點子</strong>。</p>\n"
    listed = api.get("/api/v1/campaigns").get_json()["items"]
    assert [c["title_translation"] for c in listed] == ["更快上市"]


def test_rules_carry_the_code_of_conduct_in_the_other_language(api, campaign, moderator):
    rules = {"code_of_conduct": "Be kind.", "premoderated_kinds": [], "ideas_per_hour": 5,
             "comments_per_minute": 5, "flags_per_day": 5}
    path = f"/api/v1/campaigns/{campaign.id}/rules"
    saved = api.put(path, json={**rules, "code_of_conduct_translation": "請**友善**。"}, as_user=moderator)
    assert saved.status_code == 200
    assert saved.get_json()["code_of_conduct_translation_html"] == "<p>請<strong>友善</strong>。</p>\n"
    kept = api.put(path, json=rules, as_user=moderator).get_json()  # left out: kept
    assert kept["code_of_conduct_translation"] == "請**友善**。"
    bad = api.put(path, json={**rules, "code_of_conduct_translation": 7}, as_user=moderator)
    assert bad.status_code == 422 and "code_of_conduct_translation" in error_of(bad)["fields"]


def test_review_criteria_carry_their_translated_names(api, campaign, moderator):
    path = f"/api/v1/campaigns/{campaign.id}/review-criteria"
    response = api.put(path, json={"criteria": [{"name": "Impact", "name_translation": "影響", "weight": 2},
                                                {"name": "Cost", "weight": 1}]}, as_user=moderator)
    assert response.status_code == 200
    assert [(c["name"], c["name_translation"]) for c in response.get_json()["items"]] == [
        ("Impact", "影響"), ("Cost", "")]


def test_ideas_are_posted_with_a_language_or_detected(api, campaign, user):
    path = f"/api/v1/campaigns/{campaign.id}/ideas"
    detected = api.post(path, json={"title": "與中國電信合作推出跨境漫遊方案", "body": "讓旅客落地就能上網。"},
                        as_user=user)
    marked = api.post(path, json={"title": "Roaming with China Telecom", "body": "跨境漫遊",
                                  "language": "en"}, as_user=user)
    assert (detected.status_code, marked.status_code) == (201, 201)
    assert (detected.get_json()["language"], marked.get_json()["language"]) == ("zh", "en")
    idea_id = marked.get_json()["id"]
    patched = api.patch(f"/api/v1/ideas/{idea_id}", json={"language": "zh"}, as_user=user)
    assert patched.status_code == 200 and patched.get_json()["language"] == "zh"
    assert api.get(f"/api/v1/ideas/{idea_id}").get_json()["language"] == "zh"


def test_a_bad_language_is_a_clear_error_and_posts_nothing(api, campaign, user):
    before = count(Idea)
    for bad in ("fr", 7, ["en"]):
        response = api.post(f"/api/v1/campaigns/{campaign.id}/ideas",
                            json={"title": "Roaming with China Telecom", "body": "Plan.", "language": bad},
                            as_user=user)
        assert response.status_code == 422 and "language" in error_of(response)["fields"]
    assert count(Idea) == before
