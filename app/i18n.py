"""Language and time zone of each request: the person's choice, else their browser."""
import functools

from babel import support
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup
from wtforms.i18n import messages_path
from flask_login import current_user

from app.extensions import babel

# Chinese as browsers name it: a script subtag decides (zh-Hant-CN is Traditional), else the
# region (zh-TW, zh-HK and zh-MO read Traditional; zh-CN, zh-SG, zh-MY Simplified). A bare "zh"
# is Simplified, as CLDR's likely subtags have it (zh -> zh-Hans-CN).
_SCRIPTS = {"hant": "zh_Hant", "hans": "zh_Hans"}
_TRADITIONAL_REGIONS = {"tw", "hk", "mo"}


def locale_for_tag(tag: str) -> str | None:
    """The interface language for one Accept-Language tag ("zh-CN" -> "zh_Hans"), or None
    when we do not speak it."""
    parts = tag.lower().replace("_", "-").split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] != "zh":
        return None
    for part in parts[1:]:
        if part in _SCRIPTS:
            return _SCRIPTS[part]
    return "zh_Hant" if any(part in _TRADITIONAL_REGIONS for part in parts[1:]) else "zh_Hans"


def select_locale():
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in supported:
        return current_user.locale
    if session.get("locale") in supported:
        return session["locale"]
    for tag, _quality in request.accept_languages:
        locale = locale_for_tag(tag)
        if locale in supported:
            return locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


# The browser's own zone (Intl API), written by app.js on every page; read for visitors and
# for people who never chose one in their profile.
ZONE_COOKIE = "tz"


def browser_timezone():
    """The zone the browser reported, when it is a known IANA name; else None."""
    from app.domain.accounts import known_timezones

    zone = request.cookies.get(ZONE_COOKIE, "")
    return zone if zone in known_timezones() else None


def select_timezone():
    """The person's chosen zone, else their browser's, else the server default (UTC)."""
    if not has_request_context():
        return None
    if getattr(current_user, "is_authenticated", False) and current_user.timezone:
        return current_user.timezone
    return browser_timezone() or session.get("timezone") or None


@functools.lru_cache(maxsize=None)
def _wtforms_catalogue(language):
    return support.Translations.load(messages_path(), [language], domain="wtforms")


def _wtforms_translations():
    """WTForms' own messages ("Not a valid integer value.") in the reader's language.

    WTForms ships Traditional Chinese as zh_TW and Simplified as zh; looked up as zh_Hant it
    would fall back to Simplified Chinese. Flask-WTF reads the catalogue it finds on the request.
    """
    locale = str(get_locale())
    request.wtforms_translations = _wtforms_catalogue(_WTFORMS_LANGUAGE.get(locale, locale))


_WTFORMS_LANGUAGE = {"zh_Hant": "zh_TW", "zh_Hans": "zh"}

# The BCP 47 tag of each interface language, for lang attributes and Content-Language.
HTML_LANG = {"en": "en", "zh_Hant": "zh-Hant", "zh_Hans": "zh-Hans"}


def page_translations():
    """``gettext`` and ``ngettext`` bound to the request's catalogue once per rendered page.

    A page of comments asks for a thousand strings or more; Flask-Babel's own callables look
    the locale and catalogue up again for each (about 15 µs apiece). Jinja's ``_`` resolves
    ``gettext`` from the template context first, so these take its place for the page (and its
    includes and context-importing macros), with the same newstyle behaviour: the result is
    markup-safe under autoescaping and always %-formatted with the keyword arguments."""
    catalogue = get_translations()

    @pass_context
    def gettext(context, string, **variables):
        text = catalogue.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = catalogue.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return {"gettext": gettext, "ngettext": ngettext}


def init_app(app):
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.before_request(_wtforms_translations)
    app.context_processor(page_translations)
