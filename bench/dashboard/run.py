"""The dashboards benchmark: `make bench-dashboard`, or `python -m bench.dashboard`.

For each size (1k, 10k and 46k ideas; people, votes and comments in proportion, 46k being an
IBM Innovation Jam: 150,000 people, 1,000,000 votes, 200,000 comments):

1. a SQLite file built by the migrations (`flask db upgrade`) and `flask jam seed-scale
   --ideas N`, cached in test-artifacts/bench-dashboard/ under the size, the migration head
   and the seed's format, so a re-run skips seeding;
2. the app served as in production (wsgi.py, JAM_CONFIG=production, eventlet) on that file,
   with the jam's executive logged in (the login form, with its CSRF token, for pages; an
   API token for the API);
3. per route, CONNECTIONS keep-alive connections (one asyncio client process): a warm-up,
   then REQUESTS requests (and at least MIN_SECONDS) or SECONDS seconds, whichever comes
   first; latency p50 / p99 and requests per second;
4. in the same run, the BARE baseline: bench/dashboard/bare_server.py, a minimal Flask app
   with one JSON route, served by the same eventlet WSGI server.

At the largest size every route also runs in-process (bench/dashboard/sqlprofile.py: time per
SQL statement, the app's functions by cumulative time), and a route whose p99 passes
SLOW_P99 is sampled with py-spy on the live server; the report shows where its time goes.

QUICK=1: 1k ideas only, 300 requests or 8 s per route, report to test-artifacts/.
Knobs: BENCH_SIZES=1000,10000,46000, BENCH_REQUESTS, BENCH_SECONDS, BENCH_CONNECTIONS,
BENCH_OUTPUT (the report's file), BENCH_REPORT_FROM=results.json (write the report again).
"""
import http.client
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from datetime import datetime, timezone

from bench.common.load import raw_request, run_load
from bench.common.process import (HOST, QUIET_LIMIT, ROOT, BenchServer, busy_cpu_seconds, free_port, log,
                                   wait_for_idle_machine)
from bench.common.report import machine, machine_line, save_and_write, write_section

QUICK = os.environ.get("QUICK", "") not in ("", "0")
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000" if QUICK else "1000,10000,46000").split(",")
         if x.strip()]
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300" if QUICK else "1000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8" if QUICK else "20"))
# Fast routes keep going past REQUESTS for this long, so a p99 rests on more than one hiccup.
MIN_SECONDS = float(os.environ.get("BENCH_MIN_SECONDS", "2" if QUICK else "5"))
WARMUP = 3 if QUICK else 5  # requests per connection before measuring
SLOW_P99 = 0.150  # s: a dashboard slower than this at p99 gets profiled
PROFILE_SECONDS = 8
# Before each route, wait up to QUIET_WAIT s while processes outside the benchmark use more than
# QUIET_LIMIT of a core; measure again (up to RETRIES times) when they used more than
# OTHERS_LIMIT % of a core during the measurement, and keep the quietest run.
# The waits add up to at most QUIET_BUDGET s per run, so a busy machine cannot stall it.
QUIET_WAIT = float(os.environ.get("BENCH_QUIET_WAIT", "10" if QUICK else "60"))
QUIET_BUDGET = float(os.environ.get("BENCH_QUIET_BUDGET", "60" if QUICK else "900"))
OTHERS_LIMIT, RETRIES = 25.0, 0 if QUICK else 3
_quiet_waited = 0.0
SECRET_KEY = "bench-dashboard-key"
SECTION = "## Dashboards at jam scale"
DOCS = os.path.join(ROOT, "docs", "PERFORMANCE.md")
WORKDIR = os.path.join(ROOT, "test-artifacts", "bench-dashboard")

# (label, path template, credentials): the executive's session cookie or API token.
ROUTES = [
    ("campaign dashboard, page", "/c/{slug}/dashboard", "session"),
    ("campaign dashboard, API", "/api/v1/campaigns/{id}/dashboard", "token"),
    ("site dashboard, page", "/dashboard", "session"),
    ("site dashboard, API", "/api/v1/dashboard", "token"),
    ("leaderboard `sort=best`, API", "/api/v1/campaigns/{id}/ideas?sort=best&per_page=10", "token"),
    ("leaderboard `sort=top`, API", "/api/v1/campaigns/{id}/ideas?sort=top&per_page=10", "token"),
]
BARE = ("BARE Flask hello (baseline)", "/hello", None)
DASHBOARD_ROUTES = [label for label, path, _c in ROUTES if "dashboard" in path]


