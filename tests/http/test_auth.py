"""Logging in and out, registering through a mailed link, changing and resetting a password;
and that none of it tells anyone which addresses have an account."""
import re
from datetime import timedelta

from app.domain import accounts, invites
from app.extensions import db
from app.models import ParticipantKind, User
from tests import factories
from tests.http.conftest import page_text, text_of
from tests.mail import links_in, mailed_link

PASSWORD = "long enough pw"


def settle(client, path):
    """Open a page until the session cookie stops changing (it gets a CSRF token, then Flask-Login
    marks it), so the answers compared next differ only where the app makes them differ."""
    for _ in range(2):
        client.get(path)


# A CSRF token carries the second it was signed in, so two answers a second apart differ there.
# (payload.timestamp.signature, as itsdangerous signs it)
CSRF_TOKEN = re.compile(r'"[\w-]{20,}\.[\w-]{4,8}\.[\w-]{20,}"')


def _comparable(response, email):
    return CSRF_TOKEN.sub('"TOKEN"', text_of(response).replace(email, "ADDRESS"))


def same_page(first, first_email, second, second_email):
    """Two answers are the same page, but for the address each was asked about."""
    assert first.status_code == second.status_code
    assert first.headers.get("Set-Cookie") == second.headers.get("Set-Cookie")
    assert first_email in text_of(first) and second_email in text_of(second)
    assert _comparable(first, first_email) == _comparable(second, second_email)


def finish(client, path, **fields):
    data = {"display_name": "New Person", "password": PASSWORD, "confirm_password": PASSWORD,
            "locale": "en"}
    return client.post(path, data=dict(data, **fields))


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


def test_login_failure_shows_one_generic_message(client, member, admin):
    inactive = factories.make_user()
    accounts.update_person(admin, inactive.id, active=False)
    settle(client, "/login")
    wrong = client.post("/login", data={"email": member.email, "password": "nope nope nope"})
    unknown = client.post("/login", data={"email": "ghost@example.com", "password": "nope nope nope"})
    gone = client.post("/login", data={"email": inactive.email, "password": factories.PASSWORD})
    for response in (wrong, unknown, gone):
        assert response.status_code == 401
        assert "That email and password do not match an active account." in text_of(response)
    # The very same page, but for the address typed back into the form.
    same_page(wrong, member.email, unknown, "ghost@example.com")
    same_page(wrong, member.email, gone, inactive.email)
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


def test_register_step_one_answers_the_same_whether_or_not_the_address_has_an_account(
        client, member, outbox):
    settle(client, "/register")
    new = client.post("/register", data={"email": "someone.new@example.com"})
    known = client.post("/register", data={"email": member.email})
    assert new.status_code == 200
    assert "Check your inbox" in text_of(new)
    assert "We sent a link to <strong>someone.new@example.com</strong> to finish signing up." in text_of(new)
    same_page(new, "someone.new@example.com", known, member.email)
    # Only the mail tells them apart.
    assert [(m.to, m.subject) for m in outbox] == [
        (["someone.new@example.com"], "Finish creating your Idea Jam account"),
        ([member.email], "You already have an Idea Jam account")]
    assert mailed_link(outbox, "someone.new@example.com", "/register/")
    assert links_in(outbox[1]) == ["/login", "/password/reset"]
    assert db.session.query(User).count() == 1


def test_register_through_the_mailed_link_creates_a_customer_and_logs_in(client, outbox):
    assert client.post("/register", data={"email": "New.Person@Example.com"}).status_code == 200
    link = mailed_link(outbox, "new.person@example.com", "/register/")
    page = client.get(link)
    assert page.status_code == 200
    assert "Signing up as <strong>new.person@example.com</strong>." in text_of(page)
    assert 'name="display_name"' in text_of(page) and 'name="email"' not in text_of(page)
    response = finish(client, link, country="tw")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = db.session.query(User).filter_by(email="new.person@example.com").one()
    assert user.kind is ParticipantKind.CUSTOMER and user.country == "TW"
    assert "New Person" in text_of(client.get("/"))


