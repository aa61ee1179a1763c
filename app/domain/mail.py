"""Mail the jam sends to people: plain text, in the recipient's language.

Composing (``compose_*``) is apart from sending (``send_message``): a domain function composes
its message, commits its own work first, and only then sends, so nobody is ever told of work
that did not happen. The backend is MAIL_BACKEND (config.py): the server's output in
development, SMTP in production, memory in tests.

Links in mails are built on PUBLIC_URL when it is set, so that a request with a forged Host
header cannot make the jam mail someone a link to another site; else on the address the
request came to.
"""
import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_mailman import EmailMessage

from app.domain.errors import MailNotSent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One plain-text message to one address."""

    to: str
    subject: str
    body: str
    locale: str


def mail_locale(user=None) -> str:
    """The language to write to someone in: their own choice when they have an account and
    made one, else the language of the request that causes the message."""
    supported = current_app.config["LANGUAGES"]
    if user is not None and user.locale in supported:
        return user.locale
    locale = str(get_locale() or "") if has_request_context() else ""
    return locale if locale in supported else current_app.config["BABEL_DEFAULT_LOCALE"]


def public_url(endpoint, **values) -> str:
    """The full URL of a page, for a link in a mail (see the module's note on PUBLIC_URL)."""
    base = current_app.config.get("PUBLIC_URL") or (request.url_root if has_request_context()
                                                    else "http://localhost/")
    parts = urlsplit(base if "://" in base else "https://" + base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _duration(delta: timedelta) -> str:
    hours = max(1, int(delta.total_seconds() // 3600))
    return ngettext("%(num)d hour", "%(num)d hours", hours)


def _body(*paragraphs) -> str:
    return "\n\n".join([_("Hello,"), *paragraphs, _("The Idea Jam team")]) + "\n"


def compose_registration_link(email, link, *, valid_for: timedelta, locale) -> Message:
    """To a new address: the link to the second step of registering."""
    with force_locale(locale):
        return Message(to=email, locale=locale, subject=_("Finish creating your Idea Jam account"), body=_body(
            _("Someone, probably you, asked to create an Idea Jam account for %(email)s.", email=email),
            _("To finish signing up, open this link within %(duration)s:", duration=_duration(valid_for))
            + "\n" + link,
            _("If it was not you, ignore this message: no account is created without the link."),
        ))


def compose_existing_account(email, *, login_link, reset_link, locale) -> Message:
    """To an address that already has an account, when someone asked to register it again."""
    with force_locale(locale):
        return Message(to=email, locale=locale, subject=_("You already have an Idea Jam account"), body=_body(
            _("Someone, probably you, asked to create an Idea Jam account for %(email)s, but this "
              "address already has one.", email=email),
            _("To log in:") + "\n" + login_link,
            _("If you have forgotten your password, choose a new one here:") + "\n" + reset_link,
            _("If it was not you, ignore this message: nothing has changed."),
        ))


def compose_password_reset(email, link, *, valid_for: timedelta, locale) -> Message:
    """To the address of an active account: the link to choose a new password."""
    with force_locale(locale):
        return Message(to=email, locale=locale, subject=_("Reset your Idea Jam password"), body=_body(
            _("Someone, probably you, asked to reset the password of the Idea Jam account for "
              "%(email)s.", email=email),
            _("To choose a new password, open this link within %(duration)s. It works once:",
              duration=_duration(valid_for)) + "\n" + link,
            _("If it was not you, ignore this message: your password stays as it is."),
        ))


def compose_no_account(email, *, register_link, locale) -> Message:
    """To an address without an active account, when someone asked to reset its password."""
    with force_locale(locale):
        return Message(to=email, locale=locale, subject=_("Your Idea Jam password reset request"), body=_body(
            _("Someone, probably you, asked to reset the password of an Idea Jam account for "
              "%(email)s, but there is no active account with this address.", email=email),
            _("Perhaps you signed up with another address. To create an account with this one, "
              "start here:") + "\n" + register_link,
            _("If it was not you, ignore this message."),
        ))


def send_message(message: Message) -> None:
    """Send one message through the configured backend. Call it after committing the work the
    message reports. A backend's failure (the mail server is down or refuses) raises
    MailNotSent — a clear 503 — rather than claiming a message went out."""
    email = EmailMessage(subject=message.subject, body=message.body, to=[message.to],
                         headers={"Content-Language": message.locale.replace("_", "-")})
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        log.warning("mail to the %s backend failed: %s", current_app.config.get("MAIL_BACKEND"), error)
        raise MailNotSent() from error
