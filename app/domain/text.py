"""Markdown rendering through a sanitiser, and plain-text validation helpers."""
import unicodedata

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable("image")  # images from other hosts would leak readers' addresses

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(source: str) -> str:
    """Render Markdown to HTML that is safe to embed: raw HTML is escaped, then sanitised."""
    html = _markdown.render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )


def clean_line(value) -> str:
    """Normalise a one-line text field: Unicode NFC, no control characters, trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def clean_block(value) -> str:
    """Normalise a multi-line text field: NFC, unified newlines, no other control characters."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return text.strip()


# A Chinese, Japanese or Korean character says about as much as two Latin letters (a word
# is mostly one or two characters), so minimum lengths count it twice: 無卡提款 ("cardless
# withdrawal", four characters) is a full title, while a two-letter "ok" is not.
WIDE_WEIGHT = 2


def text_length(value: str) -> int:
    """How long a text is for minimum lengths: wide (CJK) characters count ``WIDE_WEIGHT``,
    every other character one."""
    return sum(WIDE_WEIGHT if unicodedata.east_asian_width(ch) in "WF" and not ch.isspace() else 1
               for ch in value or "")


def fewest_characters(min_length: int) -> int:
    """The fewest characters that can reach ``min_length`` (an all-CJK text), for schemas
    that count plain characters."""
    return -(-min_length // WIDE_WEIGHT)


_folder = None
_simplified = frozenset()
# Traditional variants written both ways in Taiwan and Hong Kong, folded onto the common one.
_VARIANTS = str.maketrans("賬裏綫着祇衞", "帳裡線著只衛")


def _load_folder():
    """OpenCC's Simplified -> Traditional (Taiwan usage, with phrases: 短信 -> 簡訊,
    视频 -> 影片) and the set of characters that only Simplified text holds."""
    global _folder, _simplified
    import os

    import opencc
    from opencc import OpenCC

    table = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "STCharacters.txt")
    simplified = set()
    with open(table, encoding="utf-8") as lines:
        for line in lines:
            key, _, values = line.rstrip("\n").partition("\t")
            if values.split(" ") != [key]:
                simplified.add(key)
    _simplified = frozenset(simplified)
    _folder = OpenCC("s2twp")


def fold_chinese(value: str) -> str:
    """Chinese text in one script: Simplified becomes Traditional as written in Taiwan
    (OpenCC's s2twp tables: 空压机 -> 空壓機, 短信 -> 簡訊), and Traditional variants fold onto
    one (賬 -> 帳), so both scripts are the same words to search, similar ideas, themes and
    tags. Only text holding a Simplified-only character goes through OpenCC (about 2 ms per
    100 characters); other text is returned at the cost of a set look-up per character."""
    if not value or value.isascii():
        return value or ""
    if _folder is None:
        _load_folder()
    if not _simplified.isdisjoint(value):
        value = _folder.convert(value)
    return value.translate(_VARIANTS)
