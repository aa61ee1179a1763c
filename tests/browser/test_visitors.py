"""A visitor on a phone: what the jam is and how to join on the first screen, times in the
browser's own zone (labelled), and without JavaScript the default zone, labelled too."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TIMEOUT_MS


def test_a_visitor_on_a_phone_reads_the_jam_in_their_own_zone(browser, live_jam, no_js_page):
    context = browser.new_context(base_url=live_jam.base_url, locale="en-GB", viewport=PHONE,
                                  is_mobile=True, has_touch=True, timezone_id="Asia/Taipei")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(live_jam.campaign_path)
        join = page.get_by_role("link", name="Log in to post and vote")
        expect(join).to_be_visible()
        assert join.bounding_box()["y"] + join.bounding_box()["height"] <= PHONE["height"]  # first screen
        expect(page.locator("[data-visitor-welcome]")).to_contain_text("A jam is a time-boxed conversation")
        # The first page told the server the browser's zone; every page after uses it.
        page.wait_for_function("document.cookie.includes('tz=Asia/Taipei')")
        page.reload()
        expect(page.locator(".facts")).to_contain_text("(Taipei Standard Time)")
        join.click()
        expect(page).to_have_url(re.compile(r"/login\?next=" + re.escape(live_jam.campaign_path)))
    finally:
        context.close()

    no_js_page.goto(live_jam.campaign_path)
    expect(no_js_page.locator(".facts")).to_contain_text("(Coordinated Universal Time)")
