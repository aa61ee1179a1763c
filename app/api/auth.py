"""Bearer-token authentication for the API; the session cookie is never consulted.

Every API request is authenticated here before its view runs: no Authorization header
means anonymous; a header that is not a valid, unrevoked token of an active account is
refused with 401 ``invalid_token`` rather than quietly treated as anonymous.
"""
import functools

import flask_babel
from flask import current_app, g, request
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.api.parsing import MAX_BODY_BYTES
from app.domain import api_tokens
from app.domain.errors import AuthenticationRequired, DomainError
from app.errors import render_error
from app.extensions import db, login_manager

REALM = "Idea Jam API"


class InvalidToken(AuthenticationRequired):
    code = "invalid_token"
    default_message = _l("That access token is malformed, revoked or no longer valid.")


def _token_from_header():
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise InvalidToken()
    return token


@bp.before_request
def authenticate():
    configured = current_app.config.get("MAX_CONTENT_LENGTH")
    request.max_content_length = min(configured or MAX_BODY_BYTES, MAX_BODY_BYTES)
    anonymous = login_manager.anonymous_user()
    # flask_login's current_user (read by the locale selector) is the token's owner or
    # nobody: set before anything can load a user from the session cookie.
    g._login_user = g.api_user = anonymous
    flask_babel.refresh()
    token = _token_from_header()
    if token is None:
        return
    user = api_tokens.user_for_token(token)
    if user is None:
        raise InvalidToken()
    g._login_user = g.api_user = user
    flask_babel.refresh()  # the owner's chosen language, else Accept-Language


def current_user():
    """The token's owner, or an anonymous user."""
    return g.api_user


def token_required(view):
    """Refuse anonymous callers with 401 before reading the request."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.api_user.is_authenticated:
            raise AuthenticationRequired(
                _l("Send a personal access token: Authorization: Bearer <token>."))
        return view(*args, **kwargs)
    return wrapper


@bp.errorhandler(DomainError)
def domain_error(error):
    db.session.rollback()  # nothing half-done survives a refused request
    response, status = render_error(error.code, error.message, error.status, error.fields)
    if status == 401:
        challenge = f'Bearer realm="{REALM}"'
        if error.code == "invalid_token":
            challenge += ', error="invalid_token"'
        response.headers["WWW-Authenticate"] = challenge
    return response, status


@bp.after_request
def vary(response):
    response.vary.add("Authorization")
    response.vary.add("Accept-Language")
    return response


@bp.teardown_request
def forget_user(_exc):
    # Tests reuse one app context (and so one ``g``) for many requests.
    g.pop("_login_user", None)
    g.pop("api_user", None)
    flask_babel.refresh()
