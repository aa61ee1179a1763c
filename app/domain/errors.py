"""Errors the domain raises. Each carries a stable code, an HTTP-like status and a
message for people (lazily translated, so it follows the reader's language)."""
from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    status = 400
    code = "bad_request"
    default_message = _l("The request could not be completed.")

    def __init__(self, message=None, *, code=None, fields=None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(self.message)


class ValidationError(DomainError):
    """One or more fields are invalid; ``fields`` maps a field name to its message."""

    status = 422
    code = "validation_failed"
    default_message = _l("Please correct the highlighted fields.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _l("We could not find that.")


class AuthenticationRequired(DomainError):
    status = 401
    code = "authentication_required"
    default_message = _l("Please log in first.")


class AuthenticationFailed(DomainError):
    status = 401
    code = "invalid_credentials"
    default_message = _l("That email and password do not match an active account.")


class LinkNotValid(DomainError):
    """A link the jam mailed (to finish registering, to reset a password) that cannot be used:
    broken or altered (``link_not_valid``), too old (``link_expired``), or already used
    (``link_used``). The person starts again and gets a new one."""

    status = 400
    code = "link_not_valid"
    default_message = _l("This link is not valid: it may have been copied only in part.")


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"
    default_message = _l("You are not allowed to do that.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _l("Something changed at the same time. Please try again.")


class CampaignNotOpen(Conflict):
    code = "campaign_not_open"
    default_message = _l("This campaign is not open, so nothing can be posted, commented on or voted on.")


class MailNotSent(DomainError):
    """The mail server did not take a message; nothing the message reports was changed."""

    status = 503
    code = "mail_unavailable"
    default_message = _l("We could not send the mail just now, and nothing was changed. "
                         "Please try again in a few minutes.")


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _l("You are going a little fast. Please wait a moment and try again.")


class NoPairLeft(Conflict):
    code = "no_pair_left"
    default_message = _l("You have compared every pair we can show you for now. "
                         "Come back when new ideas arrive.")
