"""What a post will look like before it is posted: Markdown through the same sanitiser as
the stored HTML (app/domain/text.py), checked against the same length limits."""
from flask_babel import lazy_gettext as _l

from app.domain import comments, ideas, permissions
from app.domain.errors import AuthenticationRequired
from app.domain.text import clean_block, render_markdown
from app.domain.validation import FieldErrors

# What can be previewed, and the longest text each takes (the limits posting enforces).
PREVIEW_LIMITS = {"idea": ideas.BODY_MAX, "comment": comments.BODY_MAX}


def preview_markdown(user, *, kind, body):
    """The HTML a post's text will have once posted, with its length and limit, as a dict
    ``{"html", "length", "max_length"}``. Only for signed-in people (who alone can post);
    an unknown kind or a text over the limit is a ValidationError, and nothing is stored."""
    if not permissions.is_authenticated(user):
        raise AuthenticationRequired()
    errors = FieldErrors()
    limit = PREVIEW_LIMITS.get(kind) if isinstance(kind, str) else None
    if limit is None:
        errors.add("kind", _l("Choose one of: %(choices)s.", choices=", ".join(PREVIEW_LIMITS)))
    text = clean_block(body) if isinstance(body, str) or body is None else None
    if text is None:
        errors.add("body", _l("Give this field as text."))
    elif limit is not None:
        errors.text("body", text, max_length=limit, required=False)
    errors.raise_if_any()
    return {"html": render_markdown(text), "length": len(text), "max_length": limit}
