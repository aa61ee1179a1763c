from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain import accounts, invites
from app.domain.errors import AuthenticationFailed, Conflict, PermissionDenied, ValidationError
from app.extensions import db
from app.models import ParticipantKind, Role, User
from tests import factories as f


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
