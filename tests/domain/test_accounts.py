from datetime import datetime, timedelta, timezone

import pytest
from flask_babel import refresh
from sqlalchemy import func, select

from app.domain import accounts, invites
from app.domain.errors import (AuthenticationFailed, Conflict, LinkNotValid, PermissionDenied,
                               ValidationError)
from app.extensions import db
from app.models import Invite, ParticipantKind, Role, User
from tests import factories as f
from tests.mail import links_in, mailed_link


def user_count():
    return db.session.scalar(select(func.count()).select_from(User))


def test_register_hashes_and_normalises(app):
    user = accounts.register_user(email="Ada@Example.COM", display_name=" Ada ",
                                  password="long enough", country="tw")
    assert user.email == "ada@example.com" and user.display_name == "Ada" and user.country == "TW"
    assert user.password_hash.startswith("scrypt:")
    assert user.kind is ParticipantKind.CUSTOMER and user.role is Role.PARTICIPANT


def test_register_reports_every_bad_field_and_writes_nothing(app):
    with pytest.raises(ValidationError) as info:
        accounts.register_user(email="nope", display_name="", password="short", country="Taiwan",
                               locale="fr", timezone="Mars/Olympus")
    assert set(info.value.fields) == {"email", "display_name", "password", "country", "locale", "timezone"}
    assert user_count() == 0


def test_duplicate_email_is_a_conflict(app):
    accounts.register_user(email="a@example.com", display_name="A", password="long enough")
    with pytest.raises(Conflict):
        accounts.register_user(email="A@example.com", display_name="B", password="long enough")
    assert user_count() == 1


def test_login_failure_says_the_same_for_unknown_and_wrong(app):
    user = f.make_user()
    with pytest.raises(AuthenticationFailed) as unknown:
        accounts.authenticate("nobody@example.com", f.PASSWORD)
    with pytest.raises(AuthenticationFailed) as wrong:
        accounts.authenticate(user.email, "wrong password")
    assert str(unknown.value.message) == str(wrong.value.message)
    assert accounts.authenticate(user.email.upper(), f.PASSWORD) is user


def test_deactivated_people_cannot_log_in_and_lose_their_sessions(app, admin):
    user = f.make_user()
    session_id = user.get_id()
    assert accounts.load_session_user(session_id) is user
    accounts.update_person(admin, user.id, active=False)
    assert accounts.load_session_user(session_id) is None
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(user.email, f.PASSWORD)


def test_password_change_ends_other_sessions(app):
    user = f.make_user()
    old_session = user.get_id()
    with pytest.raises(ValidationError) as info:
        accounts.change_password(user, current_password="wrong", new_password="x")
    assert set(info.value.fields) == {"current_password", "new_password"}
    accounts.change_password(user, current_password=f.PASSWORD, new_password="a new passphrase")
    assert accounts.load_session_user(old_session) is None
    assert accounts.load_session_user(user.get_id()) is user
    assert accounts.authenticate(user.email, "a new passphrase") is user


def test_session_ids_must_be_well_formed(app):
    assert accounts.load_session_user("garbage") is None
    assert accounts.load_session_user("1:") is None
    assert accounts.load_session_user(None) is None


def test_admin_changes_role_and_kind(app, admin):
    user = f.make_user()
    accounts.update_person(admin, user.id, role="moderator", kind="partner")
    assert (user.role, user.kind) == (Role.MODERATOR, ParticipantKind.PARTNER)
    with pytest.raises(ValidationError):
        accounts.update_person(admin, user.id, role="emperor")
    with pytest.raises(PermissionDenied):
        accounts.update_person(user, admin.id, role="participant")
    with pytest.raises(PermissionDenied):
        accounts.update_person(admin, admin.id, role="participant")


def test_invite_sets_kind_and_is_limited(app, admin):
    invite = invites.create_invite(admin, kind="partner", max_uses=1, expires_in_days=7)
    user = accounts.register_user(email="p@example.com", display_name="P", password="long enough",
                                  invite_code=invite.code)
    assert user.kind is ParticipantKind.PARTNER and invite.uses == 1
    with pytest.raises(ValidationError) as info:
        accounts.register_user(email="q@example.com", display_name="Q", password="long enough",
                               invite_code=invite.code)
    assert "invite_code" in info.value.fields
    assert user_count() == 2  # admin and the partner


