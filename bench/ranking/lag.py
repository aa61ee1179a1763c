"""``python -m bench.ranking.lag DATABASE_URL CAMPAIGN_ID process|inline``: refresh a campaign's
pairwise ranking in a process patched by eventlet (as ``wsgi.py`` patches the server) while a
green thread asks to wake every 10 ms; print, as JSON, how late it woke. The same ticker as
``bench.themes.lag``; ``process`` offloads the fit as the server does, ``inline`` runs it in
this process for contrast."""
import eventlet

eventlet.monkey_patch()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

TICK = 0.010


def main(database_url, campaign_id, mode):
    from app import create_app, offload
    from app.domain import comparisons
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ASYNC_MODE": "eventlet",
                      "SECRET_KEY": "bench-ranking-key"})
    offload.configure(mode)
    if mode == "inline":  # as in the server before: every size fitted in the loop
        comparisons.OFFLOAD_FROM = float("inf")
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
    with app.app_context():
        comparisons.refresh_ranking(campaign_id, pause=lambda: eventlet.sleep(0))
        db.session.remove()
    seconds = time.perf_counter() - started
    running[0] = False
    thread.wait()
    ordered = sorted(late)
    pick = lambda q: ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]  # noqa: E731
    print(json.dumps({"mode": mode, "seconds": seconds, "ticks": len(ordered), "p50": pick(0.5),
                      "p99": pick(0.99), "max": ordered[-1]}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
