"""How fast similar ideas are found and themes refreshed in one campaign of 46,000 ideas.

1. A fresh SQLite database (migrated) gets one open campaign whose ideas are written with
   Core INSERTs: the bilingual texts of ``app.jamscale`` (about 40 telecom topics, English
   and Traditional Chinese), plus a few per cent of near-copies so there are duplicates.
2. Baselines measured in the same run: a Python dict look-up, and a no-op request
   (GET /health) through the same Flask stack as the API.
3. Similar ideas: the first look-up builds the campaign's index (timed); then look-ups
   with the words of random ideas, through the domain function and through
   GET /api/v1/campaigns/<id>/similar-ideas, p50 / p99 / max.
4. Theme refresh: ``themes.refresh_themes`` as the server runs it (the computation in a
   child process, ``app.offload``), twice: from nothing, and again from the themes found.
5. The server while it refreshes: a child process monkey-patched with eventlet, like
   ``wsgi.py``, runs a ticker every 10 ms beside a refresh and reports how late the ticks
   came, with the computation offloaded and, for contrast, run in the server itself.

Writes the section "## Themes and similar ideas" of docs/PERFORMANCE.md (``--no-write``
prints only). ``--ideas`` sets the size (``--quick``: 4,600 ideas).
"""
import argparse
import json
import os
import platform
import random
import time
from datetime import datetime, timedelta, timezone
from bench.common.report import write_section
from bench.common.lag import run_lag

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKDIR = os.path.join(ROOT, "test-artifacts", "bench-themes")
DOCS = os.path.join(ROOT, "docs", "PERFORMANCE.md")
SECTION = "## Themes and similar ideas"
LOOKUPS = 500
DUPLICATE_SHARE = 0.03


def log(message):
    print(message, flush=True)


def percentiles(samples_ms):
    ordered = sorted(samples_ms)
    at = lambda q: ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]  # noqa: E731
    return {"p50": at(0.50), "p99": at(0.99), "max": ordered[-1], "n": len(ordered)}


def make_app(database_url):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ASYNC_MODE": "threading",
                       "SECRET_KEY": "bench-themes-key", "WTF_CSRF_ENABLED": False})


def idea_texts(n, seed):
    """(title, body) of n ideas in the scale jam's words, a few of them near-copies."""
    import numpy as np

    from app.jamscale import TOPICS, _Seeder

    rng = np.random.default_rng(seed)
    topic = rng.integers(0, len(TOPICS), n)
    chinese = rng.random(n) < 0.4
    picks = rng.integers(0, 1 << 30, size=(8, n))
    texts = []
    for i in range(n):
        write = _Seeder._chinese_idea if chinese[i] else _Seeder._english_idea
        texts.append(write(topic[i], picks[:, i]))
    copier = random.Random(seed)
    for i in copier.sample(range(n), int(n * DUPLICATE_SHARE)):
        title, body = texts[copier.randrange(n)]
        texts[i] = (("Again: " if title.isascii() else "再提一次：") + title, body + "\n\n+1")
    return texts


def seed_database(database_url, n, seed):
    """A migrated database with one open campaign of n ideas; returns the campaign id."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from app.domain import accounts, campaigns
    from app.domain.clock import utcnow
    from app.extensions import db
    from app.models import Idea

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        admin = accounts.create_admin(email="bench-admin@example.com", display_name="Bench admin",
                                      password="bench-password-2026")
        now = utcnow()
        campaign = campaigns.create_campaign(
            admin, title="Bench jam", question="How could we serve customers better?",
            starts_at=now - timedelta(hours=60), ends_at=now + timedelta(hours=12),
            audience=["staff", "partner", "customer"])
        campaign_id = campaign.id
        texts = idea_texts(n, seed)
        started = now - timedelta(hours=60)
        step = timedelta(hours=60) / n
        rows = [{"campaign_id": campaign_id, "author_id": admin.id, "title": title[:160], "body": body,
                 "body_html": "<p>" + body.replace("<", "&lt;") + "</p>", "created_at": started + step * i,
                 "best_score": 0.5}
                for i, (title, body) in enumerate(texts)]
        for start in range(0, n, 5_000):
            db.session.execute(insert(Idea), rows[start:start + 5_000])
        campaign.idea_count = n
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return campaign_id, texts


def rss_mb():
    """This process's resident memory, MB."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure_encoding(database_url, campaign_id):
    """Every idea's meaning vector computed and stored as the server does it after posts (a
    batch through ``app.offload``, here one child process for all)."""
    from sqlalchemy import select

    from app import offload
    from app.domain import idea_vectors
    from app.extensions import db
    from app.models import Idea

    app = make_app(database_url)
    offload.configure("process")
    with app.app_context():
        ids = list(db.session.scalars(select(Idea.id).where(Idea.campaign_id == campaign_id)))
        started = time.perf_counter()
        computed = idea_vectors.encode_ideas(ids)
        seconds = time.perf_counter() - started
        db.session.remove()
    offload.configure("inline")
    return {"ideas": computed, "seconds": seconds, "ms_per_idea": seconds * 1000 / max(1, computed)}


