from app.domain import invites
from app.extensions import db
from app.models import ParticipantKind, User
from tests import factories
from tests.http.conftest import text_of


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = text_of(response)
    assert 'name="email"' in html and 'name="password"' in html and 'name="remember"' in html
    assert '<label class="label" for="email">' in html


def test_login_success_redirects_to_safe_next(client, member):
    response = client.post("/login", data={"email": member.email, "password": factories.PASSWORD,
                                           "next": "/profile"})
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    assert client.get("/profile").status_code == 200


def test_login_ignores_external_next(client, member):
    response = client.post("/login", data={"email": member.email, "password": factories.PASSWORD,
                                           "next": "https://evil.example/steal"})
    assert response.headers["Location"] == "/"


def test_login_failure_shows_one_generic_message(client, member):
    wrong = client.post("/login", data={"email": member.email, "password": "nope nope nope"})
    unknown = client.post("/login", data={"email": "ghost@example.com", "password": "whatever1"})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "That email and password do not match an active account." in text_of(response)
    assert client.get("/profile").status_code == 302  # still logged out


def test_deactivated_person_cannot_log_in(client, member):
    member.active = False
    db.session.commit()
    response = client.post("/login", data={"email": member.email, "password": factories.PASSWORD})
    assert response.status_code == 401


def test_remember_me_sets_cookie(client, member):
    response = client.post("/login", data={"email": member.email, "password": factories.PASSWORD,
                                           "remember": "y"})
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_logout_is_post_only(client, member, login, auth):
    login(member)
    assert client.get("/logout").status_code == 405
    assert client.get("/profile").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/profile").status_code == 302


def test_register_creates_customer_and_logs_in(client):
    response = client.post("/register", data={
        "email": "New.Person@Example.com", "display_name": "New Person",
        "password": "long enough pw", "confirm_password": "long enough pw",
        "country": "tw", "locale": "en"})
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="new.person@example.com").one()
    assert user.kind is ParticipantKind.CUSTOMER and user.country == "TW"
    assert "New Person" in text_of(client.get("/"))


def test_register_via_invite_sets_kind(client, admin):
    invite = invites.create_invite(admin, kind="partner", max_uses=1, expires_in_days=7)
    page = client.get(f"/register?invite={invite.code}")
    assert page.status_code == 200
    assert f'value="{invite.code}"' in text_of(page) and "Partner" in text_of(page)
    response = client.post("/register", data={
        "email": "pat@example.com", "display_name": "Pat Partner", "password": "long enough pw",
        "confirm_password": "long enough pw", "invite_code": invite.code, "locale": "en"})
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="pat@example.com").one()
    assert user.kind is ParticipantKind.PARTNER
    assert db.session.get(type(invite), invite.id).uses == 1


def test_register_with_used_up_invite_shows_error(client, admin):
    invite = invites.create_invite(admin, kind="partner", max_uses=1, expires_in_days=7)
    invite.uses = 1
    db.session.commit()
    response = client.post("/register", data={
        "email": "late@example.com", "display_name": "Late", "password": "long enough pw",
        "confirm_password": "long enough pw", "invite_code": invite.code})
    assert response.status_code == 422
    assert "This invite link has expired or has been used up." in text_of(response)
    assert db.session.query(User).filter_by(email="late@example.com").count() == 0


def test_register_validation_errors_are_shown_next_to_fields(client):
    response = client.post("/register", data={
        "email": "not-an-email", "display_name": "", "password": "short",
        "confirm_password": "short", "country": "Taiwan"})
    assert response.status_code == 422
    html = text_of(response)
    assert 'id="email-error"' in html and "Enter a valid email address." in html
    assert 'id="display_name-error"' in html
    assert "Use at least 8 characters." in html
    assert "Use a two-letter country code" in html
    assert db.session.query(User).count() == 0


def test_register_password_mismatch(client):
    response = client.post("/register", data={
        "email": "a@example.com", "display_name": "A", "password": "long enough pw",
        "confirm_password": "different pw!"})
    assert response.status_code == 422
    assert "The two passwords are not the same." in text_of(response)
    assert db.session.query(User).count() == 0


def test_register_duplicate_email(client, member):
    response = client.post("/register", data={
        "email": member.email, "display_name": "Copy", "password": "long enough pw",
        "confirm_password": "long enough pw"})
    assert response.status_code == 409
    assert "This email is already registered." in text_of(response)


def test_change_password_keeps_this_session_and_ends_others(app, client, member, login):
    other = app.test_client()
    other.post("/login", data={"email": member.email, "password": factories.PASSWORD})
    assert other.get("/profile").status_code == 200
    login(member)
    response = client.post("/password", data={
        "current_password": factories.PASSWORD, "new_password": "a brand new secret",
        "confirm_password": "a brand new secret"})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302
    assert client.post("/logout").status_code == 302
    ok = client.post("/login", data={"email": member.email, "password": "a brand new secret"})
    assert ok.status_code == 302


def test_change_password_wrong_current(client, member, login):
    login(member)
    response = client.post("/password", data={
        "current_password": "wrong one!", "new_password": "a brand new secret",
        "confirm_password": "a brand new secret"})
    assert response.status_code == 422
    assert "Your current password is not correct." in text_of(response)


def test_change_password_needs_login(client):
    response = client.get("/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
