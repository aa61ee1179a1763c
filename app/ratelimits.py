"""Rate limits on what people do over HTTP, per person and per network address, shared by
the pages and the API (Flask-Limiter; counters in Redis when one is configured).

These stop floods, slow password guessing and keep anyone from flooding an inbox with the
jam's mail, at the door; the campaign's own pace limits (app/domain/limits.py), which
moderators set, pace posting within a jam. The numbers are in
``config.Config.RATE_LIMITS``; a refusal is a 429 saying when to try again (app/errors.py).
"""
from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.domain.accounts import normalise_email
from app.domain.errors import ValidationError
from app.extensions import limiter


def address_key():
    return "address:" + (get_remote_address() or "unknown")


def person_key():
    """The signed-in person (by page session or API token), else the network address."""
    if getattr(current_user, "is_authenticated", False):
        return f"person:{current_user.id}"
    return address_key()


def email_key():
    """The email address typed in the form: guessing one account's password, or mailing one
    inbox, is slowed as much from many network addresses as from one. Spelled as accounts keep
    it, so writing an address another way does not buy another allowance."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = (data or {}).get("email") if hasattr(data, "get") else None
    try:
        email = normalise_email(email)
    except ValidationError:
        email = email.strip().lower() if isinstance(email, str) else ""
    return "email:" + email


def _limit(action, which):
    index = 0 if which == "person" else 1

    def value():
        return current_app.config["RATE_LIMITS"][action][index] or "1000000 per second"
    return value


def _pair(action, person_key_func=person_key, methods=None):
    per_person = limiter.shared_limit(_limit(action, "person"), scope=f"{action}:person",
                                      key_func=person_key_func, methods=methods)
    per_address = limiter.shared_limit(_limit(action, "address"), scope=f"{action}:address",
                                       key_func=address_key, methods=methods)

    def decorate(view):
        limited = per_person(per_address(view))
        limited.rate_limited = True  # the API's document lists 429 for it (app/api/openapi.py)
        return limited
    return decorate


logging_in = _pair("login", email_key, methods=["POST"])
# The two that mail an address someone typed: per typed address, so nobody can flood one inbox.
registering = _pair("register", email_key, methods=["POST"])
resetting_password = _pair("password_reset", email_key, methods=["POST"])
posting = _pair("ideas")
commenting = _pair("comments")
voting = _pair("votes")
flagging = _pair("flags")
previewing = _pair("previews")
