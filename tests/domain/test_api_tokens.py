from app.domain import api_tokens, accounts
from tests import factories as f


def test_token_round_trip_and_revocation(app, admin):
    user = f.make_user()
    token, plaintext = api_tokens.create_api_token(user, name="laptop")
    assert plaintext.startswith("ij_") and token.token_digest != plaintext
    assert api_tokens.user_for_token(plaintext) is user
    api_tokens.revoke_api_token(user, token.id)
    assert api_tokens.user_for_token(plaintext) is None
    assert api_tokens.list_api_tokens(user) == []


def test_tokens_of_deactivated_people_stop_working(app, admin):
    user = f.make_user()
    _, plaintext = api_tokens.create_api_token(user, name="ci")
    accounts.update_person(admin, user.id, active=False)
    assert api_tokens.user_for_token(plaintext) is None


def test_garbage_tokens_are_refused(app):
    for value in (None, "", "ij_nope", "x" * 500):
        assert api_tokens.user_for_token(value) is None


def test_only_the_owner_revokes(app):
    import pytest

    from app.domain.errors import NotFound

    owner, other = f.make_user(), f.make_user()
    token, _ = api_tokens.create_api_token(owner, name="phone")
    with pytest.raises(NotFound):
        api_tokens.revoke_api_token(other, token.id)
