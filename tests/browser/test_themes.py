"""Similar ideas appear while a person types an idea; "Themes so far" fills in on another
person's open campaign page once a refresh found themes, without a reload."""
import itertools
import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in

_numbers = itertools.count(1)
ROAMING = ["Roaming day pass at one flat price", "A flat roaming price for the whole day",
           "Roaming day pass for travellers", "One roaming price per day abroad",
           "Roaming pass with one price per day", "Roaming day price for every country"]


def test_similar_ideas_show_while_typing(page, live_jam, member):
    log_in(page, member)
    page.goto(live_jam.campaign_path)
    box = page.locator("[data-similar-ideas]")
    expect(box).to_be_hidden()
    page.get_by_label("Title").fill("Activate my SIM card in self-service")
    expect(box).to_be_visible()
    expect(box.get_by_role("link", name="Self-service SIM activation")).to_be_visible()
    expect(box).to_contain_text(re.compile(r"\d+ votes?"))
    page.get_by_label("Title").fill("")
    expect(box).to_be_hidden()


def test_themes_so_far_fill_in_live(page, second_page, live_jam, member):
    n = next(_numbers)

    def build():
        campaign = factories.make_campaign(title=f"Travel jam {n}")
        author = factories.make_user(display_name=f"Traveller {n}")
        for title in ROAMING[:-1]:  # one short of a theme: the sixth idea makes one
            factories.make_idea(campaign, author, title=title, body="Roaming abroad at one price per day.")
        return campaign.slug

    slug = live_jam.seed(build)
    watcher, actor = page, second_page
    watcher.goto(f"/c/{slug}")
    section = watcher.locator("[data-themes-section]")
    expect(section).to_contain_text("No themes yet")
    expect(watcher.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    watcher.evaluate("window.__stayed = true")

    log_in(actor, member)
    actor.goto(f"/c/{slug}")
    actor.get_by_label("Title").fill(ROAMING[-1])
    actor.get_by_label("Your idea (Markdown)").fill("Roaming abroad at one price per day.")
    actor.get_by_role("button", name="Post idea").click()

    # The server refreshes the campaign's themes in a child process, then tells open pages; the
    # name is made of the ideas' own telling words.
    expect(watcher.locator("[data-themes-section] .theme-name").first).to_contain_text(
        re.compile("roaming|price|day|flat|pass|travel", re.I), timeout=60_000)
    assert watcher.evaluate("window.__stayed === true")
