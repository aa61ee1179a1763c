"""A short Chinese title is a full title, through the API as through the forms: one rule
in the domain's validation counts a CJK character twice."""
import pytest

from app.models import Idea
from tests.api.conftest import count, error_of


def ideas_path(campaign):
    return f"/api/v1/campaigns/{campaign.id}/ideas"


def test_a_four_character_chinese_title_is_posted(api, campaign, token):
    response = api.post(ideas_path(campaign), token=token, json={"title": "無卡提款", "body": "忘記帶卡也能領錢。"})
    assert response.status_code == 201
    assert response.get_json()["title"] == "無卡提款"


@pytest.mark.parametrize("title", ["提款", "ok", "Hi!"])
def test_titles_too_short_in_any_script_are_refused(api, campaign, token, title):
    before = count(Idea)
    response = api.post(ideas_path(campaign), token=token, json={"title": title, "body": "x"})
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"title"}
    assert count(Idea) == before
