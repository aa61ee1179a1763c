"""Company sign-in's rules, without HTTP: what a provider's claims mean, who comes in, linking,
the directory re-check and the provider ending sessions."""
import pytest
from sqlalchemy import select

from app.domain import accounts, sso
from app.domain.errors import AuthenticationFailed, ValidationError
from app.extensions import db
from app.models import AuditEntry, ParticipantKind, Role, SsoIdentity, User
from tests import factories

SETTINGS = {"issuer": "https://login.corp.example/", "client_id": "jam", "client_secret": "secret",
            "label": "Corp SSO", "domains": "corp.example, @corp-labs.example", "required": "yes",
            "kinds": "g-partners=partner, g-staff=staff",
            "roles": "g-mods=moderator, g-admins=admin, g-execs=executive",
            "claim_department": "dept", "claim_groups": "roles"}


@pytest.fixture
def app_settings():
    return {"SSO_PROVIDERS": {"corp": SETTINGS}}


@pytest.fixture
def provider(app):
    return sso.get_provider("corp")


def claims(**extra):
    base = {"sub": "abc-1", "email": "Mei@Corp.example", "email_verified": True, "name": "Mei Chen",
            "dept": "Retail", "country": "tw", "locale": "zh-TW", "zoneinfo": "Asia/Taipei",
            "roles": ["g-staff", "g-mods"]}
    base.update(extra)
    return base


def test_settings_are_read_and_checked():
    provider = sso.parse_provider("corp", SETTINGS)
    assert provider.issuer == "https://login.corp.example" and provider.required
    assert provider.domains == ("corp.example", "corp-labs.example")
    assert provider.kinds == {"g-partners": ParticipantKind.PARTNER, "g-staff": ParticipantKind.STAFF}
    assert provider.claims["department"] == "dept" and provider.claims["email"] == "email"
    with pytest.raises(RuntimeError, match="SSO_ACME_CLIENT_SECRET"):
        sso.parse_provider("acme", {"issuer": "https://x", "client_id": "y"})
    with pytest.raises(RuntimeError, match="SSO_ACME_ROLES"):
        sso.parse_provider("acme", {**SETTINGS, "roles": "g=superuser"})


def test_claims_become_a_directory_entry(provider):
    entry = sso.read_directory_entry(provider, claims())
    assert (entry.email, entry.display_name, entry.department, entry.country, entry.locale, entry.timezone) == (
        "mei@corp.example", "Mei Chen", "Retail", "TW", "zh_Hant", "Asia/Taipei")
    assert entry.kind is ParticipantKind.STAFF and entry.role is Role.MODERATOR


def test_the_strongest_role_wins_and_unusable_values_are_left_out(provider):
    entry = sso.read_directory_entry(provider, claims(roles=["g-execs", "g-admins", "g-partners"], country="Taiwan",
                                                      locale="fr", zoneinfo="Mars/Olympus"))
    assert entry.role is Role.ADMIN and entry.kind is ParticipantKind.PARTNER
    assert (entry.country, entry.locale, entry.timezone) == (None, None, None)
    assert sso.read_directory_entry(provider, claims(roles=[])).role is Role.PARTICIPANT
    assert sso.read_directory_entry(provider, claims(locale="zh-CN")).locale == "zh_Hans"


def test_without_role_groups_the_jams_own_roles_stay(app):
    provider = sso.parse_provider("corp", {**SETTINGS, "roles": ""})
    assert sso.read_directory_entry(provider, claims()).role is None


def test_a_new_person_is_created_with_an_identity_and_an_audit_entry(provider):
    user = sso.sign_in_with_provider(provider, claims(), refresh_token="r1")
    assert isinstance(user, User) and user.email == "mei@corp.example"
    assert (user.kind, user.role, user.locale) == (ParticipantKind.STAFF, Role.MODERATOR, "zh_Hant")
    identity = db.session.scalar(select(SsoIdentity))
    assert (identity.provider, identity.subject, identity.refresh_token) == ("corp", "abc-1", "r1")
    assert identity.groups.split("\n") == ["g-staff", "g-mods"]
    assert db.session.scalar(select(AuditEntry.action)) == "person.directory_create"


