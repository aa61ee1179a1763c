"""The core journey, the way a newcomer does it: every step through the pages, in Chromium.

Register (an email address, then the link from the mail) → open the open campaign from the
home page → post an idea → comment on and vote for someone else's idea (in place, without a
page load) → the vote survives a reload → switch the interface to Traditional Chinese.
And the way back in for someone who forgot their password: a link by mail, a new password.
"""
import os
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.services import ROOT

pytestmark = pytest.mark.browser

CATALOGUE_MO = os.path.join(ROOT, "app", "translations", "zh_Hant", "LC_MESSAGES", "messages.mo")
MARKER = "window.__noReload"


def set_reload_marker(page):
    """A value on window that only survives if the page is not navigated away."""
    page.evaluate(f"() => {{ {MARKER} = 'still here'; }}")


def assert_not_reloaded(page):
    assert page.evaluate(f"() => {MARKER}") == "still here", "the page was reloaded"


def idea_card(page, title):
    """The card of one idea in the campaign page's list of ideas ("3 ideas")."""
    ideas = page.get_by_role("region", name=re.compile(r"^\d+ ideas?\b"))
    return ideas.get_by_role("article").filter(
        has=page.get_by_role("heading", name=title, exact=True))


def test_newcomer_registers_posts_comments_votes_and_switches_language(page, live_jam):
    suffix = uuid.uuid4().hex[:8]
    email, name = f"newcomer-{suffix}@example.com", f"Nora Newcomer {suffix}"
    password = "a long enough password"

    # Home page, as anyone arrives.
    page.goto("/")
    expect(page).to_have_title(re.compile("Idea Jam"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Register through the header's link: the email address first ...
    page.get_by_role("banner").get_by_role("link", name="Register").click()
    expect(page).to_have_url(re.compile(r"/register$"))
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"We sent a link to {email} to finish signing up.")
    # ... then the link from the mail, and the rest of the form.
    page.goto(live_jam.mailed_link(email, "/register/"))
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"Signing up as {email}.")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to Idea Jam, {name}.")
    expect(page.get_by_role("banner").get_by_role("link", name=name)).to_be_visible()

    # The open campaign is listed on the home page.
    open_now = page.get_by_role("region", name=re.compile(r"^Open campaigns"))
    open_now.get_by_role("link", name=live_jam.campaign_title).click()
    expect(page.get_by_role("heading", level=1, name=live_jam.campaign_title)).to_be_visible()

    # Post an idea with the post-idea form.
    my_title = f"Digital SIM for tourists {suffix}"
    share = page.get_by_role("region", name="Share an idea")
    share.get_by_role("textbox", name="Title").fill(my_title)
    share.get_by_role("textbox", name="Your idea (Markdown)").fill(
        "Sell an **eSIM** at the airport kiosk, activated in one minute.")
    share.get_by_role("textbox", name="Tags").fill("travel, esim")
    share.get_by_role("button", name="Post idea").click()
    expect(page.get_by_role("status")).to_contain_text("Your idea is posted.")
    expect(page.get_by_role("heading", level=1, name=my_title)).to_be_visible()
    expect(page.get_by_role("strong").filter(has_text="eSIM")).to_be_visible()  # Markdown rendered
    expect(page.get_by_role("link", name="#travel")).to_be_visible()
    expect(page.get_by_role("link", name="#esim")).to_be_visible()
    # ... and on the campaign page, where it now is among the ideas.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=re.compile(re.escape(live_jam.campaign_title))).click()
    expect(idea_card(page, my_title)).to_be_visible()
    expect(idea_card(page, my_title)).to_contain_text(name)

    # Open another person's idea from the campaign page.
    other_title = live_jam.idea_titles[0]
    idea_card(page, other_title).get_by_role("link", name=other_title).click()
    expect(page.get_by_role("heading", level=1, name=other_title)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(live_jam.author_name)

    # Comment: it appears in place, without a page load.
    comments = page.get_by_role("region", name=re.compile(r"^Comments"))
    comment = f"Airports already sell SIMs; an eSIM kiosk is a quick win ({suffix})."
    set_reload_marker(page)
    comments.get_by_role("textbox", name="Comment (Markdown)").fill(comment)
    comments.get_by_role("button", name="Post comment").click()
    new_comment = comments.get_by_role("listitem").filter(has_text=comment)
    expect(new_comment).to_be_visible()
    expect(new_comment).to_contain_text(name)
    expect(comments.get_by_role("textbox", name="Comment (Markdown)")).to_have_value("")
    assert_not_reloaded(page)

    # Vote up: the count and the pressed state change in place, without a page load.
    vote_up = page.get_by_role("button", name=re.compile(r"^Vote up"))
    expect(vote_up).to_have_attribute("aria-pressed", "false")
    before = int(re.search(r"(\d+)\s*$", vote_up.inner_text()).group(1))
    vote_up.click()
    expect(vote_up).to_have_attribute("aria-pressed", "true")
    expect(vote_up).to_have_accessible_name(re.compile(rf"^Vote up\s+{before + 1}$"))
    assert_not_reloaded(page)

    # The vote and the comment were saved: a reload shows them.
    page.reload()
    vote_up = page.get_by_role("button", name=re.compile(r"^Vote up"))
    expect(vote_up).to_have_attribute("aria-pressed", "true")
    expect(vote_up).to_have_accessible_name(re.compile(rf"^Vote up\s+{before + 1}$"))
    expect(page.get_by_role("region", name=re.compile(r"^Comments"))
           .get_by_role("listitem").filter(has_text=comment)).to_be_visible()

    # Switch the interface language to Traditional Chinese with the header's language menu.
    page.get_by_role("banner").locator(".language-menu summary").click()
    english_button = page.get_by_role("button", name="English")
    chinese_button = page.get_by_role("button", name="繁體中文")
    expect(english_button).to_have_attribute("aria-pressed", "true")
    chinese_button.click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    page.get_by_role("banner").locator(".language-menu summary").click()
    expect(page.get_by_role("button", name="繁體中文")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("heading", level=1, name=other_title)).to_be_visible()  # same page
    if os.path.exists(CATALOGUE_MO):
        # With a compiled catalogue, the interface text itself is in Chinese.
        translated = _zh_hant("Log out")
        assert translated != "Log out", "the zh_Hant catalogue does not translate “Log out”"
        expect(page.get_by_role("button", name=translated, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Log out", exact=True)).to_have_count(0)
        post_comment = page.get_by_role("button", name=_zh_hant("Post comment"), exact=True)
        expect(post_comment).to_be_visible()

    # The choice sticks: it was saved for this person.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")


def test_forgotten_password_is_reset_through_the_mailed_link(page, live_jam, member):
    new_password = "a new and long enough password"
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.get_by_label("Email").fill(member.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"If an account exists for {member.email}")

    page.goto(live_jam.mailed_link(member.email, "/password/reset/"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password").fill(new_password)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password has changed.")
    expect(page.get_by_role("banner").get_by_role("link", name=member.display_name)).to_be_visible()

    # The new password is the one that works now.
    page.get_by_role("button", name="Log out").click()
    page.goto("/login")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password", exact=True).fill(member.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("That email and password do not match")
    page.get_by_label("Password", exact=True).fill(new_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _zh_hant(message):
    from babel.support import Translations

    with open(CATALOGUE_MO, "rb") as handle:
        return Translations(handle).gettext(message)
