"""Every state-changing page route needs the CSRF token (form field or X-CSRFToken header),
and no GET changes anything. Routes are read from the app's url_map, so a new route is
covered the day it is added."""
import re

import pytest

from app import create_app
from app.backup import fingerprints
from app.extensions import db
from config import TestingConfig
from tests import factories

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Posted by a server, not a browser: the sign-in provider's back-channel logout carries a logout
# token signed by the provider, which is what it checks (tests/http/test_sso.py).
CSRF_EXEMPT = {"/login/sso/<name>/backchannel-logout"}
# GETs that write on purpose: the compare page records the pair it serves (an answer is only
# accepted for a pair the server chose), and viewing notifications marks them read.
WRITING_GETS = {"comparisons.compare", "notifications.index"}


class CsrfOn(TestingConfig):
    WTF_CSRF_ENABLED = True


@pytest.fixture
def app(clock):
    app = create_app(CsrfOn)
    app.config["CLOCK"] = clock
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


@pytest.fixture
def world(app):
    admin = factories.make_admin()
    campaign = factories.make_campaign(admin)
    idea = factories.make_idea(campaign, title="An idea to act on")
    comment = factories.make_comment(idea)
    return {"slug": campaign.slug, "idea_id": idea.id, "comment_id": comment.id, "user_id": admin.id,
            "admin": admin}


def concrete(rule, world):
    """A URL for a rule, with its arguments filled from the world."""
    values = {}
    for name in rule.arguments:
        if name in world:
            values[name] = world[name]
        elif name.endswith("_id") or name in {"id", "page"}:
            values[name] = 1
        elif name == "fmt":
            values[name] = "csv"
        else:
            values[name] = world["slug"] if "slug" in name or name == "campaign" else "x"
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def page_rules(app, methods):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/api/") or rule.rule.startswith("/socket.io"):
            continue
        for method in sorted((rule.methods or set()) & methods):
            yield rule, method


def log_in(client, app, admin):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": admin.email, "password": factories.PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    return token


def test_every_state_changing_page_route_refuses_a_missing_token(app, client, world):
    log_in(client, app, world["admin"])
    checked = []
    for rule, method in page_rules(app, STATE_CHANGING):
        if rule.rule in CSRF_EXEMPT:
            continue
        response = client.open(concrete(rule, world), method=method, data={"title": "x"})
        assert response.status_code == 400, (method, rule.rule, response.status_code)
        assert "Your form expired" in response.get_data(as_text=True)
        checked.append(rule.rule)
    assert len(checked) > 30  # the whole app, not a handful


def test_the_header_token_of_fetch_requests_is_accepted(app, client, world):
    token = log_in(client, app, world["admin"])
    idea = factories.make_idea(factories.make_campaign(), title="Vote on me by fetch")
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "up"},
                           headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.status_code == 200 and response.get_json()["up_count"] == 1


def test_no_get_changes_anything(app, client, world):
    log_in(client, app, world["admin"])
    with db.engine.connect() as connection:
        before = fingerprints(connection)
    assert before["ideas"][0] == 1 and before["comments"][0] == 1  # the served database, not a fresh one
    visited = []
    for rule, method in page_rules(app, {"GET"}):
        if rule.endpoint in WRITING_GETS:
            continue
        response = client.get(concrete(rule, world))
        assert response.status_code < 500, rule.rule
        visited.append(rule.rule)
        with db.engine.connect() as connection:
            assert fingerprints(connection) == before, rule.rule
    assert len(visited) > 30
