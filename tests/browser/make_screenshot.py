"""Take docs/screenshot.png, the README's picture of the demo jam's open campaign.

    .venv/bin/python -m tests.browser.make_screenshot [--output docs/screenshot.png]
        [--logged-in] [--full-page PATH]

Builds a throwaway SQLite database through the migrations, seeds the demo jam (app.demo,
as `flask jam seed-demo` does; plain factories if the demo module is missing), serves it
with the real server, opens the open campaign from the home page in Debian's Chromium at
1280x900 and saves the screenshot. Nothing is left running.

By default the page is seen as a visitor sees it: the campaign, then its ideas. With
--logged-in it is seen by the demo's staff participant, whose first screen is mostly
the post-idea form. --full-page also saves the whole page, for reviewing the layout.
"""
import argparse
import os
import re
import sys
import tempfile

from tests.services import ROOT, ServerProcess, upgrade_database

DEFAULT_OUTPUT = os.path.join(ROOT, "docs", "screenshot.png")
VIEWPORT = {"width": 1280, "height": 900}


def seed(database_url):
    """Seed the demo; return (email, password) to log in with, or None to stay anonymous."""
    from app.extensions import db
    from tests.server.conftest import offline_app

    app = offline_app(database_url)
    with app.app_context():
        try:
            try:
                from app import demo
            except ImportError:
                demo = None
            if demo is not None:
                demo.seed_demo()
                return demo.demo_email("staff"), demo.DEMO_PASSWORD
            return _seed_with_factories()
        finally:
            db.session.remove()
            db.engine.dispose()


def _seed_with_factories():
    from tests import factories

    campaign = factories.make_campaign(title="Launch new services faster")
    people = [factories.make_user(display_name=name) for name in
              ("Grace Lin", "Tom Fischer", "陳志明", "Aiko Tanaka", "Priya Raman")]
    ideas = [
        ("Self-service SIM activation", ["mobile", "onboarding"]),
        ("One-click plan upgrades", ["billing"]),
        ("門市預約取貨", ["retail"]),
        ("Launch checklists shared across teams", ["process"]),
    ]
    for n, (title, tags) in enumerate(ideas):
        idea = factories.make_idea(campaign, people[n % len(people)], title=title, tags=tags)
        for voter in people[: len(people) - n]:
            if voter.id != idea.author_id:
                factories.make_vote(idea, voter)
        factories.make_comment(idea, people[(n + 1) % len(people)], body="Good point.")
    viewer = factories.make_user(display_name="Demo Viewer")
    return viewer.email, factories.PASSWORD


def take_screenshot(base_url, output, login=None, full_page=None):
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.conftest import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(base_url=base_url, viewport=VIEWPORT, locale="en-GB",
                                          color_scheme="light")
            page = context.new_page()
            if login:
                email, password = login
                page.goto("/login")
                page.get_by_label("Email").fill(email)
                page.get_by_label("Password", exact=True).fill(password)
                page.get_by_role("button", name="Log in").click()
                page.get_by_role("button", name="Log out").wait_for()
            page.goto("/")
            open_now = page.get_by_role("region", name=re.compile(r"^Open campaigns"))
            open_now.get_by_role("link").first.click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.wait_for_load_state("load")
            page.evaluate("() => document.fonts.ready")
            os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
            page.screenshot(path=output)
            if full_page:
                page.screenshot(path=full_page, full_page=True)
        finally:
            browser.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", default=DEFAULT_OUTPUT)
    parser.add_argument("--logged-in", action="store_true",
                        help="log in as the demo's staff participant first")
    parser.add_argument("--full-page", metavar="PATH", help="also save the whole page here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ideajam-screenshot-") as directory:
        url = f"sqlite:///{os.path.join(directory, 'demo.sqlite')}"
        upgrade_database(url)
        login = seed(url)
        server = ServerProcess(url, log_path=os.path.join(directory, "server.log"))
        try:
            take_screenshot(server.url, args.output, login if args.logged_in else None,
                            args.full_page)
        finally:
            server.stop()
    print(f"Saved {os.path.relpath(args.output, os.getcwd())}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
