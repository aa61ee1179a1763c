"""The two languages of the jam's content: English ("en") and Chinese ("zh").

The interface speaks three (en, zh_Hant, zh_Hans); content is written in two, because one
Chinese text serves readers of both scripts. Campaign texts (title, question, description,
code of conduct, review criteria) may be given in both: the campaign's ``language`` names
the language of its main texts, and the ``*_translation`` fields hold the same texts in the
other one. Each reader sees their language's text, else the other one marked with its
language (``LocalText.fallback``). An idea carries the language its author marked, or the
one detected from its words.
"""
import re
from dataclasses import dataclass

from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

CONTENT_LANGUAGES = ("en", "zh")
AUTO = "auto"
# How each content language names itself, for the "(English)" / "(中文)" mark of a fallback.
SELF_NAMES = {"en": "English", "zh": "中文"}

# CJK ideographs (with extensions and compatibility forms), kana and Hangul count as Chinese
# script here: in this jam they only appear in Chinese posts.
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\u3040-\u30ff\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str) -> str:
    """"zh" when the text is mostly Chinese, else "en".

    One Chinese character carries about as much as one English word, so the two are counted
    against each other: "無卡提款 ATM" is Chinese, "Pay with 微信 at the counter" is English.
    Chinese posts often carry English terms (5G, eSIM, API), which this keeps Chinese."""
    text = text or ""
    chinese = len(_CJK.findall(text))
    return "zh" if chinese and chinese >= len(_LATIN_WORD.findall(text)) else "en"


def parse_language(errors, field, value, *, text="", allow_auto=True):
    """An idea's or campaign's language from a form or API value: "en" or "zh"; "auto", empty
    or None detect it from ``text`` (when ``allow_auto``). Anything else is a field error."""
    if value in (None, "", AUTO) and allow_auto:
        return detect_language(text)
    if isinstance(value, str) and value in CONTENT_LANGUAGES:
        return value
    errors.add(field, _l("Choose English or Chinese.") if not allow_auto
               else _l("Choose English, Chinese or automatic."))
    return None


def other_language(language: str) -> str:
    """The jam's other content language: "zh" for "en" and "en" for "zh"."""
    return "en" if language == "zh" else "zh"


def reader_language(locale=None) -> str:
    """The content language of an interface language: zh_Hant and zh_Hans both read "zh"."""
    if locale is None:
        locale = str(get_locale()) if has_request_context() else "en"
    return "zh" if str(locale).startswith("zh") else "en"


@dataclass(frozen=True)
class LocalText:
    """One text as a reader gets it: in ``lang``; ``fallback`` when it is not the reader's
    language (the page marks it). ``text`` is plain, or Markup for rendered Markdown."""

    text: str
    lang: str
    fallback: bool

    def __bool__(self):
        return bool(self.text)

    def __str__(self):
        return str(self.text)

    @property
    def mark(self) -> str:
        return SELF_NAMES[self.lang]


def pick_text(main, main_language, translation, reader, *, html=False) -> LocalText:
    """The reader's version of a text given in ``main_language`` and optionally translated;
    the other version, marked as a fallback, when the reader's is empty."""
    wrap = Markup if html else str
    translated_language = other_language(main_language)
    if reader == translated_language and translation:
        return LocalText(wrap(translation), translated_language, False)
    if main:
        return LocalText(wrap(main), main_language, reader != main_language)
    if translation:
        return LocalText(wrap(translation), translated_language, reader != translated_language)
    return LocalText(wrap(""), reader, False)


def campaign_text(campaign, field: str, reader=None) -> LocalText:
    """A campaign's title, question, description (HTML) or code of conduct (HTML), in the
    reader's language when the organisers gave it, else in the other one, marked."""
    reader = reader or reader_language()
    html = field in ("description_html", "code_of_conduct_html")
    translated = field.replace("_html", "_translation_html") if html else field + "_translation"
    return pick_text(getattr(campaign, field), campaign.language or "en",
                     getattr(campaign, translated), reader, html=html)


def criterion_name(criterion, campaign, reader=None) -> LocalText:
    """A review criterion's name in the reader's language (see campaign_text)."""
    return pick_text(criterion.name, campaign.language or "en", criterion.name_translation,
                     reader or reader_language())
