"""Real-browser tests: Debian's Chromium driven by Playwright against the real server.

One migrated SQLite database and one server process (wsgi.py, eventlet) serve all the
browser tests (package scope: they stop as soon as the last browser test is done). Every
test gets a fresh browser context (its own cookies) and, when it needs them, its own
person and ideas, so tests never depend on each other's clicks. The server writes the mail
it sends to files, which the tests read as a person reads their inbox.

On failure the page's screenshot goes to test-artifacts/browser/, next to the server log.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Without it
(or when it cannot start) the tests skip locally and fail when CI=true.
"""
import email
import itertools
import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from app.extensions import db
from tests import factories
from tests.server.conftest import offline_app
from tests.services import ROOT, ServerProcess, free_port, missing, upgrade_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
ARTIFACTS = os.path.join(ROOT, "test-artifacts", "browser")
# Playwright's own waits (expect, clicks): generous for a busy 2-core machine (a page that
# takes 10 s to come back under load is slow, not broken), never a sleep.
TIMEOUT_MS = 30_000

CAMPAIGN_TITLE = "Launch services faster"
AUTHOR_NAME = "Olivia Author"


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(os.path.abspath(__file__))
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, so the page fixture can tell a failure."""
    report = yield
    setattr(item, f"_browser_report_{report.when}", report)
    return report


# --- the browser -----------------------------------------------------------------------

def pytest_configure(config):
    try:
        from playwright.sync_api import expect
    except ImportError:
        return
    expect.set_options(timeout=TIMEOUT_MS)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, through Playwright's sync API."""
    if not os.access(CHROMIUM, os.X_OK):
        missing("Chromium", f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        missing("Chromium", f"the playwright package is not installed: {error}")
    playwright = sync_playwright().start()
    try:
        browser = launch_chromium(playwright)
    except Exception as error:  # noqa: BLE001 - any launch failure means "not available"
        playwright.stop()
        missing("Chromium", f"{CHROMIUM} did not start: {error}")
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


# --- the served jam --------------------------------------------------------------------

@dataclass
class Person:
    email: str
    password: str
    display_name: str


@dataclass
class LiveJam:
    """The seeded database and the server that serves it; the server writes each mail it
    sends as a file in ``mail_dir`` (MAIL_BACKEND=file)."""

    database_url: str
    server: ServerProcess
    mail_dir: str = ""
    campaign_slug: str = ""
    campaign_title: str = CAMPAIGN_TITLE
    author_name: str = AUTHOR_NAME
    idea_titles: list = field(default_factory=list)
    admin: Person = None
    _app: object = None

    @property
    def base_url(self):
        return self.server.url

    @property
    def campaign_path(self):
        return f"/c/{self.campaign_slug}"

    def mailed_link(self, to, prefix, timeout=10):
        """The URL of the link starting with ``prefix`` in the newest mail the server sent to
        ``to``, as a person would copy it from their inbox."""
        deadline = time.monotonic() + timeout
        while True:
            for message in reversed(read_mail(self.mail_dir)):
                if to in message["To"]:
                    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
                    for url in re.findall(r"https?://\S+", body):
                        if urlsplit(url).path.startswith(prefix):
                            return url
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {to} with a {prefix} link in {self.mail_dir}")
            time.sleep(0.1)

    def seed(self, build):
        """Run ``build()`` in an app context on the served database and return its result.
        For fixtures only; the journey itself never writes to the database directly."""
        with self._app.app_context():
            try:
                return build()
            finally:
                db.session.remove()


_counter = itertools.count(1)


def read_mail(directory):
    """Every message Flask-Mailman's file backend wrote to ``directory``, oldest first: one file
    per connection, each message followed by a line of 79 dashes."""
    messages = []
    if not os.path.isdir(directory):
        return messages
    for name in sorted(os.listdir(directory), key=lambda n: os.path.getmtime(os.path.join(directory, n))):
        with open(os.path.join(directory, name), "rb") as handle:
            for chunk in handle.read().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk))
    return messages


def _seed_campaign():
    admin = factories.make_admin(display_name="Ada Admin")
    campaign = factories.make_campaign(
        admin, phase="open", audience=("staff", "partner", "customer"), is_private=False,
        title=CAMPAIGN_TITLE, question="How could we launch new services faster?",
        description="Share your **best** ideas for shipping sooner.")
    author = factories.make_user(display_name=AUTHOR_NAME)
    titles = ["Self-service SIM activation", "One-click plan upgrades"]
    for title in titles:
        factories.make_idea(campaign, author, title=title, body=f"{title}: an idea worth trying.",
                            tags=["mobile"])
    return campaign.slug, titles, Person(admin.email, factories.PASSWORD, admin.display_name)


