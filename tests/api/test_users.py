"""The current user."""
from app.models import ParticipantKind, Role
from tests import factories
from tests.api.conftest import error_of


def test_me_describes_the_token_owner(api):
    person = factories.make_user(role=Role.MODERATOR, kind=ParticipantKind.PARTNER,
                                 display_name="王小明", department="Networks", country="TW",
                                 locale="zh_Hant")
    response = api.get("/api/v1/me", as_user=person)
    assert response.status_code == 200
    assert response.get_json() == {
        "id": person.id, "display_name": "王小明", "email": person.email, "role": "moderator",
        "kind": "partner", "department": "Networks", "country": "TW", "locale": "zh_Hant",
        "timezone": None,
    }


def test_me_needs_a_token(api):
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_required"


def test_me_is_read_only(api, token):
    response = api.patch("/api/v1/me", json={"display_name": "x"}, token=token)
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
