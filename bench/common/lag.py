"""How late the event loop wakes while some work runs: the measure behind "the server keeps
answering during a refresh". Call from a process already patched by eventlet (as ``wsgi.py``
patches the server): a green thread asks to wake every 10 ms while ``work()`` runs."""
import json
import time

TICK = 0.010


def measure_lag(work, mode):
    """Run ``work()`` beside the ticker; print, as JSON, the run's seconds and how late the
    ticker woke (p50, p99, max, in ms)."""
    import eventlet

    late, running = [], [True]

    def ticker():
        while running[0]:
            asked = time.perf_counter()
            eventlet.sleep(TICK)
            late.append((time.perf_counter() - asked - TICK) * 1000)

    thread = eventlet.spawn(ticker)
    eventlet.sleep(0.2)
    late.clear()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    running[0] = False
    thread.wait()
    ordered = sorted(late)
    pick = lambda q: ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]  # noqa: E731
    print(json.dumps({"mode": mode, "seconds": seconds, "ticks": len(ordered), "p50": pick(0.5),
                      "p99": pick(0.99), "max": ordered[-1]}))


def run_lag(module, database_url, campaign_id, mode):
    """Run ``python -m module DATABASE_URL CAMPAIGN_ID MODE`` (a lag module calling
    ``measure_lag``) in a child process from the project's root; return its JSON figures."""
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    completed = subprocess.run([sys.executable, "-m", module, database_url, str(campaign_id), mode],
                               cwd=root, capture_output=True, text=True, timeout=900, check=False)
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-3000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])
