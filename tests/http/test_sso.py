"""Company sign-in against a real OpenID Connect provider (tests/idp/provider.py in its own
process): the whole redirect dance over HTTP, the directory's claims and groups, linking, and
every refusal — wrong audience, expired token, bad signature, replayed state, unknown domain,
group removed, provider session ended."""
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, ParticipantKind, Role, SsoIdentity, User
from tests import factories
from tests.services import IdentityProvider

pytestmark = pytest.mark.server
CLIENT = {"client_id": "idea-jam", "client_secret": "jam-secret",
          "redirect_uris": ["http://localhost/login/sso/corp/callback"],
          "post_logout_redirect_uris": ["http://localhost/"]}


@pytest.fixture(scope="module")
def idp():
    provider = IdentityProvider([CLIENT])
    yield provider
    provider.stop()


@pytest.fixture
def app_settings(idp):
    return {"SSO_PROVIDERS": {"corp": {
        "issuer": idp.url, "client_id": CLIENT["client_id"], "client_secret": CLIENT["client_secret"],
        "label": "Corp SSO", "scopes": "openid email profile groups offline_access",
        "domains": "corp.example", "required": "true",
        "kinds": "jam-partners=partner,jam-staff=staff",
        "roles": "jam-moderators=moderator,jam-admins=admin,jam-executives=executive"}},
        "SSO_RECHECK_SECONDS": 0}


@pytest.fixture(autouse=True)
def no_fault(idp):
    idp.control("fault", {"fault": None})
    yield
    idp.control("fault", {"fault": None})


def directory_person(idp, groups=("jam-staff",), domain="corp.example", **claims):
    username = f"p{uuid.uuid4().hex[:8]}"
    entry = {"sub": f"sub-{username}", "email": f"{username}@{domain}", "email_verified": True,
             "name": "Mei Chen", "department": "Network Engineering", "country": "tw", "locale": "zh-TW",
             "zoneinfo": "Asia/Taipei", "groups": list(groups)}
    entry.update(claims)
    idp.control("users", {username: entry})
    return username, entry


class ProviderBrowser:
    """The person's side at the provider: its own cookies, as a browser would keep them."""

    def __init__(self):
        self.session = requests.Session()

    def sign_in(self, authorize_url, username):
        """Answer the provider's login page; returns the callback URL it redirects to."""
        page = self.session.get(authorize_url, allow_redirects=False, timeout=30)
        if page.status_code == 302:  # already signed in at the provider
            return page.headers["Location"]
        assert page.status_code == 200, page.text
        answer = self.session.post(f"{authorize_url.split('?')[0]}?{urlsplit(authorize_url).query}",
                                   data={"username": username}, allow_redirects=False, timeout=30)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]


def local(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start(client, next_path=None):
    response = client.get("/login/sso/corp" + (f"?next={next_path}" if next_path else ""))
    assert response.status_code == 302
    return response.headers["Location"]


def sign_in(client, username, browser=None, next_path=None):
    callback = (browser or ProviderBrowser()).sign_in(start(client, next_path), username)
    return client.get(local(callback)), callback


def signed_in_user(client):
    page = client.get("/profile")
    return page.status_code == 200


def audit_actions(user_id):
    return [e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == user_id,
                                                                          AuditEntry.target_type == "user"))]


# --- the happy path -----------------------------------------------------------------------------

def test_the_authorization_request_uses_pkce_a_nonce_and_state(client):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["nonce"][0] and query["state"][0]
    assert query["scope"] == ["openid email profile groups offline_access"]
    assert query["redirect_uri"] == ["http://localhost/login/sso/corp/callback"]


def test_a_new_person_signs_in_and_the_directory_fills_the_profile(client, idp):
    username, entry = directory_person(idp, groups=("jam-staff", "jam-moderators"))
    response, _ = sign_in(client, username, next_path="/profile")
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    user = db.session.scalar(select(User).where(User.email == entry["email"]))
    assert (user.display_name, user.department, user.country, user.locale, user.timezone) == (
        "Mei Chen", "Network Engineering", "TW", "zh_Hant", "Asia/Taipei")
    assert user.kind is ParticipantKind.STAFF and user.role is Role.MODERATOR
    identity = db.session.scalar(select(SsoIdentity).where(SsoIdentity.user_id == user.id))
    assert identity.subject == entry["sub"] and identity.refresh_token
    assert "person.directory_create" in audit_actions(user.id)
    assert signed_in_user(client)


