from html.parser import HTMLParser

import pytest

from app.domain.text import clean_block, clean_line, render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "![x](https://evil.example/track.png)",
]


class _Elements(HTMLParser):
    """Collects the elements and attributes a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements_of(html):
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_output_is_inert(payload):
    for tag, attrs in elements_of(render_markdown(payload)):
        assert tag not in {"script", "img", "iframe", "svg"}
        assert not any(name.startswith("on") for name in attrs)
        assert not attrs.get("href", "").strip().lower().startswith("javascript:")


def test_markdown_keeps_formatting_and_marks_links():
    html = render_markdown("**bold** and [a link](https://example.com)")
    assert "<strong>bold</strong>" in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html


def test_clean_line_and_block():
    assert clean_line("  a\u0000b \n c ") == "ab c"
    assert clean_block("one\r\ntwo\x07") == "one\ntwo"
