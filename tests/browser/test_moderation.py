"""A moderator hides an idea: it vanishes from other people's open pages at once."""
import itertools

from playwright.sync_api import expect

from app.models import Role
from tests import factories
from tests.browser.conftest import Person, _campaign_by_slug, log_in

_n = itertools.count(1)


def seed_moderator_and_idea(live_jam):
    n = next(_n)

    def build():
        campaign = _campaign_by_slug(live_jam.campaign_slug)
        moderator = factories.make_user(role=Role.MODERATOR, email=f"browser-moderator-{n}@example.com",
                                        display_name=f"Browser Moderator {n}")
        idea = factories.make_idea(campaign, factories.make_user(), title=f"Leaked price list {n}",
                                   body="Confidential **prices** for next quarter.")
        return Person(moderator.email, factories.PASSWORD, moderator.display_name), idea.id, idea.title

    return live_jam.seed(build)


def test_a_hidden_idea_vanishes_from_open_pages(page, second_page, phone_page, live_jam):
    moderator, idea_id, title = seed_moderator_and_idea(live_jam)
    list_reader, idea_reader = page, phone_page
    list_reader.goto(live_jam.campaign_path + "?sort=newest")
    idea_reader.goto(f"/ideas/{idea_id}")
    for reader in (list_reader, idea_reader):
        expect(reader.locator("[data-live-status]")).to_have_attribute("data-state", "live")
        reader.evaluate("window.__stayed = true")
    expect(list_reader.locator(f"#idea-{idea_id}")).to_contain_text(title)

    log_in(second_page, moderator)
    second_page.goto(f"/ideas/{idea_id}")
    second_page.get_by_label("Reason for hiding (the author reads it)").fill("Confidential prices")
    second_page.get_by_role("button", name="Hide idea").click()
    expect(second_page.get_by_text("Confidential prices").first).to_be_visible()  # the moderator still sees it

    expect(list_reader.locator(f"#idea-{idea_id}")).to_have_count(0)
    expect(idea_reader.get_by_text("A moderator has hidden this idea.")).to_be_visible()
    expect(idea_reader.get_by_text("Confidential prices for next quarter")).to_have_count(0)
    assert list_reader.evaluate("window.__stayed === true")
    assert idea_reader.evaluate("window.__stayed === true")
    # A fresh visit finds nothing either: signed out, the login page, as for any unknown id.
    fresh = list_reader.goto(f"/ideas/{idea_id}")
    assert "/login?next=" in fresh.url and title not in list_reader.content()