@pytest.fixture(scope="package")
def live_jam(tmp_path_factory):
    """A temp SQLite database built by the migrations, seeded with an open public campaign
    (staff, partners and customers) holding two ideas by another person, served by the
    real server process for the browser tests."""
    directory = tmp_path_factory.mktemp("browser-jam")
    url = f"sqlite:///{directory / 'jam.sqlite'}"
    try:
        upgrade_database(url)
    except subprocess.CalledProcessError as error:
        pytest.fail(f"flask db upgrade failed:\n{error.stderr.decode(errors='replace')[-3000:]}")
    app = offline_app(url)
    with app.app_context():
        slug, titles, admin = _seed_campaign()
        db.session.remove()
    port = free_port()
    mail_dir = str(directory / "mail")
    server = ServerProcess(url, async_mode="eventlet", port=port,
                           log_path=os.path.join(ARTIFACTS, f"server-{port}.log"),
                           MAIL_BACKEND="file", MAIL_FILE_PATH=mail_dir)
    jam = LiveJam(url, server, mail_dir=mail_dir, campaign_slug=slug, idea_titles=titles,
                  admin=admin, _app=app)
    try:
        yield jam
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def member(live_jam):
    """A fresh staff participant (in the campaign's audience), not logged in anywhere yet."""
    n = next(_counter)

    def build():
        user = factories.make_user(email=f"browser-member-{n}@example.com",
                                   display_name=f"Browser Member {n}")
        return Person(user.email, factories.PASSWORD, user.display_name)

    return live_jam.seed(build)


@pytest.fixture
def others_idea(live_jam):
    """A fresh idea (with one comment) by another person in the open campaign: (id, title).
    A test that votes or comments on it owns its counters, whatever other tests did."""
    n = next(_counter)

    def build():
        campaign = _campaign_by_slug(live_jam.campaign_slug)
        author = factories.make_user(display_name=f"Idea Author {n}")
        idea = factories.make_idea(campaign, author, title=f"Shared idea {n}: pop-up stores",
                                   body="Open **pop-up stores** near stations.", tags=["retail"])
        factories.make_comment(idea, author, body="Happy to run the first pilot.")
        return idea.id, idea.title

    return live_jam.seed(build)


def _campaign_by_slug(slug):
    from app.models import Campaign

    return db.session.execute(db.select(Campaign).filter_by(slug=slug)).scalar_one()


# --- pages -----------------------------------------------------------------------------

def _new_page(browser, request, live_jam, **context_options):
    context = browser.new_context(base_url=live_jam.base_url, locale="en-GB",
                                  **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def finish():
        reports = (getattr(request.node, f"_browser_report_{when}", None)
                   for when in ("setup", "call"))
        failed = any(report is not None and report.failed for report in reports)
        if failed:
            os.makedirs(ARTIFACTS, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
            try:
                page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - a failed screenshot must not hide the failure
                pass
        context.close()

    return page, finish


@pytest.fixture
def page(browser, request, live_jam):
    """A page in a fresh browser context (no cookies) at 1280x800."""
    page, finish = _new_page(browser, request, live_jam, viewport=DESKTOP)
    yield page
    finish()


@pytest.fixture
def phone_page(browser, request, live_jam):
    """A page in a fresh phone-sized context (375x812, touch)."""
    page, finish = _new_page(browser, request, live_jam, viewport=PHONE, is_mobile=True,
                             has_touch=True, device_scale_factor=2)
    yield page
    finish()


@pytest.fixture
def no_js_page(browser, request, live_jam):
    """A page in a fresh context with JavaScript turned off."""
    page, finish = _new_page(browser, request, live_jam, viewport=DESKTOP,
                             java_script_enabled=False)
    yield page
    finish()


# --- helpers shared by the tests -------------------------------------------------------

def log_in(page, person):
    """Log in through the login form, as a person would."""
    page.goto("/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password", exact=True).fill(person.password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


@pytest.fixture
def second_page(browser, request, live_jam):
    """A second person's page, in a context of its own (separate cookies), at 1280x800."""
    page, finish = _new_page(browser, request, live_jam, viewport=DESKTOP)
    yield page
    finish()
