"""Notifications on a phone and on a laptop: the bell's panel stays on screen, the notifications
page is reachable, and a live notification reads and links exactly as it does after a reload."""
import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, Person, _campaign_by_slug, _new_page, log_in


@pytest.fixture(params=[PHONE, DESKTOP], ids=["375px", "1280px"])
def sized_page(request, browser, live_jam):
    viewport = request.param
    options = {"is_mobile": True, "has_touch": True} if viewport is PHONE else {}
    page, finish = _new_page(browser, request, live_jam, viewport=viewport, **options)
    yield page
    finish()


@pytest.fixture
def author_and_moderator(live_jam):
    """A participant with an idea, and a moderator's API token: (person, user id, idea id, token)."""
    from app.domain.api_tokens import create_api_token
    from app.models import Role
    from tests import factories

    def build():
        author = factories.make_user(display_name="Nora Notified")
        idea = factories.make_idea(_campaign_by_slug(live_jam.campaign_slug), author,
                                   title="Solar chargers in every store")
        moderator = factories.make_user(role=Role.MODERATOR, display_name="Max Moderator")
        token = create_api_token(moderator, name="moderating")[1]
        return (Person(author.email, factories.PASSWORD, author.display_name), author.id, idea.id, token)

    return live_jam.seed(build)


def _api(live_jam, token, path, payload):
    response = requests.post(f"{live_jam.base_url}/api/v1{path}", json=payload, timeout=30,
                             headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text


def _inside_viewport(page, locator):
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)


def _entries(page):
    links = page.locator(".notification-panel li a")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def test_live_notifications_read_as_after_a_reload_on_every_screen(sized_page, live_jam, author_and_moderator):
    page = sized_page
    author, author_id, idea_id, token = author_and_moderator
    log_in(page, author)
    page.goto("/")
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    badge = page.locator("[data-unread-count]")
    expect(badge).to_be_hidden()

    _api(live_jam, token, f"/ideas/{idea_id}/hide", {"reason": "Please keep to one topic."})
    expect(badge).to_have_text("1")
    _api(live_jam, token, f"/users/{author_id}/warn", {"reason": "Mind the code of conduct."})
    expect(badge).to_have_text("2")

    page.locator(".notification-menu summary").click()
    panel = page.locator(".notification-panel")
    expect(panel.locator("li a")).to_have_count(2)
    _inside_viewport(page, panel)
    live = _entries(page)
    assert "A moderator warned you: Mind the code of conduct." == live[0][0]
    assert "A moderator hid your idea “Solar chargers in every store”: Please keep to one topic." == live[1][0]
    assert live[1][1] == f"/ideas/{idea_id}" and "null" not in live[0][1]
    expect(badge).to_be_hidden()  # opening the bell marks them read

    page.reload()
    expect(badge).to_be_hidden()
    page.locator(".notification-menu summary").click()
    expect(panel.locator("li a")).to_have_count(2)
    assert _entries(page) == live
    _inside_viewport(page, panel)
    all_link = panel.get_by_role("link", name="All notifications")
    _inside_viewport(page, all_link)
    all_link.click()
    expect(page).to_have_url(f"{live_jam.base_url}/notifications")
    expect(page.locator(".notifications-page")).to_contain_text("A moderator warned you: Mind the code of conduct.")
    page.locator(".notifications-page li a").first.click()
    expect(page).to_have_url(f"{live_jam.base_url}/notifications#notification-{_first_id(live_jam, author_id)}")


def _first_id(live_jam, user_id):
    from app.extensions import db
    from app.models import Notification

    return live_jam.seed(lambda: db.session.scalar(
        db.select(db.func.max(Notification.id)).where(Notification.user_id == user_id)))


def test_the_menu_links_the_notifications_page_on_every_screen(sized_page, member):
    page = sized_page
    log_in(page, member)
    page.goto("/")
    link = page.locator(".main-nav").get_by_role("link", name="Notifications")
    _inside_viewport(page, link)
    link.click()
    expect(page).to_have_url(f"{page.url.split('/notifications')[0]}/notifications")
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()


def test_the_unread_count_stays_true_in_every_tab(page, live_jam, author_and_moderator):
    author, author_id, _idea_id, token = author_and_moderator
    log_in(page, author)
    other_tab = page.context.new_page()
    for tab in (page, other_tab):
        tab.goto("/")
        expect(tab.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    _api(live_jam, token, f"/users/{author_id}/warn", {"reason": "Two tabs, one count."})
    for tab in (page, other_tab):
        expect(tab.locator("[data-unread-count]")).to_have_text("1")
    page.locator(".notification-menu summary").click()
    expect(other_tab.locator("[data-unread-count]")).to_be_hidden()
    other_tab.close()
