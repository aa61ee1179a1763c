"""Company sign-in in a real browser: the jam's login page, the organisation's provider (a real
OpenID Connect provider process), and back — on a desktop in English and on a phone whose
directory entry says Traditional Chinese; then logging out of both."""
import os
import subprocess
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, _new_page
from tests.services import IdentityProvider, ServerProcess, free_port, upgrade_database


@dataclass
class SsoJam:
    base_url: str
    idp: IdentityProvider


@pytest.fixture(scope="module")
def sso_jam(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sso-jam")
    url = f"sqlite:///{directory / 'jam.sqlite'}"
    try:
        upgrade_database(url)
    except subprocess.CalledProcessError as error:
        pytest.fail(f"flask db upgrade failed:\n{error.stderr.decode(errors='replace')[-3000:]}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    idp = IdentityProvider([{"client_id": "idea-jam", "client_secret": "jam-secret",
                             "redirect_uris": [f"{base}/login/sso/corp/callback"],
                             "post_logout_redirect_uris": [f"{base}/"]}])
    try:
        server = ServerProcess(url, port=port, log_path=os.path.join(ARTIFACTS, f"server-sso-{port}.log"),
                               SSO_PROVIDERS="corp", SSO_CORP_ISSUER=idp.url, SSO_CORP_CLIENT_ID="idea-jam",
                               SSO_CORP_CLIENT_SECRET="jam-secret", SSO_CORP_LABEL="Corp SSO",
                               SSO_CORP_DOMAINS="corp.example", SSO_CORP_ROLES="jam-moderators=moderator",
                               SSO_CORP_SCOPES="openid email profile groups offline_access")
    except Exception:
        idp.stop()
        raise
    try:
        yield SsoJam(base, idp)
    finally:
        server.stop()
        idp.stop()


def person(idp, name, locale):
    username = f"b{uuid.uuid4().hex[:8]}"
    idp.control("users", {username: {"sub": f"sub-{username}", "email": f"{username}@corp.example",
                                     "email_verified": True, "name": name, "locale": locale,
                                     "groups": ["jam-moderators"]}})
    return username


@pytest.mark.parametrize("viewport,name,locale,welcome,log_out", [
    (DESKTOP, "Mei Chen", "en", "Welcome back, Mei Chen.", "Log out"),
    (PHONE, "陳美", "zh-TW", "歡迎回來，陳美。", "登出"),
])
def test_staff_sign_in_with_their_organisation_and_out_again(browser, request, sso_jam, viewport, name, locale,
                                                              welcome, log_out):
    username = person(sso_jam.idp, name, locale)
    page, finish = _new_page(browser, request, sso_jam, viewport=viewport)
    try:
        page.goto("/login")
        page.get_by_role("link", name="Sign in with Corp SSO").click()
        page.get_by_label("Username").fill(username)
        page.get_by_role("button", name="Sign in to the provider").click()
        expect(page.get_by_text(welcome)).to_be_visible()
        page.goto("/moderation/queue")  # the directory's group made them a moderator
        expect(page.locator("main h1")).to_be_visible()
        assert "/moderation/queue" in page.url
        menu_button = page.get_by_role("button", name=log_out)
        if not menu_button.is_visible():
            page.locator("summary, [aria-controls]").filter(has=page.locator("*")).first.click()
        menu_button.click()
        page.wait_for_url(f"{sso_jam.base_url}/")  # through the provider's logout and back
        expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    finally:
        finish()
