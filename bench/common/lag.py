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
