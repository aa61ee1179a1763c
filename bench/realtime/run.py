"""The live-update benchmark: `make bench-realtime`, or `python -m bench.realtime`.

For each async mode (eventlet, gevent) and N clients joined to ONE campaign, once against
the real app (wsgi.py on a SQLite database built by the migrations) and once against a
BARE python-socketio broadcast server (bench/realtime/bare_server.py), each on a fresh
server process:

1. latency from a vote's HTTP response to each client holding that vote's counts
   (p50, p99 over all deliveries; time-to-last = median over rounds of the slowest client);
2. server RSS per 1,000 connections;
3. (1,000 clients) the highest vote rate at which every client sees every count within 1 s;
4. connecting and holding 5,000 clients in one server process.

QUICK=1: 200 and 1,000 clients, fewer rounds and rates, and the report goes to
test-artifacts/ instead of docs/PERFORMANCE.md. Other knobs: BENCH_MODES=eventlet,gevent,
BENCH_CLIENTS=200,1000,..., BENCH_ROUNDS, BENCH_RATES=10,20,..., BENCH_PROFILE=0 (skip py-spy),
BENCH_OUTPUT=path of the report.
"""
import http.client
import json
import math
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

from bench.common.process import (HOST, QUIET_LIMIT, ROOT, BenchServer, busy_cpu_seconds, free_port,
                                   log, wait_for_idle_machine)
from bench.common.report import machine, machine_line, write_section
from bench.realtime.sioclient import ClientPool, raise_open_file_limit

QUICK = os.environ.get("QUICK", "") not in ("", "0")


def _env_list(name, default, kind=str):
    value = os.environ.get(name)
    if value is None:
        return default
    return [kind(item) for item in value.split(",") if item.strip() and item.strip() != "none"]


MODES = _env_list("BENCH_MODES", ["eventlet", "gevent"])
CLIENTS = _env_list("BENCH_CLIENTS", [200, 1000] if QUICK else [200, 1000, 2000, 5000], int)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10" if QUICK else "30"))
WARMUP_ROUNDS = 2
MIN_SPACING = 0.55  # s between votes of the latency rounds: more than COUNTS_INTERVAL (0.3 s)
ROUND_TIMEOUT = 5.0  # s a latency round waits for its last client
# Before each measurement, wait (at most QUIET_WAIT s, QUIET_BUDGET s in all) while processes
# outside the benchmark keep more than QUIET_LIMIT of a core busy: they share our two cores.
QUIET_WAIT, QUIET_BUDGET = 10.0, 60.0
RATES = _env_list("BENCH_RATES", [10, 30] if QUICK else [10, 20, 30, 50, 100, 200], int)
RATE_SECONDS = float(os.environ.get("BENCH_RATE_SECONDS", "3" if QUICK else "5"))
RATE_CLIENTS = 1000
DEADLINE = 1.0  # seconds within which every client must see every vote in the rate test
VOTE_THREADS = 16
PROFILE = os.environ.get("BENCH_PROFILE", "1") not in ("", "0")
VOTERS, IDEAS = 80, 40
SECTION = "## Live updates (sockets)"
REALTIME_PACKAGES = ("eventlet", "gevent", "greenlet", "python-socketio", "python-engineio", "Flask-SocketIO",
                     "simple-websocket", "Flask", "SQLAlchemy", "uvloop")
DOCS = os.path.join(ROOT, "docs", "PERFORMANCE.md")
WORKDIR = os.path.join(ROOT, "test-artifacts", "bench-realtime")


class Server(BenchServer):
    """The app (wsgi.py) or the bare baseline, under the GC probe, on a port of its own."""

    def __init__(self, kind, mode, database_url=None):
        self.kind, self.mode = kind, mode
        port = free_port()
        script = "wsgi.py" if kind == "app" else os.path.join("bench", "realtime", "bare_server.py")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "BENCH_"))}
        env.update({"ASYNC_MODE": mode, "PORT": str(port), "HOST": HOST, "PYTHONUNBUFFERED": "1",
                    "JAM_CONFIG": "production", "SECRET_KEY": "bench-realtime-key",
                    "FLASK_APP": "app:create_app", "PYTHONWARNINGS": "ignore",
                    "PYTHONPATH": ROOT})  # the bare server imports app.serving, as wsgi.py does
        if database_url:
            env["DATABASE_URL"] = database_url
        self.gc_path = os.path.join(WORKDIR, f"{kind}-{mode}-{port}.gc")
        probe = os.path.join("bench", "realtime", "gc_probe.py")
        super().__init__(kind, [probe, self.gc_path, script], env,
                         os.path.join(WORKDIR, f"{kind}-{mode}-{port}.log"),
                         lambda p: Http(p, timeout=2).request("GET", "/health")[0] == 200, port)

    def gc_pauses(self, start, end):
        """(generation, seconds) of the collections that ended between start and end."""
        pauses = []
        if os.path.exists(self.gc_path):
            with open(self.gc_path) as handle:
                for line in handle:
                    at, generation, seconds = line.split()
                    if start <= float(at) <= end:
                        pauses.append((int(generation), float(seconds)))
        return pauses


class Http:
    """One keep-alive HTTP/1.1 connection; reconnects once if the server dropped it."""

    def __init__(self, port, timeout=30):
        self.port, self.timeout, self.connection = port, timeout, None

    def request(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = json.dumps(body) if body is not None else None
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, payload, headers)
                response = self.connection.getresponse()
                data = response.read()
                answered = time.monotonic()
                try:
                    decoded = json.loads(data) if data else None
                except ValueError:
                    decoded = None
                return response.status, decoded, answered
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


# --- what a "vote" is for each server ----------------------------------------------------

