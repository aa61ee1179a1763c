"""Signed, time-limited links that the jam mails: finishing a registration, resetting a password.

A link's token carries a little data (readable by whoever holds it, so never a secret), signed
with SECRET_KEY and a salt of its own kind, so that a token of one kind never works as another
and nobody can make or alter one. Its age is read on the jam's clock (app/domain/clock.py), so
tests can move time past a link's life.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from app.domain.clock import utcnow
from app.domain.errors import LinkNotValid

# Longer tokens are not ours: refuse them before doing any work on them.
TOKEN_MAX = 1000


class _ClockSigner(TimestampSigner):
    """itsdangerous's timestamp signer, reading the jam's clock instead of the system's."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=_ClockSigner)


def sign_link_data(data, *, salt) -> str:
    """A URL-safe token carrying ``data`` (JSON-serialisable), signed now for links of ``salt``."""
    return _serializer(salt).dumps(data)


def read_link_data(token, *, salt, max_age: timedelta):
    """The data of a token signed for ``salt`` at most ``max_age`` ago. Raises LinkNotValid
    (code ``link_expired`` when it is only too old)."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        raise LinkNotValid()
    try:
        return _serializer(salt).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise LinkNotValid(_l("This link has expired. Please start again to get a new one."),
                           code="link_expired") from None
    except BadData:
        raise LinkNotValid() from None
