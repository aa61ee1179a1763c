"""Durability: a server killed with SIGKILL mid-write keeps every write it acknowledged; a
backup restored into an empty database holds exactly the same rows.

``JAM_DURABILITY_WRITES`` sets how many writes the kill test sends (default 1,000, the
figure in docs/RELIABILITY.md).
"""
import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import requests

from tests.services import ROOT, ServerProcess, flask_env
from tests.server.conftest import seed_jam

pytestmark = pytest.mark.server

WRITES = int(os.environ.get("JAM_DURABILITY_WRITES", "1000"))
WRITERS = 8


def flask(database_url, *args):
    return subprocess.run([sys.executable, "-m", "flask", "jam", *args], cwd=ROOT, env=flask_env(database_url),
                          capture_output=True, text=True, timeout=120)


def test_sigkill_during_writes_loses_no_acknowledged_write(tmp_path):
    path = tmp_path / "durable.sqlite"
    url = f"sqlite:///{path}"
    jam = seed_jam(url, voters=1, ideas=1)
    with sqlite3.connect(path) as connection:  # one author writes far faster than any person
        connection.execute("UPDATE campaigns SET limit_ideas_per_hour = ?", (10 * WRITES,))
    server = ServerProcess(url, async_mode="eventlet")
    acknowledged, failures = [], []
    lock = threading.Lock()
    next_write = iter(range(WRITES))

    def writer():
        session = requests.Session()
        for n in iter(lambda: next(next_write, None), None):
            try:
                response = session.post(
                    f"{server.url}/api/v1/campaigns/{jam.campaign_id}/ideas",
                    json={"title": f"Durable idea {n:05d}", "body": "Must survive a crash."},
                    headers={"Authorization": f"Bearer {jam.author_token}"}, timeout=10)
            except requests.RequestException:
                with lock:
                    failures.append(n)
                continue
            with lock:
                (acknowledged if response.status_code == 201 else failures).append(
                    response.json()["id"] if response.status_code == 201 else n)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < WRITES // 2:  # kill the server in the middle of the stream
        assert time.monotonic() < deadline and any(t.is_alive() for t in threads), (
            f"only {len(acknowledged)} writes acknowledged; refused: {failures[:5]}")
        time.sleep(0.01)
    server.process.kill()  # SIGKILL: no shutdown, no flush, nothing
    server.process.wait()
    for thread in threads:
        thread.join()
    server.stop()

    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in connection.execute("SELECT id FROM ideas")}
    lost = set(acknowledged) - stored
    assert len(acknowledged) >= WRITES // 2 and failures, "the kill must land mid-stream"
    assert lost == set()
    print(f"durability: {len(acknowledged)} writes acknowledged before SIGKILL, "
          f"{len(stored & set(acknowledged))} present after restart, {len(lost)} lost, "
          f"{len(failures)} refused or cut off")

    restarted = ServerProcess(url, async_mode="eventlet")  # and the app starts on it again
    try:
        listed = requests.get(f"{restarted.url}/api/v1/campaigns/{jam.campaign_id}", timeout=10).json()
        assert listed["idea_count"] == len(stored)
    finally:
        restarted.stop()


def test_backup_and_restore_give_identical_rows(tmp_path):
    original = f"sqlite:///{tmp_path / 'original.sqlite'}"
    seed_jam(original, voters=20, ideas=30)
    backup = tmp_path / "backup.sqlite"
    done = flask(original, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert flask(original, "backup", str(backup)).returncode != 0  # never overwrites a file

    restored = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    done = flask(restored, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    before = flask(original, "fingerprint").stdout
    after = flask(restored, "fingerprint").stdout
    assert before == after and "ideas\t30\t" in before
    again = flask(restored, "restore", str(backup))
    assert again.returncode != 0 and "restore into an empty database" in again.stderr


def test_postgresql_is_sent_to_pg_dump(tmp_path):
    done = flask("postgresql://127.0.0.1:1/none", "backup", str(tmp_path / "x.sqlite"))
    assert done.returncode != 0 and "pg_dump" in done.stderr