def test_the_mapping_is_applied_again_at_each_sign_in(client, app, idp):
    username, entry = directory_person(idp, groups=("jam-partners", "jam-admins"))
    sign_in(client, username)
    user = db.session.scalar(select(User).where(User.email == entry["email"]))
    assert (user.kind, user.role) == (ParticipantKind.PARTNER, Role.ADMIN)
    client.post("/logout")
    idp.control("users", {username: {**entry, "groups": ["jam-staff"], "department": "Retail"}})
    sign_in(client, username)  # signed in at the provider already: no login page this time
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.kind, user.role, user.department) == (ParticipantKind.STAFF, Role.PARTICIPANT, "Retail")
    assert audit_actions(user.id).count("person.directory_update") == 1


def test_a_group_removed_in_the_directory_is_gone_at_the_next_request(client, idp):
    username, entry = directory_person(idp, groups=("jam-staff", "jam-moderators"))
    sign_in(client, username)
    assert client.get("/moderation/queue").status_code == 200
    idp.control("users", {username: {**entry, "groups": ["jam-staff"]}})
    assert client.get("/moderation/queue").status_code == 403
    user = db.session.scalar(select(User).where(User.email == entry["email"]))
    assert user.role is Role.PARTICIPANT
    entry_logged = db.session.scalar(select(AuditEntry).where(AuditEntry.target_id == user.id,
                                                             AuditEntry.action == "person.directory_update"))
    assert entry_logged.before == {"role": "moderator", "kind": "staff"}
    assert entry_logged.after == {"role": "participant", "kind": "staff"}


def test_keys_can_rotate_at_the_provider(client, idp):
    idp.control("rotate")
    username, _ = directory_person(idp)
    response, _ = sign_in(client, username)
    assert response.status_code == 302 and signed_in_user(client)


# --- refusals -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["wrong_audience", "expired", "bad_signature"])
def test_tokens_the_jam_cannot_trust_are_refused(client, idp, fault):
    username, entry = directory_person(idp)
    idp.control("fault", {"fault": fault})
    response, _ = sign_in(client, username)
    assert response.status_code == 401
    assert "could not be trusted" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == entry["email"])) is None
    assert not signed_in_user(client)


def test_a_replayed_callback_is_refused(app, client, idp):
    username, _ = directory_person(idp)
    response, callback = sign_in(client, username)
    assert response.status_code == 302
    client.post("/logout")
    assert client.get(local(callback)).status_code == 401  # the same state, a second time
    stranger = app.test_client()
    assert stranger.get(local(callback)).status_code == 401  # another browser, without the state
    assert not signed_in_user(stranger)


def test_an_unknown_domain_is_refused(client, idp):
    username, entry = directory_person(idp, domain="elsewhere.example")
    response, _ = sign_in(client, username)
    assert response.status_code == 403
    assert "cannot sign in addresses of this domain" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == entry["email"])) is None


def test_an_ended_provider_session_logs_the_person_out(client, idp):
    username, _ = directory_person(idp)
    sign_in(client, username)
    assert signed_in_user(client)
    idp.control("revoke", {"username": username})
    response = client.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not signed_in_user(client)


# --- linking an existing account ------------------------------------------------------------------

def test_an_existing_account_is_linked_only_after_its_password(client, auth, idp):
    username, entry = directory_person(idp)
    user = factories.make_user(email=entry["email"], display_name="Existing Person")
    response, _ = sign_in(client, username)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not signed_in_user(client)  # no takeover by a matching email
    assert db.session.scalar(select(SsoIdentity).where(SsoIdentity.subject == entry["sub"])) is None
    # The domain requires the provider, yet this once the password is taken: to link.
    assert auth.login(user).status_code == 302
    assert db.session.scalar(select(SsoIdentity).where(SsoIdentity.subject == entry["sub"])).user_id == user.id
    client.post("/logout")
    assert auth.login(user).status_code == 401  # from now on, only the provider


@pytest.fixture
def open_settings(idp):
    """A provider that may vouch for any domain and requires nothing (to test linking)."""
    return {"SSO_PROVIDERS": {"corp": {"issuer": idp.url, "client_id": CLIENT["client_id"],
                                       "client_secret": CLIENT["client_secret"], "label": "Corp SSO"}},
            "SSO_RECHECK_SECONDS": 0}


