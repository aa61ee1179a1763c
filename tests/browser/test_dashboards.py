"""An executive's dashboard and a wall screen follow the jam without a reload."""
import re

from playwright.sync_api import expect

from app.models import Role
from tests import factories
from tests.browser.conftest import Person, _new_page, log_in


def make_executive(live_jam, n):
    def build():
        user = factories.make_user(role=Role.EXECUTIVE, email=f"browser-exec-{n}@example.com",
                                   display_name=f"Browser Executive {n}")
        return Person(user.email, factories.PASSWORD, user.display_name)
    return live_jam.seed(build)


def total(page, name):
    return int(page.locator(f'[data-total="{name}"]').inner_text().replace(",", ""))


def test_the_dashboard_shows_a_vote_made_elsewhere(page, second_page, live_jam, member, others_idea):
    idea_id, idea_title = others_idea
    watcher, actor = page, second_page
    log_in(watcher, make_executive(live_jam, 1))
    watcher.goto(live_jam.campaign_path + "/dashboard")
    expect(watcher.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    watcher.evaluate("window.__stayed = true")
    votes_before, people_before = total(watcher, "votes"), total(watcher, "people")
    expect(watcher.get_by_role("heading", name="Who takes part")).to_be_visible()

    log_in(actor, member)
    actor.goto(f"/ideas/{idea_id}")
    actor.get_by_role("button", name=re.compile("Vote up")).click()

    expect(watcher.locator('[data-total="votes"]')).to_have_text(f"{votes_before + 1:,}")
    expect(watcher.locator('[data-total="people"]')).to_have_text(f"{people_before + 1:,}")
    rising = watcher.locator(".dashboard-rising li", has_text=idea_title)
    expect(rising).to_contain_text("+1 votes")
    assert watcher.evaluate("window.__stayed === true")


def test_the_wall_rotates_and_follows_every_campaign(browser, request, live_jam, second_page, member, others_idea):
    idea_id, idea_title = others_idea
    wall, finish = _new_page(browser, request, live_jam, viewport={"width": 1920, "height": 1080})
    try:
        log_in(wall, make_executive(live_jam, 2))
        wall.goto("/dashboard/wall?rotate=2")  # every 2 s in this test instead of 15
        expect(wall.locator("[data-live-status]")).to_have_attribute("data-state", "live")
        wall.evaluate("window.__stayed = true")
        expect(wall.locator("[data-slide]")).to_have_count(3)
        expect(wall.locator("[data-slide]:visible")).to_have_count(1)
        first = wall.locator("[data-slide]:visible").get_attribute("data-slide")
        expect(wall.locator("[data-slide]:visible")).not_to_have_attribute("data-slide", first, timeout=6000)

        log_in(second_page, member)
        second_page.goto(f"/ideas/{idea_id}")
        second_page.get_by_role("button", name=re.compile("Vote up")).click()
        rising = wall.locator('[data-slide="rising"] li', has_text=idea_title)
        expect(rising).to_contain_text("+1", timeout=10000)
        assert wall.evaluate("window.__stayed === true")
    finally:
        finish()