def measure_posting(database_url, campaign_id, posts=150):
    """Posting through the domain with the vector note (what the server does) and without
    it (the bare baseline), alternating, in the same run."""
    from app.domain import accounts, events, idea_vectors, ideas
    from app.extensions import db
    from app.models import User

    app = make_app(database_url)
    out = {"with": [], "without": []}
    with app.app_context():
        author_id = accounts.create_admin(email="bench-poster@example.com", display_name="Bench poster",
                                          password="bench-password-2026").id
        for n in range(posts * 2):
            author = db.session.get(User, author_id)
            kind = "with" if n % 2 else "without"
            if kind == "without":
                events.unsubscribe(idea_vectors.note_changes)
            started = time.perf_counter()
            ideas.submit_idea(author, campaign_id, title=f"Bench idea number {n} about roaming",
                              body="Roaming abroad at one daily price, posted by the benchmark.")
            out[kind].append((time.perf_counter() - started) * 1000)
            if kind == "without":
                events.subscribe(idea_vectors.note_changes)
            db.session.remove()
        noted = len(idea_vectors._noted().ids)
    return {"with": percentiles(out["with"]), "without": percentiles(out["without"]), "noted": noted}


def measure_lookups(database_url, campaign_id, texts, seed):
    from app import offload
    from app.domain import duplicates
    from app.extensions import db

    app = make_app(database_url)
    offload.configure("inline")
    rng = random.Random(seed)
    queries = []
    for _ in range(LOOKUPS):
        title, body = texts[rng.randrange(len(texts))]
        words = body.split()
        queries.append((title, " ".join(words[:25]) if len(words) > 1 else body[:120]))
    results = {}
    with app.app_context():
        table = {i: i for i in range(len(texts))}
        samples = []
        for i in range(20_000):
            started = time.perf_counter()
            table.get(i % len(texts))
            samples.append((time.perf_counter() - started) * 1000)
        results["dict"] = percentiles(samples)

        from app.domain import embedding

        embedding.encode_texts(["warm up"])  # the model, loaded once per process
        before = rss_mb()
        started = time.perf_counter()
        duplicates.find_similar_ideas(None, campaign_id, title="warm up", body="")
        results["index_build_s"] = time.perf_counter() - started
        results["index_mb"] = rss_mb() - before
        results["process_mb"] = rss_mb()
        db.session.remove()
        samples = []
        for title, body in queries[:200]:
            started = time.perf_counter()
            embedding.encode_ideas([(title, body)])
            samples.append((time.perf_counter() - started) * 1000)
        results["encode"] = percentiles(samples)

        samples = []
        for title, body in queries:
            started = time.perf_counter()
            found = duplicates.find_similar_ideas(None, campaign_id, title=title, body=body)
            samples.append((time.perf_counter() - started) * 1000)
            db.session.remove()
        results["domain"] = percentiles(samples)
        results["found"] = len(found)

    client = app.test_client()
    for path, key in (("/health", "noop"),):
        samples = []
        for _ in range(LOOKUPS):
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            samples.append((time.perf_counter() - started) * 1000)
        results[key] = percentiles(samples)
    samples = []
    with app.app_context():
        for title, body in queries:
            started = time.perf_counter()
            response = client.get(f"/api/v1/campaigns/{campaign_id}/similar-ideas",
                                  query_string={"title": title, "body": body})
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.data[:200]
    results["http"] = percentiles(samples)
    return results