def test_a_known_identity_signs_in_and_follows_the_directory(provider):
    user = sso.sign_in_with_provider(provider, claims())
    again = sso.sign_in_with_provider(provider, claims(roles=["g-partners"], name="Mei C."))
    assert again.id == user.id
    assert (again.role, again.kind, again.display_name) == (Role.PARTICIPANT, ParticipantKind.PARTNER, "Mei C.")
    update = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.directory_update"))
    assert update.before == {"role": "moderator", "kind": "staff"}
    assert update.after == {"role": "participant", "kind": "partner"}


@pytest.mark.parametrize("bad,code", [
    ({"email": "someone@elsewhere.example", "sub": "x-2"}, "domain_not_allowed"),
    ({"email_verified": False}, "email_missing"),
    ({"email": None}, "email_missing"),
    ({"sub": ""}, "sign_in_refused"),
])
def test_who_may_not_come_in(provider, bad, code):
    with pytest.raises(sso.SignInRefused) as refused:
        sso.sign_in_with_provider(provider, claims(**bad))
    assert refused.value.code == code
    assert db.session.scalar(select(User)) is None and db.session.scalar(select(SsoIdentity)) is None


def test_a_deactivated_person_cannot_sign_in(provider):
    user = sso.sign_in_with_provider(provider, claims())
    user.active = False
    db.session.commit()
    with pytest.raises(sso.SignInRefused):
        sso.sign_in_with_provider(provider, claims())


def test_an_existing_email_needs_its_password_to_link(provider):
    owner = factories.make_user(email="mei@corp.example")
    link = sso.sign_in_with_provider(provider, claims())
    assert link == sso.LinkNeeded("corp", "abc-1", "mei@corp.example")
    assert db.session.scalar(select(SsoIdentity)) is None
    with pytest.raises(sso.SignInRefused):
        sso.link_identity(factories.make_user(), provider, link)  # another account's password
    sso.link_identity(owner, provider, link)
    assert sso.sign_in_with_provider(provider, claims()).id == owner.id


def test_the_re_check_takes_a_role_away_at_once(provider):
    user = sso.sign_in_with_provider(provider, claims())
    sso.refresh_from_directory(user, provider, claims(roles=["g-staff"]), refresh_token="r2")
    assert user.role is Role.PARTICIPANT
    assert sso.identity_of(user, provider).refresh_token == "r2"
    with pytest.raises(sso.SignInRefused):
        sso.refresh_from_directory(user, provider, claims(sub="someone-else"))


def test_the_provider_ends_every_session(provider):
    user = sso.sign_in_with_provider(provider, claims(), refresh_token="r1")
    token = user.session_token
    assert sso.end_provider_sessions(provider, "abc-1")
    assert user.session_token != token and sso.identity_of(user, provider).refresh_token is None
    assert not sso.end_provider_sessions(provider, "unknown")


def test_passwords_and_registration_are_refused_for_required_domains(provider):
    user = factories.make_user(email="ann@corp-labs.example")
    with pytest.raises(AuthenticationFailed) as refused:
        accounts.authenticate(user.email, factories.PASSWORD)
    assert refused.value.code == "sso_required"
    with pytest.raises(AuthenticationFailed):  # the same for an address without an account
        accounts.authenticate("nobody@corp.example", "whatever")
    with pytest.raises(ValidationError):
        accounts.start_registration("new@corp.example")
    assert accounts.authenticate(user.email, factories.PASSWORD,
                                 linking=sso.LinkNeeded("corp", "s", user.email)).id == user.id
    outsider = factories.make_user(email="ann@elsewhere.example")
    assert accounts.authenticate(outsider.email, factories.PASSWORD).id == outsider.id