def test_register_via_invite_sets_kind(client, admin, outbox):
    invite = invites.create_invite(admin, kind="partner", max_uses=1, expires_in_days=7)
    page = client.get(f"/register?invite={invite.code}")
    assert page.status_code == 200
    assert f'value="{invite.code}"' in text_of(page) and "Partner" in text_of(page)
    client.post("/register", data={"email": "pat@example.com", "invite_code": invite.code})
    link = mailed_link(outbox, "pat@example.com", "/register/")
    assert "You were invited to join as: Partner." in text_of(client.get(link))
    assert finish(client, link, display_name="Pat Partner").status_code == 302
    user = db.session.query(User).filter_by(email="pat@example.com").one()
    assert user.kind is ParticipantKind.PARTNER
    assert db.session.get(type(invite), invite.id).uses == 1


def test_register_with_an_invite_used_up_since_the_mail_shows_error(client, admin):
    invite = invites.create_invite(admin, kind="partner", max_uses=1, expires_in_days=7)
    link = "/register/" + accounts.make_registration_token("late@example.com", invite.code)
    invite.uses = 1
    db.session.commit()
    assert "You can still register without it" in page_text(client.get(link))
    response = finish(client, link, display_name="Late")
    assert response.status_code == 422
    assert "This invite link has expired or has been used up." in text_of(response)
    assert db.session.query(User).filter_by(email="late@example.com").count() == 0


def test_register_validation_errors_are_shown_next_to_fields(client, outbox):
    response = client.post("/register", data={"email": "not-an-email"})
    assert response.status_code == 422
    assert 'id="email-error"' in text_of(response) and "Enter a valid email address." in text_of(response)
    assert outbox == []
    link = "/register/" + accounts.make_registration_token("a@example.com")
    response = client.post(link, data={"display_name": "", "password": "short", "confirm_password": "short",
                                       "country": "Taiwan"})
    assert response.status_code == 422
    html = text_of(response)
    assert 'id="display_name-error"' in html
    assert "Use at least 8 characters." in html
    assert "Use a two-letter country code" in html
    assert db.session.query(User).count() == 0


def test_register_password_mismatch(client):
    link = "/register/" + accounts.make_registration_token("a@example.com")
    response = finish(client, link, confirm_password="different pw!")
    assert response.status_code == 422
    assert 'id="confirm_password-error"' in text_of(response)
    assert "The two passwords are not the same." in text_of(response)
    assert db.session.query(User).count() == 0


def test_a_second_link_says_the_account_exists(client, outbox):
    for _ in range(2):
        client.post("/register", data={"email": "twice@example.com"})
    first, second = (mailed_link([m], "twice@example.com", "/register/") for m in outbox)
    assert finish(client, first).status_code == 302
    other = client.application.test_client()
    page = other.get(second)
    assert page.status_code == 409
    assert "An account with this email already exists." in text_of(page)
    assert 'href="/login"' in text_of(page) and 'href="/password/reset"' in text_of(page)
    assert finish(other, second).status_code == 409
    assert db.session.query(User).filter_by(email="twice@example.com").count() == 1


def test_expired_and_broken_registration_links_say_to_start_again(client, clock):
    link = "/register/" + accounts.make_registration_token("slow@example.com")
    for broken in (link[:-3], "/register/nonsense"):
        response = client.get(broken)
        assert response.status_code == 400
        assert "This link is not valid" in text_of(response) and 'href="/register"' in text_of(response)
    clock.advance(timedelta(hours=25))
    for response in (client.get(link), finish(client, link)):
        assert response.status_code == 400
        assert "This link has expired." in text_of(response) and "Start again" in text_of(response)
    assert db.session.query(User).count() == 0


# --- password reset ---------------------------------------------------------------------

def test_login_page_links_to_password_reset(client):
    assert 'href="/password/reset"' in text_of(client.get("/login"))
    assert 'name="email"' in text_of(client.get("/password/reset"))


def test_reset_request_answers_the_same_whether_or_not_the_address_has_an_account(
        client, member, admin, outbox):
    gone = factories.make_user()
    accounts.update_person(admin, gone.id, active=False)
    settle(client, "/password/reset")
    known = client.post("/password/reset", data={"email": member.email})
    unknown = client.post("/password/reset", data={"email": "nobody@example.com"})
    inactive = client.post("/password/reset", data={"email": gone.email})
    assert known.status_code == 200
    assert f"If an account exists for <strong>{member.email}</strong>, we sent it a link" in text_of(known)
    same_page(known, member.email, unknown, "nobody@example.com")
    same_page(known, member.email, inactive, gone.email)
    # Only an active account's inbox gets a link.
    assert mailed_link(outbox, member.email, "/password/reset/")
    for email in ("nobody@example.com", gone.email):
        assert [links_in(m) for m in outbox if m.to == [email]] == [["/register"]]


