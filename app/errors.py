"""Turns domain errors and HTTP errors into pages or JSON, in the reader's language."""
import json
import logging
import math
import sys
import time

from flask import Response, current_app, jsonify, render_template, request
from flask_login import current_user
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from sqlalchemy.exc import OperationalError
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.domain.errors import DomainError
from app.extensions import db, limiter
from app.security import CSP

log = logging.getLogger(__name__)


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_json(code, message, status, fields=None):
    payload = {"error": {"code": code, "message": str(message),
                         "fields": {k: str(v) for k, v in (fields or {}).items()}}}
    return jsonify(payload), status


_HTTP_MESSAGES = {
    400: ("bad_request", lambda: _("The request was not understood.")),
    401: ("authentication_required", lambda: _("Please log in first.")),
    403: ("forbidden", lambda: _("You are not allowed to do that.")),
    404: ("not_found", lambda: _("We could not find that page.")),
    405: ("method_not_allowed", lambda: _("That action is not available here.")),
    413: ("too_large", lambda: _("What you sent is too large.")),
    429: ("rate_limited", lambda: _("Too many requests. Please wait a moment and try again.")),
}


def render_error(code, message, status, fields=None):
    if wants_json():
        return error_json(code, message, status, fields)
    return render_template("error.html", message=message, status=status, fields=fields or {},
                           back=_form_page()), status


def sign_in_instead(status):
    """A signed-out person who follows a link to something not found gets the login page,
    and comes back after it: the thing may be in a private campaign. Every unknown or
    private id on a page answers the same way, so the redirect tells nothing about what
    exists. Signed in, a 404 stays a 404; the API, unknown paths and scripts' requests keep
    theirs."""
    if (status != 404 or request.method != "GET" or wants_json() or request.url_rule is None
            or request.endpoint == "static" or current_user.is_authenticated):
        return None
    # Only a page the person opens: a script's fetch of a page (the live updates re-read the
    # page they are on) must learn it is gone, not receive the login form in its place.
    if request.headers.get("Sec-Fetch-Mode", "navigate") != "navigate":
        return None
    return current_app.login_manager.unauthorized()


def _form_page():
    """After a refused form post (an expired form, too many requests, a busy database), the
    page the form was on: its script brings back what was typed there."""
    if request.method in ("GET", "HEAD"):
        return None
    from app.web.helpers import referrer_path  # the page helpers read errors too

    return referrer_path()


_UNAVAILABLE = ("database is locked", "database is busy", "could not connect", "connection refused",
                "server closed the connection", "terminating connection", "lock timeout",
                "canceling statement due to lock timeout")


def database_unavailable(error) -> bool:
    """The database is locked, busy or unreachable: a moment later the same request may work."""
    text = str(getattr(error, "orig", error)).lower()
    return bool(getattr(error, "connection_invalidated", False)) or any(part in text for part in _UNAVAILABLE)


def init_app(app):
    @app.errorhandler(DomainError)
    def _domain_error(error):
        redirect = sign_in_instead(error.status)
        if redirect is not None:
            return redirect
        return render_error(error.code, error.message, error.status, error.fields)

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return render_error("csrf_failed", _("Your form expired. Please reload the page and try again."), 400)

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(error):
        limit = limiter.current_limit
        seconds = max(1, math.ceil(limit.reset_at - time.time())) if limit else 60
        response, status = render_error(
            "rate_limited", ngettext("Too many attempts. Please try again in %(num)d second.",
                                     "Too many attempts. Please try again in %(num)d seconds.", seconds), 429)
        response = app.make_response((response, status))
        response.headers["Retry-After"] = str(seconds)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error):
        redirect = sign_in_instead(error.code)
        if redirect is not None:
            return redirect
        code, message = _HTTP_MESSAGES.get(error.code, ("http_error", lambda: error.description))
        response, status = render_error(code, message(), error.code)
        response = app.make_response((response, status))
        # Keep headers the error carries, such as Allow on a 405 or Retry-After on a 429.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(OperationalError)
    def _database_unavailable(error):
        # Another writer held the database longer than we wait (SQLite's busy timeout), or the
        # database server is unreachable: nothing was written (the transaction rolls back),
        # and the person can simply try again. Any other operational error is a fault of ours.
        db.session.rollback()
        if not database_unavailable(error):
            log.exception("database error", exc_info=error)
            return render_error("server_error", _("Something went wrong on our side. Please try again."), 500)
        log.warning("database unavailable: %s", error.orig)
        response, status = render_error(
            "database_busy", _("The jam is very busy right now, and nothing was saved. Please try again in a moment."), 503)
        response = app.make_response((response, status))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(500)
    def _server_error(error):
        # The failure may have left the database session in a failed transaction (PostgreSQL
        # then refuses every further query, and the page's header reads notifications):
        # start clean, and if even the error page fails, answer a plain one.
        try:
            db.session.rollback()
            return render_error("server_error", _("Something went wrong on our side. Please try again."), 500)
        except Exception:  # noqa: BLE001 - whatever broke, the person gets an answer, not a trace
            log.exception("the error page failed")
            return plain_server_error(request.path)

    if not (app.debug or app.testing):
        app.wsgi_app = LastResort(app.wsgi_app)


PLAIN_MESSAGE = "Something went wrong on our side. Please try again."


def plain_body(path):
    """(body, content type) of a 500 built without templates, translations or the database."""
    if path.startswith("/api/"):
        body = json.dumps({"error": {"code": "server_error", "message": PLAIN_MESSAGE, "fields": {}}})
        return body.encode(), "application/json"
    return f"<!doctype html><title>500</title><p>{PLAIN_MESSAGE}</p>".encode(), "text/html; charset=utf-8"


def plain_server_error(path):
    body, content_type = plain_body(path)
    return Response(body, status=500, content_type=content_type)


class LastResort:
    """The outermost WSGI layer: whatever escapes Flask (a failing error handler, a failure
    while building the response) becomes a plain 500 with no traceback. The server behind it
    would otherwise choose the answer, and eventlet's default writes the traceback into it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        try:
            return self.wsgi_app(environ, start_response)
        except Exception:  # noqa: BLE001
            log.exception("unhandled failure serving %s", environ.get("PATH_INFO"))
            body, content_type = plain_body(environ.get("PATH_INFO", ""))
            start_response("500 INTERNAL SERVER ERROR",
                           [("Content-Type", content_type), ("Content-Length", str(len(body))),
                            ("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff")],
                           sys.exc_info())
            return [body]