class TestLinking:
    @pytest.fixture
    def app_settings(self, open_settings):
        return open_settings

    def test_password_then_link_then_straight_in(self, client, auth, idp):
        username, entry = directory_person(idp, domain="partner.example")
        user = factories.make_user(email=entry["email"], display_name="Existing Person")
        sign_in(client, username)
        login = auth.login(user)
        assert login.status_code == 302
        identity = db.session.scalar(select(SsoIdentity).where(SsoIdentity.subject == entry["sub"]))
        assert identity.user_id == user.id
        assert "person.sso_link" in audit_actions(user.id)
        client.post("/logout")
        response, _ = sign_in(client, username)
        assert response.status_code == 302 and signed_in_user(client)

    def test_another_accounts_password_does_not_link(self, client, auth, idp):
        username, entry = directory_person(idp, domain="partner.example")
        factories.make_user(email=entry["email"])
        other = factories.make_user()
        sign_in(client, username)
        auth.login(other)
        assert db.session.scalar(select(SsoIdentity).where(SsoIdentity.subject == entry["sub"])) is None


# --- requiring the provider, and logging out ----------------------------------------------------

def test_passwords_are_refused_for_the_providers_domains(client):
    user = factories.make_user(email="someone@corp.example")
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 401 and "sign in with Corp SSO" in response.get_data(as_text=True)
    unknown = client.post("/login", data={"email": "nobody@corp.example", "password": "whatever-123"})
    assert unknown.get_data(as_text=True).count("sign in with Corp SSO") == 1  # same answer, no account
    registering = client.post("/register", data={"email": "new@corp.example"})
    assert registering.status_code == 422 and "sign in with Corp SSO" in registering.get_data(as_text=True)


def test_the_login_page_offers_the_provider(client):
    page = client.get("/login?next=/profile").get_data(as_text=True)
    assert 'href="/login/sso/corp?next=/profile"' in page and "Sign in with Corp SSO" in page


def test_logging_out_ends_the_provider_session_too(client, idp):
    username, _ = directory_person(idp)
    sign_in(client, username)
    response = client.post("/logout")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == idp.url and target.path == "/logout"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/"] and query["id_token_hint"][0]
    assert not signed_in_user(client)


def test_back_channel_logout_ends_every_session(app, client, idp):
    username, entry = directory_person(idp)
    sign_in(client, username)
    token = idp.control("logout-token", {"username": username, "client_id": CLIENT["client_id"]})["logout_token"]
    anonymous = app.test_client()
    assert anonymous.post("/login/sso/corp/backchannel-logout", data={"logout_token": "forged"}).status_code == 400
    assert signed_in_user(client)
    answer = anonymous.post("/login/sso/corp/backchannel-logout", data={"logout_token": token})
    assert answer.status_code == 200
    assert not signed_in_user(client)
    user = db.session.scalar(select(User).where(User.email == entry["email"]))
    assert "person.sso_logout" in audit_actions(user.id)


def test_a_logout_token_for_another_client_is_refused(app, client, idp):
    username, _ = directory_person(idp)
    sign_in(client, username)
    idp.control("fault", {"fault": "wrong_audience"})
    token = idp.control("logout-token", {"username": username, "client_id": CLIENT["client_id"]})["logout_token"]
    assert app.test_client().post("/login/sso/corp/backchannel-logout",
                                  data={"logout_token": token}).status_code == 400
    assert signed_in_user(client)


def test_bad_or_missing_callback_parameters_change_nothing(client, idp):
    for query in ("", "?state=nope&code=nope", "?error=access_denied&state=x", "?code=%00&state=%00"):
        response = client.get(f"/login/sso/corp/callback{query}")
        assert response.status_code == (422 if "%00" in query else 401), query  # NUL: refused before the view
        assert "Traceback" not in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None
    assert client.get("/login/sso/nobody", headers={"Accept": "application/json"}).status_code == 404


class TestProviderDown:
    @pytest.fixture
    def app_settings(self):
        from tests.services import free_port

        return {"SSO_PROVIDERS": {"corp": {"issuer": f"http://127.0.0.1:{free_port()}", "client_id": "c",
                                           "client_secret": "s"}}}

    def test_an_unreachable_provider_is_a_clear_503(self, client):
        response = client.get("/login/sso/corp")
        assert response.status_code == 503 and "did not answer" in response.get_data(as_text=True)
