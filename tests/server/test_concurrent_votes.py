"""Many people voting at once against the real eventlet server: nothing lost, nothing doubled.

Under eventlet every request shares one thread; if a request yielded while holding a
SQLite write transaction, the next writer's busy-wait would freeze the whole process.
These tests would then see 500s ("database is locked") and missing votes.
"""
import contextlib
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, func, select, text

from app.extensions import db
from app.models import Idea, Vote
from tests.server.conftest import offline_app, seed_jam
from tests.services import ServerProcess, postgres_database

pytestmark = pytest.mark.server


def put_vote(server, token, idea_id, value="up"):
    response = requests.put(f"{server.url}/api/v1/ideas/{idea_id}/vote", json={"value": value},
                            headers={"Authorization": f"Bearer {token}"}, timeout=60)
    return response.status_code


def stored_state(jam):
    app = offline_app(jam.database_url)
    with app.app_context():
        votes = db.session.execute(select(Vote.idea_id, Vote.user_id, Vote.value)).all()
        counts = {row.id: (row.up_count, row.down_count, row.score)
                  for row in db.session.execute(select(Idea.id, Idea.up_count, Idea.down_count, Idea.score))}
        per_idea = dict(db.session.execute(select(Vote.idea_id, func.count()).group_by(Vote.idea_id)).all())
        db.session.remove()
        db.engine.dispose()
    return votes, counts, per_idea


def test_fifty_voters_on_twenty_ideas_at_once(served_jam):
    jam, server = served_jam

    def vote_on_every_idea(token):
        return [put_vote(server, token, idea_id) for idea_id in jam.idea_ids]

    with ThreadPoolExecutor(max_workers=len(jam.voter_tokens)) as pool:
        statuses = [s for result in pool.map(vote_on_every_idea, jam.voter_tokens) for s in result]

    assert statuses.count(200) == 1000, {s: statuses.count(s) for s in set(statuses)}
    votes, counts, per_idea = stored_state(jam)
    assert len(votes) == 1000
    assert len({(v.idea_id, v.user_id) for v in votes}) == 1000  # no duplicates
    for idea_id in jam.idea_ids:
        assert per_idea[idea_id] == 50
        assert counts[idea_id] == (50, 0, 50)  # shown counts equal the stored rows
    # What a reader sees over HTTP equals the stored rows too.
    listing = requests.get(f"{server.url}/api/v1/campaigns/{jam.campaign_id}/ideas?per_page=100",
                           timeout=30).json()
    assert {item["id"]: item["up_count"] for item in listing["items"]} == {i: 50 for i in jam.idea_ids}


def test_one_person_sending_the_same_vote_a_hundred_times(served_jam):
    jam, server = served_jam
    token, idea_id = jam.voter_tokens[0], jam.idea_ids[0]
    with ThreadPoolExecutor(max_workers=100) as pool:
        statuses = list(pool.map(lambda _: put_vote(server, token, idea_id), range(100)))
    assert set(statuses) <= {200, 409}, statuses
    votes, counts, _ = stored_state(jam)
    assert [(v.idea_id, v.value) for v in votes] == [(idea_id, 1)]
    assert counts[idea_id] == (1, 0, 1)


def test_changing_votes_back_and_forth_keeps_counts_exact(served_jam):
    jam, server = served_jam
    idea_id = jam.idea_ids[0]
    sequence = ["up", "down", "none", "up", "down"]

    def flip(token):
        return [put_vote(server, token, idea_id, value) for value in sequence]

    with ThreadPoolExecutor(max_workers=len(jam.voter_tokens)) as pool:
        statuses = [s for result in pool.map(flip, jam.voter_tokens) for s in result]
    assert set(statuses) == {200}
    votes, counts, _ = stored_state(jam)
    assert len(votes) == 50 and all(v.value == -1 for v in votes)
    assert counts[idea_id] == (0, 50, -50)


# --- two processes on one PostgreSQL database ------------------------------------------------
#
# One eventlet process runs one transaction at a time (neither database driver yields inside
# one), so the storms above never interleave two votes' read and write. Two processes do: a
# vote read as absent by one process can be written by the other before the first commits.
# That is the race the unique constraint settles; the control experiment below removes it
# and shows the same storm, checked the same way, failing.


@contextlib.contextmanager
def two_servers_on_postgresql(without_unique_constraint=False):
    with postgres_database() as url:
        jam = seed_jam(url)
        if without_unique_constraint:
            engine = create_engine(url)
            with engine.begin() as connection:
                connection.execute(text('ALTER TABLE votes DROP CONSTRAINT "uq_votes_user_id_idea_id"'))
            engine.dispose()
        servers = [ServerProcess(url), ServerProcess(url)]
        try:
            yield jam, servers
        finally:
            for server in servers:
                server.stop()


