"""Small helpers shared by the page blueprints: safe redirects, form errors, local times."""
from datetime import datetime, timezone
from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import format_timedelta, to_user_timezone, to_utc
from flask_login import current_user, login_user
from flask_login import login_required as page_login_required

from app.domain.clock import utcnow
from app.domain.errors import AuthenticationRequired, Conflict, RateLimited, ValidationError
from app.errors import wants_json


def is_safe_path(target) -> bool:
    """True for a local path such as "/c/jam?page=2"; never another host or scheme."""
    if not target or not isinstance(target, str) or not target.startswith("/"):
        return False
    if target.startswith("//") or target.startswith("/\\") or any(c in target for c in "\r\n\t"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target, fallback_endpoint="home.index", **fallback_args):
    """``target`` when it is a safe local path, else the URL of the fallback endpoint."""
    return target if is_safe_path(target) else url_for(fallback_endpoint, **fallback_args)


def redirect_next(target, fallback_endpoint="home.index", **fallback_args):
    return redirect(safe_next(target, fallback_endpoint, **fallback_args))


def referrer_path():
    """The local path of the page a form was posted from, if it is ours."""
    ref = request.referrer
    if not ref:
        return None
    parts = urlsplit(ref)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_safe_path(path) else None


def apply_field_errors(form, error):
    """Copy a domain error's field messages onto the form; unknown or hidden fields become
    form-level errors, as does the error's own message when no field got it."""
    placed = False
    for name, message in (error.fields or {}).items():
        field = form._fields.get(name)
        if field is not None and field.type not in ("HiddenField", "CSRFTokenField"):
            field.errors = list(field.errors or []) + [str(message)]
            placed = True
        else:
            add_form_error(form, message)
            placed = True
    if not placed:
        add_form_error(form, error.message)


def add_form_error(form, message):
    errors = list(getattr(form, "form_errors", None) or [])
    if str(message) not in errors:
        errors.append(str(message))
    form.form_errors = errors


# What a form post shows as a message on the page it returns to: refusals about the input or
# the moment. Refusals about who asks (403, 404) are error pages, as for any other request.
FLASHED_REFUSALS = (ValidationError, Conflict, RateLimited)


def flash_error(error):
    """Flash a domain error: its field messages when it has any, else its message."""
    messages = [str(m) for m in (error.fields or {}).values()] or [str(error.message)]
    for message in messages:
        flash(message, "error")


# --- drafts ----------------------------------------------------------------------------
# The page's script keeps what someone writes in the browser until it is posted. A form posted
# the plain way is cleared on the next page: the server names its draft as posted there.

def idea_draft_key(campaign_id) -> str:
    """The name of a new idea's draft in a campaign, as the form and the script name it."""
    return f"idea:c{campaign_id}"


def comment_draft_key(idea_id, parent_id=None) -> str:
    """The name of a comment's draft on an idea, or of a reply's under one comment."""
    return f"comment:i{idea_id}" + (f":p{parent_id}" if parent_id else "")


def mark_draft_posted(key):
    """Tell the next page's script that this draft is posted and can go."""
    session["drafts_posted"] = [*session.get("drafts_posted", [])[-9:], key]


def pop_posted_drafts() -> list:
    """The drafts posted since the last page, once (the session changes only when there are)."""
    if "drafts_posted" not in session:
        return []
    return [str(k) for k in session.pop("drafts_posted") or []]


# --- times -----------------------------------------------------------------------------

def local_to_utc(value):
    """A naive datetime-local value, read in the viewer's time zone, as an aware UTC time."""
    if value is None:
        return None
    if value.tzinfo is not None:
        return value.astimezone(timezone.utc)
    return to_utc(value).replace(tzinfo=timezone.utc)


def utc_to_local(value):
    """An aware UTC time as a naive time in the viewer's zone, for datetime-local inputs."""
    if value is None:
        return None
    return to_user_timezone(value).replace(tzinfo=None)


def time_until(value: datetime):
    """"in 3 days" / "2 hours ago" relative to the jam's clock, in the reader's language."""
    if value is None:
        return ""
    return format_timedelta(value - utcnow(), add_direction=True, threshold=1.1)


def login_again(user):
    """Log the person in again after their session token changed, keeping "remember me"."""
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    # Never store the current_user proxy itself: it would then resolve to itself forever.
    user = user._get_current_object() if hasattr(user, "_get_current_object") else user
    login_user(user, remember=bool(request.cookies.get(cookie)))


def login_required(view):
    """Like flask_login.login_required, but a JSON request gets a JSON 401 instead of a
    redirect to the login page."""
    page_view = page_login_required(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        if wants_json() and not current_user.is_authenticated:
            raise AuthenticationRequired()
        return page_view(*args, **kwargs)

    return wrapped
