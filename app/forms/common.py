"""Choices and fields shared by several forms."""
import zoneinfo
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from app.domain.accounts import SUPPORTED_LOCALES

# Each language named in itself, so a reader finds theirs whatever the page speaks.
LANGUAGE_NAMES = {"en": "English", "zh_Hant": "繁體中文", "zh_Hans": "简体中文"}


def language_choices(blank=None):
    choices = [SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in SUPPORTED_LOCALES]
    return ([SelectChoice("", blank)] if blank is not None else []) + choices


def content_language_choices(auto=None):
    """English or Chinese (one Chinese for both scripts), each named in itself; ``auto``
    labels a first choice that lets the jam detect the language."""
    from app.domain.languages import AUTO, SELF_NAMES

    choices = [SelectChoice(code, name) for code, name in SELF_NAMES.items()]
    return ([SelectChoice(AUTO, auto)] if auto is not None else []) + choices


@lru_cache(maxsize=1)
def timezone_names():
    return sorted(zoneinfo.available_timezones())


def timezone_choices():
    return [SelectChoice("", _l("Server default"))] + [SelectChoice(n) for n in timezone_names()]


def kind_choices():
    return [SelectChoice("staff", _l("Staff")), SelectChoice("partner", _l("Partner")),
            SelectChoice("customer", _l("Customer"))]


def role_choices():
    return [SelectChoice("participant", _l("Participant")), SelectChoice("moderator", _l("Moderator")),
            SelectChoice("admin", _l("Admin")), SelectChoice("executive", _l("Executive"))]



def voting_mode_choices():
    from app.web.labels import VOTING_MODE_LABELS

    return [SelectChoice(mode.value, label) for mode, label in VOTING_MODE_LABELS.items()]