def same_vote_from_both_processes(jam, servers, idea_id, times=100):
    """One person's identical vote, ``times`` at once, alternately to each process."""
    token = jam.voter_tokens[0]
    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(lambda n: put_vote(servers[n % 2], token, idea_id), range(times)))


def assert_stored_once(jam, idea_id, statuses):
    assert set(statuses) <= {200, 409}, statuses
    votes, counts, _ = stored_state(jam)
    mine = [(v.idea_id, v.value) for v in votes if v.idea_id == idea_id]
    assert mine == [(idea_id, 1)], f"{len(mine)} votes stored for one person's one vote"
    assert counts[idea_id] == (1, 0, 1)


@pytest.mark.postgres
def test_two_processes_store_one_vote_per_person():
    with two_servers_on_postgresql() as (jam, servers):
        for idea_id in jam.idea_ids[:3]:
            assert_stored_once(jam, idea_id, same_vote_from_both_processes(jam, servers, idea_id))

        def vote_on_every_idea(n):
            return [put_vote(servers[(n + k) % 2], jam.voter_tokens[n], idea_id)
                    for k, idea_id in enumerate(jam.idea_ids[3:])]

        with ThreadPoolExecutor(max_workers=len(jam.voter_tokens)) as pool:
            statuses = [s for result in pool.map(vote_on_every_idea, range(len(jam.voter_tokens))) for s in result]
        assert statuses.count(200) == 50 * 17
        votes, counts, per_idea = stored_state(jam)
        assert len({(v.idea_id, v.user_id) for v in votes}) == len(votes) == 50 * 17 + 3
        assert all(per_idea[i] == 50 and counts[i] == (50, 0, 50) for i in jam.idea_ids[3:])


@pytest.mark.postgres
def test_without_the_unique_constraint_the_same_check_fails():
    """The control experiment: the same storms against a votes table without its unique
    constraint store a person's vote twice, and the check above catches it (tried on up to
    three ideas, as the race is likely but not certain on any one)."""
    with two_servers_on_postgresql(without_unique_constraint=True) as (jam, servers):
        failures = 0
        for idea_id in jam.idea_ids[:3]:
            try:
                assert_stored_once(jam, idea_id, same_vote_from_both_processes(jam, servers, idea_id))
            except AssertionError as failure:
                assert "votes stored for one person's one vote" in str(failure)
                failures += 1
                break
        assert failures == 1, "two processes never stored a duplicate vote without the constraint"


# --- lock order on PostgreSQL ------------------------------------------------------------
#
# A storm in which every voter votes up on every idea and then down again swings the
# campaign's up-share past the "best" tolerance again and again, so the re-score of every
# idea of the campaign runs while other votes hold their ideas. With two lock orders (a
# vote: idea, then campaign; the re-score: campaign, then every idea) PostgreSQL detects
# deadlocks and the votes that lose answer 500.

def swinging_storm(jam, servers, voters=24, ideas=10):
    """Every voter votes up on every idea, then down on every idea, through ``servers`` in
    turn; returns every status and the expected (up, down) of each idea."""
    idea_ids = jam.idea_ids[:ideas]

    def swing(n):
        token = jam.voter_tokens[n]
        order = idea_ids[n % ideas:] + idea_ids[:n % ideas]  # voters start on different ideas
        return [put_vote(servers[(n + k) % len(servers)], token, idea_id, value)
                for value in ("up", "down") for k, idea_id in enumerate(order)]

    with ThreadPoolExecutor(max_workers=voters) as pool:
        statuses = [s for result in pool.map(swing, range(voters)) for s in result]
    return statuses, {idea_id: (0, voters, -voters) for idea_id in idea_ids}


def assert_no_deadlock(jam, servers, statuses, expected):
    assert {s: statuses.count(s) for s in set(statuses)} == {200: len(statuses)}
    _votes, counts, _ = stored_state(jam)
    assert {idea_id: counts[idea_id] for idea_id in expected} == expected
    for server in servers:
        assert "deadlock detected" not in server.log()


@pytest.mark.postgres
@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_a_swinging_storm_on_postgresql_meets_no_deadlock(async_mode):
    with postgres_database() as url:
        jam = seed_jam(url)
        server = ServerProcess(url, async_mode=async_mode)
        try:
            statuses, expected = swinging_storm(jam, [server])
            assert_no_deadlock(jam, [server], statuses, expected)
        finally:
            server.stop()


@pytest.mark.postgres
def test_a_swinging_storm_over_two_processes_meets_no_deadlock():
    with two_servers_on_postgresql() as (jam, servers):
        statuses, expected = swinging_storm(jam, servers)
        assert_no_deadlock(jam, servers, statuses, expected)
