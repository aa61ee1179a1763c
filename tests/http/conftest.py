"""Helpers for the page tests."""
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event

from app.extensions import db
from tests import factories


@pytest.fixture
def member(app):
    """A staff participant, in the audience of the default campaign."""
    return factories.make_user(display_name="Mia Member")


@pytest.fixture
def login(auth):
    """Log a user in and check it worked."""
    def _login(user):
        response = auth.login(user)
        assert response.status_code == 302, response.data[:500]
        return response
    return _login


def login_target(response):
    """The page a signed-out person is sent to log in for (``next``); fails unless the response
    is that redirect. Signed out, a page they may not see, or that is not there, answers so."""
    assert response.status_code == 302, response.status_code
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    return parse_qs(location.query)["next"][0]


def text_of(response):
    return response.get_data(as_text=True)


def page_text(response):
    """The response's text with HTML entities decoded (apostrophes, quotes), for messages."""
    return html.unescape(text_of(response))


def html_lang(response):
    match = re.search(r'<html lang="([^"]+)"', text_of(response))
    return match.group(1) if match else None


class StatementCounter:
    """Counts the SQL statements the app sends while active."""

    def __init__(self):
        self.count = 0

    def __call__(self, *_args, **_kwargs):
        self.count += 1

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc):
        event.remove(db.engine, "before_cursor_execute", self)


def statements_for(client, path, method="GET", expected=200, **request):
    """How many SQL statements one request sends. The test's session is shared with the
    request's: expiring it first makes the request read everything afresh, as it would in a
    session of its own, whatever the test left loaded."""
    db.session.expire_all()
    with StatementCounter() as counter:
        response = client.open(path, method=method, **request)
        assert response.status_code == expected, response.get_data(as_text=True)[:500]
    return counter.count