def test_expired_and_revoked_invites_do_not_work(app, admin, clock):
    expired = invites.create_invite(admin, kind="staff", max_uses=5, expires_in_days=1)
    revoked = invites.create_invite(admin, kind="staff", max_uses=5, expires_in_days=9)
    invites.revoke_invite(admin, revoked.id)
    clock.advance(timedelta(days=2))
    for invite in (expired, revoked):
        assert invites.find_usable_invite(invite.code) is None


def test_invite_input_is_validated(app, admin):
    with pytest.raises(ValidationError) as info:
        invites.create_invite(admin, kind="martian", max_uses="many", expires_in_days=0)
    assert set(info.value.fields) == {"kind", "max_uses", "expires_in_days"}
    with pytest.raises(PermissionDenied):
        invites.create_invite(f.make_user(), kind="staff", max_uses=1, expires_in_days=1)


def test_create_admin(app):
    user = accounts.create_admin(email="root@example.com", display_name="Root", password="long enough")
    assert user.role is Role.ADMIN and user.kind is ParticipantKind.STAFF


@pytest.mark.parametrize("password", ["password", "12345678", "iloveyou1", "Sunshine1", "QWERTYUIOP",
                                      "Innovation2026"])
def test_common_and_leaked_passwords_are_refused(app, password):
    with pytest.raises(ValidationError) as caught:
        accounts.register_user(email="new@example.com", display_name="New", password=password)
    assert "common" in str(caught.value.fields["password"])
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    person = f.make_user()
    with pytest.raises(ValidationError) as caught:
        accounts.change_password(person, current_password=f.PASSWORD, new_password=password)
    assert "new_password" in caught.value.fields


def test_the_bundled_list_is_big_and_passphrases_pass(app):
    assert len(accounts.common_passwords()) > 10_000
    assert all(len(word) >= accounts.PASSWORD_MIN for word in accounts.common_passwords())
    accounts.register_user(email="ok@example.com", display_name="Ok", password="granite teapot orbit")


# --- registering through a mailed link ----------------------------------------------------

def registration_token(outbox, email):
    return mailed_link(outbox, email, "/register/").rsplit("/", 1)[1]


def test_a_new_address_is_mailed_a_link_and_nothing_is_written(app, outbox):
    assert accounts.start_registration(" New.Person@Example.COM ") == "new.person@example.com"
    assert user_count() == 0
    [message] = outbox
    assert message.to == ["new.person@example.com"]
    assert message.subject == "Finish creating your Idea Jam account"
    assert "24 hours" in message.body
    link = accounts.read_registration_link(registration_token(outbox, "new.person@example.com"))
    assert (link.email, link.invite_code, link.invite) == ("new.person@example.com", None, None)


def test_an_address_with_an_account_is_told_so_and_nothing_is_created(app, outbox):
    person = f.make_user(email="mia@example.com")
    assert accounts.start_registration("MIA@example.com") == "mia@example.com"
    [message] = outbox
    assert message.to == ["mia@example.com"] and message.subject == "You already have an Idea Jam account"
    assert links_in(message) == ["/login", "/password/reset"]  # no link to register again
    assert user_count() == 1 and db.session.get(User, person.id).display_name == person.display_name


def test_step_one_refuses_a_bad_address_and_mails_nothing(app, outbox):
    for email in ("not-an-email", "", None, 42, ["a@example.com"]):
        with pytest.raises(ValidationError) as info:
            accounts.start_registration(email)
        assert set(info.value.fields) == {"email"}
    assert outbox == []


def test_finishing_creates_the_account_once(app, outbox, admin):
    invite = invites.create_invite(admin, kind="partner", max_uses=5, expires_in_days=7)
    accounts.start_registration("pat@example.com", invite_code=invite.code)
    accounts.start_registration("pat@example.com", invite_code=invite.code)  # a second link
    first, second = [link.rsplit("/", 1)[1] for m in outbox for link in links_in(m)]
    assert accounts.read_registration_link(first).invite is invite
    user = accounts.finish_registration(first, display_name=" Pat ", password="granite teapot orbit",
                                        confirm_password="granite teapot orbit", country="tw",
                                        locale="zh_Hant")
    assert (user.email, user.display_name, user.kind, user.country, user.locale) == (
        "pat@example.com", "Pat", ParticipantKind.PARTNER, "TW", "zh_Hant")
    assert invite.uses == 1 and accounts.authenticate("pat@example.com", "granite teapot orbit") is user
    for token in (first, second):  # either link now says the account exists
        with pytest.raises(Conflict) as info:
            accounts.finish_registration(token, display_name="Again", password="granite teapot orbit")
        assert info.value.code == "email_taken"
    assert user_count() == 2 and invite.uses == 1


