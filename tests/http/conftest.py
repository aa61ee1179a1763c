"""Helpers for the page tests."""
import html
import re

import pytest

from app.models import Role
from tests import factories


@pytest.fixture
def member(app):
    """A staff participant, in the audience of the default campaign."""
    return factories.make_user(display_name="Mia Member")


@pytest.fixture
def moderator(app):
    return factories.make_user(role=Role.MODERATOR, display_name="Mo Moderator")


@pytest.fixture
def login(auth):
    """Log a user in and check it worked."""
    def _login(user):
        response = auth.login(user)
        assert response.status_code == 302, response.data[:500]
        return response
    return _login


def text_of(response):
    return response.get_data(as_text=True)


def page_text(response):
    """The response's text with HTML entities decoded (apostrophes, quotes), for messages."""
    return html.unescape(text_of(response))


def html_lang(response):
    match = re.search(r'<html lang="([^"]+)"', text_of(response))
    return match.group(1) if match else None