class AppTarget:
    """Real votes: each (voter, idea) pair votes once, so every vote adds one to the
    idea's total (up + down) and "counts at least as new" means "total at least as large"."""

    kind = "app"

    def __init__(self, jam):
        self.campaign_id = jam["campaign_id"]
        ideas, tokens = jam["idea_ids"], jam["voter_tokens"]
        # Latency rounds vote on the first idea; the rate test spreads over the others.
        self.latency_items = iter([(token, idea) for idea in (ideas[0], ideas[-1]) for token in tokens])
        self.rate_items = iter([(token, idea) for token in tokens for idea in ideas[1:-1]])
        self.flip = 0

    def next_item(self, for_rate):
        token, idea = next(self.rate_items if for_rate else self.latency_items)
        self.flip += 1
        return token, idea, "up" if self.flip % 3 else "down"

    def send(self, conn, item):
        token, idea, value = item
        status, data, answered = conn.request("PUT", f"/api/v1/ideas/{idea}/vote", {"value": value}, token)
        total = data["up_count"] + data["down_count"] if status == 200 else None
        return str(idea), total, answered, status


class BareTarget:
    """The bare server echoes counts it is given: each broadcast adds one to a counter."""

    kind = "bare"

    def __init__(self, campaign_id=1, ideas=40):
        self.campaign_id, self.ideas = campaign_id, ideas
        self.totals = {}
        self.n = 0

    def next_item(self, for_rate):
        idea = 1 + (self.n % (self.ideas - 1)) + 1 if for_rate else 1
        self.n += 1
        self.totals[idea] = self.totals.get(idea, 0) + 1
        return idea, self.totals[idea]

    def send(self, conn, item):
        idea, total = item
        status, data, answered = conn.request("POST", "/broadcast", {
            "campaign_id": self.campaign_id, "idea_id": idea, "up_count": total, "down_count": 0,
            "score": total})
        return str(idea), (data["up_count"] + data["down_count"] if status == 200 else None), answered, status


# --- measurements --------------------------------------------------------------------------

def percentile(values, fraction):
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(math.ceil(fraction * len(ordered))) - 1)]


def own_cpu_seconds():
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


_quiet_waited = 0.0


def wait_for_quiet(pool, server):
    """Let a burst of outside work (another test suite on the machine) pass, within limits."""
    global _quiet_waited
    started = time.monotonic()
    while True:
        before, server_cpu, busy, own = pool.stats(), server.cpu_seconds(), busy_cpu_seconds(), own_cpu_seconds()
        time.sleep(1.0)
        ours = (server.cpu_seconds() - server_cpu) + (own_cpu_seconds() - own) + \
            (sum(pool.stats()["cpu"]) - sum(before["cpu"]))
        others = busy_cpu_seconds() - busy - ours
        waited = time.monotonic() - started
        if others <= QUIET_LIMIT or waited >= QUIET_WAIT or _quiet_waited + waited >= QUIET_BUDGET:
            break
    if waited > 1.5:
        _quiet_waited += waited
        log(f"  waited {waited:.0f} s for other processes to calm down (now {100 * others:.0f}% of a core)")


def measure_latency(pool, server, target, rounds):
    """One vote at a time: the next vote goes out once every client has the previous one
    (or after ROUND_TIMEOUT s), and never sooner than MIN_SPACING s after it, so coalescing
    never merges two votes and no round queues behind the last one."""
    conn = Http(server.port)

    def one_round():
        try:
            key, total, answered, status = target.send(conn, target.next_item(False))
        except (OSError, http.client.HTTPException):
            return None
        if status != 200:
            return None
        pool.broadcast("wait_for", key, total, ROUND_TIMEOUT, timeout=ROUND_TIMEOUT + 30)
        time.sleep(max(0.0, answered + MIN_SPACING - time.monotonic()))
        return key, total, answered

    for _ in range(WARMUP_ROUNDS):
        one_round()
    wait_for_quiet(pool, server)
    pool.broadcast("reset")
    before, server_cpu, started = pool.stats(), server.cpu_seconds(), time.monotonic()
    busy, own = busy_cpu_seconds(), own_cpu_seconds()
    votes, failed = [], 0
    for _ in range(rounds):
        vote = one_round()
        if vote:
            votes.append(vote)
        else:
            failed += 1
    after, wall = pool.stats(), time.monotonic() - started
    server_cpu = server.cpu_seconds() - server_cpu
    busy, own = busy_cpu_seconds() - busy, own_cpu_seconds() - own
    clients_cpu = sum(after["cpu"]) - sum(before["cpu"])
    pauses = server.gc_pauses(started, started + wall)
    latencies = pool.evaluate(votes, True)
    finite = [x for per_round in latencies for x in per_round if x != math.inf]
    missing = sum(1 for per_round in latencies for x in per_round if x == math.inf)
    slowest = [max(per_round) for per_round in latencies]
    return {
        "rounds": len(votes), "failed_votes": failed,
        "spacing": (votes[-1][2] - votes[0][2]) / (len(votes) - 1) if len(votes) > 1 else math.nan,
        "p50": percentile(finite, 0.50), "p99": percentile(finite, 0.99),
        "max": max(finite, default=math.nan),
        "last": statistics.median(slowest) if slowest else math.nan,
        "per_round_last": slowest,
        "missing": missing, "deliveries": len(finite),
        "server_cpu": 100 * server_cpu / wall,
        "client_cpu": [100 * (b - a) / wall for a, b in zip(before["cpu"], after["cpu"])],
        "client_lag": after["max_lag"], "open": after["open"],
        "others_cpu": max(0.0, 100 * (busy - server_cpu - clients_cpu - own) / wall),
        "gc_max": max((p for _g, p in pauses), default=0.0),
        "gc_full": sum(1 for g, _p in pauses if g == 2),
        "gc_total": sum(p for _g, p in pauses),
    }


def drive_votes(port, target, items, rate):
    """Send items at `rate` per second, open loop, over VOTE_THREADS keep-alive connections."""
    jobs, results = queue.Queue(), []
    lock = threading.Lock()

    def worker():
        conn = Http(port)
        while True:
            job = jobs.get()
            if job is None:
                return
            scheduled, item = job
            try:
                outcome = target.send(conn, item)
            except (OSError, http.client.HTTPException) as error:
                outcome = (None, None, time.monotonic(), f"{type(error).__name__}")
            with lock:
                results.append((scheduled, *outcome))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(VOTE_THREADS)]
    for thread in threads:
        thread.start()
    started = time.monotonic() + 0.05
    for i, item in enumerate(items):
        at = started + i / rate
        time.sleep(max(0.0, at - time.monotonic()))
        jobs.put((at, item))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join(60)
    return started, results


