"""Bearer-token authentication: tokens only, never the session cookie."""
import pytest

from app.domain import api_tokens
from app.extensions import db
from app.models import Idea
from tests import factories
from tests.api.conftest import count, error_of


def test_a_valid_token_identifies_its_owner(api, user, token):
    response = api.get("/api/v1/me", token=token)
    assert response.status_code == 200
    assert response.get_json()["id"] == user.id


def test_writes_need_a_token(api, campaign):
    before = count(Idea)
    response = api.post(f"/api/v1/campaigns/{campaign.id}/ideas",
                        json={"title": "Anonymous idea", "body": "Text"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_required"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count(Idea) == before


def test_anonymous_callers_may_read_public_campaigns(api, campaign, idea):
    assert api.get("/api/v1/campaigns").status_code == 200
    assert api.get(f"/api/v1/campaigns/{campaign.id}/ideas").status_code == 200
    assert api.get(f"/api/v1/ideas/{idea.id}").status_code == 200
    assert api.get(f"/api/v1/ideas/{idea.id}/comments").status_code == 200


@pytest.mark.parametrize("header", [
    "Bearer ij_not-a-real-token",
    "Bearer not-even-the-prefix",
    "Bearer ",
    "Bearer",
    "",
    "Basic dXNlcjpwYXNz",
    "Bearer " + "ij_" + "x" * 500,
    "Bearer ij_ä€\u0000",
])
def test_a_malformed_or_unknown_token_is_refused_even_for_reads(api, header):
    response = api.get("/api/v1/campaigns", headers={"Authorization": header})
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_revoked_token_is_refused(api, user):
    token_row, plaintext = api_tokens.create_api_token(user, name="t")
    api_tokens.revoke_api_token(user, token_row.id)
    response = api.get("/api/v1/me", token=plaintext)
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_token"


def test_a_deactivated_owner_s_token_is_refused(api, user, token):
    user.active = False
    db.session.commit()
    response = api.get("/api/v1/me", token=token)
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_token"


def test_the_session_cookie_does_not_authenticate(api, auth, user, campaign):
    assert auth.login(user).status_code in (302, 303)
    assert api.get("/api/v1/me").status_code == 401
    before = count(Idea)
    response = api.post(f"/api/v1/campaigns/{campaign.id}/ideas",
                        json={"title": "Through the cookie", "body": "Should not work"})
    assert response.status_code == 401
    assert count(Idea) == before


def test_the_token_wins_over_a_logged_in_session(api, auth, user):
    other = factories.make_user()
    auth.login(user)
    response = api.get("/api/v1/me", as_user=other)
    assert response.get_json()["id"] == other.id


def test_the_scheme_is_case_insensitive(api, user, token):
    response = api.get("/api/v1/me", headers={"Authorization": f"bearer {token}"})
    assert response.status_code == 200
