"""The one source of "now" for every rule, so tests can move time."""
from datetime import datetime, timezone

from flask import current_app, has_app_context


def utcnow() -> datetime:
    """Return the current aware UTC time, from the app's injected CLOCK when set."""
    if has_app_context():
        clock = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()
    return datetime.now(timezone.utc)