def measure_rates(pool, server, target, rates, stop_after_failures):
    """Each rate for RATE_SECONDS; stops after `stop_after_failures` failures in a row."""
    steps, failures = [], 0
    for rate in rates:
        count = int(rate * RATE_SECONDS)
        try:
            items = [target.next_item(True) for _ in range(count)]
        except StopIteration:
            log(f"  {rate} votes/s: not run, no unused (voter, idea) pairs left")
            break
        wait_for_quiet(pool, server)
        pool.broadcast("reset")
        before, server_cpu = pool.stats(), server.cpu_seconds()
        started, results = drive_votes(server.port, target, items, rate)
        server_cpu = (server.cpu_seconds() - server_cpu) / max(1e-9, time.monotonic() - started)
        time.sleep(2.0)
        after = pool.stats()
        ok = [(key, total, answered) for _s, key, total, answered, status in results if status == 200]
        errors = len(results) - len(ok) + (count - len(results))
        last_answer = max((r[3] for r in results), default=started)
        achieved = len(ok) / max(1e-9, last_answer - started)
        per_vote = pool.evaluate(ok, False)
        worst = max((w for w, _late in per_vote), default=math.nan)
        late = sum(n for _w, n in per_vote)
        http_lag = [answered - scheduled for scheduled, _k, _t, answered, _s in results]
        passed = errors == 0 and achieved >= 0.9 * rate and late == 0 and after["open"] == RATE_CLIENTS
        step = {"rate": rate, "votes": count, "errors": errors, "achieved": achieved,
                "worst": worst, "late": late, "http_p99": percentile(http_lag, 0.99),
                "events_per_s": (after["events"] - before["events"]) / RATE_CLIENTS / RATE_SECONDS,
                "open": after["open"], "server_cpu": 100 * server_cpu, "passed": passed}
        steps.append(step)
        log(f"  {rate:>4} votes/s: {'PASS' if passed else 'fail'}  sent {achieved:.0f}/s, "
            f"worst delivery {fmt_ms(worst)} ms, {late} late, HTTP p99 {fmt_ms(step['http_p99'])} ms, "
            f"{step['events_per_s']:.1f} events/s per client, server CPU {step['server_cpu']:.0f}%, "
            f"{errors} errors")
        time.sleep(1.0)
        failures = 0 if passed else failures + 1
        if failures >= stop_after_failures:
            break
    return steps


