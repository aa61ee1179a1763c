"""Accessibility and layout in a real browser: a phone-sized screen, the keyboard alone,
a clean console under the Content-Security-Policy, and a label for every form control."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in

pytestmark = pytest.mark.browser


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.scrollingElement.scrollWidth - window.innerWidth)")


def test_phone_layout_has_no_horizontal_scroll_and_the_post_form_works(
        phone_page, live_jam, member, others_idea):
    page = phone_page
    log_in(page, member)
    assert page.evaluate("() => window.innerWidth") == PHONE["width"]

    for path in ("/", f"/ideas/{others_idea[0]}", live_jam.campaign_path):
        page.goto(path)
        assert horizontal_overflow(page) == 0, f"{path} scrolls sideways at {PHONE['width']} px"

    # The post-idea form fits the screen and works.
    share = page.get_by_role("region", name="Share an idea")
    title = share.get_by_role("textbox", name="Title")
    body = share.get_by_role("textbox", name="Your idea (Markdown)")
    tags = share.get_by_role("textbox", name="Tags")
    post = share.get_by_role("button", name="Post idea")
    for control in (title, body, tags, post):
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
            f"{control} is outside the {PHONE['width']} px screen: {box}")
    idea_title = f"Refill kiosks in every store {uuid.uuid4().hex[:6]}"
    title.tap()
    title.fill(idea_title)
    body.fill("A kiosk where people top up without queueing.")
    tags.fill("retail, kiosk")
    post.tap()
    expect(page.get_by_role("heading", level=1, name=idea_title)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Your idea is posted.")
    assert horizontal_overflow(page) == 0, "the new idea's page scrolls sideways"


def tab_to(page, locator, limit=80):
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} never got the focus after {limit} presses of Tab")


def test_voting_and_commenting_work_with_the_keyboard_alone(page, live_jam, member, others_idea):
    idea_id, idea_title = others_idea
    log_in(page, member)
    page.goto(f"/ideas/{idea_id}")
    expect(page.get_by_role("heading", level=1, name=idea_title)).to_be_visible()
    page.evaluate("() => { window.__noReload = 'still here'; }")

    vote_up = page.get_by_role("button", name=re.compile(r"^Vote up"))
    expect(vote_up).to_have_accessible_name(re.compile(r"^Vote up\s+0$"))
    tab_to(page, vote_up)
    outline = vote_up.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the focused vote button shows no focus ring"

    page.keyboard.press("Enter")
    expect(vote_up).to_have_attribute("aria-pressed", "true")
    expect(vote_up).to_have_accessible_name(re.compile(r"^Vote up\s+1$"))
    expect(vote_up).to_be_focused()  # the focus stays put for the next key
    page.keyboard.press("Space")  # Space on the pressed button takes the vote back
    expect(vote_up).to_have_attribute("aria-pressed", "false")
    expect(vote_up).to_have_accessible_name(re.compile(r"^Vote up\s+0$"))
    page.keyboard.press("Enter")
    expect(vote_up).to_have_attribute("aria-pressed", "true")

    comments = page.get_by_role("region", name=re.compile(r"^Comments"))
    textarea = comments.get_by_role("textbox", name="Comment (Markdown)")
    tab_to(page, textarea)
    text = f"Typed with the keyboard only {uuid.uuid4().hex[:6]}"
    page.keyboard.type(text)
    tab_to(page, comments.get_by_role("button", name="Post comment"), limit=3)
    page.keyboard.press("Enter")
    expect(comments.get_by_role("listitem").filter(has_text=text)).to_be_visible()
    assert page.evaluate("() => window.__noReload") == "still here", "the page was reloaded"

    page.reload()
    expect(page.get_by_role("button", name=re.compile(r"^Vote up"))).to_have_attribute(
        "aria-pressed", "true")
    expect(page.get_by_role("region", name=re.compile(r"^Comments"))
           .get_by_role("listitem").filter(has_text=text)).to_be_visible()


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCsp(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                     + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


def test_main_pages_log_no_console_errors_and_no_csp_violations(
        page, live_jam, member, others_idea):
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(
        f"console error on {page.url}: {msg.text}"))
    page.on("pageerror", lambda error: problems.append(f"uncaught error on {page.url}: {error}"))
    page.context.expose_function("__reportCsp", lambda text: problems.append(
        f"CSP violation on {page.url}: {text}"))
    page.add_init_script(CSP_LISTENER)
    idea_path = f"/ideas/{others_idea[0]}"

    def visit(path):
        response = page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        csp = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp, f"{path} has no strict Content-Security-Policy"
        page.wait_for_load_state("load")

    for path in ("/", "/login", "/register", "/password/reset", live_jam.campaign_path, idea_path):
        visit(path)
    log_in(page, member)
    for path in ("/", live_jam.campaign_path, idea_path, "/profile",
                 f"/people/{_my_id(page)}"):
        visit(path)

    # The scripts' own work (fetch with the CSRF header, DOM updates) is clean too.
    page.goto(idea_path)
    page.get_by_role("button", name=re.compile(r"^Vote up")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Vote up"))).to_have_attribute(
        "aria-pressed", "true")
    comments = page.get_by_role("region", name=re.compile(r"^Comments"))
    comments.get_by_role("textbox", name="Comment (Markdown)").fill("Clean console, please.")
    comments.get_by_role("button", name="Post comment").click()
    expect(comments.get_by_role("listitem").filter(has_text="Clean console, please.")) \
        .to_be_visible()
    page.evaluate("() => new Promise(requestAnimationFrame)")  # let pending events be reported
    assert problems == []


def _my_id(page):
    href = page.get_by_role("banner").get_by_role("link", name=re.compile("Browser Member")) \
        .get_attribute("href")
    return int(href.rsplit("/", 1)[1])


UNLABELLED = """
() => {
  const nameOf = (el) => {
    const fromLabels = Array.from(el.labels || []).map((l) => l.textContent.trim()).join(" ");
    const fromAria = (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
      .map((id) => document.getElementById(id)?.textContent.trim() || "").join(" ");
    return (fromLabels + " " + fromAria + " " + (el.getAttribute("aria-label") || "")).trim();
  };
  const skip = new Set(["hidden", "submit", "button", "reset", "image"]);
  return Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((el) => !skip.has(el.type) && !nameOf(el))
    .map((el) => el.outerHTML.slice(0, 160));
}
"""

NAMELESS_CONTROLS = """
() => Array.from(document.querySelectorAll("button, a[href], summary"))
  .filter((el) => !(el.textContent.trim() || el.getAttribute("aria-label")
                    || el.getAttribute("aria-labelledby") || el.getAttribute("title")))
  .map((el) => el.outerHTML.slice(0, 160))
"""


def test_every_form_control_has_a_label(page, live_jam, member, others_idea):
    missing = {}

    def check(path):
        page.goto(path)
        for problem in page.evaluate(UNLABELLED) + page.evaluate(NAMELESS_CONTROLS):
            missing.setdefault(path, []).append(problem)

    for path in ("/register", "/login", "/password/reset", live_jam.campaign_path):
        check(path)
    log_in(page, member)
    for path in (live_jam.campaign_path, f"/ideas/{others_idea[0]}", "/profile", "/password"):
        check(path)
    # The admin's forms: run a campaign, people, invites, new campaign.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_jam.admin)
    for path in (live_jam.campaign_path, "/admin/people", "/admin/invites", "/campaigns/new"):
        check(path)
    assert missing == {}
