"""Simplified Chinese in Chromium, on a phone: the header's language menu, a campaign given in
English and Chinese, and an idea marked Chinese."""
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_accessibility_and_layout import horizontal_overflow

pytestmark = pytest.mark.browser


def _bilingual_campaign(live_jam):
    suffix = uuid.uuid4().hex[:6]

    def build():
        from datetime import timedelta

        from app.domain import campaigns
        from app.domain.clock import utcnow
        from app.models import User

        admin = User.query.filter_by(email=live_jam.admin.email).one()
        now = utcnow()
        campaign = campaigns.create_campaign(
            admin, title=f"Roaming ideas {suffix}", question="How could roaming feel like home?",
            description="Share **your** ideas.", starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=3), audience=["staff"], language="en",
            translation=campaigns.Translation(title=f"漫遊點子 {suffix}", question="如何讓漫遊像在家一樣？"))
        return campaign.slug, campaign.title_translation

    return live_jam.seed(build)


def test_simplified_chinese_reader_on_a_phone(phone_page, live_jam, member):
    page = phone_page
    slug, chinese_title = _bilingual_campaign(live_jam)
    log_in(page, member)

    # The header's language menu, from the keyboard: open it, pick Simplified Chinese.
    menu = page.get_by_role("banner").locator(".language-menu summary")
    menu.focus()
    page.keyboard.press("Enter")
    simplified = page.get_by_role("button", name="简体中文")
    expect(simplified).to_be_visible()
    expect(simplified).to_have_attribute("lang", "zh-Hans")
    simplified.click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    assert horizontal_overflow(page) == 0, "the header scrolls sideways at 375 px in Simplified Chinese"

    # The campaign speaks Chinese to this reader (one Chinese text serves both scripts).
    page.goto(f"/c/{slug}")
    expect(page.get_by_role("heading", level=1, name=chinese_title)).to_be_visible()
    expect(page.locator(".campaign-head .question")).to_have_text("如何讓漫遊像在家一樣？")
    # The description was only given in English: shown, marked "(English)" with its language.
    expect(page.locator(".campaign-head .lang-mark")).to_have_text("(English)")
    expect(page.locator(".campaign-head .prose")).to_have_attribute("lang", "en")

    # Post an idea marked Chinese from the Simplified interface; its page marks it lang="zh".
    title = f"与电信合作推出跨境漫游 {uuid.uuid4().hex[:4]}"
    page.get_by_label("标题").fill(title)
    page.get_by_label("你的创意（支持 Markdown）").fill("落地就能上网 with eSIM roaming packs for every trip")
    page.get_by_label("创意的语言").select_option("zh")
    page.get_by_role("button", name="发表创意").click()
    heading = page.get_by_role("heading", level=1, name=title)
    expect(heading).to_be_visible()
    expect(heading).to_have_attribute("lang", "zh")
    expect(page.locator("[data-idea-body]")).to_have_attribute("lang", "zh")
    assert horizontal_overflow(page) == 0
