"""Socket tests run against the real server process, over websocket, under eventlet and gevent."""
import queue
import time
from dataclasses import dataclass, field

import pytest
import requests
import socketio

from app.domain import api_tokens
from app.extensions import db
from app.models import Role
from tests import factories
from tests.server.conftest import offline_app
from tests.services import ServerProcess, upgrade_database


@dataclass
class LiveJam:
    database_url: str
    campaign_id: int = 0
    private_campaign_id: int = 0
    idea_ids: list = field(default_factory=list)
    tokens: dict = field(default_factory=dict)  # name -> token
    emails: dict = field(default_factory=dict)  # name -> email
    voter_tokens: list = field(default_factory=list)


def seed_live_jam(database_url, voters=10, ideas=10):
    upgrade_database(database_url)
    jam = LiveJam(database_url)
    app = offline_app(database_url)
    with app.app_context():
        admin = factories.make_admin()
        campaign = factories.make_campaign(admin, title="Live campaign")
        private = factories.make_campaign(admin, title="Staff only", audience=["staff"], is_private=True)
        author = factories.make_user(kind="staff")
        jam.campaign_id, jam.private_campaign_id = campaign.id, private.id
        jam.idea_ids = [factories.make_idea(campaign, author, title=f"Seed idea {n}").id
                        for n in range(ideas)]
        people = {"author": author, "admin": admin,
                  "moderator": factories.make_user(role=Role.MODERATOR),
                  "staff": factories.make_user(kind="staff"),
                  "customer": factories.make_user(kind="customer")}
        jam.tokens = {name: api_tokens.create_api_token(user, name="socket")[1]
                      for name, user in people.items()}
        jam.emails = {name: user.email for name, user in people.items()}
        jam.voter_tokens = [api_tokens.create_api_token(factories.make_user(), name="v")[1]
                            for _ in range(voters)]
        db.session.remove()
        db.engine.dispose()
    return jam


class LiveClient:
    """A python-socketio client over websocket that records everything it receives."""

    def __init__(self, url, token=None, **connect_kwargs):
        self.received = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", lambda event, data=None: self.received.put((event, data)))
        self.client.connect(url, transports=["websocket"], auth={"token": token} if token else None,
                            wait_timeout=10, **connect_kwargs)

    def call(self, event, data, timeout=10):
        return self.client.call(event, data, timeout=timeout)

    def join(self, campaign_id):
        reply = self.call("join_campaign", {"campaign_id": campaign_id})
        assert reply["ok"], reply
        return reply["seq"]

    def wait_for(self, event, predicate=lambda data: True, timeout=10):
        """The first message of this name that satisfies predicate; fails after timeout."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {event} message matched within {timeout}s")
            try:
                name, data = self.received.get(timeout=remaining)
            except queue.Empty:
                continue
            if name == event and predicate(data):
                return data

    def drain(self):
        items = []
        while not self.received.empty():
            items.append(self.received.get_nowait())
        return items

    def close(self):
        if self.client.connected:
            self.client.disconnect()


class Api:
    """HTTP calls to the server under test."""

    def __init__(self, base_url):
        self.base_url = base_url

    def call(self, method, path, token=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.request(method, self.base_url + "/api/v1" + path, headers=headers,
                                    timeout=30, **kwargs)
        return response

    def change_vote(self, token, idea_id):
        """Vote differently from the caller's current vote, so the counts surely change."""
        mine = self.call("GET", f"/ideas/{idea_id}", token).json()["my_vote"]
        return self.vote(token, idea_id, "down" if mine == 1 else "up")

    def vote(self, token, idea_id, value="up"):
        response = self.call("PUT", f"/ideas/{idea_id}/vote", token, json={"value": value})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module", params=["eventlet", "gevent"])
def live(request, tmp_path_factory):
    """(jam, server, api): one seeded database and server per async mode, for a module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite'}"
    jam = seed_live_jam(url)
    server = ServerProcess(url, async_mode=request.param)
    yield jam, server, Api(server.url)
    server.stop()


@pytest.fixture
def connect(live):
    _jam, server, _api = live
    clients = []

    def open_client(token=None, **kwargs):
        client = LiveClient(server.url, token, **kwargs)
        clients.append(client)
        return client

    yield open_client
    for client in clients:
        client.close()


class WebSession:
    """A signed-in browser-like session on the server's pages (CSRF tokens included)."""

    def __init__(self, base_url, email, password):
        import re

        self._re = re
        self.base_url = base_url
        self.http = requests.Session()
        self.post("/login", {"email": email, "password": password})

    def csrf(self, path):
        page = self.http.get(self.base_url + path, timeout=30).text
        return self._re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def post(self, path, data, form_path=None):
        token = self.csrf(form_path or path)
        response = self.http.post(self.base_url + path, data={**data, "csrf_token": token},
                                  timeout=30, allow_redirects=False)
        assert response.status_code in (200, 302, 303), (response.status_code, response.text[:500])
        return response
