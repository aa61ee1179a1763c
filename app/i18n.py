"""Language and time zone of each request: the person's choice, else their browser."""
import functools

from babel import support
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from wtforms.i18n import messages_path
from flask_login import current_user

from app.extensions import babel

# Browser language tags that mean Traditional Chinese.
_TRADITIONAL = {"zh-hant", "zh-tw", "zh-hk", "zh-mo", "zh_hant", "zh"}


def select_locale():
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in supported:
        return current_user.locale
    if session.get("locale") in supported:
        return session["locale"]
    for tag, _quality in request.accept_languages:
        lowered = tag.lower()
        if lowered.startswith("en"):
            return "en"
        if lowered in _TRADITIONAL or lowered.startswith("zh-hant"):
            return "zh_Hant"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone():
    if not has_request_context():
        return None
    if getattr(current_user, "is_authenticated", False) and current_user.timezone:
        return current_user.timezone
    return session.get("timezone") or None


@functools.lru_cache(maxsize=None)
def _wtforms_catalogue(language):
    return support.Translations.load(messages_path(), [language], domain="wtforms")


def _wtforms_translations():
    """WTForms' own messages ("Not a valid integer value.") in the reader's language.

    WTForms ships Traditional Chinese as zh_TW; looked up as zh_Hant it would fall back to
    Simplified Chinese. Flask-WTF reads the catalogue it finds on the request.
    """
    locale = str(get_locale())
    request.wtforms_translations = _wtforms_catalogue(_WTFORMS_LANGUAGE.get(locale, locale))


_WTFORMS_LANGUAGE = {"zh_Hant": "zh_TW"}


def init_app(app):
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.before_request(_wtforms_translations)
