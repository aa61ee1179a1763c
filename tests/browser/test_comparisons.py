"""Comparing pairs on a phone, by keyboard and by touch, while the leaderboard updates live."""
import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import _campaign_by_slug, log_in


def seed_ideas(live_jam, count=4):
    """Enough ideas by someone else for several pairs."""
    def build():
        campaign = _campaign_by_slug(live_jam.campaign_slug)
        author = factories.make_user()
        for n in range(count):
            factories.make_idea(campaign, author, title=f"Pairwise candidate {n}",
                                body="A **longer** description to read before choosing. " * 6)
    live_jam.seed(build)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def press_shortcut(page, key):
    """Press a comparison shortcut once the page's script listens for it. A page shows its
    pair before its deferred script has run (on a busy machine, visibly so): a key pressed
    then is lost, so wait for the form to say its shortcuts are live."""
    expect(page.locator("form[data-compare][data-keys-ready]")).to_be_attached()
    page.keyboard.press(key)


def test_pairs_by_keyboard_and_touch_move_a_live_leaderboard(page, phone_page, live_jam, member):
    seed_ideas(live_jam)
    watcher, actor = page, phone_page
    watcher.goto(live_jam.campaign_path + "/ranking")
    expect(watcher.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    watcher.evaluate("window.__stayed = true")
    totals = watcher.locator("[data-leaderboard-totals]")
    before = totals.inner_text()

    log_in(actor, member)
    actor.goto(live_jam.campaign_path)
    actor.get_by_role("link", name="Compare ideas").click()
    expect(actor.get_by_role("heading", name="Which idea is better?")).to_be_visible()
    assert no_sideways_scroll(actor)
    left = actor.locator('[data-pair-side="left"]')
    winner = left.get_attribute("data-idea-id")
    first_action = actor.locator("form[data-compare]").get_attribute("action")

    press_shortcut(actor, "ArrowLeft")  # picks the left idea
    expect(actor.get_by_text("You have compared 1 pair.")).to_be_visible()
    assert actor.locator("form[data-compare]").get_attribute("action") != first_action

    press_shortcut(actor, "s")  # can't decide
    expect(actor.get_by_text("You skipped 1.")).to_be_visible()

    # Typing a reason does not trigger the shortcuts; the button skips with it.
    actor.get_by_label("Why can't you decide? (optional)").fill("Both sound good")
    expect(actor.get_by_text("You skipped 1.")).to_be_visible()
    # Pairs are drawn at random: when the first winner is in this pair too, it wins again, so
    # that the leaderboard below must show it ahead whatever the draw.
    sides = actor.locator("[data-pair-side]")
    chosen = next((sides.nth(i) for i in range(sides.count()) if sides.nth(i).get_attribute("data-idea-id") == winner),
                  sides.first)
    chosen.get_by_role("button", name=re.compile("This one")).tap()
    expect(actor.get_by_text("You have compared 2 pairs.")).to_be_visible()

    # The watcher's leaderboard follows without a reload: more comparisons, the winner ahead.
    expect(totals).not_to_have_text(before)
    chance = watcher.locator(f'[data-leaderboard-idea="{winner}"] .chance strong')
    expect(chance).to_have_text(re.compile(r"^(5[1-9]|[6-9]\d|100) %$"))
    assert watcher.evaluate("window.__stayed === true")
