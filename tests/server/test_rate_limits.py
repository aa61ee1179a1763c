"""The real server refuses password guessing with a 429, counting in Redis like every process."""
import uuid

import pytest
import requests

from app.extensions import db
from tests import factories
from tests.server.conftest import offline_app
from tests.services import REDIS_URL, ServerProcess, require_redis, upgrade_database

pytestmark = pytest.mark.server


def test_the_served_app_slows_password_guessing(tmp_path):
    require_redis()
    url = f"sqlite:///{tmp_path / 'jam.sqlite'}"
    upgrade_database(url)
    app = offline_app(url)
    with app.app_context():
        email = factories.make_user().email
        db.session.remove()
        db.engine.dispose()
    channel = f"test-{uuid.uuid4().hex}"  # one deployment: both processes share the counters
    servers = [ServerProcess(url, RATELIMIT_ENABLED="true", RATELIMIT_STORAGE_URI=REDIS_URL,
                             SOCKETIO_CHANNEL=channel) for _ in range(2)]
    try:
        statuses = []
        for n in range(7):
            server = servers[n % 2]  # two processes, one shared count
            session = requests.Session()
            page = session.get(f"{server.url}/login", timeout=10).text
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            response = session.post(f"{server.url}/login", allow_redirects=False, timeout=10,
                                    data={"email": email, "password": "a wrong guess", "csrf_token": token})
            statuses.append(response.status_code)
        assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
        assert 1 <= int(response.headers["Retry-After"]) <= 61
    finally:
        for server in servers:
            server.stop()
