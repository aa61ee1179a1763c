"""Turns domain errors and HTTP errors into pages or JSON, in the reader's language."""
import logging
import math
import time

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from sqlalchemy.exc import OperationalError
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.domain.errors import DomainError
from app.extensions import db, limiter

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
    return render_template("error.html", message=message, status=status, back=_form_page()), status


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
        return render_error("server_error", _("Something went wrong on our side. Please try again."), 500)
