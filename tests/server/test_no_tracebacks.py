"""The real server (wsgi.py on eventlet, JAM_CONFIG=production, PostgreSQL) never answers a
traceback, whatever fails: here the database loses a table the header of every signed-in
page reads, so a page fails and then its error page fails too, the failure Flask cannot
turn into a page and hands to the server. Every answer is a plain 500 or the usual error
page; the traceback goes to the server's log, for the operator."""
import re

import pytest
import requests

from app.domain import api_tokens
from app.extensions import db
from tests import factories
from tests.server.conftest import offline_app
from tests.services import ServerProcess, postgres_database, upgrade_database

pytestmark = [pytest.mark.server, pytest.mark.postgres]


def seed(url):
    upgrade_database(url)
    app = offline_app(url)
    with app.app_context():
        admin = factories.make_admin()
        campaign = factories.make_campaign(admin)
        idea = factories.make_idea(campaign, admin)
        token = api_tokens.create_api_token(admin, name="server")[1]
        seeded = {"email": admin.email, "idea_id": idea.id, "slug": campaign.slug, "token": token}
        db.session.remove()
        db.engine.dispose()
    return seeded


def log_in(server, email):
    session = requests.Session()
    page = session.get(server.url + "/login", timeout=30).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = session.post(server.url + "/login", timeout=30, allow_redirects=False,
                          data={"csrf_token": csrf, "email": email, "password": factories.PASSWORD})
    assert answer.status_code == 302, answer.text[:300]
    return session


def test_no_answer_carries_a_traceback_when_the_database_breaks_under_the_server():
    with postgres_database() as url:
        jam = seed(url)
        # SESSION_COOKIE_SECURE=false: this test speaks plain HTTP to the server.
        server = ServerProcess(url, JAM_CONFIG="production", SESSION_COOKIE_SECURE="false")
        try:
            person = log_in(server, jam["email"])
            assert person.get(server.url + "/", timeout=30).status_code == 200
            import psycopg

            with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
                conn.execute("ALTER TABLE notifications RENAME TO notifications_elsewhere")
                conn.execute("ALTER TABLE ideas RENAME COLUMN title TO title_elsewhere")
            anonymous = requests.Session()
            bearer = {"Authorization": f"Bearer {jam['token']}"}
            paths = ["/", f"/c/{jam['slug']}", f"/ideas/{jam['idea_id']}", "/notifications", "/profile",
                     f"/ideas/{jam['idea_id']}/versions", "/ideas/2147483648", "/nowhere"]
            answers = []
            for path in paths:
                for client, headers in ((person, {}), (anonymous, {}),
                                        (person, {"Accept": "application/json"})):
                    answers.append((path, client.get(server.url + path, headers=headers, timeout=30)))
            for path in ("/api/v1/campaigns", f"/api/v1/ideas/{jam['idea_id']}", "/api/v1/notifications"):
                answers.append((path, anonymous.get(server.url + path, headers=bearer, timeout=30)))
            failed = [path for path, answer in answers if answer.status_code >= 500]
            assert failed, "the broken tables made nothing fail: the test forces no failure"
            for path, answer in answers:
                assert "Traceback" not in answer.text, (path, answer.status_code, answer.text[:500])
                assert "sqlalchemy" not in answer.text.lower(), (path, answer.text[:500])
                assert answer.status_code in (200, 302, 404, 500), (path, answer.status_code)
            server.log()  # flushes
            with open(server.log_path, encoding="utf-8", errors="replace") as log:
                logged = log.read()
            assert 'relation "notifications" does not exist' in logged  # the operator learns what failed
        finally:
            server.stop()