# --- databases -----------------------------------------------------------------------------

def migration_head():
    """The newest revision in migrations/versions (the one no other revision revises)."""
    revisions, parents = set(), set()
    folder = os.path.join(ROOT, "migrations", "versions")
    for name in os.listdir(folder):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(folder, name)) as handle:
            text = handle.read()
        revision = re.search(r"^revision\s*=\s*['\"]([^'\"]+)", text, re.M)
        parent = re.search(r"^down_revision\s*=\s*['\"]([^'\"]+)", text, re.M)
        if revision:
            revisions.add(revision.group(1))
        if parent:
            parents.add(parent.group(1))
    heads = sorted(revisions - parents)
    return "+".join(heads) or "none"


def seed_format():
    from app.jamscale import FORMAT

    return FORMAT


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "BENCH_", "FLASK_"))}
    env.update({"FLASK_APP": "app:create_app", "PYTHONWARNINGS": "ignore", "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": ROOT}, **extra)
    return env


def _remove(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def build_database(ideas):
    """The seeded database for ``ideas`` ideas, built once per migration head and seed format."""
    key = f"jam-{ideas}-m{migration_head()}-f{seed_format()}"
    path = os.path.join(WORKDIR, key + ".sqlite")
    meta_path = os.path.join(WORKDIR, key + ".json")
    if os.path.exists(path) and os.path.exists(meta_path):
        with open(meta_path) as handle:
            meta = json.load(handle)
        log(f"{ideas:,} ideas: cached database {os.path.relpath(path, ROOT)} "
            f"(seeded in {meta['seed_seconds']:.0f} s, {meta['bytes'] / 2**20:.0f} MiB)")
        return path, meta
    for name in os.listdir(WORKDIR):  # databases of this size built for an older schema or seed
        if name.startswith(f"jam-{ideas}-") and not name.startswith(key + "."):
            os.remove(os.path.join(WORKDIR, name))
    building = path + ".building"
    _remove(building)
    env = _env(DATABASE_URL=f"sqlite:///{building}")
    log_path = os.path.join(WORKDIR, f"seed-{ideas}.log")
    with open(log_path, "w") as out:
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       stdout=out, stderr=subprocess.STDOUT)
        upgraded = time.monotonic()
        log(f"{ideas:,} ideas: seeding (log in {os.path.relpath(log_path, ROOT)})...")
        subprocess.run([sys.executable, "-m", "flask", "jam", "seed-scale", "--ideas", str(ideas)], cwd=ROOT,
                       env=env, check=True, stdout=out, stderr=subprocess.STDOUT)
        seeded = time.monotonic()
    prepared = subprocess.run([sys.executable, "-m", "bench.dashboard.prepare", f"sqlite:///{building}"],
                              cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    meta = json.loads(prepared.stdout.strip().splitlines()[-1])
    with open(log_path) as handle:
        seed_log = handle.read()
    counts = {name: int(n.replace(",", "")) for n, name in
              re.findall(r"^\s+([\d,]+)\s+(users|ideas|votes|comments)$", seed_log, re.M)}
    stages = {name: float(s) for name, s in re.findall(r"^  ([a-z ,]+): ([\d.]+) s", seed_log, re.M)}
    for suffix in ("-wal", "-shm"):
        if os.path.exists(building + suffix) and os.path.getsize(building + suffix) == 0:
            os.remove(building + suffix)
    meta.update({"ideas": ideas, "counts": counts, "stages": stages, "upgrade_seconds": upgraded - started,
                 "seed_seconds": seeded - upgraded, "bytes": os.path.getsize(building),
                 "head": migration_head(), "format": seed_format(),
                 "seeded_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")})
    os.replace(building, path)
    with open(meta_path, "w") as handle:
        json.dump(meta, handle, indent=1)
    log(f"{ideas:,} ideas: seeded in {meta['seed_seconds']:.0f} s, {meta['bytes'] / 2**20:.0f} MiB")
    return path, meta


# --- servers -------------------------------------------------------------------------------

