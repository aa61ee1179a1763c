"""The "Every page at jam scale" section of docs/PERFORMANCE.md, from a run's saved figures."""
import math

from bench.common.report import machine_line
from bench.dashboard.run import fmt_ms

SECTION = "## Every page at jam scale"
AIM_P99 = 0.150
GROWTH_LIMIT = 1.5
OTHERS_LIMIT = 25.0
BASELINE_NAMES = {"read": "one-row read", "insert": "one-row insert"}


def _size(ideas):
    return f"{ideas // 1000}k" if ideas % 1000 == 0 else f"{ideas:,}"


def _measured(m):
    return m is not None and "p99" in m and not math.isnan(m["p99"])


def _cell(m):
    if not _measured(m):
        return f"HTTP {m.get('first_status')}" if m else "–"
    mark = " †" if m.get("others_cpu", 0) > OTHERS_LIMIT else ""
    errors = f", {m['errors']} errors" if m.get("errors") else ""
    return f"{fmt_ms(m['p50'])} / {fmt_ms(m['p99'])} ms, {m['rps']:,.0f}/s{errors}{mark}"


def _share(m, bare):
    if not (_measured(m) and _measured(bare)):
        return "–"
    return f"{100 * m['rps'] / bare['rps']:.0f}%"


def single_process(saved, routes):
    sizes = saved["sizes"]
    header = "| route | baseline | " + " | ".join(f"{_size(s['ideas'])} ideas" for s in sizes) \
        + f" | share of its bare limit at {_size(sizes[-1]['ideas'])} | p99 {_size(sizes[0]['ideas'])}→" \
        + f"{_size(sizes[-1]['ideas'])} |"
    lines = [header, "|---|---|" + "---|" * len(sizes) + "---:|---:|"]
    for label, baseline in routes:
        cells = [_cell(s["routes"].get(label)) for s in sizes]
        last, first = sizes[-1]["routes"].get(label), sizes[0]["routes"].get(label)
        growth = f"{last['p99'] / first['p99']:.2f}×" if _measured(last) and _measured(first) else "–"
        lines.append(f"| {label} | {BASELINE_NAMES[baseline]} | " + " | ".join(cells)
                     + f" | {_share(last, sizes[-1]['bare'].get(baseline))} | {growth} |")
    for key, label in (("hello", "BARE JSON hello"), ("read", "BARE one-row read"),
                       ("insert", "BARE one-row insert + commit")):
        lines.append(f"| **{label}** | – | " + " | ".join(_cell(s["bare"].get(key)) for s in sizes) + " | – | – |")
    return lines


def aims(saved, routes):
    largest = saved["sizes"][-1]
    smallest = saved["sizes"][0]
    bare = largest["bare"]
    lines = ["| aim | measured | met |", "|---|---|---|"]
    vote = largest["routes"].get("vote POST")
    if _measured(vote) and _measured(bare.get("insert")):
        share = vote["rps"] / bare["insert"]["rps"]
        lines.append(f"| vote POST ≥ 80% of the bare insert-with-commit (req/s) | {vote['rps']:,.0f} of "
                     f"{bare['insert']['rps']:,.0f}/s = {100 * share:.0f}% | {'yes' if share >= 0.8 else 'no'} |")
    for label, _baseline in routes:
        if not label.startswith(("campaign page", "idea page")):
            continue
        m = largest["routes"].get(label)
        if _measured(m) and _measured(bare.get("read")):
            share = m["rps"] / bare["read"]["rps"]
            lines.append(f"| {label} ≥ 50% of the bare one-row read (req/s) | {m['rps']:,.0f} of "
                         f"{bare['read']['rps']:,.0f}/s = {100 * share:.0f}% | {'yes' if share >= 0.5 else 'no'} |")
    slow = [(label, largest["routes"][label]["p99"]) for label, _b in routes
            if _measured(largest["routes"].get(label))]
    over = [(label, p99) for label, p99 in slow if p99 >= AIM_P99]
    lines.append(f"| every route under {AIM_P99 * 1000:.0f} ms p99 at {_size(largest['ideas'])} ideas | slowest: "
                 + (f"{max(slow, key=lambda x: x[1])[0]}, {fmt_ms(max(p for _l, p in slow))} ms" if slow else "–")
                 + f" | {'yes' if slow and not over else 'no: ' + ', '.join(l for l, _p in over)} |")
    growth = []
    for label, _b in routes:
        a, b = smallest["routes"].get(label), largest["routes"].get(label)
        if _measured(a) and _measured(b):
            growth.append((b["p99"] / a["p99"], label))
    if growth:
        worst = max(growth)
        lines.append(f"| no route's p99 grows more than {GROWTH_LIMIT}× from {_size(smallest['ideas'])} to "
                     f"{_size(largest['ideas'])} ideas | largest: {worst[1]}, {worst[0]:.2f}× | "
                     f"{'yes' if worst[0] <= GROWTH_LIMIT else 'no'} |")
    return lines