def test_finishing_checks_every_field_as_registration_does(app):
    token = accounts.make_registration_token("new@example.com")
    with pytest.raises(ValidationError) as info:
        accounts.finish_registration(token, display_name="", password="password1",
                                     confirm_password="password2", country="Taiwan", locale="fr")
    assert set(info.value.fields) == {"display_name", "password", "confirm_password", "country", "locale"}
    assert "common" in str(info.value.fields["password"])
    assert user_count() == 0


def test_an_invite_used_up_before_step_one_is_left_out_and_after_it_refused(app, outbox, admin):
    invite = invites.create_invite(admin, kind="staff", max_uses=1, expires_in_days=7)
    token = accounts.make_registration_token("late@example.com", invite.code)
    invite.uses = 1
    db.session.commit()
    # Step one no longer carries it (the page said so): the person may go on as a customer.
    accounts.start_registration("early@example.com", invite_code=invite.code)
    assert accounts.read_registration_link(registration_token(outbox, "early@example.com")).invite_code is None
    # A link made while it could still be used is refused at step two, not turned into another kind.
    assert accounts.read_registration_link(token).invite is None
    with pytest.raises(ValidationError) as info:
        accounts.finish_registration(token, display_name="Late", password="granite teapot orbit")
    assert "invite_code" in info.value.fields
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "late@example.com")) == 0


def test_registration_links_last_24_hours_on_the_jams_clock(app, clock):
    clock.set(datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc))
    token = accounts.make_registration_token("new@example.com")
    clock.advance(accounts.REGISTRATION_LINK_MAX_AGE - timedelta(seconds=1))
    assert accounts.read_registration_link(token).email == "new@example.com"
    clock.advance(timedelta(seconds=2))
    with pytest.raises(LinkNotValid) as info:
        accounts.read_registration_link(token)
    assert info.value.code == "link_expired"
    with pytest.raises(LinkNotValid):
        accounts.finish_registration(token, display_name="New", password="granite teapot orbit")
    assert user_count() == 0


def tampered(token):
    """The token with one character of its data changed, the signature kept."""
    data, rest = token.split(".", 1)
    return ("A" if data[5] != "A" else "B").join([data[:5], data[6:]]) + "." + rest


def test_altered_foreign_and_odd_tokens_are_refused(app):
    person = f.make_user()
    token = accounts.make_registration_token("new@example.com")
    other_key = accounts.make_registration_token("new@example.com")
    app.config["SECRET_KEY"], key = "another key", app.config["SECRET_KEY"]
    foreign = accounts.make_registration_token("new@example.com")
    app.config["SECRET_KEY"] = key
    assert other_key == token
    for bad in (tampered(token), token[:-2], foreign, accounts.make_password_reset_token(person),
                "", "x", "a" * 5000, None, 7):
        with pytest.raises(LinkNotValid) as info:
            accounts.read_registration_link(bad)
        assert info.value.code == "link_not_valid"
    with pytest.raises(LinkNotValid):  # nor does a registration link reset a password
        accounts.read_password_reset_link(token)


# --- resetting a forgotten password -------------------------------------------------------

def reset_token(outbox, email):
    return mailed_link(outbox, email, "/password/reset/").rsplit("/", 1)[1]


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(app, outbox):
    person = f.make_user()
    old_session = person.get_id()
    assert accounts.request_password_reset(person.email.upper()) == person.email
    [message] = outbox
    assert message.subject == "Reset your Idea Jam password" and "1 hour" in message.body
    token = reset_token(outbox, person.email)
    assert accounts.read_password_reset_link(token) is person
    assert accounts.reset_password(token, password="a fresh passphrase",
                                   confirm_password="a fresh passphrase") is person
    assert accounts.load_session_user(old_session) is None
    assert accounts.authenticate(person.email, "a fresh passphrase") is person
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(person.email, f.PASSWORD)
    with pytest.raises(LinkNotValid) as info:  # used: dead
        accounts.reset_password(token, password="yet another passphrase")
    assert info.value.code == "link_used"
    assert accounts.authenticate(person.email, "a fresh passphrase") is person


