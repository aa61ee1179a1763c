"""A migrated database with people, a campaign and ideas, served by the real server."""
import contextlib
from dataclasses import dataclass, field

import pytest

from app import create_app
from app.domain import api_tokens
from app.extensions import db
from tests import factories
from tests.services import ServerProcess, postgres_database, upgrade_database


@dataclass
class Jam:
    database_url: str
    campaign_id: int = 0
    idea_ids: list = field(default_factory=list)
    voter_tokens: list = field(default_factory=list)
    author_token: str = ""


def offline_app(database_url):
    """An app object for seeding and checking the server's database from the test process."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ASYNC_MODE": "threading",
                       "SECRET_KEY": "server-test-key"})


def seed_jam(database_url, voters=50, ideas=20):
    upgrade_database(database_url)
    jam = Jam(database_url)
    app = offline_app(database_url)
    with app.app_context():
        campaign = factories.make_campaign()
        author = factories.make_user()
        jam.campaign_id = campaign.id
        jam.idea_ids = [factories.make_idea(campaign, author).id for _ in range(ideas)]
        jam.author_token = api_tokens.create_api_token(author, name="author")[1]
        for _ in range(voters):
            jam.voter_tokens.append(api_tokens.create_api_token(factories.make_user(), name="load")[1])
        db.session.remove()
        db.engine.dispose()
    return jam


@contextlib.contextmanager
def database(kind, tmp_path):
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def served_jam(request, tmp_path):
    """(jam, server) on SQLite and on PostgreSQL, served by eventlet."""
    with database(request.param, tmp_path) as url:
        jam = seed_jam(url)
        server = ServerProcess(url, async_mode="eventlet")
        try:
            yield jam, server
        finally:
            server.stop()