def measure_refresh(database_url, campaign_id):
    from app import offload
    from app.domain import themes
    from app.extensions import db
    from app.models import Theme

    app = make_app(database_url)
    offload.configure("process")
    out = {}
    with app.app_context():
        for name in ("first", "second"):
            started = time.perf_counter()
            result = themes.refresh_themes(campaign_id)
            out[name] = time.perf_counter() - started
            out[name + "_themes"] = result.themes if result else None
            db.session.remove()
        listed = db.session.query(Theme).filter(Theme.size > 0).order_by(Theme.size.desc()).limit(5).all()
        out["largest"] = [(theme.label, theme.size) for theme in listed]
        started = time.perf_counter()
        summaries = themes.list_themes(None, campaign_id, limit=themes.SUMMARY_THEMES)
        out["list_ms"] = (time.perf_counter() - started) * 1000
        out["listed"] = len(summaries)
        db.session.remove()
    offload.configure("inline")
    return out


def measure_lag(database_url, campaign_id, mode):
    """The eventlet ticker beside a refresh, in a child process (bench/themes/lag.py)."""
    return run_lag("bench.themes.lag", database_url, campaign_id, mode)


def machine():
    try:
        with open("/proc/cpuinfo") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        model = platform.processor()
    return {"cpus": os.cpu_count(), "model": model, "python": platform.python_version()}


def fmt(stats, digits=2):
    return f"{stats['p50']:.{digits}f} | {stats['p99']:.{digits}f} | {stats['max']:.{digits}f}"


