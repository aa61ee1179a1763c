"""Company sign-in with an organisation's OpenID Connect provider (Authlib's client: discovery,
Authorization Code with PKCE, state, nonce, ID token signature and claims, key rotation).

The rules — who may come in, what the directory's claims mean, linking, re-checks — are in
app/domain/sso.py; this module speaks the protocol and keeps the session.
"""
import logging
import time
from dataclasses import asdict

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from app.domain import sso
from app.domain.errors import NotFound
from app.domain.mail import public_url
from app.extensions import csrf
from app.web.helpers import redirect_next, safe_next

log = logging.getLogger(__name__)
bp = Blueprint("sso", __name__, url_prefix="/login/sso")
SESSION_KEY, LINK_KEY, NEXT_KEY = "sso", "sso_link", "sso_next"
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
# A provider that does not answer is asked again at most this often (seconds).
RETRY_AFTER_FAILURE = 60
# Everything that means "the provider's answer cannot be trusted or used".
REFUSALS = (AuthlibBaseError, JoseError, ValueError, KeyError)


def init_app(app):
    """One Authlib client per configured provider, kept with the app (its registry caches each
    provider's metadata and keys); a provider with missing settings stops the app."""
    oauth = app.extensions["sso"] = OAuth(app)
    for name, settings in app.config["SSO_PROVIDERS"].items():
        provider = sso.parse_provider(name, settings)
        oauth.register(provider.name, client_id=provider.client_id, client_secret=provider.client_secret,
                       server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
                       client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256",
                                      "timeout": 10})


def _client(name):
    provider = sso.get_provider(name)
    return provider, current_app.extensions["sso"].create_client(provider.name)


@bp.get("/<name>")
def start(name):
    provider, client = _client(name)
    session[NEXT_KEY] = safe_next(request.args.get("next"), "home.index")
    try:
        return client.authorize_redirect(public_url("sso.callback", name=provider.name))
    except (requests.RequestException, *REFUSALS) as error:  # discovery failed
        log.warning("sign-in provider %s unreachable: %r", provider.name, error)
        return _refused(provider, _("Your organisation's sign-in did not answer. Please try again later."), 503)


@bp.get("/<name>/callback")
def callback(name):
    provider, client = _client(name)
    try:
        token = client.authorize_access_token(leeway=current_app.config["SSO_LEEWAY_SECONDS"])
        claims = dict(token["userinfo"])
        claims.update(_userinfo(client, token, claims["sub"]))
        result = sso.sign_in_with_provider(provider, claims, refresh_token=token.get("refresh_token"))
    except OAuthError as error:
        if error.error == "access_denied":  # the person said no at the provider
            return _refused(provider, _("Sign-in was cancelled at your organisation's provider."), 401)
        log.warning("sign-in with %s refused: %r", provider.name, error)
        return _refused(provider, _("The answer of your organisation's sign-in could not be trusted. "
                                    "Please try again."), 401)
    except REFUSALS as error:
        log.warning("sign-in with %s refused: %r", provider.name, error)
        return _refused(provider, _("The answer of your organisation's sign-in could not be trusted. "
                                    "Please try again."), 401)
    except requests.RequestException as error:
        log.warning("sign-in provider %s unreachable: %r", provider.name, error)
        return _refused(provider, _("Your organisation's sign-in did not answer. Please try again later."), 503)
    except sso.SignInRefused as error:
        return _refused(provider, error.message, error.status)
    target = session.pop(NEXT_KEY, None)
    if isinstance(result, sso.LinkNeeded):
        session[LINK_KEY] = asdict(result)
        flash(_("An account with the address %(email)s already exists. Log in with its password once to "
                "link it to %(provider)s.", email=result.email, provider=provider.label), "info")
        return redirect(url_for("auth.login", next=target))
    login_user(result)
    refresh()  # the welcome is in the person's own language, not the one the page was asked in
    session[SESSION_KEY] = {"provider": provider.name, "id_token": token.get("id_token"), "retry_at": 0}
    flash(_("Welcome back, %(name)s.", name=result.display_name), "success")
    return redirect_next(target)


def _userinfo(client, token, subject):
    """The userinfo endpoint's claims (directories often send groups only there), for the same
    subject as the ID token; nothing when the provider has no such endpoint."""
    if not client.load_server_metadata().get("userinfo_endpoint"):
        return {}
    info = dict(client.userinfo(token=token))
    if info.get("sub") != subject:
        raise ValueError("userinfo is about another subject")
    return info


