"""Personal access tokens for the JSON API (Bearer auth)."""
import hashlib
import secrets

from sqlalchemy import select

from app.domain import events, permissions
from app.domain.clock import utcnow
from app.domain.errors import NotFound, PermissionDenied
from app.domain.text import clean_line
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import ApiToken, User

TOKEN_PREFIX = "ij_"
NAME_MAX = 80


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user, *, name):
    """Create a token; the plaintext is returned once and never stored."""
    if not permissions.is_authenticated(user):
        raise PermissionDenied()
    errors = FieldErrors()
    name = errors.text("name", clean_line(name), max_length=NAME_MAX)
    errors.raise_if_any()
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_digest=_digest(plaintext),
                     prefix=plaintext[:10])
    db.session.add(token)
    db.session.commit()
    return token, plaintext


def list_api_tokens(user):
    return db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id.desc())
    ).all()


def revoke_api_token(user, token_id):
    token_id = parse_id(token_id)
    token = db.session.get(ApiToken, token_id) if token_id is not None else None
    if token is None or token.user_id != user.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        # Connections opened with it (live sockets) end once this commits (app.realtime).
        events.record_change("token.revoked", {"token_id": token.id})
        db.session.commit()


def user_for_token(plaintext):
    """The active owner of a valid, unrevoked token, or None."""
    found = authenticate_token(plaintext)
    return found[0] if found else None


def authenticate_token(plaintext):
    """(active owner, token id) of a valid, unrevoked token, or None. Long-lived connections
    keep the id, to end when the token is revoked (``active_token_ids``)."""
    # Tokens are ASCII: anything else (a socket's auth can carry any JSON text) is no token.
    if (not isinstance(plaintext, str) or not plaintext.isascii() or not plaintext.startswith(TOKEN_PREFIX)
            or len(plaintext) > 100):
        return None
    row = db.session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_digest == _digest(plaintext), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.active:
        return None
    return row.User, row.ApiToken.id


def active_token_ids(token_ids):
    """Those of ``token_ids`` that are not revoked."""
    if not token_ids:
        return set()
    return set(db.session.scalars(select(ApiToken.id).where(ApiToken.id.in_(sorted(token_ids)),
                                                            ApiToken.revoked_at.is_(None))))
