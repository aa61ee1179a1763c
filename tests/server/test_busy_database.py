"""A database another process holds locked: requests wait for it, or give up cleanly with a
503 that says nothing was saved; nothing is half-written and the server carries on."""
import sqlite3
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.models import Idea, Vote
from tests.server.conftest import offline_app, seed_jam
from tests.services import ServerProcess

pytestmark = pytest.mark.server


def hold_write_lock(path, seconds, locked):
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("BEGIN IMMEDIATE")  # the write lock, as a long transaction would hold it
    locked.set()
    time.sleep(seconds)
    connection.rollback()
    connection.close()


def vote(server, token, idea_id):
    return requests.put(f"{server.url}/api/v1/ideas/{idea_id}/vote", json={"value": "up"},
                        headers={"Authorization": f"Bearer {token}"}, timeout=60)


def wait_for_counts_sent(server, token, campaign_id, idea_id, up_count, timeout=30):
    """Wait until the server's stream carries the idea's vote count (its coalescer has written
    it), so no background write of the server is still queued when the test takes the lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = requests.get(f"{server.url}/api/v1/campaigns/{campaign_id}/events?after=0",
                            headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
        for entry in page["events"]:
            counts = entry["payload"].get("ideas", {}).get(str(idea_id)) if entry["kind"] == "idea.counts" else None
            if counts and counts["up_count"] == up_count:
                return
        time.sleep(0.05)  # polling a state, not waiting for time to pass
    raise AssertionError("the vote count never reached the stream")


def test_a_locked_database_makes_requests_wait_or_fail_cleanly(tmp_path):
    path = tmp_path / "busy.sqlite"
    jam = seed_jam(f"sqlite:///{path}", voters=4, ideas=2)
    server = ServerProcess(f"sqlite:///{path}", SQLITE_BUSY_TIMEOUT="1.5")
    try:
        # Held for less than the busy timeout: the vote waits, then succeeds.
        locked = threading.Event()
        holder = threading.Thread(target=hold_write_lock, args=(str(path), 0.7, locked))
        holder.start()
        locked.wait()
        started = time.monotonic()
        waited = vote(server, jam.voter_tokens[0], jam.idea_ids[0])
        holder.join()
        assert waited.status_code == 200 and time.monotonic() - started >= 0.3

        # Held for much longer: the vote gives up with a clear 503, and nothing of it is stored.
        # Background work of the server (sending vote counts) would wait for the lock too, so
        # the lock is taken only once the first vote's count is in the stream.
        wait_for_counts_sent(server, jam.voter_tokens[0], jam.campaign_id, jam.idea_ids[0], 1)
        locked = threading.Event()
        holder = threading.Thread(target=hold_write_lock, args=(str(path), 8.0, locked))
        holder.start()
        locked.wait()
        refused = vote(server, jam.voter_tokens[1], jam.idea_ids[0])
        holder.join()
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "database_busy"
        assert "nothing was saved" in refused.json()["error"]["message"]
        assert refused.headers["Retry-After"] == "5"

        # Afterwards the same vote goes through, and the database is whole.
        assert vote(server, jam.voter_tokens[1], jam.idea_ids[0]).status_code == 200
    finally:
        server.stop()
    app = offline_app(f"sqlite:///{path}")
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Vote)).scalar() == 2
        assert db.session.get(Idea, jam.idea_ids[0]).up_count == 2
        assert db.session.execute(db.text("PRAGMA integrity_check")).scalar() == "ok"
        db.session.remove()
        db.engine.dispose()