def _refused(provider, message, status):
    return render_template("sso/refused.html", provider=provider, message=message), status


def pending_link():
    """The identity a provider vouched for that waits to be linked to an account, if any."""
    pending = session.get(LINK_KEY)
    return sso.LinkNeeded(**pending) if pending else None


def link_after_login(user):
    """Called once a password login succeeded: link a provider identity that was waiting for it."""
    pending = session.pop(LINK_KEY, None)
    if not pending:
        return
    provider = sso.get_provider(pending["provider"])
    try:
        sso.link_identity(user, provider, sso.LinkNeeded(**pending))
    except sso.SignInRefused as error:
        flash(error.message, "error")
        return
    flash(_("Your account is now linked to %(provider)s.", provider=provider.label), "success")


def logout_redirect():
    """After logging out here: the provider's own logout, when the session came from one that
    offers it (RP-initiated logout); None otherwise."""
    state = session.get(SESSION_KEY)
    if not state:
        return None
    try:
        provider, client = _client(state["provider"])
        if not client.load_server_metadata().get("end_session_endpoint"):
            return None
        return client.create_logout_url(post_logout_redirect_uri=public_url("home.index"),
                                         id_token_hint=state.get("id_token"))["url"]
    except (NotFound, requests.RequestException, RuntimeError):
        return None


@bp.post("/<name>/backchannel-logout")
@csrf.exempt
def backchannel_logout(name):
    """The provider says a person's session ended (OpenID Connect Back-Channel Logout 1.0)."""
    provider, client = _client(name)
    try:
        claims = _logout_claims(provider, client, request.form.get("logout_token", ""))
    except REFUSALS as error:
        log.warning("back-channel logout from %s refused: %r", provider.name, error)
        return {"error": "invalid_request"}, 400
    sso.end_provider_sessions(provider, claims["sub"])
    return "", 200, {"Cache-Control": "no-store"}


def _logout_claims(provider, client, logout_token):
    keys = KeySet.import_key_set(client.fetch_jwk_set())
    try:
        decoded = jwt.decode(logout_token, keys)
    except JoseError:
        decoded = jwt.decode(logout_token, KeySet.import_key_set(client.fetch_jwk_set(force=True)))
    claims = decoded.claims
    issuer = client.load_server_metadata().get("issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    leeway = current_app.config["SSO_LEEWAY_SECONDS"]
    if (claims.get("iss") != issuer or provider.client_id not in audiences or "nonce" in claims
            or BACKCHANNEL_EVENT not in (claims.get("events") or {}) or not claims.get("sub")
            or abs(time.time() - float(claims.get("iat", 0))) > 600 + leeway):
        raise ValueError("not a logout token for this client")
    return claims


@bp.before_app_request
def recheck_directory():
    """Between sign-ins, ask the provider again (at most every SSO_RECHECK_SECONDS) whether a
    signed-in person still belongs and in which groups: a role taken away in the directory is
    gone at their next request, and a person whose provider session ended is logged out."""
    state = session.get(SESSION_KEY)
    if not state or not current_user.is_authenticated or request.endpoint in (None, "static"):
        return None
    if state.get("retry_at", 0) > time.time():
        return None
    try:
        provider, client = _client(state["provider"])
    except NotFound:  # the provider was removed from the configuration
        session.pop(SESSION_KEY, None)
        return None
    identity = sso.identity_of(current_user, provider)
    if identity is None or not identity.refresh_token or not sso.recheck_due(
            identity, current_app.config["SSO_RECHECK_SECONDS"]):
        return None
    try:
        token = client.fetch_access_token(grant_type="refresh_token", refresh_token=identity.refresh_token)
        claims = _userinfo(client, token, identity.subject)
        sso.refresh_from_directory(current_user, provider, claims, refresh_token=token.get("refresh_token"))
    except OAuthError as error:  # the provider no longer honours the session: nor do we
        log.info("provider %s ended a session: %r", provider.name, error)
        session.pop(SESSION_KEY, None)
        logout_user()
        flash(_("Your organisation's sign-in has ended. Please sign in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    except (requests.RequestException, *REFUSALS) as error:
        log.warning("could not re-check with provider %s: %r", provider.name, error)
        state["retry_at"] = time.time() + RETRY_AFTER_FAILURE
        session[SESSION_KEY] = state
    except sso.SignInRefused:
        session.pop(SESSION_KEY, None)
        logout_user()
        return redirect(url_for("auth.login"))
    return None