def profiles(saved, routes):
    largest = saved["sizes"][-1]
    lines = []
    for label, _b in routes:
        profile = (largest["routes"].get(label) or {}).get("profile")
        if not profile:
            continue
        statements = sum(s["calls"] for s in profile["statements"])
        functions = "; ".join(f"`{f['function'].split(' ')[-1]}` {f['ms']:.1f} ms" for f in profile["functions"][:4])
        lines.append(f"| {label} | {profile['median_ms']:.1f} ms | {profile['sql_ms']:.1f} ms | "
                     f"{statements:.0f} | {functions} |")
    if not lines:
        return []
    return ["", f"Alone, one request at a time in the app's process at {_size(largest['ideas'])} ideas "
            "(bench/dashboard/sqlprofile.py: the median of 5, the SQL statements timed by SQLAlchemy's cursor events, "
            "cProfile for the functions):", "",
            "| route | time alone | of which SQL | statements | heaviest of the app's functions (cumulative) |",
            "|---|---:|---:|---:|---|"] + lines


def cluster_lines(saved):
    result = saved.get("cluster")
    if not result:
        return []
    runs = result["runs"]
    counts = sorted(runs, key=int)
    labels = []
    for n in counts:
        for label in runs[n].get("routes", {}):
            if label not in labels:
                labels.append(label)
    header = "| route | " + " | ".join(f"{n} process{'es' if int(n) > 1 else ''}" for n in counts) \
        + "".join(f" | {n} ÷ {counts[0]} (req/s)" for n in counts[1:]) + " |"
    lines = ["", f"**More than one process** ({_size(result['ideas'])} ideas on PostgreSQL {result['postgres']}, "
             f"Redis as the Socket.IO message queue, nginx {result['nginx']} in front). The same seed, loaded into "
             "PostgreSQL by the same command and copied afresh (`CREATE DATABASE … TEMPLATE`) for each process "
             "count; N app processes (`wsgi.py`, eventlet, `TRUSTED_PROXIES=1`) behind one nginx worker "
             "(bench/http/cluster.py: least-connections over kept-alive upstream connections, `ip_hash` "
             "stickiness for /socket.io/, as docs/deploy.md recommends), and the same client at the same "
             "concurrency talking to nginx; the bare routes likewise behind nginx with N bare processes on "
             "PostgreSQL. Everything shares the machine's "
             f"{saved['machine']['nproc']} cores: past that many processes more cannot help. "
             "Cells: p50 / p99 ms, req/s:",
             "", header, "|---|" + "---|" * len(counts) + "---:|" * (len(counts) - 1)]
    rows = [(label, lambda run, label=label: run.get("routes", {}).get(label)) for label in labels]
    rows += [(f"**BARE {key}**", lambda run, key=key: run.get("bare", {}).get(key)) for key in ("hello", "read", "insert")]
    for label, pick in rows:
        cells = [_cell(pick(runs[n])) for n in counts]
        first = pick(runs[counts[0]])
        ratios = [f"{pick(runs[n])['rps'] / first['rps']:.2f}×" if _measured(first) and _measured(pick(runs[n]))
                  else "–" for n in counts[1:]]
        lines.append(f"| {label} | " + " | ".join(cells + ratios) + " |")
    noisy = any(m.get("others_cpu", 0) > OTHERS_LIMIT for n in counts for m in
                list(runs[n].get("routes", {}).values()) + list(runs[n].get("bare", {}).values()))
    if noisy and not result.get("services_counted"):
        lines += ["", "† in this table: PostgreSQL's and Redis's own work was counted as outside work in this run, "
                  "so a busy database marked its measurement (bench/http/cluster.py now counts them with the "
                  "servers)."]
    return lines


