"""The message queue going away: writes still land, and clients converge afterwards.

The server runs with the shipped settings, rate limits on: their counters live in the same
Redis, and must degrade to per-process counting rather than fail the writes."""
import contextlib
import time
import uuid

import pytest

from tests.services import ServerProcess, TcpProxy, postgres_database, require_redis
from tests.sockets.conftest import Api, LiveClient, seed_live_jam

pytestmark = pytest.mark.server


def counts_of(api, campaign_id):
    items = api.call("GET", f"/campaigns/{campaign_id}/ideas?per_page=100").json()["items"]
    return {item["id"]: {k: item[k] for k in ("up_count", "down_count", "score")} for item in items}


@contextlib.contextmanager
def database(kind, tmp_path):
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'faults.sqlite'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.mark.parametrize("kind, async_mode", [
    ("sqlite", "eventlet"),
    pytest.param("postgresql", "eventlet", marks=pytest.mark.postgres),
    pytest.param("postgresql", "gevent", marks=pytest.mark.postgres),
])
def test_redis_down_loses_no_vote_and_clients_catch_up(tmp_path, kind, async_mode):
    require_redis()
    with database(kind, tmp_path) as url:
        redis_down_loses_no_vote_and_clients_catch_up(url, async_mode)


def redis_down_loses_no_vote_and_clients_catch_up(url, async_mode):
    proxy = TcpProxy(6379)
    jam = seed_live_jam(url)
    # Shipped settings: rate limits on, counted in the message queue's Redis.
    server = ServerProcess(url, async_mode=async_mode, RATELIMIT_ENABLED="true",
                           SOCKETIO_MESSAGE_QUEUE=f"redis://127.0.0.1:{proxy.port}/0",
                           SOCKETIO_CHANNEL=f"test-{uuid.uuid4().hex}")
    client = LiveClient(server.url)
    api = Api(server.url)
    try:
        seen = client.join(jam.campaign_id)
        api.change_vote(jam.voter_tokens[0], jam.idea_ids[0])
        event = client.wait_for("campaign_event", lambda d: d.get("kind") == "idea.counts")
        seen = event["seq"]
        shown = counts_of(api, jam.campaign_id)

        proxy.cut()
        for token in jam.voter_tokens[1:]:
            for idea_id in jam.idea_ids[:3]:
                api.vote(token, idea_id, "up")  # every vote is answered 200 and stored
        truth = counts_of(api, jam.campaign_id)
        assert truth != shown
        assert all(truth[i]["up_count"] >= 9 for i in jam.idea_ids[:3])

        proxy.restore()
        # The client missed the live messages; a catch-up brings it exactly to the truth.
        # The last counts enter the stream within one coalescing interval of the last vote.
        deadline = time.monotonic() + 10
        while True:
            reply = client.call("catch_up", {"campaign_id": jam.campaign_id, "after": seen})
            caught_up = dict(shown)
            for entry in reply["events"]:
                if entry["kind"] == "idea.counts":
                    caught_up.update({int(k): v for k, v in entry["payload"]["ideas"].items()})
            if caught_up == truth or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert caught_up == truth
        # And live delivery resumes once the queue is back.
        api.change_vote(jam.voter_tokens[0], jam.idea_ids[5])
        client.wait_for("campaign_event", lambda d: d.get("kind") == "idea.counts"
                        and str(jam.idea_ids[5]) in d["payload"]["ideas"], timeout=20)
    finally:
        client.close()
        server.stop()
        proxy.cut()


# --- vote counts never stranded ------------------------------------------------------------
#
# A trigger makes writing an ``idea.counts`` entry fail while a switch is on, and counts each
# refusal in a sequence (which, unlike a table, keeps counting through the rollback).

FAULT_SQL = """
CREATE TABLE counts_fault (armed boolean NOT NULL);
INSERT INTO counts_fault VALUES (false);
CREATE SEQUENCE counts_refused;
CREATE FUNCTION refuse_counts() RETURNS trigger AS $$
BEGIN
  IF NEW.kind = 'idea.counts' AND (SELECT armed FROM counts_fault) THEN
    PERFORM nextval('counts_refused');
    RAISE EXCEPTION 'idea.counts refused by the test';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER refuse_counts BEFORE INSERT ON campaign_events
  FOR EACH ROW EXECUTE FUNCTION refuse_counts();
"""


class CountsFault:
    def __init__(self, database_url):
        import psycopg

        self.connection = psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True)
        self.connection.execute(FAULT_SQL)

    def arm(self, armed=True):
        self.connection.execute("UPDATE counts_fault SET armed = %s", (armed,))

    def refusals(self):
        last, called = self.connection.execute("SELECT last_value, is_called FROM counts_refused").fetchone()
        return last if called else 0

    def wait_for_refusals(self, more_than, timeout=20):
        deadline = time.monotonic() + timeout
        while self.refusals() <= more_than:
            assert time.monotonic() < deadline, "the server never tried to send the counts"
            time.sleep(0.05)


def stream_counts_converge(client, api, campaign_id, after, idea_id, timeout=20):
    """Poll the stream until its last counts of ``idea_id`` equal the stored ones."""
    truth = counts_of(api, campaign_id)[idea_id]
    deadline = time.monotonic() + timeout
    while True:
        reply = client.call("catch_up", {"campaign_id": campaign_id, "after": after})
        shown = [e["payload"]["ideas"][str(idea_id)] for e in reply["events"]
                 if e["kind"] == "idea.counts" and str(idea_id) in e["payload"]["ideas"]]
        if shown and shown[-1] == truth:
            return
        assert time.monotonic() < deadline, f"the stream shows {shown[-1:]} for {truth}"
        time.sleep(0.1)


@pytest.mark.postgres
@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_counts_reach_the_stream_after_a_failed_write_and_after_a_kill(async_mode):
    with postgres_database() as url:
        jam = seed_live_jam(url)
        fault = CountsFault(url)
        server = ServerProcess(url, async_mode=async_mode)
        client = LiveClient(server.url)
        try:
            # Writing the counts fails once: they are sent at the next chance, with no new vote.
            start = client.join(jam.campaign_id)
            fault.arm()
            api = Api(server.url)
            for token in jam.voter_tokens[:6]:
                api.vote(token, jam.idea_ids[0], "up")
            fault.wait_for_refusals(0)
            fault.arm(False)
            stream_counts_converge(client, api, jam.campaign_id, start, jam.idea_ids[0])

            # The process that answered six votes is killed before it could send their counts;
            # another process sends them.
            fault.arm()
            refused = fault.refusals()
            for token in jam.voter_tokens[:6]:
                api.vote(token, jam.idea_ids[1], "up")
            fault.wait_for_refusals(refused)
            client.close()
            server.process.kill()
            server.process.wait()
            fault.arm(False)
            server.stop()
            server = ServerProcess(url, async_mode=async_mode)
            client = LiveClient(server.url)
            stream_counts_converge(client, Api(server.url), jam.campaign_id, start, jam.idea_ids[1])
        finally:
            client.close()
            server.stop()
            fault.connection.close()
