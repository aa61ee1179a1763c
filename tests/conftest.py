"""Shared fixtures, after Flask's tutorial: app, client, auth; plus a movable clock."""
from datetime import datetime, timezone

import pytest
from flask import g, request_started

from app import create_app
from app.extensions import db
from app.models import Role
from config import TestingConfig
from tests import factories


class Clock:
    """A clock tests can move; the app reads it through config CLOCK."""

    def __init__(self):
        self.now = None

    def __call__(self):
        return self.now or datetime.now(timezone.utc)

    def set(self, value):
        self.now = value

    def advance(self, delta):
        self.now = self() + delta


@pytest.fixture
def clock():
    return Clock()


def _clear_g(sender, **extra):
    """Flask reuses the test's app context for test-client requests, so ``g`` (where
    Flask-Login keeps the current user and Flask-Babel the locale) would leak from one
    request, or one client, to the next. In production every request has its own ``g``."""
    for name in list(vars(g)):
        delattr(g, name)


@pytest.fixture
def app_settings():
    """Settings a test module needs on top of TestingConfig (override this fixture there)."""
    return {}


@pytest.fixture
def app(clock, app_settings):
    app = create_app(type("TestSettings", (TestingConfig,), app_settings) if app_settings else TestingConfig)
    app.config["CLOCK"] = clock
    request_started.connect(_clear_g, app)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
    request_started.disconnect(_clear_g, app)


@pytest.fixture
def outbox(app):
    """The mail the app sends during a test (Flask-Mailman's locmem backend), oldest first."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user, password=factories.PASSWORD):
        return self._client.post("/login", data={"email": user.email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def admin(app):
    return factories.make_admin()


@pytest.fixture
def campaign(app, admin):
    return factories.make_campaign(admin)


@pytest.fixture
def moderator(app):
    return factories.make_user(role=Role.MODERATOR, display_name="Mo Moderator")