def report(saved):
    from bench.http.run import ROUTES

    routes = [(r.label, r.baseline) for r in ROUTES]
    settings, meta, info = saved["settings"], saved["meta"], saved["machine"]
    largest = saved["sizes"][-1]
    m = largest["meta"]
    lines = [SECTION, "",
             f"Measured {meta['started']} in {meta['duration'] / 60:.1f} minutes by `{meta['command']}` (bench/http/; "
             "QUICK=1 for a smoke run that writes to test-artifacts/ instead).", "",
             machine_line(info), "",
             "**Data.** The jam-scale seed (`flask jam seed-scale --ideas N`, as in the dashboards section) at "
             + ", ".join(f"{_size(s['ideas'])} ideas ({(s['meta'].get('seed') or {}).get('counts', {}).get('users', 0):,} "
                         f"people, {(s['meta'].get('seed') or {}).get('counts', {}).get('votes', 0):,} votes, "
                         f"{(s['meta'].get('seed') or {}).get('counts', {}).get('comments', 0):,} comments)"
                         for s in saved["sizes"])
             + f". The routes use the campaign with the most ideas ({m['campaign']['ideas']:,} at "
             f"{_size(largest['ideas'])}). bench/http/prepare.py adds {len(m['voters'])} new participants (the "
             "benchmark's voters, who have voted on nothing), picks the idea with the fewest comments above 300 "
             f"(the idea page route: {m['idea']['comments']} comments at {_size(largest['ideas'])}; its page shows "
             "the first 30 threads with their replies and pages through the rest), the person with "
             f"the most ideas for the profile page ({m['person']['ideas']} ideas), and search words that find "
             f"{m['search']['en']['ideas']:,} ideas (“{m['search']['en']['word']}”) and "
             f"{m['search']['zh']['ideas']:,} ideas (“{m['search']['zh']['word']}”). Every size runs on a fresh "
             "copy of its seeded file, since the POST routes write.", "",
             "**Method.** The app runs as in production: `wsgi.py` (JAM_CONFIG=production, one eventlet process; "
             "SQLite in WAL mode, synchronous=FULL), with rate limits switched off (the benchmark's 32 voters "
             "vote far faster than a person may). Each participant logs in through the login form. "
             f"For each route, one client process (asyncio on uvloop) keeps {settings['connections']} HTTP/1.1 "
             f"connections alive; each sends {settings['warmup']} warm-up requests, then all request back to back "
             f"until {settings['requests']:,} requests are done (but for at least {settings['min_seconds']:g} s) or "
             f"{settings['seconds']:g} s have passed. Latency is from writing the request to reading the whole "
             "answer, pooled over the connections. Pages are requested with a participant's session cookie, "
             "the API with their token. The vote POST is what the vote buttons send (a form post with the CSRF "
             "token, asking for JSON), each a new vote: voter n mod 32 on idea n div 32 of the campaign. The "
             "comment POST is the comment form's post, asking for JSON (the new comment's HTML comes back), on "
             "the same rotation. The BARE baselines run in the same run on the same stack: "
             "`bench/http/bare_server.py` (Flask, Flask-SQLAlchemy, eventlet's WSGI server, SQLite with the app's "
             "settings): a JSON hello, a one-row read by primary key, a one-row insert with commit. Each route's "
             "throughput is also given as a share of its bare limit: pages and the API list against the one-row "
             "read, the POSTs against the insert. Server and clients share the machine's cores; a measurement "
             f"during which outside processes used more than {OTHERS_LIMIT:.0f}% of a core is repeated (up to "
             "twice), and the quietest kept; † marks one that stayed noisy.", "",
             "Before the first route the run waits until the app has finished its start-up work (the "
             "themes of a campaign the seed left without them and the similar-idea indexes, worked out in "
             "child processes but read and stored by the server): "
             + ", ".join(f"{s.get('settled_seconds', 0):.0f} s at {_size(s['ideas'])}" for s in saved["sizes"])
             + ".", "",
             "**One process on SQLite.** Cells: p50 / p99 ms, requests per second.", ""]
    lines += single_process(saved, routes)
    lines += ["", "**Aims** (throughput shares on this machine):", ""] + aims(saved, routes)
    lines += profiles(saved, routes)
    lines += cluster_lines(saved)
    return "\n".join(lines) + "\n"
