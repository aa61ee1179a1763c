"""Errors across the API: always the JSON error shape, never a 500, in the reader's language."""
import os

import pytest

from app.models import Idea
from tests import factories
from tests.api.conftest import count, error_of

CATALOGUE = os.path.join(os.path.dirname(__file__), "..", "..", "app", "translations", "zh_Hant",
                         "LC_MESSAGES", "messages.mo")


def test_unknown_routes_are_json_404(api):
    response = api.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_unknown_methods_are_json_405(api, campaign):
    response = api.delete(f"/api/v1/campaigns/{campaign.id}")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_a_too_large_body_is_413(api, campaign, token):
    response = api.post(f"/api/v1/campaigns/{campaign.id}/ideas", token=token,
                        data=b'{"title": "' + b"x" * 300_000 + b'"}',
                        headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_deeply_nested_json_is_400_not_500(api, campaign, token):
    response = api.post(f"/api/v1/campaigns/{campaign.id}/ideas", token=token,
                        data="[" * 100_000 + "]" * 100_000,
                        headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_invalid_utf8_is_400(api, campaign, token):
    response = api.post(f"/api/v1/campaigns/{campaign.id}/ideas", token=token,
                        data=b'{"title": "\xff\xfe"}', headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_json_is_read_whatever_the_content_type(api, campaign, token):
    response = api.post(f"/api/v1/campaigns/{campaign.id}/ideas", token=token,
                        data='{"title": "Sent as text/plain", "body": "x"}',
                        headers={"Content-Type": "text/plain"})
    assert response.status_code == 201


def test_a_form_body_is_400(api, campaign, token):
    response = api.post(f"/api/v1/campaigns/{campaign.id}/ideas", token=token,
                        data={"title": "Form idea here", "body": "x"})
    assert response.status_code == 400
    assert count(Idea) == 0


WEIRD_VALUES = [None, True, 0, -1, 2**70, 1.5, float("inf"), "", " ", "\u0000", "\ud83d",
                "ab" * 6000, [], [None], {}, {"a": []}, "<script>", "電信"]


@pytest.mark.parametrize("value", WEIRD_VALUES)
def test_no_input_gives_a_500(api, campaign, value):
    """Every writable field of every write, with values of every type (ApiClient fails on
    500 and on any undocumented status or shape)."""
    author = factories.make_user()
    idea = factories.make_idea(campaign, author)
    comment = factories.make_comment(idea, author)
    token = api.token_for(factories.make_user())
    author_token = api.token_for(author)
    calls = [
        ("post", f"/api/v1/campaigns/{campaign.id}/ideas", token, ["title", "body", "tags"]),
        ("patch", f"/api/v1/ideas/{idea.id}", author_token, ["title", "body", "tags"]),
        ("post", f"/api/v1/ideas/{idea.id}/comments", token, ["body", "parent_id"]),
        ("patch", f"/api/v1/comments/{comment.id}", author_token, ["body"]),
        ("put", f"/api/v1/ideas/{idea.id}/vote", token, ["value"]),
    ]
    for method, path, tok, fields in calls:
        for field in fields:
            body = {"title": "A valid title", "body": "A valid body"} if "title" in fields else {}
            body[field] = value
            getattr(api, method)(path, token=tok, json=body)
        getattr(api, method)(path, token=tok, json=value)
    for query in ("sort", "tag", "q", "page", "per_page"):
        if isinstance(value, str) and value.encode("utf-8", "replace").decode() == value:
            api.get(f"/api/v1/campaigns/{campaign.id}/ideas", query_string={query: value})


def test_error_messages_follow_accept_language(api):
    english = api.get("/api/v1/me", headers={"Accept-Language": "en"})
    chinese = api.get("/api/v1/me", headers={"Accept-Language": "zh-Hant, en;q=0.5"})
    assert english.status_code == chinese.status_code == 401
    assert error_of(english)["code"] == error_of(chinese)["code"] == "authentication_required"
    assert "Accept-Language" in chinese.headers.get("Vary", "")
    if os.path.exists(CATALOGUE):
        assert error_of(chinese)["message"] != error_of(english)["message"]
        # The choice is per request: the next English request is English again.
        again = api.get("/api/v1/me", headers={"Accept-Language": "en"})
        assert error_of(again)["message"] == error_of(english)["message"]


def test_validation_messages_follow_accept_language(api, campaign, token):
    responses = [api.post(f"/api/v1/campaigns/{campaign.id}/ideas", token=token, json={},
                          headers={"Accept-Language": language})
                 for language in ("en", "zh-TW")]
    assert [r.status_code for r in responses] == [422, 422]
    english, chinese = (error_of(r) for r in responses)
    assert set(english["fields"]) == set(chinese["fields"]) == {"title", "body"}
    if os.path.exists(CATALOGUE):
        assert chinese["fields"]["title"] != english["fields"]["title"]