def profile_app(server, target, steps):
    """py-spy (sampling, idle time included) on the app server, after the measurements: once
    while votes come one at a time (the latency rounds' pace), once during a burst at the
    lowest vote rate that failed (or the highest tested). Shares of wall-clock samples."""
    pyspy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    if not os.path.exists(pyspy):
        log("  py-spy not installed: no profile")
        return None
    failed = [s["rate"] for s in steps if not s["passed"]]
    burst = min(failed) if failed else max((s["rate"] for s in steps), default=None)
    profiles = {}
    for label, rate, seconds in (("one vote every 0.55 s", None, PROFILE_SECONDS),
                                 (f"{burst} votes/s", burst, PROFILE_BURST_SECONDS)):
        if label.startswith("None"):
            continue
        out = os.path.join(WORKDIR, f"{'quick-' if QUICK else ''}profile-{server.mode}-"
                                    f"{'burst' if rate else 'paced'}.txt")
        if os.path.exists(out):
            os.remove(out)
        recorder = subprocess.Popen(
            [pyspy, "record", "--pid", str(server.process.pid), "--format", "raw", "--idle",
             "--duration", str(seconds), "--rate", "250", "--nonblocking", "--output", out],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        votes = 0
        try:
            if rate:
                items = [target.next_item(True) for _ in range(int(rate * (seconds - 0.5)))]
                votes = len(drive_votes(server.port, target, items, rate)[1])
            else:
                conn = Http(server.port)
                deadline = time.monotonic() + seconds - 0.5
                while time.monotonic() < deadline:
                    target.send(conn, target.next_item(False))
                    votes += 1
                    time.sleep(0.55)
        except StopIteration:
            pass
        try:
            recorder.wait(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            recorder.kill()
            recorder.wait()
        summary = summarize_profile(out) if os.path.exists(out) else None
        if summary:
            summary.update({"votes": votes, "seconds": seconds})
            profiles[label] = summary
            log(f"  profile ({label}): " + ", ".join(f"{k} {v:.0f}%" for k, v in summary["parts"].items()))
        time.sleep(1.0)
    return profiles or None


PROFILE_SECONDS = 8
PROFILE_BURST_SECONDS = 5
# (label, pattern): a sample counts for the first label one of whose patterns is in its stack.
PROFILE_PARTS = [
    ("blocked in SQLite commit (fsync)", re.compile(r"\bdo_commit \(sqlalchemy/")),
    ("emit: queueing the message for each client",
     re.compile(r"\b_send_eio_packet \(socketio/|\bemit \(socketio/(base_)?manager\.py")),
    ("websocket writers: sending frames to clients",
     re.compile(r"\bwriter \(engineio/socket\.py|simple_websocket/|eventlet/websocket\.py")),
    ("HTTP requests in Flask (votes: auth, ORM, SQL)", re.compile(r"\bFlask\.wsgi_app \(flask/app\.py")),
    ("counts coalescer (its SQL)", re.compile(r"\bflush_vote_counts \(app/realtime\.py")),
    ("idle (hub waiting for I/O)", re.compile(r"^(Hub\.do_poll \(eventlet/hubs/|Hub\.run \(gevent/hub\.py)")),
]


def summarize_profile(path):
    totals, parts, own = 0, {label: 0 for label, _ in PROFILE_PARTS}, {}
    with open(path) as handle:
        for line in handle:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            count = int(count)
            totals += count
            frames = stack.split(";")
            leaf = re.sub(r":\d+\)$", ")", frames[-1])
            for label, pattern in PROFILE_PARTS:
                if label.startswith("idle"):
                    if pattern.search(leaf):
                        parts[label] += count
                        break
                elif any(pattern.search(frame) for frame in frames):
                    parts[label] += count
                    break
            own[leaf] = own.get(leaf, 0) + count
    if not totals:
        return None
    parts = {k: 100 * v / totals for k, v in parts.items()}
    parts["other"] = max(0.0, 100 - sum(parts.values()))
    top = sorted(own.items(), key=lambda kv: -kv[1])[:8]
    return {"samples": totals, "parts": parts, "top": [(name, 100 * n / totals) for name, n in top],
            "path": os.path.relpath(path, ROOT)}


# --- one server, N clients -----------------------------------------------------------------

def run_one(pool, kind, mode, n, template, jam):
    database_url = None
    if kind == "app":
        path = os.path.join(WORKDIR, f"jam-{mode}-{n}.sqlite")
        for suffix in ("-wal", "-shm"):  # a stale write-ahead log would corrupt the fresh copy
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        shutil.copyfile(template, path)
        database_url = f"sqlite:///{path}"
        target = AppTarget(jam)
    else:
        target = BareTarget(jam["campaign_id"], len(jam["idea_ids"]))
    server = Server(kind, mode, database_url)
    result = {"kind": kind, "mode": mode, "clients": n}
    try:
        # Warm up: a few connections and one vote, so lazy imports and caches are paid for.
        pool.connect(HOST, server.port, 4, target.campaign_id)
        status = target.send(Http(server.port), target.next_item(False))[3]
        if status != 200:
            raise RuntimeError(f"a warm-up vote on the {kind} server answered {status}; see {server.log_path}")
        time.sleep(0.3)
        pool.broadcast("close")
        time.sleep(0.5)
        rss_idle = server.rss_mib()
        connected = pool.connect(HOST, server.port, n, target.campaign_id)
        time.sleep(1.0)
        rss_full = server.rss_mib()
        result.update({"joined": connected["joined"], "connect_s": connected["seconds"],
                       "connect_errors": connected["errors"], "rss_idle": rss_idle, "rss_full": rss_full,
                       "rss_per_1000": (rss_full - rss_idle) / max(1, connected["joined"]) * 1000})
        log(f"{kind:>4} {mode:<8} {n:>5} clients: {connected['joined']} joined in "
            f"{connected['seconds']:.1f} s, RSS {rss_idle:.0f} -> {rss_full:.0f} MiB"
            + (f", errors {connected['errors']}" if connected["errors"] else ""))
        latency = measure_latency(pool, server, target, ROUNDS)
        result["latency"] = latency
        log(f"  latency p50 {fmt_ms(latency['p50'])} p99 {fmt_ms(latency['p99'])} last "
            f"{fmt_ms(latency['last'])} ms over {latency['rounds']} rounds {latency['spacing']:.2f} s apart; "
            f"missing {latency['missing']}; server CPU {latency['server_cpu']:.0f}%, client CPU "
            f"{'/'.join(f'{c:.0f}' for c in latency['client_cpu'])}%, client lag {latency['client_lag'] * 1000:.0f} ms, "
            f"other processes {latency['others_cpu']:.0f}%, longest GC pause {fmt_ms(latency['gc_max'])} ms "
            f"({latency['gc_full']} full)")
        if n == RATE_CLIENTS and RATES:
            result["rates"] = measure_rates(pool, server, target, RATES, 1 if kind == "bare" else 2)
        if n == RATE_CLIENTS and kind == "app" and PROFILE:
            result["profile"] = profile_app(server, target, result.get("rates", []))
        result["open_at_end"] = pool.stats()["open"]
    finally:
        try:
            pool.broadcast("close")
        finally:
            server.stop()
    return result


# --- the report ----------------------------------------------------------------------------

def fmt_ms(seconds):
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    if seconds == math.inf:
        return "never"
    return f"{seconds * 1000:.0f}"


def find(results, kind, mode, n):
    for result in results:
        if (result["kind"], result["mode"], result["clients"]) == (kind, mode, n):
            return result
    return None


def latency_cell(result):
    if result is None or "latency" not in result:
        return "–"
    lat = result["latency"]
    cell = f"{fmt_ms(lat['p50'])} / {fmt_ms(lat['p99'])} / {fmt_ms(lat['last'])}"
    return cell + (f" ({lat['missing']} missed)" if lat["missing"] else "")


def ratio(app, bare):
    try:
        return f"{app['latency']['p99'] / bare['latency']['p99']:.2f}×"
    except (TypeError, KeyError, ZeroDivisionError):
        return "–"


def best_rate(result):
    passed = [step["rate"] for step in (result or {}).get("rates", []) if step["passed"]]
    return max(passed) if passed else None


def tables(results, modes, clients):
    lines = ["Latency from a vote's HTTP response to each client holding the new counts, in ms: "
             "p50 / p99 over all (client, round) deliveries / time-to-last (median over rounds of the "
             "slowest client).", ""]
    header = "| clients |" + "".join(f" {m} app | {m} bare | {m} p99 app÷bare |" for m in modes)
    lines += [header, "|---:|" + "---|---|---:|" * len(modes)]
    for n in clients:
        row = f"| {n:,} |"
        for m in modes:
            app, bare = find(results, "app", m, n), find(results, "bare", m, n)
            row += f" {latency_cell(app)} | {latency_cell(bare)} | {ratio(app, bare)} |"
        lines.append(row)

    lines += ["", "Server memory per 1,000 connections (RSS with N clients joined minus RSS with none, "
              "MiB), and the time to connect and join all N clients:", ""]
    lines += ["| clients |" + "".join(f" {m} app | {m} bare |" for m in modes),
              "|---:|" + "---:|---:|" * len(modes)]
    for n in clients:
        row = f"| {n:,} |"
        for m in modes:
            for kind in ("app", "bare"):
                r = find(results, kind, m, n)
                row += (f" {r['rss_per_1000']:.1f} MiB ({r['joined']:,} in {r['connect_s']:.1f} s) |"
                        if r and "rss_per_1000" in r else " – |")
        lines.append(row)

    lines += ["", f"Vote rate that {RATE_CLIENTS:,} clients keep up with: for {RATE_SECONDS:g} s at each rate, "
              f"every client must see counts at least as new as every vote within {DEADLINE:g} s of the "
              "vote's response (cell: pass/fail, votes answered per second, slowest delivery in ms, "
              "late deliveries, campaign_event messages per client per second). The bare server "
              "broadcasts once per request and stops at its first failure.", ""]
    lines += ["| votes/s |" + "".join(f" {m} app | {m} bare |" for m in modes),
              "|---:|" + "---|---|" * len(modes)]
    all_rates = sorted({s["rate"] for r in results for s in r.get("rates", [])})
    for rate in all_rates:
        row = f"| {rate} |"
        for m in modes:
            for kind in ("app", "bare"):
                r = find(results, kind, m, RATE_CLIENTS)
                step = next((s for s in (r or {}).get("rates", []) if s["rate"] == rate), None)
                row += (f" {'**pass**' if step['passed'] else 'fail'}: {step['achieved']:.0f}/s, "
                        f"{fmt_ms(step['worst'])} ms, {step['late']:,} late, {step['events_per_s']:.1f} ev/s |"
                        if step else " not run |")
        lines.append(row)
    row = "| **highest passing** |"
    for m in modes:
        for kind in ("app", "bare"):
            rate = best_rate(find(results, kind, m, RATE_CLIENTS))
            row += f" **{rate if rate else 'none'}{' votes/s' if rate else ''}** |"
    lines.append(row)

    big = max(clients)
    lines += ["", f"{big:,} connections held by one server process:", "",
              "| | " + " | ".join(f"{m} app | {m} bare" for m in modes) + " |",
              "|---|" + "---|---|" * len(modes)]
    rows = {"joined / asked": [], "time to connect and join all": [], "still connected after the rounds": [],
            "server RSS with all connected": []}
    for m in modes:
        for kind in ("app", "bare"):
            r = find(results, kind, m, big) or {}
            rows["joined / asked"].append(f"{r.get('joined', 0):,} / {big:,}" if r else "–")
            rows["time to connect and join all"].append(f"{r['connect_s']:.1f} s" if "connect_s" in r else "–")
            rows["still connected after the rounds"].append(f"{r['open_at_end']:,}" if "open_at_end" in r else "–")
            rows["server RSS with all connected"].append(f"{r['rss_full']:.0f} MiB" if "rss_full" in r else "–")
    for label, cells in rows.items():
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    lines += ["", "During the latency rounds: CPU of the server and of each of the two client processes (% of "
              "one core), the server's longest garbage-collector pause and its number of full (generation 2) "
              "collections (recorded by `bench/realtime/gc_probe.py`, which runs the server script with a "
              "`gc.callbacks` hook), the clients' worst event-loop lag, and CPU used meanwhile by processes "
              "outside the benchmark:", "",
              "| run | clients | rounds × mean spacing | server CPU | longest GC pause (full collections) | "
              "client CPU | client lag | other processes |",
              "|---|---:|---|---:|---:|---:|---:|---:|"]
    for m in modes:
        for kind in ("app", "bare"):
            for n in clients:
                r = find(results, kind, m, n)
                if not r or "latency" not in r:
                    continue
                lat = r["latency"]
                lines.append(f"| {m} {kind} | {n:,} | {lat['rounds']} × {lat['spacing']:.2f} s | "
                             f"{lat['server_cpu']:.0f}% | {fmt_ms(lat['gc_max'])} ms ({lat['gc_full']}) | {' + '.join(f'{c:.0f}%' for c in lat['client_cpu'])} | "
                             f"{lat['client_lag'] * 1000:.0f} ms | {lat.get('others_cpu', math.nan):.0f}% |")
    return lines


def profiles_of(results, modes):
    """[(column title, summary)] of the app's py-spy profiles at RATE_CLIENTS clients."""
    columns = []
    for m in modes:
        for label, summary in ((find(results, "app", m, RATE_CLIENTS) or {}).get("profile") or {}).items():
            columns.append((f"{m}, {label}", summary))
    return columns


def profile_lines(results, modes):
    columns = profiles_of(results, modes)
    if not columns:
        return []
    lines = ["", f"**Where the app's server process spends its time** (py-spy, sampling 250 times a second "
             f"including idle time, with {RATE_CLIENTS:,} clients joined, after the measurements: "
             f"{PROFILE_SECONDS} s while votes come one at a time, and {PROFILE_BURST_SECONDS} s of votes at the "
             "lowest rate that failed, or the highest tested; share of wall-clock samples):", "",
             "| part of the server | " + " | ".join(title for title, _ in columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for label in list(columns[0][1]["parts"]):
        lines.append(f"| {label} | " + " | ".join(f"{summary['parts'].get(label, 0):.0f}%"
                                                  for _, summary in columns) + " |")
    lines += ["", "Raw stacks: " + ", ".join(f"`{summary['path']}`" for _, summary in columns)
              + " (kept in test-artifacts/, not committed)."]
    return lines


def limits_lines(results, modes):
    """What limits the app, in words, from this run's own figures."""
    lines = ["", "**What limits the app.**", ""]
    for m in modes:
        app, bare = find(results, "app", m, RATE_CLIENTS), find(results, "bare", m, RATE_CLIENTS)
        if not app or "latency" not in app:
            continue
        steps = app.get("rates", [])
        failed = [st for st in steps if not st["passed"]]
        profiles = (app.get("profile") or {})
        paced = profiles.get("one vote every 0.55 s")
        burst = next((v for k, v in profiles.items() if k != "one vote every 0.55 s"), None)
        text = f"- **{m}**: "
        share = (lambda key: burst["parts"].get(key, 0.0)) if burst else None
        if failed:
            st = failed[0]
            text += f"at {st['rate']} votes/s (server CPU {st['server_cpu']:.0f}%) "
            if st["achieved"] < 0.9 * st["rate"]:
                text += (f"the server answered only {st['achieved']:.0f} votes/s (HTTP p99 "
                         f"{fmt_ms(st['http_p99'])} ms): the vote requests themselves are the limit")
            else:
                text += (f"the server kept up with the votes ({st['achieved']:.0f}/s answered, HTTP p99 "
                         f"{fmt_ms(st['http_p99'])} ms) but "
                         f"{st['late']:,} deliveries came later than {DEADLINE:g} s (slowest "
                         f"{fmt_ms(st['worst'])} ms), though each client got only {st['events_per_s']:.1f} "
                         "messages a second: the broadcasts queue behind the vote requests in the one process")
            text += ". "
        if share:
            text += (f"In the burst profile the process spent {share('HTTP requests in Flask (votes: auth, ORM, SQL)'):.0f}% "
                     f"of its time in vote requests, {share('blocked in SQLite commit (fsync)'):.0f}% blocked in "
                     "SQLite commits (the hub runs nothing else meanwhile), "
                     f"{share('emit: queueing the message for each client') + share('websocket writers: sending frames to clients'):.0f}% "
                     f"broadcasting and {share('idle (hub waiting for I/O)'):.0f}% idle. ")
        if paced and bare and "latency" in bare and paced.get("votes"):
            per_message = lambda key: paced["parts"].get(key, 0.0) / 100 * paced["seconds"] / paced["votes"]
            emit = per_message("emit: queueing the message for each client")
            sql = per_message("counts coalescer (its SQL)") + per_message("blocked in SQLite commit (fsync)")
            writers = per_message("websocket writers: sending frames to clients")
            text += (f"With one vote at a time the app's p50 is {fmt_ms(app['latency']['p50'])} ms against the bare "
                     f"server's {fmt_ms(bare['latency']['p50'])} ms. Per message the profile shows about "
                     f"{fmt_ms(emit)} ms in the emit that queues it for each of the {RATE_CLIENTS:,} clients (after the "
                     f"vote's response), {fmt_ms(sql)} ms in the coalescer's SQL and in SQLite commits, and "
                     f"{fmt_ms(writers)} ms in the writers that send the frames; the bare server queues before it "
                     "answers the POST, so its latency does not include the emit.")
        lines.append(text)
    gcs = []
    for m in modes:
        app, bare = find(results, "app", m, RATE_CLIENTS), find(results, "bare", m, RATE_CLIENTS)
        if app and bare and "latency" in app and "latency" in bare:
            gcs.append(f"{m}: app {fmt_ms(app['latency']['gc_max'])} ms ({app['latency']['gc_full']} full), "
                       f"bare {fmt_ms(bare['latency']['gc_max'])} ms ({bare['latency']['gc_full']} full)")
    full = {kind: sum(find(results, kind, m, n)["latency"]["gc_full"] for m in modes for n in CLIENTS
                      if find(results, kind, m, n) and "latency" in find(results, kind, m, n))
            for kind in ("app", "bare")}
    if gcs:
        lines.append(f"- **Garbage-collector pauses.** Longest pause during the {RATE_CLIENTS:,}-client rounds: "
                     f"{'; '.join(gcs)}; over all cells, {full['app']} full collections fell inside the app's "
                     f"rounds and {full['bare']} inside the bare server's. A full collection walks every object in the process while no greenlet runs, so "
                     "the round it lands in is late for every client, and one such round in "
                     f"{ROUNDS} moves the p99: whether one lands inside a cell's rounds is partly chance, which "
                     "makes p99 the noisiest figure here. The app's heap (Flask, SQLAlchemy mappings, templates, "
                     "translations) is larger than the bare server's, so its full collections take longer (compare "
                     "the pauses in the table above at equal N). In separate trials (eventlet, "
                     f"{RATE_CLIENTS:,} clients, the app started through a wrapper), `gc.freeze()` right after "
                     "`create_app()` in `wsgi.py` (start-up objects are then never walked again) shortened the "
                     "full collections, and adding a larger first-generation threshold (`gc.set_threshold`) "
                     "kept them out of the rounds altogether. The rest of a full collection grows with the "
                     "connections.")
    joins = []
    for m in modes:
        app, bare = find(results, "app", m, RATE_CLIENTS), find(results, "bare", m, RATE_CLIENTS)
        if app and bare and app.get("joined") and bare.get("joined"):
            joins.append(f"{m} {1000 * app['connect_s'] / app['joined']:.1f} ms against "
                         f"{1000 * bare['connect_s'] / bare['joined']:.1f} ms")
    if joins:
        lines.append(f"- **Joining** costs the app more per connection than the bare server ({RATE_CLIENTS:,} "
                     f"clients: {'; '.join(joins)}): the connect handler and the campaign check, an ORM load of "
                     "the campaign and its audience, run for every join. It only matters when many clients "
                     "reconnect at once, e.g. after a restart.")
    lines += ["",
              "What would fix it (1–2 raise the vote rate, 3 the clients per machine, 4 the p99):",
              "1. **Cheaper vote requests.** The vote path loads the idea through the ORM (author joined, tags "
              "by select-in, then the campaign and its audience lazily), checks permissions on those objects, "
              "writes, commits, and reads the counts back: one request costs milliseconds of Python per vote. "
              "A vote needs one indexed read of (idea, campaign phase, audience), the compare-and-set write and "
              "the counts `RETURNING` from the same UPDATE; SQLAlchemy Core statements there (and no lazy loads) "
              "should raise the rate one process sustains well beyond what the table shows.",
              "2. **Do not block the hub on fsync.** With SQLite in WAL mode and `synchronous=FULL` every commit "
              "(each vote, and each coalescer flush) waits for the disk while eventlet/gevent serve no one. "
              "`synchronous=NORMAL` in WAL mode is safe against crashes of the process (only the last commits "
              "can be lost on power loss); otherwise run the SQLite calls in a native thread pool "
              "(`eventlet.tpool` / `gevent.threadpool`) or use PostgreSQL.",
              "3. **More processes for more clients.** Each connection costs the same per message in every "
              "process, so broadcast capacity grows with processes behind the Redis message queue "
              "(`SOCKETIO_MESSAGE_QUEUE`, already supported): each process writes only to its own clients.",
              "4. **`gc.freeze()` after start-up, and fewer collections** (`gc.set_threshold` with a larger "
              "first generation) in `wsgi.py`, see above: shorter and rarer full collections, so a lower p99, "
              "for some memory held a little longer.",
              "5. The coalescing interval (0.3 s) bounds messages per client; it is not the limit here.",
]
    return lines


def conclusion(results, modes):
    lines = []
    at, big = RATE_CLIENTS, max(CLIENTS)
    for m in modes:
        app, bare = find(results, "app", m, at), find(results, "bare", m, at)
        if app and bare and "latency" in app and "latency" in bare:
            r = app["latency"]["p99"] / bare["latency"]["p99"]
            last = app["latency"]["last"] / bare["latency"]["last"]
            p50 = app["latency"]["p50"] / bare["latency"]["p50"]
            lines.append(f"- **{m}**: at {at:,} clients the app's p99 is {r:.2f}× the bare broadcast's "
                         f"({'within' if r <= 1.5 else 'outside'} the 1.5× aim; p50 {p50:.2f}×, "
                         f"time-to-last {last:.2f}×); it keeps up with "
                         f"{best_rate(app) or 'none of the tested'} votes/s for {at:,} clients; "
                         f"{app['rss_per_1000']:.1f} MiB per 1,000 connections.")
        held = find(results, "app", m, big)
        if held and "joined" in held:
            lines.append(f"- **{m}** held {held.get('open_at_end', 0):,} of {big:,} app connections in one "
                         f"process to the end (joined {held['joined']:,} in {held['connect_s']:.0f} s; "
                         f"time-to-last {fmt_ms(held['latency']['last'])} ms).")
    if len(modes) != 2:
        return lines
    # Which mode wins on each figure an operator cares about (lower is better unless noted).
    criteria = [
        (f"p99 at {at:,} clients", lambda m: find(results, "app", m, at)["latency"]["p99"], "ms"),
        (f"p99 at {big:,} clients", lambda m: find(results, "app", m, big)["latency"]["p99"], "ms"),
        (f"time-to-last at {big:,} clients", lambda m: find(results, "app", m, big)["latency"]["last"], "ms"),
        ("sustained vote rate", lambda m: -(best_rate(find(results, "app", m, at)) or 0), "votes/s"),
        (f"time to connect {big:,}", lambda m: find(results, "app", m, big)["connect_s"], "s"),
        ("memory per 1,000 connections", lambda m: find(results, "app", m, at)["rss_per_1000"], "MiB"),
    ]
    wins, said, seen = {m: 0 for m in modes}, [], set()
    for label, value, unit in criteria:
        if label in seen:
            continue
        seen.add(label)
        try:
            a, b = value(modes[0]), value(modes[1])
        except (TypeError, KeyError):
            continue
        if a == b or max(abs(a), abs(b)) == 0:
            continue
        if abs(a - b) / max(abs(a), abs(b)) < 0.10:
            said.append(f"{label} within 10%")
            continue
        winner = modes[0] if a < b else modes[1]
        wins[winner] += 1
        show = (lambda x: f"{-x:g}") if unit == "votes/s" else \
            ((lambda x: fmt_ms(x)) if unit == "ms" else (lambda x: f"{x:.1f}"))
        said.append(f"{label} {show(a)} {unit} ({modes[0]}) vs {show(b)} {unit} ({modes[1]})")
    if wins[modes[0]] == wins[modes[1]]:
        lines.append(f"- Neither mode wins on these figures ({'; '.join(said)}): keep the default, eventlet, "
                     "unless its deprecation matters to you.")
    else:
        choice = max(modes, key=lambda m: wins[m])
        lines.append(f"- For live fan-out alone, **{choice}** is better on {wins[choice]} of "
                     f"{sum(wins.values())} figures that differ by 10% or more: " + "; ".join(said) + "."
                     + (" Besides, eventlet is deprecated upstream (importing it says so)." if choice == "gevent"
                        else "")
                     + " The shipped default is chosen on every figure of this report, not this one"
                     " alone: the summary at the top of this file says which and why.")
    return lines


def bare_note(results, modes):
    facts = []
    for m in modes:
        bare = find(results, "bare", m, RATE_CLIENTS)
        steps = (bare or {}).get("rates", [])
        if not steps:
            continue
        best = best_rate(bare)
        failed = [st for st in steps if not st["passed"]]
        fact = f"{m} passed {best} broadcasts/s" if best else f"{m} passed none of the rates tried"
        if failed:
            st = failed[0]
            behind = ("some clients never caught up before the step ended" if st["worst"] == math.inf
                      else f"its slowest delivery took {fmt_ms(st['worst'])} ms")
            fact += f"; asked for {st['rate']}/s it answered {st['achieved']:.0f}/s and {behind}"
        facts.append(fact)
    if not facts:
        return []
    bests = sorted(best_rate(find(results, "bare", m, RATE_CLIENTS)) or 0 for m in modes
                   if (find(results, "bare", m, RATE_CLIENTS) or {}).get("rates"))
    span = f"{bests[0]}" if bests[0] == bests[-1] else f"{bests[0]}–{bests[-1]}"
    return ["", f"A bare broadcast (one emit to every client per vote, no coalescing) manages only some {span} "
            f"events a second to {RATE_CLIENTS:,} clients on this machine (" + "; ".join(facts) +
            "). That is why the app coalesces vote counts: a lone vote is sent at once, a burst becomes at most "
            "one `idea.counts` message per 0.3 s per process, carrying every idea that changed, so what a "
            "client receives stays near 3 messages a second whatever the vote rate (the ev/s figures above)."]


def report(results, info, command, started, duration):
    lines = [SECTION, "",
             f"Measured {started} in {duration / 60:.1f} minutes by `{command}` "
             "(bench/realtime/; QUICK=1 for a smoke run that writes to test-artifacts/ instead).", "",
             machine_line(info), "",
             "**Method.** Every cell is a fresh server process on a port of its own: the app (`wsgi.py`, "
             "JAM_CONFIG=production) on a SQLite "
             "file built by the migrations and seeded through the domain layer (one open campaign, "
             f"{IDEAS} ideas, {VOTERS} voters with API tokens), or the BARE baseline "
             "(`bench/realtime/bare_server.py`: python-socketio alone under the same async mode and WSGI "
             "server, whose POST handler emits a `campaign_event` of the same shape and size to the same room "
             "and then answers). N clients (a minimal asyncio Engine.IO 4 / Socket.IO 5 websocket client, "
             "thousands per process, in two processes) connect and join the campaign. "
             f"Then {ROUNDS} votes are cast over HTTP one at a time (after two warm-up votes): each goes out "
             f"once every client holds the previous one, and at least {MIN_SPACING:g} s after it, so coalescing "
             "(0.3 s) never merges two and no round queues behind another. Every (voter, idea) pair votes once, so the vote's HTTP response gives the "
             "idea's new total (up + down); a client has the vote once it holds counts for that idea with at "
             "least that total, and latency runs from reading the response to the client reading that message "
             "(one system-wide monotonic clock). Memory is VmRSS from /proc. The vote-rate test sends real "
             f"votes open-loop over {VOTE_THREADS} keep-alive connections, spread over ideas and voters, for "
             f"{RATE_SECONDS:g} s per rate; a rate passes if the votes were answered at ≥ 90% of it and every "
             f"one of {RATE_CLIENTS:,} clients held counts at least as new as every vote within {DEADLINE:g} s "
             "of its response. Server, clients and vote sender share the two cores (the last table shows who "
             "used what; the run waits, within limits, for outside processes to quiet down before measuring).", ""]
    lines += tables(results, MODES, CLIENTS)
    lines += bare_note(results, MODES)
    lines += profile_lines(results, MODES)
    lines += limits_lines(results, MODES)
    lines += ["", "**Conclusions.**", ""] + conclusion(results, MODES)
    return "\n".join(lines) + "\n"


def report_from(path):
    """BENCH_REPORT_FROM=results.json: write the report again from a finished run's figures
    (after a change to the wording); the settings must be those of that run."""
    with open(path) as handle:
        saved = json.load(handle)
    meta = saved["meta"]
    section = report(saved["results"], saved["machine"], meta["command"], meta["started"], meta["duration"])
    output = os.environ.get("BENCH_OUTPUT") or DOCS
    write_section(output, section)
    print("\n".join(tables(saved["results"], MODES, CLIENTS)))
    log(f"report written to {os.path.relpath(output, ROOT)} from {path}")


def main():
    import signal

    if os.environ.get("BENCH_REPORT_FROM"):
        return report_from(os.environ["BENCH_REPORT_FROM"])
    # SIGTERM unwinds like Ctrl-C, so every server and client process is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    started_wall = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    started = time.monotonic()
    os.makedirs(WORKDIR, exist_ok=True)
    limit = raise_open_file_limit()
    needed = max(CLIENTS) // 2 + 200
    if limit < needed:
        sys.exit(f"open-file limit {limit} is too low for {max(CLIENTS)} clients over two processes")
    info = machine(REALTIME_PACKAGES)
    wait_for_idle_machine(float(os.environ.get("BENCH_QUIET_START", "60" if QUICK else "300")))
    log(f"bench-realtime: modes {MODES}, clients {CLIENTS}, {ROUNDS} rounds, rates {RATES}"
        f"{' (QUICK)' if QUICK else ''}; logs in {os.path.relpath(WORKDIR, ROOT)}/")
    template = os.path.join(WORKDIR, "template.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(template + suffix):
            os.remove(template + suffix)
    seeded = subprocess.run([sys.executable, "-m", "bench.realtime.seed", f"sqlite:///{template}",
                             str(VOTERS), str(IDEAS)], cwd=ROOT, check=True, capture_output=True, text=True,
                            timeout=300)
    jam = json.loads(seeded.stdout.strip().splitlines()[-1])
    with open(os.path.join(WORKDIR, "template.json"), "w") as handle:
        json.dump(jam, handle)
    log(f"seeded {template}: campaign {jam['campaign_id']}, {len(jam['idea_ids'])} ideas, "
        f"{len(jam['voter_tokens'])} voters")
    pool = ClientPool(2)
    log(f"client processes: 2, event loop {'uvloop' if pool.uvloop else 'asyncio'}")
    results = []
    try:
        for mode in MODES:
            for n in CLIENTS:
                for kind in ("bare", "app"):
                    results.append(run_one(pool, kind, mode, n, template, jam))
    finally:
        pool.stop()
    duration = time.monotonic() - started
    command = "QUICK=1 make bench-realtime" if QUICK else "make bench-realtime"
    section = report(results, info, command, started_wall, duration)
    meta = {"started": started_wall, "duration": duration, "command": command}
    with open(os.path.join(WORKDIR, "results-quick.json" if QUICK else "results.json"), "w") as handle:
        json.dump({"machine": info, "results": results, "meta": meta}, handle, indent=1, default=str)
    print()
    print("\n".join(tables(results, MODES, CLIENTS)))
    print()
    print("\n".join(conclusion(results, MODES)))
    output = os.environ.get("BENCH_OUTPUT") or (os.path.join(WORKDIR, "PERFORMANCE-quick.md") if QUICK else DOCS)
    write_section(output, section)
    log(f"done in {duration / 60:.1f} min; report written to {os.path.relpath(output, ROOT)}")


if __name__ == "__main__":
    main()
