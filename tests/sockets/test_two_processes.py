"""Two app processes on PostgreSQL share one jam through Redis."""
import uuid

import pytest

from tests.services import REDIS_URL, ServerProcess, postgres_database, require_redis
from tests.sockets.conftest import Api, LiveClient, seed_live_jam

pytestmark = [pytest.mark.server, pytest.mark.postgres]


@pytest.fixture(scope="module")
def two_processes():
    require_redis()
    with postgres_database() as url:
        jam = seed_live_jam(url)
        # A channel of its own, so parallel runs on one Redis never hear each other.
        env = {"SOCKETIO_MESSAGE_QUEUE": REDIS_URL, "SOCKETIO_CHANNEL": f"test-{uuid.uuid4().hex}"}
        first = ServerProcess(url, **env)
        second = ServerProcess(url, **env)
        try:
            yield jam, first, second
        finally:
            first.stop()
            second.stop()


def test_a_vote_through_one_process_reaches_a_client_of_the_other(two_processes):
    jam, first, second = two_processes
    client = LiveClient(second.url)
    try:
        client.join(jam.campaign_id)
        result = Api(first.url).change_vote(jam.voter_tokens[0], jam.idea_ids[0])
        key = str(jam.idea_ids[0])
        client.wait_for("campaign_event", lambda d: d.get("kind") == "idea.counts"
                        and d["payload"]["ideas"].get(key, {}).get("score") == result["score"])
    finally:
        client.close()


def test_ideas_and_notifications_cross_processes(two_processes):
    jam, first, second = two_processes
    viewer, author = LiveClient(second.url), LiveClient(second.url, jam.tokens["author"])
    try:
        viewer.join(jam.campaign_id)
        api = Api(first.url)
        api.call("POST", f"/campaigns/{jam.campaign_id}/ideas", jam.tokens["staff"],
                 json={"title": "Posted on process A", "body": "Seen on process B"})
        viewer.wait_for("campaign_event", lambda d: d.get("kind") == "idea.created"
                        and d["payload"]["title"] == "Posted on process A")
        api.call("POST", f"/ideas/{jam.idea_ids[1]}/comments", jam.tokens["staff"], json={"body": "Hello"})
        assert author.wait_for("notification")["idea_id"] == jam.idea_ids[1]
    finally:
        viewer.close()
        author.close()


def test_both_processes_stream_one_gapless_sequence(two_processes):
    jam, first, second = two_processes
    client = LiveClient(first.url)
    try:
        start = client.join(jam.campaign_id)
        for n, server in enumerate([first, second, first, second]):
            result = Api(server.url).change_vote(jam.voter_tokens[n + 1], jam.idea_ids[2])
        final = {k: result[k] for k in ("up_count", "down_count", "score")}
        key = str(jam.idea_ids[2])
        client.wait_for("campaign_event", lambda d: d.get("kind") == "idea.counts"
                        and d["payload"]["ideas"].get(key) == final)
        reply = client.call("catch_up", {"campaign_id": jam.campaign_id, "after": start})
        seqs = [event["seq"] for event in reply["events"]]
        assert seqs and seqs == list(range(start + 1, start + 1 + len(seqs)))
        assert [e for e in reply["events"] if e["kind"] == "idea.counts"][-1]["payload"]["ideas"][key] == final
    finally:
        client.close()


def test_a_cli_command_reaches_browsers_through_the_queue(two_processes):
    import subprocess
    import sys

    from tests.services import ROOT, flask_env

    jam, first, second = two_processes
    client = LiveClient(second.url)
    try:
        client.join(jam.campaign_id)
        env = flask_env(jam.database_url, SOCKETIO_MESSAGE_QUEUE=first.env["SOCKETIO_MESSAGE_QUEUE"],
                        SOCKETIO_CHANNEL=first.env["SOCKETIO_CHANNEL"], ASYNC_MODE="threading")
        from datetime import datetime, timedelta, timezone

        new_end = (datetime.now(timezone.utc) + timedelta(days=30)).replace(microsecond=0)
        slug = Api(first.url).call("GET", f"/campaigns/{jam.campaign_id}").json()["slug"]
        result = subprocess.run(
            [sys.executable, "-m", "flask", "jam", "campaign", "extend", slug,
             "--until", new_end.isoformat(), "--by", jam.emails["moderator"]],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        event = client.wait_for("campaign_event", lambda d: d.get("kind") == "campaign.phase")
        assert event["payload"]["reason"] == "extended"
        assert datetime.fromisoformat(event["payload"]["ends_at"]) == new_end
    finally:
        client.close()
