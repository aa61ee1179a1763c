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


def catch_ups(arrivals, wait):
    """How many catch-ups a client asks for, given (seconds, seq) arrivals in order, if it
    waits ``wait`` seconds for a missing entry before asking (0: at once, as it used to)."""
    arrived_at = {}
    for at, seq in arrivals:
        arrived_at.setdefault(seq, at)
    asked, last = 0, arrivals[0][1] - 1
    for at, seq in arrivals:
        if seq > last + 1:
            missing = range(last + 1, seq)
            if any(arrived_at.get(m, float("inf")) > at + wait for m in missing):
                asked += 1
        last = max(last, seq)
    return asked


def test_entries_from_two_processes_cross_and_a_short_wait_reorders_them(two_processes):
    """Votes through both processes at once: count deliveries out of order, and the
    catch-ups a client asks for at once on a gap (before) and after waiting for the missing
    entry as the page does (app/static/js/live.js, REORDER_WAIT_MS)."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    jam, first, second = two_processes
    client = LiveClient(first.url)
    arrivals = []  # (when it arrived, seq), recorded by the client as each entry arrives
    client.client.on("campaign_event", lambda data: arrivals.append((time.monotonic(), data["seq"])))
    try:
        start = client.join(jam.campaign_id)
        apis = [Api(first.url), Api(second.url)]

        def vote(n):
            for k in range(6):
                apis[(n + k) % 2].change_vote(jam.voter_tokens[n], jam.idea_ids[(n + k) % 8])

        with ThreadPoolExecutor(max_workers=len(jam.voter_tokens)) as pool:
            list(pool.map(vote, range(len(jam.voter_tokens))))
        last = client.call("catch_up", {"campaign_id": jam.campaign_id, "after": start})
        final_seq = start + len(last["events"])
        deadline = time.monotonic() + 20
        while not set(range(start + 1, final_seq + 1)) <= {seq for _, seq in arrivals}:
            assert time.monotonic() < deadline, "entries never arrived"
            time.sleep(0.05)
        arrivals = list(arrivals)
        crossed = sum(1 for n, (_, seq) in enumerate(arrivals) if any(s > seq for _, s in arrivals[:n]))
        at_once, waiting = catch_ups(arrivals, 0), catch_ups(arrivals, 0.5)
        print(f"\n{len(arrivals)} entries from two processes: {crossed} out of order; catch-ups "
              f"asked at once on a gap: {at_once}; after waiting 500 ms: {waiting}")
        assert waiting <= at_once
    finally:
        client.close()