def test_a_reset_link_dies_when_the_password_changes_otherwise(app, outbox):
    person = f.make_user()
    accounts.request_password_reset(person.email)
    token = reset_token(outbox, person.email)
    accounts.change_password(person, current_password=f.PASSWORD, new_password="changed my mind")
    with pytest.raises(LinkNotValid) as info:
        accounts.read_password_reset_link(token)
    assert info.value.code == "link_used"
    assert accounts.authenticate(person.email, "changed my mind") is person


def test_only_the_newest_password_counts_not_the_newest_link(app, outbox):
    """Two links asked for in a row both work until one is used; then both are dead."""
    person = f.make_user()
    first, second = accounts.make_password_reset_token(person), accounts.make_password_reset_token(person)
    accounts.reset_password(second, password="granite teapot orbit")
    with pytest.raises(LinkNotValid):
        accounts.read_password_reset_link(first)


def test_reset_links_last_an_hour(app, clock):
    clock.set(datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc))
    person = f.make_user()
    token = accounts.make_password_reset_token(person)
    clock.advance(timedelta(minutes=59))
    assert accounts.read_password_reset_link(token) is person
    clock.advance(timedelta(minutes=2))
    with pytest.raises(LinkNotValid) as info:
        accounts.reset_password(token, password="granite teapot orbit")
    assert info.value.code == "link_expired"
    assert accounts.authenticate(person.email, f.PASSWORD) is person
    with pytest.raises(LinkNotValid):
        accounts.read_password_reset_link(tampered(accounts.make_password_reset_token(person)))


def test_unknown_and_deactivated_addresses_get_no_link(app, outbox, admin):
    gone = f.make_user()
    token = accounts.make_password_reset_token(gone)
    accounts.update_person(admin, gone.id, active=False)
    for email in ("nobody@example.com", gone.email):
        assert accounts.request_password_reset(email) == email
    assert [m.to for m in outbox] == [["nobody@example.com"], [gone.email]]
    for message in outbox:
        assert message.subject == "Your Idea Jam password reset request"
        assert "no active account" in message.body
        assert links_in(message) == ["/register"]
    with pytest.raises(LinkNotValid):  # a link sent before the deactivation is dead too
        accounts.read_password_reset_link(token)


def test_a_new_password_follows_the_rules(app):
    person = f.make_user()
    token = accounts.make_password_reset_token(person)
    with pytest.raises(ValidationError) as info:
        accounts.reset_password(token, password="iloveyou1", confirm_password="iloveyou1")
    assert "common" in str(info.value.fields["password"])
    with pytest.raises(ValidationError) as info:
        accounts.reset_password(token, password="granite teapot orbit", confirm_password="granite teapot")
    assert set(info.value.fields) == {"confirm_password"}
    with pytest.raises(ValidationError):
        accounts.reset_password(token, password="short")
    # Refusals change nothing: the link still works.
    assert accounts.reset_password(token, password="granite teapot orbit") is person


def test_mail_is_written_in_the_recipients_language(app, outbox):
    chinese = f.make_user(email="mei@example.com", locale="zh_Hant")

    def browsing_in(language):
        refresh()  # the test's requests share one app context, where the locale is kept
        return app.test_request_context("/", headers={"Accept-Language": language})

    with browsing_in("en"):
        accounts.request_password_reset(chinese.email)
        accounts.start_registration(chinese.email)
    with browsing_in("zh-TW,zh;q=0.9"):
        accounts.start_registration("newcomer@example.com")
    with browsing_in("en-GB"):
        accounts.start_registration("english@example.com")
    subjects = [(m.to[0], m.extra_headers["Content-Language"], m.subject) for m in outbox]
    assert subjects == [
        ("mei@example.com", "zh-Hant", "重設你的 Idea Jam 密碼"),
        ("mei@example.com", "zh-Hant", "你已經有 Idea Jam 帳號了"),
        ("newcomer@example.com", "zh-Hant", "完成建立你的 Idea Jam 帳號"),
        ("english@example.com", "en", "Finish creating your Idea Jam account"),
    ]
    assert "24 小時" in outbox[2].body


def test_links_are_built_on_the_public_url_when_set(app, outbox):
    app.config["PUBLIC_URL"] = "https://jam.example.org"
    with app.test_request_context("/", base_url="http://evil.example"):
        accounts.start_registration("new@example.com")
    assert "https://jam.example.org/register/" in outbox[0].body and "evil" not in outbox[0].body
