"""The interface in English, Traditional and Simplified Chinese: how a language is chosen."""
import re
from datetime import datetime, timezone

import pytest

from app.extensions import db
from app.models import User
from tests import factories
from tests.http.conftest import html_lang, text_of


@pytest.mark.parametrize("header, expected", [
    ("zh-CN", "zh-Hans"), ("zh-SG", "zh-Hans"), ("zh-Hans", "zh-Hans"), ("zh-Hans-HK", "zh-Hans"),
    ("zh", "zh-Hans"), ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-MO", "zh-Hant"),
    ("zh-Hant", "zh-Hant"), ("zh-Hant-CN", "zh-Hant"), ("fr-FR, zh-CN;q=0.8, en;q=0.5", "zh-Hans"),
    ("de, zh-TW;q=0.7", "zh-Hant"), ("en-GB, zh-CN;q=0.9", "en"), ("fr", "en"),
])
def test_browser_language_picks_the_interface(client, header, expected):
    assert html_lang(client.get("/", headers={"Accept-Language": header})) == expected


def test_header_menu_offers_every_language_to_visitors(client):
    html = text_of(client.get("/", headers={"Accept-Language": "zh-CN"}))
    menu = html[html.index('<details class="language-menu">'):]
    menu = menu[:menu.index("</details>")]
    buttons = re.findall(r'<button type="submit" name="locale" value="(\w+)" class="lang-button" '
                         r'lang="([\w-]+)"\s+aria-pressed="(\w+)">([^<]+)</button>', menu)
    assert buttons == [("en", "en", "false", "English"), ("zh_Hant", "zh-Hant", "false", "繁體中文"),
                       ("zh_Hans", "zh-Hans", "true", "简体中文")]
    assert '<span lang="zh-Hans">简体中文</span>' in menu and "语言" in menu  # names the menu


def test_visitor_switches_to_simplified_chinese(client):
    response = client.post("/language", data={"locale": "zh_Hans", "next": "/"})
    assert response.status_code == 302
    html = text_of(client.get("/", headers={"Accept-Language": "en"}))  # the choice wins
    assert html_lang(client.get("/")) == "zh-Hans" and "登录" in html and "注册" in html


def test_member_choice_is_kept_in_the_profile(client, member, login):
    login(member)
    client.post("/language", data={"locale": "zh_Hans", "next": "/"})
    assert db.session.get(User, member.id).locale == "zh_Hans"
    html = text_of(client.get("/profile"))
    assert "退出登录" in html and '<option selected value="zh_Hans">简体中文</option>' in html


def test_profile_form_saves_simplified_chinese(client, member, login):
    login(member)
    response = client.post("/profile", data={"display_name": member.display_name, "locale": "zh_Hans",
                                             "timezone": "Asia/Shanghai"})
    assert response.status_code == 302
    assert db.session.get(User, member.id).locale == "zh_Hans"
    assert html_lang(client.get("/profile", headers={"Accept-Language": "zh-TW"})) == "zh-Hans"


def test_dates_and_numbers_read_as_simplified_chinese(client, admin, member, login):
    ends = datetime(2030, 3, 4, 14, 30, tzinfo=timezone.utc)
    campaign = factories.make_campaign(admin, starts_at=datetime(2030, 3, 1, tzinfo=timezone.utc),
                                       ends_at=ends, phase="upcoming")
    member.locale, member.timezone = "zh_Hans", "Asia/Shanghai"
    db.session.commit()
    login(member)
    html = text_of(client.get(f"/c/{campaign.slug}"))
    assert "2030年3月1日 08:00:00" in html  # the start, in Shanghai time, as Mainland writes it
    assert "上午8:00" not in html  # the Taiwan form of the same time


def test_mail_is_written_in_simplified_chinese(client, outbox):
    person = factories.make_user(locale="zh_Hans")
    client.post("/password/reset", data={"email": person.email}, headers={"Accept-Language": "en"})
    client.post("/register", data={"email": "new.person@example.com"},
                headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert [(m.to, m.extra_headers["Content-Language"], m.subject) for m in outbox] == [
        ([person.email], "zh-Hans", "重置你的 Idea Jam 密码"),
        (["new.person@example.com"], "zh-Hans", "完成创建你的 Idea Jam 账号")]
    assert "1 小时" in outbox[0].body and "你好：" in outbox[1].body
