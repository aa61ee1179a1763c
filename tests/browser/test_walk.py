"""A walk through the key pages for every role, in both languages, on a phone (375 px) and on a
desktop (1280 px): nothing scrolls sideways, every menu and panel opens inside the viewport,
a Traditional Chinese page shows no English UI string, and the console stays free of errors.

One walk per role and language covers both widths (the viewport is resized, not the browser
restarted) over a handful of pages, so the whole walk stays a small part of the suite."""
import functools
import itertools
import os
import re

import pytest
from babel.messages.pofile import read_po

from app.models import ParticipantKind, Role
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, TIMEOUT_MS, Person, log_in
from tests.services import ROOT

CATALOGUE = os.path.join(ROOT, "app", "translations", "zh_Hant", "LC_MESSAGES", "messages.po")
LOCALES = {"en": "en-GB", "zh_Hant": "zh-TW"}
ROLES = ("anonymous", "staff", "partner", "customer", "moderator", "executive", "admin")
_people = itertools.count(1)


def pages_for(role, slug, idea_id):
    """The key pages a person in this role goes through on a jam day."""
    common = ["/", f"/c/{slug}", f"/ideas/{idea_id}"]
    return common + {
        "anonymous": ["/login"],
        "staff": ["/notifications"], "partner": ["/profile"], "customer": ["/notifications"],
        "moderator": ["/moderation/queue", f"/c/{slug}/board", f"/ideas/{idea_id}/review"],
        "executive": ["/dashboard", f"/c/{slug}/board"],
        "admin": ["/admin/people", f"/c/{slug}/dashboard"],
    }[role]


@functools.lru_cache(maxsize=1)
def english_ui_strings():
    """The English UI strings that Traditional Chinese pages must not show: every catalogue
    entry translated to something else, with at least three letters and no placeholder
    (those are checked as a whole text or attribute, so a user's words never match)."""
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle, locale="zh_Hant")
    strings = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        texts = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for msgid, msgstr in zip(ids, texts):
            if (msgid and msgstr and msgid != msgstr and "%" not in msgid and "{" not in msgid
                    and len(re.findall(r"[A-Za-z]", msgid)) >= 3):
                strings.add(msgid.strip())
    return strings


# Every text node and every label-like attribute, trimmed: what a reader sees or hears.
VISIBLE_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // People's own words (ideas, comments: rendered Markdown) are not UI strings.
    if (!parent || parent.closest("script, style, [hidden], template, .prose")) continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title], input[type=submit]")) {
    for (const name of ["aria-label", "placeholder", "title", "value"]) {
      const value = (name !== "value" || el.type === "submit") ? el.getAttribute(name) : null;
      if (value && value.trim()) texts.push(value.trim());
    }
  }
  return texts;
}"""

# Elements that stick out of the viewport sideways (visible ones only).
OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || el.closest(".visually-hidden, .skip-link")) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (box.left < -1 || box.right > width + 1) out.push(`${el.tagName.toLowerCase()}.${el.className}`);
  }
  return out.slice(0, 5);
}"""


def seed_person(live_jam, role):
    if role == "anonymous":
        return None
    n = next(_people)

    def build():
        kind = ParticipantKind(role) if role in ("staff", "partner", "customer") else ParticipantKind.STAFF
        user_role = Role(role) if role in ("moderator", "executive", "admin") else Role.PARTICIPANT
        user = factories.make_user(role=user_role, kind=kind, email=f"walk-{role}-{n}@example.com",
                                   display_name=f"Walker {n}")
        return Person(user.email, factories.PASSWORD, user.display_name)

    return live_jam.seed(build)


def check_page(page, path, language, problems):
    page.goto(path)
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    where = f"{path} at {width} px ({language})"
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        problems.append(f"{where}: scrolls sideways: {page.evaluate(OUTSIDE)}")
    # Every menu and panel (the <details> disclosures: notifications, flags, moderator
    # tools), opened one at a time, must sit inside the viewport.
    menus = page.locator("details:visible > summary")
    for i in range(menus.count()):
        summary = menus.nth(i)
        summary.click()
        panel = summary.locator("xpath=..")
        box = panel.evaluate("""(details) => {
          const boxes = [...details.children].filter((c) => c.tagName !== "SUMMARY")
            .map((c) => c.getBoundingClientRect()).filter((b) => b.width && b.height);
          return boxes.map((b) => [b.left, b.right]);
        }""")
        viewport = page.evaluate("document.documentElement.clientWidth")
        for left, right in box:
            if left < -1 or right > viewport + 1:
                name = panel.evaluate("(d) => d.className || d.querySelector('summary').textContent.trim()")
                problems.append(f"{where}: the “{name}” panel spans {left:.0f}–{right:.0f} px")
        summary.click()
    if language == "zh_Hant":
        assert page.locator("html").get_attribute("lang") == "zh-Hant", where
        english = english_ui_strings()
        untranslated = sorted({text for text in page.evaluate(VISIBLE_TEXTS) if text in english})
        if untranslated:
            problems.append(f"{where}: untranslated {untranslated[:8]}")


@pytest.mark.parametrize("language", list(LOCALES))
@pytest.mark.parametrize("role", ROLES)
def test_walk(browser, live_jam, others_idea, role, language, request):
    person = seed_person(live_jam, role)
    context = browser.new_context(base_url=live_jam.base_url, locale=LOCALES[language], viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    problems = []
    try:
        if person is not None and language == "en":
            log_in(page, person)
        elif person is not None:
            zh_log_in(page, person)
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            for path in pages_for(role, live_jam.campaign_slug, others_idea[0]):
                check_page(page, path, language, problems)
    finally:
        context.close()
    assert console == [], f"console errors: {console[:5]}"
    assert problems == []


def zh_log_in(page, person):
    """The login form in Traditional Chinese (its labels are translated)."""
    page.goto("/login")
    page.locator("input[name=email]").fill(person.email)
    page.locator("input[name=password]").fill(person.password)
    page.locator("main form button[type=submit]").first.click()
    page.locator("form[action='/logout'] button").wait_for()
