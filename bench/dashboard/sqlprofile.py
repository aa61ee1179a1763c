"""Where a request spends its time: `python -m bench.dashboard.sqlprofile ARGS.json` prints JSON.

ARGS.json: {"database_url", "token", "email", "password", "paths": [...], "repeats"}. Runs
the app in this process (no server, no concurrency) on the benchmark database and requests
each path through Flask's test client as the executive (the Bearer token for /api/ paths,
a logged-in session for pages): once to warm up, then ``repeats`` times while SQLAlchemy's
cursor events time every SQL statement, then once more under cProfile. Per path: the
median request time, the statements by time per request (SQL text with whitespace folded,
calls per request, ms per request) and the app's functions with the most cumulative time.
"""
import cProfile
import json
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict

SQL_CHARS = 600


def _fold(sql):
    return re.sub(r"\s+", " ", sql).strip()[:SQL_CHARS]


def profile(args):
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": args["database_url"], "ASYNC_MODE": "threading",
                      "SECRET_KEY": "bench-dashboard-key", "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False})
    statements = defaultdict(lambda: [0, 0.0])
    recording = [False]
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        seconds = time.perf_counter() - conn.info["started"].pop()
        if recording[0]:
            entry = statements[_fold(statement)]
            entry[0] += 1
            entry[1] += seconds

    client = app.test_client()
    login = client.post("/login", data={"email": args["email"], "password": args["password"]})
    results = {}
    for path in args["paths"]:
        headers = {"Authorization": f"Bearer {args['token']}"} if path.startswith("/api/") else {}
        status = client.get(path, headers=headers).status_code
        statements.clear()
        recording[0] = True
        times = []
        for _ in range(args.get("repeats", 5)):
            started = time.perf_counter()
            client.get(path, headers=headers)
            times.append(time.perf_counter() - started)
        recording[0] = False
        repeats = len(times)
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(path, headers=headers)
        profiler.disable()
        stats = pstats.Stats(profiler)
        functions = []
        for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in stats.stats.items():
            if "/app/" in filename and "/site-packages/" not in filename:
                short = filename[filename.rindex("/app/") + 1:]
                functions.append({"function": f"{short}:{line} {name}", "calls": calls,
                                  "ms": round(cumulative * 1000, 2)})
        functions.sort(key=lambda f: -f["ms"])
        sql_total = sum(seconds for _n, seconds in statements.values()) / repeats
        results[path] = {
            "status": status, "login_status": login.status_code,
            "median_ms": round(statistics.median(times) * 1000, 2),
            "sql_ms": round(sql_total * 1000, 2),
            "statements": [{"sql": sql, "calls": round(n / repeats, 2), "ms": round(seconds / repeats * 1000, 2)}
                           for sql, (n, seconds) in sorted(statements.items(), key=lambda kv: -kv[1][1])][:12],
            "functions": functions[:15],
        }
    return results


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(profile(json.load(handle))))