def test_reset_through_the_link_ends_every_session_and_logs_in(app, client, member, outbox):
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": member.email, "password": factories.PASSWORD})
    assert elsewhere.get("/profile").status_code == 200
    client.post("/password/reset", data={"email": member.email})
    link = mailed_link(outbox, member.email, "/password/reset/")
    page = client.get(link)
    assert page.status_code == 200 and f"<strong>{member.email}</strong>" in text_of(page)
    response = client.post(link, data={"password": "a brand new secret", "confirm_password": "a brand new secret"})
    assert response.status_code == 302
    assert "Your password has changed." in text_of(client.get("/"))
    assert client.get("/profile").status_code == 200  # logged in here
    assert elsewhere.get("/profile").status_code == 302  # and nowhere else
    assert auth_status(app, member.email, factories.PASSWORD) == 401
    assert auth_status(app, member.email, "a brand new secret") == 302
    used = client.get(link)  # the link is dead
    assert used.status_code == 400 and "This link has already been used" in text_of(used)
    assert 'href="/password/reset"' in text_of(used)


def auth_status(app, email, password):
    return app.test_client().post("/login", data={"email": email, "password": password}).status_code


def test_reset_link_is_dead_after_a_password_change_and_after_an_hour(client, member, login, clock, outbox):
    client.post("/password/reset", data={"email": member.email})
    first = mailed_link(outbox, member.email, "/password/reset/")
    login(member)
    client.post("/password", data={"current_password": factories.PASSWORD, "new_password": "a brand new secret",
                                   "confirm_password": "a brand new secret"})
    assert client.get(first).status_code == 400
    client.post("/password/reset", data={"email": member.email})
    second = mailed_link(outbox, member.email, "/password/reset/")
    assert client.get(second).status_code == 200
    clock.advance(timedelta(minutes=61))
    response = client.post(second, data={"password": "another new secret", "confirm_password": "another new secret"})
    assert response.status_code == 400 and "This link has expired." in text_of(response)
    assert auth_status(client.application, member.email, "a brand new secret") == 302


def test_reset_checks_the_password_rules(client, member):
    link = "/password/reset/" + accounts.make_password_reset_token(member)
    common = client.post(link, data={"password": "iloveyou1", "confirm_password": "iloveyou1"})
    assert common.status_code == 422 and "most common ones" in text_of(common)
    mismatch = client.post(link, data={"password": "a brand new secret", "confirm_password": "a brand new"})
    assert mismatch.status_code == 422 and "The two passwords are not the same." in text_of(mismatch)
    assert auth_status(client.application, member.email, factories.PASSWORD) == 302


def test_reset_mail_is_in_the_account_holders_language(client, outbox):
    person = factories.make_user(locale="zh_Hant")
    client.post("/password/reset", data={"email": person.email}, headers={"Accept-Language": "en"})
    client.post("/password/reset", data={"email": "nobody@example.com"},
                headers={"Accept-Language": "zh-TW"})
    client.post("/register", data={"email": "nobody@example.com"}, headers={"Accept-Language": "en-GB"})
    assert [(m.to, m.extra_headers["Content-Language"], m.subject) for m in outbox] == [
        ([person.email], "zh-Hant", "重設你的 Idea Jam 密碼"),
        (["nobody@example.com"], "zh-Hant", "關於你的 Idea Jam 密碼重設要求"),
        (["nobody@example.com"], "en", "Finish creating your Idea Jam account")]
    assert "1 小時" in outbox[0].body and "沒有啟用中的帳號" in outbox[1].body


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


def test_a_mail_server_that_is_down_gives_a_clear_503_for_every_address(client, member, monkeypatch):
    import smtplib

    from flask_mailman import EmailMessage

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    settle(client, "/register")
    for path in ("/register", "/password/reset"):
        known = client.post(path, data={"email": member.email})
        unknown = client.post(path, data={"email": "ghost@example.com"})
        for response in (known, unknown):
            assert response.status_code == 503
            assert "We could not send the mail just now, and nothing was changed." in page_text(response)
        # The error page names no address: the two answers are the very same page.
        assert _comparable(known, member.email) == _comparable(unknown, "ghost@example.com")
    assert User.query.filter_by(email="ghost@example.com").first() is None