def report(n, results, info, command, seconds):
    lookups, refresh, lag = results["lookups"], results["refresh"], results["lag"]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SECTION, "",
        f"Measured by `{command}` on {when}, {info['cpus']} cores ({info['model']}), Python "
        f"{info['python']}, SQLite; the run took {seconds / 60:.1f} minutes. One open campaign of "
        f"**{n:,} ideas** in English and Traditional Chinese (the scale jam's texts, "
        f"{DUPLICATE_SHARE:.0%} near-copies). docs/THEMES.md says how similar ideas and themes are found.",
        "",
        "**Similar-idea look-up** (the words of a random idea; "
        f"{lookups['domain']['n']} look-ups each; milliseconds):", "",
        "| What | p50 | p99 | max |", "| --- | ---: | ---: | ---: |",
        f"| Baseline: a Python dict look-up | {fmt(lookups['dict'], 4)} |",
        f"| Baseline: a no-op request, GET /health through Flask | {fmt(lookups['noop'])} |",
        f"| `duplicates.find_similar_ideas` (index, then the database for the candidates) | "
        f"{fmt(lookups['domain'])} |",
        f"| GET /api/v1/campaigns/{{id}}/similar-ideas through Flask | {fmt(lookups['http'])} |",
        f"| Of which: encoding the typed text (meaning vector) | {fmt(lookups['encode'])} |",
        "",
        f"Meaning vectors of all {results['encoding']['ideas']:,} ideas were computed and stored in "
        f"{results['encoding']['seconds']:.0f} s ({results['encoding']['ms_per_idea']:.1f} ms per idea, one "
        "child process, one core), as the server does for new and edited ideas in batches every 2 s. "
        f"The index took {lookups['index_mb']:.0f} MB of memory in the process (meaning vectors "
        "46,000 x 512 float32 = 94 MB, plus the word matrix); the process held "
        f"{lookups['process_mb']:.0f} MB in all, the encoder model included (about 100 MB, once per process).",
        "",
        "**Posting an idea** (`ideas.submit_idea`, "
        f"{results['posting']['with']['n']} posts each, alternating; ms): with the vector note "
        f"{fmt(results['posting']['with'])}; bare (no note) {fmt(results['posting']['without'])}. The "
        "note is a set insertion; the vector is computed after the post, in the background.",
        "",
        f"Building the campaign's index on first use took {lookups['index_build_s']:.1f} s (here in "
        "this process; the server builds it in a child process, so other requests go on "
        "meanwhile; later ideas are added on each look-up without a rebuild). Aim: p99 under "
        "50 ms — "
        + ("met." if lookups["http"]["p99"] < 50 else "**not met**."),
        "",
        "**Theme refresh** (`themes.refresh_themes` as the server runs it: ideas read in pages, "
        "the computation in a child process on one core, then only changed rows written):", "",
        "| Refresh | Seconds | Themes |", "| --- | ---: | ---: |",
        f"| First (no earlier themes) | {refresh['first']:.1f} | {refresh['first_themes']} |",
        f"| Second (k-means started from the first's themes) | {refresh['second']:.1f} | "
        f"{refresh['second_themes']} |",
        "",
        f"Listing the campaign's 8 largest themes with growth and top ideas took {refresh['list_ms']:.1f} ms. "
        "Aim: a refresh under a minute — " + ("met." if max(refresh["first"], refresh["second"]) < 60
                                             else "**not met**."),
        "",
        "**The server during a refresh** (a process patched by eventlet as `wsgi.py` is; a "
        "green thread asks to wake every 10 ms while the refresh runs; how late it woke, ms):", "",
        "| Computation | Refresh s | Ticks | p50 late | p99 late | max late |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, label in (("process", "In a child process (what the server does)"),
                        ("inline", "In the server process (for contrast)")):
        row = lag[mode]
        lines.append(f"| {label} | {row['seconds']:.1f} | {row['ticks']} | {row['p50']:.1f} | "
                     f"{row['p99']:.1f} | {row['max']:.1f} |")
    lines += ["",
              "With the computation in the server, the event loop stops for as long as the "
              "maths runs: every page and socket of the process waits. In a child process the "
              "loop only pauses while the ideas are read (in pages of 5,000, yielding between "
              "them), handed over and taken back (pickled), and the changes written in one "
              "transaction: the longest such pause is the max above, once per refresh.", ""]
    largest = ", ".join(f"{label} ({size:,})" for label, size in refresh["largest"])
    lines += [f"Largest themes found: {largest}. (The scale jam's texts are generated from "
              "shared sentence templates, so these say little about theme quality: the labelled "
              "set of docs/THEMES.md does.)", ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.themes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=46_000)
    parser.add_argument("--quick", action="store_true", help="4,600 ideas, a smoke run")
    parser.add_argument("--seed", type=int, default=46)
    parser.add_argument("--no-write", action="store_true", help="print only; keep docs/ as is")
    args = parser.parse_args(argv)
    n = 4_600 if args.quick else args.ideas
    os.makedirs(WORKDIR, exist_ok=True)
    path = os.path.join(WORKDIR, f"themes-{n}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    database_url = f"sqlite:///{path}"
    started = time.monotonic()
    log(f"bench-themes: {n:,} ideas in {os.path.relpath(path, ROOT)}")
    campaign_id, texts = seed_database(database_url, n, args.seed)
    log(f"  seeded in {time.monotonic() - started:.0f} s")
    results = {"encoding": measure_encoding(database_url, campaign_id)}
    log(f"  encoding: {json.dumps(results['encoding'])}")
    results["lookups"] = measure_lookups(database_url, campaign_id, texts, args.seed)
    log(f"  look-ups: {json.dumps({k: v for k, v in results['lookups'].items()})}")
    results["refresh"] = measure_refresh(database_url, campaign_id)
    log(f"  refresh: {json.dumps(results['refresh'], ensure_ascii=False)}")
    results["posting"] = measure_posting(database_url, campaign_id)
    log(f"  posting: {json.dumps(results['posting'])}")
    results["lag"] = {mode: measure_lag(database_url, campaign_id, mode) for mode in ("process", "inline")}
    log(f"  lag: {json.dumps(results['lag'])}")
    command = "make bench-themes" if n == 46_000 else f"python -m bench.themes --ideas {n}"
    section = report(n, results, machine(), command, time.monotonic() - started)
    print()
    print(section)
    with open(os.path.join(WORKDIR, f"results-{n}.json"), "w") as handle:
        json.dump(results, handle, indent=1, ensure_ascii=False)
    if not args.no_write and not args.quick:
        write_section(DOCS, section)
        log(f"wrote the section to {os.path.relpath(DOCS, ROOT)}")