class Server(BenchServer):
    """The app (wsgi.py) or the bare baseline, in its own process, on a port of its own."""

    def __init__(self, kind, database=None, *, script=None, database_url=None, extra_env=None, workdir=None):
        self.kind = kind
        port = free_port()
        script = script or ("wsgi.py" if kind == "app" else os.path.join("bench", "dashboard", "bare_server.py"))
        env = _env(ASYNC_MODE="eventlet", PORT=str(port), HOST=HOST, JAM_CONFIG="production",
                   SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SECURE="0", **(extra_env or {}))
        if database or database_url:
            env["DATABASE_URL"] = database_url or f"sqlite:///{database}"
        super().__init__(kind, [script], env, os.path.join(workdir or WORKDIR, f"{kind}-{port}.log"),
                         lambda p: get(p, "/health")[0] == 200, port)


def get(port, path, headers=None, method="GET", body=None):
    """One request on a fresh connection: (status, headers, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _cookies(headers, jar):
    for value in headers.get_all("Set-Cookie") or ():
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def login(port, email, password):
    """Log in through the form, as a browser does: the CSRF token from the page, then POST."""
    status, headers, body = get(port, "/login")
    jar = _cookies(headers, {})
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body) or \
        re.search(rb'value="([^"]+)"[^>]*name="csrf_token"', body)
    if status != 200 or token is None:
        raise RuntimeError(f"GET /login answered {status} without a CSRF token")
    form = urllib.parse.urlencode({"csrf_token": token.group(1).decode(), "email": email, "password": password,
                                   "next": ""})
    status, headers, _body = get(port, "/login", method="POST", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    if status != 302:
        raise RuntimeError(f"POST /login answered {status}, not a redirect")
    return "; ".join(f"{k}={v}" for k, v in _cookies(headers, jar).items())


# --- load ----------------------------------------------------------------------------------

def wait_for_quiet(server):
    """Let a burst of outside work pass (another test suite on the machine), within limits."""
    global _quiet_waited
    started = time.monotonic()
    while True:
        busy, server_cpu = busy_cpu_seconds(), server.cpu_seconds()
        time.sleep(1.0)
        others = busy_cpu_seconds() - busy - (server.cpu_seconds() - server_cpu)
        waited = time.monotonic() - started
        if others <= QUIET_LIMIT or waited >= QUIET_WAIT or _quiet_waited + waited >= QUIET_BUDGET:
            break
    _quiet_waited += waited
    if waited > 1.5:
        log(f"    waited {waited:.0f} s for other processes to calm down (now {100 * others:.0f}% of a core)")


def retries_left():
    return RETRIES if _quiet_waited < QUIET_BUDGET else 0


def measure(server, path, headers):
    """Latency and throughput of one path: checked once, then loaded (again while other processes
    interfered, within limits)."""
    status, _headers, body = get(server.port, path, headers)
    result = {"path": path, "first_status": status, "bytes": len(body)}
    if status != 200:
        result["error"] = body[:300].decode("utf-8", "replace")
        return result
    if "/api/" in path or path == "/hello":
        json.loads(body)  # a real answer, not an error page
    runs = []
    for attempt in range(RETRIES + 1):
        wait_for_quiet(server)
        runs.append(dict(result, **_load(server, path, headers)))
        if runs[-1]["others_cpu"] <= OTHERS_LIMIT:
            break
        if attempt >= retries_left():
            break
        log(f"    other processes used {runs[-1]['others_cpu']:.0f}% of a core meanwhile: measuring again")
    best = min(runs, key=lambda run: run["others_cpu"])
    best["attempts"] = len(runs)
    return best


def _load(server, path, headers):
    """CONNECTIONS connections request one path back to back (bench/common/load.py); latencies
    pooled over them all."""
    counters = {}

    def start():
        counters.update(busy=busy_cpu_seconds(), server=server.cpu_seconds(), wall=time.monotonic())

    part = run_load(server.port, [[raw_request("GET", path, server.port, headers)]] * CONNECTIONS,
                    warmup=WARMUP, quota=REQUESTS, seconds=SECONDS, min_seconds=MIN_SECONDS, on_start=start)
    wall = time.monotonic() - counters["wall"]
    busy = busy_cpu_seconds() - counters["busy"]
    server_cpu = server.cpu_seconds() - counters["server"]
    return {
        "requests": part["requests"], "seconds": part["seconds"], "statuses": part["statuses"],
        "connections": CONNECTIONS, "errors": sum(n for code, n in part["statuses"].items() if code != 200),
        "p50": part["p50"], "p99": part["p99"], "max": part["max"], "rps": part["rps"],
        "server_cpu": 100 * server_cpu / wall, "clients_cpu": 100 * part["client_cpu_seconds"] / wall,
        "others_cpu": max(0.0, 100 * (busy - server_cpu - part["client_cpu_seconds"]) / wall),
    }


# --- profiles ------------------------------------------------------------------------------

def sql_profile(database, meta, paths):
    """Per path: the time per SQL statement and the app's functions (bench/dashboard/sqlprofile.py)."""
    args_path = os.path.join(WORKDIR, "sqlprofile-args.json")
    with open(args_path, "w") as handle:
        json.dump({"database_url": f"sqlite:///{database}", "token": meta["token"], "email": meta["email"],
                   "password": scale_password(), "paths": paths, "repeats": 5}, handle)
    done = subprocess.run([sys.executable, "-m", "bench.dashboard.sqlprofile", args_path], cwd=ROOT,
                          env=_env(), capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        log(f"  SQL profile failed: {done.stderr.strip().splitlines()[-1:]}")
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


def pyspy_profile(server, path, headers, label):
    """py-spy samples the live server while one connection requests ``path`` again and again:
    the share of samples each function of the app (and each leaf frame) appears in."""
    pyspy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    if not os.path.exists(pyspy):
        log("  py-spy not installed: no live profile")
        return None
    out = os.path.join(WORKDIR, "profile-" + re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") + ".txt")
    if os.path.exists(out):
        os.remove(out)
    recorder = subprocess.Popen([pyspy, "record", "--pid", str(server.process.pid), "--format", "raw",
                                 "--duration", str(PROFILE_SECONDS), "--rate", "200", "--nonblocking",
                                 "--output", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    connection = http.client.HTTPConnection(HOST, server.port, timeout=120)
    deadline, requests = time.monotonic() + PROFILE_SECONDS - 1, 0
    while time.monotonic() < deadline:
        connection.request("GET", path, headers=headers)
        connection.getresponse().read()
        requests += 1
    connection.close()
    try:
        recorder.wait(timeout=PROFILE_SECONDS + 30)
    except subprocess.TimeoutExpired:
        recorder.kill()
        recorder.wait()
    if not os.path.exists(out):
        return None
    total, inclusive, leaves = 0, {}, {}
    with open(out) as handle:
        for line in handle:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            count = int(count)
            total += count
            frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
            for frame in set(f for f in frames if "(app/" in f):
                inclusive[frame] = inclusive.get(frame, 0) + count
            leaves[frames[-1]] = leaves.get(frames[-1], 0) + count
    if not total:
        return None
    top = lambda table: [(name, 100 * n / total) for name, n in sorted(table.items(), key=lambda kv: -kv[1])[:10]]
    return {"samples": total, "requests": requests, "path": os.path.relpath(out, ROOT),
            "app": top(inclusive), "leaves": top(leaves)}


def scale_password():
    from app.jamscale import SCALE_PASSWORD

    return SCALE_PASSWORD


# --- one size ------------------------------------------------------------------------------

def run_size(ideas, profile):
    database, meta = build_database(ideas)
    campaign = meta["campaign"]
    result = {"ideas": ideas, "meta": {k: v for k, v in meta.items() if k != "token"}, "routes": {}}
    bare = Server("bare")
    try:
        log(f"  {BARE[0]}")
        result["routes"][BARE[0]] = measure(bare, BARE[1], {})
        _log_route(result["routes"][BARE[0]])
    finally:
        bare.stop()
    app = Server("app", database)
    try:
        credentials = {"session": {"Cookie": login(app.port, meta["email"], scale_password())},
                       "token": {"Authorization": f"Bearer {meta['token']}"}}
        for label, template, kind in ROUTES:
            path = template.format(slug=campaign["slug"], id=campaign["id"])
            log(f"  {label}: GET {path}")
            measured = result["routes"][label] = measure(app, path, credentials[kind])
            _log_route(measured)
            if profile and label in DASHBOARD_ROUTES and measured.get("p99", 0) > SLOW_P99:
                measured["live_profile"] = pyspy_profile(app, path, credentials[kind], f"{ideas}-{label}")
    finally:
        app.stop()
    if profile:
        paths = {label: template.format(slug=campaign["slug"], id=campaign["id"])
                 for label, template, _kind in ROUTES}
        profiles = sql_profile(database, meta, list(paths.values()))
        for label, path in paths.items():
            if path in profiles:
                result["routes"][label]["profile"] = profiles[path]
    return result


def _log_route(measured):
    if "error" in measured or "p99" not in measured:
        log(f"    answered {measured['first_status']}: not measured")
        return
    log(f"    {measured['requests']} requests in {measured['seconds']:.1f} s: p50 {fmt_ms(measured['p50'])} ms, "
        f"p99 {fmt_ms(measured['p99'])} ms, {measured['rps']:.0f}/s, {measured['errors']} errors, "
        f"{measured['bytes'] / 1024:.0f} KiB; server CPU {measured['server_cpu']:.0f}%, "
        f"clients {measured['clients_cpu']:.0f}%, others {measured['others_cpu']:.0f}%")


# --- the report ----------------------------------------------------------------------------

def fmt_ms(seconds):
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    value = seconds * 1000
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _size_label(ideas):
    return f"{ideas // 1000}k" if ideas % 1000 == 0 else f"{ideas:,}"


def _route(results, ideas, label):
    for result in results:
        if result["ideas"] == ideas:
            return result["routes"].get(label)
    return None


def _cell(measured):
    if measured is None:
        return "–", "–"
    if "p99" not in measured:
        return f"HTTP {measured['first_status']}", "–"
    errors = f" ({measured['errors']} errors)" if measured["errors"] else ""
    noisy = " †" if measured.get("others_cpu", 0) > OTHERS_LIMIT else ""
    return f"{fmt_ms(measured['p50'])} / {fmt_ms(measured['p99'])}{errors}{noisy}", f"{measured['rps']:.0f}"


def _ratio(a, b):
    if not a or not b or "p99" not in a or "p99" not in b:
        return "–"
    return f"{a['p99'] / b['p99']:.1f}×"


def _quiet(measured):
    return measured is not None and "p99" in measured and measured.get("others_cpu", 0) <= OTHERS_LIMIT


def quietest_bare(results):
    """The BARE route does not depend on the data: its quietest measurement of the run."""
    runs = [r["routes"][BARE[0]] for r in results if "p99" in r["routes"].get(BARE[0], {})]
    return min(runs, key=lambda m: (m["others_cpu"] > OTHERS_LIMIT, m["p99"]), default=None)


def latency_table(results, sizes):
    largest, smallest = max(sizes), min(sizes)
    header = "| route |" + "".join(f" {_size_label(n)}: p50 / p99 ms | {_size_label(n)}: req/s |" for n in sizes)
    header += f" p99 ÷ BARE p99 ({_size_label(largest)}) | p99 {_size_label(largest)} ÷ {_size_label(smallest)} |"
    lines = [header, "|---|" + "---:|---:|" * len(sizes) + "---:|---:|"]
    bare = quietest_bare(results)
    for label in [label for label, _p, _k in ROUTES] + [BARE[0]]:
        cells = []
        for n in sizes:
            cells += list(_cell(_route(results, n, label)))
        big, small = _route(results, largest, label), _route(results, smallest, label)
        name = f"**{label}**" if label == BARE[0] else label
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_ratio(big, bare) if label != BARE[0] else '–'}"
                     f" | {_ratio(big, small) if len(sizes) > 1 else '–'} |")
    return lines


def paths_table(results, sizes):
    result = next(r for r in results if r["ideas"] == max(sizes))
    lines = ["| route | request | answer size |", "|---|---|---:|"]
    for label, _t, kind in ROUTES:
        measured = result["routes"].get(label)
        if measured:
            who = "session cookie (login form)" if kind == "session" else "`Authorization: Bearer` token"
            lines.append(f"| {label} | `GET {measured['path']}`, {who} | {measured['bytes'] / 1024:.0f} KiB |")
    return lines


def data_table(results):
    lines = ["| size | people | ideas | votes | comments | ideas in the measured campaign | seeding | database file |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for result in results:
        meta = result["meta"]
        counts = meta.get("counts", {})
        lines.append(f"| {_size_label(result['ideas'])} | {counts.get('users', 0):,} | {counts.get('ideas', 0):,} | "
                     f"{counts.get('votes', 0):,} | {counts.get('comments', 0):,} | {meta['campaign']['ideas']:,} | "
                     f"{meta['seed_seconds']:.0f} s | {meta['bytes'] / 2**20:,.0f} MiB |")
    return lines


def stage_note(results):
    biggest = max(results, key=lambda r: r["ideas"])["meta"]
    stages = biggest.get("stages", {})
    if not stages:
        return []
    slow = sorted(stages.items(), key=lambda kv: -kv[1])[:4]
    return ["", f"Seeding {_size_label(biggest['ideas'])} took {biggest['seed_seconds']:.0f} s in all (plus "
            f"{biggest['upgrade_seconds']:.0f} s of migrations); the longest stages: "
            + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in slow) + "."]


def profile_lines(results, sizes):
    result = next(r for r in results if r["ideas"] == max(sizes))
    slow = [(label, m) for label, m in result["routes"].items()
            if label in [l for l, _p, _k in ROUTES] and m.get("p99", 0) > SLOW_P99]
    lines = ["", f"**Where the time goes at {_size_label(max(sizes))}.** Each route once more in-process, one "
             "request at a time (bench/dashboard/sqlprofile.py: SQLAlchemy cursor events time each statement, "
             "cProfile the Python):", "",
             "| route | one request alone | of which SQL | statements | slowest statement |",
             "|---|---:|---:|---:|---:|"]
    for label, _t, _k in ROUTES:
        profile = result["routes"].get(label, {}).get("profile")
        if not profile:
            continue
        statements = profile["statements"]
        calls = sum(s["calls"] for s in statements)
        slowest = f"{statements[0]['ms']:.1f} ms" if statements else "–"
        lines.append(f"| {label} | {profile['median_ms']:.1f} ms | {profile['sql_ms']:.1f} ms | {calls:.0f} | "
                     f"{slowest} |")
    if not slow:
        lines += ["", f"No route's p99 passed {SLOW_P99 * 1000:.0f} ms at {_size_label(max(sizes))}, so none was "
                  "profiled further."]
        return lines
    for label, measured in slow:
        profile = measured.get("profile") or {}
        lines += ["", f"*{label}* (p99 {fmt_ms(measured['p99'])} ms under load; "
                  f"{profile.get('median_ms', math.nan):.0f} ms alone, {profile.get('sql_ms', math.nan):.0f} ms "
                  "of it in SQL). The statements that take longest per request:", ""]
        for statement in profile.get("statements", [])[:3]:
            sql = statement["sql"] if len(statement["sql"]) <= 240 else statement["sql"][:240] + "…"
            lines.append(f"- {statement['ms']:.1f} ms ({statement['calls']:g} per request): `{sql}`")
        functions = [f for f in profile.get("functions", []) if "/domain/" in f["function"]][:6]
        if functions:
            lines += ["", "The app's domain functions by cumulative time (cProfile, one request): "
                      + "; ".join(f"`{f['function']}` {f['ms']:.0f} ms" for f in functions) + "."]
        live = measured.get("live_profile")
        if live:
            lines += ["", f"Live server, py-spy ({live['samples']} samples over {live['requests']} requests, one "
                      f"connection; raw stacks in {live['path']}): "
                      + "; ".join(f"`{name}` {share:.0f}%" for name, share in live["app"][:6]) + "."]
    return lines


def conclusions(results, sizes):
    largest, smallest = max(sizes), min(sizes)
    lines = []
    measured = [(label, _route(results, largest, label)) for label, _p, _k in ROUTES]
    missing = [label for label, m in measured if m is not None and "p99" not in m]
    if missing:
        lines.append("- Not measured (the route did not answer 200): " + ", ".join(
            f"{label} (HTTP {_route(results, largest, label)['first_status']})" for label in missing) + ".")
    big = results[[r["ideas"] for r in results].index(largest)]
    alone = {label: m["profile"]["median_ms"] for label, m in big["routes"].items() if m.get("profile")}
    sql = {label: m["profile"]["sql_ms"] for label, m in big["routes"].items() if m.get("profile")}
    dashboards = [label for label in DASHBOARD_ROUTES if label in alone]
    if dashboards:
        lines.append("- Alone, one request at a time, the dashboards take "
                     + ", ".join(f"{alone[label]:.0f} ms ({label})" for label in dashboards)
                     + f" at {_size_label(largest)} ideas, of which SQL is "
                     + f"{min(sql[label] for label in dashboards):.1f}–"
                     + f"{max(sql[label] for label in dashboards):.1f} ms: they read kept tallies and a few "
                     "index ranges, and the rest is Python (the ORM building objects, the domain assembling "
                     "the board, Jinja rendering the page).")
    quiet = [(label, m) for label, m in measured if _quiet(m)]
    over = [(label, m) for label, m in quiet if label in DASHBOARD_ROUTES and m["p99"] > SLOW_P99]
    if over:
        lines.append(f"- Under load ({CONNECTIONS} requests in flight against one server process) every request "
                     f"waits for the ones ahead of it, so p99 is several times the time alone: at "
                     f"{_size_label(largest)} ideas " + ", ".join(
                         f"{fmt_ms(m['p99'])} ms ({label})" for label, m in over)
                     + f", above the {SLOW_P99 * 1000:.0f} ms budget. The data size is not the cause (see the "
                     "growth column); the time per request in Python is, and so is one process per core.")
    bare = quietest_bare(results)
    if bare and quiet:
        worst = max(quiet, key=lambda lm: lm[1]["p99"])
        lines.append(f"- The BARE Flask route answers at p99 {fmt_ms(bare['p99'])} ms and "
                     f"{bare['rps']:,.0f} requests/s on the same server and machine; the slowest route measured "
                     f"quietly at {_size_label(largest)}, the {worst[0]}, is {worst[1]['p99'] / bare['p99']:.0f}× "
                     "its p99.")
    if len(sizes) > 1:
        growth = []
        for label, m in quiet:
            small = _route(results, smallest, label)
            if _quiet(small):
                growth.append((m["p99"] / small["p99"], label))
        if growth:
            growth.sort()
            lines.append(f"- From {_size_label(smallest)} to {_size_label(largest)} ideas ({largest / smallest:.0f}× "
                         f"the data) p99 changes by {growth[0][0]:.1f}× ({growth[0][1]}) to "
                         f"{growth[-1][0]:.1f}× ({growth[-1][1]}) for the routes measured on a quiet machine at both "
                         "sizes: flat, within the noise of a shared two-core machine.")
    uneven = [(n, label) for r in results for label, m in r["routes"].items()
              for n in [r["ideas"]] if "p99" in m and m["p50"] < 0.5 * CONNECTIONS / m["rps"]]
    if uneven:
        lines.append("- Uneven service: in " + ", ".join(f"{label} at {_size_label(n)}" for n, label in uneven)
                     + " p50 is below the time the server spends per request times the connections in flight, "
                     "so some connections were served back to back while others waited (the long p99). eventlet "
                     "lets a keep-alive connection whose next request is already there go on without yielding; "
                     "it showed while outside processes took a core.")
    return lines


def machine_info():
    return machine(("eventlet", "Flask", "Werkzeug", "Jinja2", "SQLAlchemy", "Flask-SQLAlchemy", "numpy"))


def report(results, info, command, started, duration):
    sizes = [r["ideas"] for r in results]
    others = max((m.get("others_cpu", 0.0) for r in results for m in r["routes"].values()), default=0.0)
    lines = [SECTION, "",
             f"Measured {started} in {duration / 60:.1f} minutes by `{command}` (bench/dashboard/; QUICK=1 "
             "for a smoke run that writes to test-artifacts/ instead).", "",
             machine_line(info), "",
             "**Data.** For each size an empty SQLite file is built by the migrations (`flask db upgrade`) and "
             "filled by `flask jam seed-scale --ideas N` (app/jamscale.py: people, votes and comments in the "
             "proportions of an IBM Innovation Jam, written in bulk, counters and dashboard tallies set from the "
             "rows). Three campaigns: a 72-hour jam open for about 60 hours that holds 85% of the ideas (the "
             "campaign measured below), a smaller open partner jam and a closed staff campaign. Built databases "
             "are cached in test-artifacts/bench-dashboard/ by size, migration head and seed format.", ""]
    lines += data_table(results) + stage_note(results)
    lines += ["", f"**Method.** The app runs as in production: `wsgi.py` (JAM_CONFIG=production, one eventlet "
              "process, SQLite in WAL mode) on the seeded file, on a free port. The jam's executive logs in through "
              "the login form (CSRF token from the page) for the pages and uses an API token for the API. For each "
              f"route, one client process (asyncio on uvloop) keeps {CONNECTIONS} HTTP/1.1 connections alive; each "
              f"sends {WARMUP} warm-up requests, then all request the route back to back until {REQUESTS:,} "
              f"requests are done (but for at least {MIN_SECONDS:g} s) or {SECONDS:g} s have passed; latency "
              "is from sending the request to reading the whole answer, "
              f"pooled over all connections (p50, p99), and req/s is requests answered over the measuring time. "
              f"With {CONNECTIONS} requests always in flight against one process, a request's latency is about "
              f"{CONNECTIONS} times the server time it needs. The BARE baseline is measured in the same run, at "
              "every size: `bench/dashboard/bare_server.py`, a Flask app with one JSON route and nothing else, "
              "under the same eventlet WSGI server. Server and clients share the machine's cores; before each "
              f"route the run waits (up to {QUIET_WAIT:g} s, {QUIET_BUDGET:g} s in all) for outside processes to "
              "calm down, measures again "
              f"when they used more than {OTHERS_LIMIT:.0f}% of a core meanwhile, and keeps the quietest try; "
              f"during the measurements kept they used at most {others:.0f}% of a core.", ""]
    lines += paths_table(results, sizes)
    lines += ["", "Latency in ms (p50 / p99) and requests per second, by data size:", ""]
    lines += latency_table(results, sizes)
    noisy = [m for r in results for m in r["routes"].values() if m.get("others_cpu", 0) > OTHERS_LIMIT]
    if noisy:
        lines += ["", f"† Processes outside the benchmark used more than {OTHERS_LIMIT:.0f}% of a core during this "
                  f"measurement (after {RETRIES + 1} tries), so it is slower than it would be on a quiet machine."]
    lines += profile_lines(results, sizes)
    lines += ["", "**Conclusions.**", ""] + conclusions(results, sizes)
    return "\n".join(lines) + "\n"


def report_from(path):
    """BENCH_REPORT_FROM=results.json: write the report again from a finished run's figures."""
    with open(path) as handle:
        saved = json.load(handle)
    meta = saved["meta"]
    output = os.environ.get("BENCH_OUTPUT") or DOCS
    write_section(output, report(saved["results"], saved["machine"], meta["command"], meta["started"],
                                 meta["duration"]))
    log(f"report written to {os.path.relpath(output, ROOT)} from {path}")


def main():
    import signal

    if os.environ.get("BENCH_REPORT_FROM"):
        return report_from(os.environ["BENCH_REPORT_FROM"])
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    started_wall = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    started = time.monotonic()
    os.makedirs(WORKDIR, exist_ok=True)
    info = machine_info()
    log(f"bench-dashboard: sizes {SIZES}, {CONNECTIONS} connections, {REQUESTS} requests or {SECONDS:g} s per "
        f"route{' (QUICK)' if QUICK else ''}; files in {os.path.relpath(WORKDIR, ROOT)}/")
    for ideas in SIZES:  # seeding first, so the measurements run back to back
        build_database(ideas)
    wait_for_idle_machine(float(os.environ.get("BENCH_QUIET_START", "30" if QUICK else "120")))
    results = []
    for ideas in SIZES:
        log(f"{ideas:,} ideas:")
        results.append(run_size(ideas, profile=ideas == max(SIZES)))
    duration = time.monotonic() - started
    command = "QUICK=1 make bench-dashboard" if QUICK else "make bench-dashboard"
    meta = {"started": started_wall, "duration": duration, "command": command}
    output = save_and_write({"machine": info, "results": results, "meta": meta}, WORKDIR, QUICK, DOCS,
                            report(results, info, command, started_wall, duration), ROOT)
    log(f"done in {duration / 60:.1f} min; report written to {output}")


if __name__ == "__main__":
    main()
