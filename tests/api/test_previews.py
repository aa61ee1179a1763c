"""Markdown previews over the API: the stored rendering, nothing stored."""
import pytest

from app.models import Comment, Idea
from tests.api.conftest import count, error_of

PREVIEWS = "/api/v1/previews"


def test_a_preview_renders_as_posting_would(api, token):
    response = api.post(PREVIEWS, token=token, json={"kind": "idea", "body": "# Plan\n\n[go](javascript:x)"})
    assert response.status_code == 200
    assert response.get_json() == {"html": "<h1>Plan</h1>\n<p>[go](javascript:x)</p>\n",
                                   "length": len("# Plan\n\n[go](javascript:x)"), "max_length": 10_000}
    assert count(Idea) == 0 and count(Comment) == 0


@pytest.mark.parametrize("payload, field", [
    ({"kind": "comment", "body": "x" * 5001}, "body"),
    ({"kind": "essay", "body": "Hi"}, "kind"),
    ({"body": "Hi"}, "kind"),
    ({"kind": "idea", "body": 7}, "body"),
    ({"kind": "idea", "body": "Hi", "extra": 1}, "extra"),
])
def test_a_bad_preview_names_the_field(api, token, payload, field):
    response = api.post(PREVIEWS, token=token, json=payload)
    assert response.status_code == 422
    assert field in error_of(response)["fields"]


def test_a_preview_needs_a_token(api):
    response = api.post(PREVIEWS, json={"kind": "idea", "body": "Hi"})
    assert response.status_code == 401


def test_a_preview_needs_a_json_object(api, token):
    response = api.post(PREVIEWS, token=token, data="[1]", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
