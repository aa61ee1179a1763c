"""Moderator forms that cannot do harm by default, in the browser: the status menu starts at
the idea's status, a backwards move asks first, and reviewers are picked with a combobox."""
import itertools

from playwright.sync_api import expect

from app.domain import moderation
from app.models import Role
from tests import factories
from tests.browser.conftest import Person, _campaign_by_slug, log_in

_n = itertools.count(1)


def seed(live_jam):
    n = next(_n)

    def build():
        campaign = _campaign_by_slug(live_jam.campaign_slug)
        moderator = factories.make_user(role=Role.MODERATOR, email=f"safe-moderator-{n}@example.com",
                                        display_name=f"Safe Moderator {n}")
        idea = factories.make_idea(campaign, factories.make_user(), title=f"Shortlisted kiosk {n}",
                                   body="Let **stores** take returns.", tags=["retail"])
        moderation.change_idea_status(moderator, idea.id, status="shortlisted")
        reviewer = factories.make_user(display_name=f"Mei Reviewer {n}", department="Retail ops", country="TW")
        return Person(moderator.email, factories.PASSWORD, moderator.display_name), idea.id, reviewer.display_name

    return live_jam.seed(build)


def test_a_backwards_move_asks_first_and_reviewers_are_picked_by_search(page, live_jam):
    moderator, idea_id, reviewer = seed(live_jam)
    log_in(page, moderator)
    page.goto(f"/ideas/{idea_id}")
    menu = page.get_by_label("New status")
    expect(menu).to_have_value("shortlisted")

    # Declining the question leaves everything as it was.
    expect(page.locator("form.status-form[data-backward-enhanced]")).to_be_attached()
    menu.select_option("submitted")
    page.evaluate("window.__stayed = true")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Change status").click()
    assert asked and "earlier status" in asked[0]
    assert page.evaluate("window.__stayed === true")  # nothing was sent
    page.reload()
    expect(page.get_by_label("New status")).to_have_value("shortlisted")

    # The review page: the idea beside the scorecard, and a combobox to find reviewers.
    page.goto(f"/ideas/{idea_id}/review")
    expect(page.locator(".review-idea")).to_contain_text("Let stores take returns.")
    box = page.get_by_role("combobox", name="Find people by name, department or country")
    box.fill("retail tw")
    option = page.get_by_role("option", name=f"{reviewer} · Retail ops · TW")
    expect(option).to_be_visible()
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page.get_by_role("checkbox", name=f"{reviewer} · Retail ops · TW")).to_be_checked()
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("The reviewers are assigned.")).to_be_visible()
    expect(page.locator("#summary-heading ~ .meta")).to_contain_text(reviewer)

    # Accepting the question moves the idea back.
    page.goto(f"/ideas/{idea_id}")
    page.get_by_label("New status").select_option("submitted")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("The idea's status is changed.")).to_be_visible()
    expect(page.get_by_label("New status")).to_have_value("submitted")
