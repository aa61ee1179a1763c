"""``python -m bench.ranking.scale``: the pairwise ranking at jam scale (1,000 / 10,000 / 46,000
ideas), beside a bare look-up in the same run.

For each size, a fresh migrated SQLite database gets one open campaign whose ideas and
answered comparisons (4 per idea, from 400 people, winners drawn from a hidden quality) are
written with Core INSERTs. Then:

1. **Bare look-up**: one idea by primary key, p50 / p99 (the floor of any read).
2. **Serving a pair**: ``comparisons._choose_pair`` for a person with no answers yet, from the
   kept fit (p50 / p99 over 300 draws), and, for contrast, reading every rankable idea as
   serving used to.
3. **Refresh**: ``comparisons.refresh_ranking`` as the server runs it (the fit in a child
   process from ``OFFLOAD_FROM`` ideas), first from nothing, then again after 20 new answers;
   and the computation alone (``ranking.fit_ranking``) in this process.
4. **The server during a refresh**: an eventlet-patched child process (``bench.ranking.lag``,
   the ticker of ``bench.themes.lag``) wakes every 10 ms beside a refresh; how late it woke,
   with the fit offloaded and, for contrast, in the loop.

Writes the section "## At jam scale" of docs/RANKING.md (``--no-write`` prints only);
``--quick``: 1,000 and 4,600 ideas.
"""
import argparse
import json
import os
import time
from datetime import timedelta

import numpy as np

from bench.common.report import write_section
from bench.common.lag import run_lag
from bench.themes.run import machine, percentiles

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKDIR = os.path.join(ROOT, "test-artifacts", "bench-ranking")
DOCS = os.path.join(ROOT, "docs", "RANKING.md")
SECTION = "## At jam scale"
SIZES = (1_000, 10_000, 46_000)
PEOPLE = 400
ANSWERS_PER_IDEA = 4
DRAWS = 300


def log(message):
    print(message, flush=True)


def make_app(database_url):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ASYNC_MODE": "threading",
                       "SECRET_KEY": "bench-ranking-key", "WTF_CSRF_ENABLED": False})


def seed_database(app, n, seed):
    """One open campaign of n ideas and 4n answered comparisons; returns (campaign id, the
    id of a person with no answers)."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from app.domain import accounts, campaigns
    from app.domain.clock import utcnow
    from app.extensions import db
    from app.models import Comparison, ComparisonChoice, Idea, User

    rng = np.random.default_rng(seed)
    with app.app_context():
        upgrade()
        admin = accounts.create_admin(email="bench-admin@example.com", display_name="Bench admin",
                                      password="bench-password-2026")
        now = utcnow()
        campaign = campaigns.create_campaign(
            admin, title="Bench jam", question="Which ideas are best?", starts_at=now - timedelta(hours=60),
            ends_at=now + timedelta(hours=12), audience=["staff", "partner", "customer"], voting_mode="pairwise")
        campaign_id = campaign.id
        db.session.execute(insert(User), [{"email": f"p{k}@example.com", "display_name": f"Person {k}",
                                          "password_hash": "-", "created_at": now} for k in range(PEOPLE + 1)])
        people = db.session.scalars(db.select(User.id).where(User.email.like("p%@example.com"))
                                    .order_by(User.id)).all()
        fresh, people = people[-1], people[:-1]
        rows = [{"campaign_id": campaign_id, "author_id": admin.id, "title": f"Idea {i}", "body": "",
                 "body_html": "", "created_at": now - timedelta(hours=60) + timedelta(seconds=i)}
                for i in range(n)]
        for start in range(0, n, 5_000):
            db.session.execute(insert(Idea), rows[start:start + 5_000])
        ids = np.array(db.session.scalars(db.select(Idea.id).where(Idea.campaign_id == campaign_id)
                                          .order_by(Idea.id)).all())
        quality = rng.standard_normal(n)
        m = ANSWERS_PER_IDEA * n
        a, b = rng.integers(0, n, m), rng.integers(0, n, m)
        keep = a != b
        a, b = a[keep], b[keep]
        who = np.asarray(people)[rng.integers(0, PEOPLE, len(a))]
        left_wins = rng.random(len(a)) < 1 / (1 + np.exp(-(quality[a] - quality[b])))
        seen, answers = set(), []
        for k in range(len(a)):
            left, right = int(ids[a[k]]), int(ids[b[k]])
            key = (int(who[k]), min(left, right), max(left, right))
            if key in seen:
                continue
            seen.add(key)
            answers.append({"campaign_id": campaign_id, "user_id": key[0], "left_idea_id": left,
                            "right_idea_id": right, "low_idea_id": key[1], "high_idea_id": key[2],
                            "served_at": now, "answered_at": now,
                            "choice": ComparisonChoice.LEFT if left_wins[k] else ComparisonChoice.RIGHT})
        for start in range(0, len(answers), 20_000):
            db.session.execute(insert(Comparison), answers[start:start + 20_000])
        appearances = np.bincount(np.concatenate([a, b]), minlength=n)
        db.session.execute(db.update(Idea), [{"id": int(ids[k]), "pairwise_appearances": int(appearances[k])}
                                             for k in range(n)])
        campaign.idea_count = n
        db.session.commit()
        db.session.remove()
    return campaign_id, fresh, len(answers)


def timed(func, repeat):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def measure(app, campaign_id, fresh_id, seed):
    from app import offload
    from app.domain import comparisons, ideas, ranking
    from app.extensions import db
    from app.models import Idea

    out = {}
    rng = np.random.default_rng(seed)
    with app.app_context():
        offload.configure("process")
        started = time.perf_counter()
        comparisons.refresh_ranking(campaign_id)
        out["refresh_first_s"] = time.perf_counter() - started
        ids = db.session.scalars(db.select(Idea.id).where(Idea.campaign_id == campaign_id)).all()
        people = db.session.scalars(db.text("SELECT id FROM users ORDER BY id LIMIT 20")).all()
        db.session.remove()

        def lookup():
            db.session.get(Idea, int(ids[rng.integers(len(ids))]))
            db.session.remove()

        def choose():
            comparisons._choose_pair(fresh_id, campaign_id, rng)
            db.session.remove()

        def read_all():
            db.session.execute(db.select(Idea.id, Idea.author_id, Idea.pairwise_strength, Idea.pairwise_uncertainty,
                                         Idea.pairwise_appearances)
                               .where(Idea.campaign_id == campaign_id, ideas.rankable_clause())
                               .order_by(Idea.id)).all()
            db.session.remove()

        out["lookup_ms"] = timed(lookup, DRAWS)
        out["serve_ms"] = timed(choose, DRAWS)
        out["read_all_ms"] = timed(read_all, 10)
        # 20 new answers, then the refresh a busy campaign gets every few seconds
        from app.models import Comparison, ComparisonChoice
        from app.domain.clock import utcnow
        now = utcnow()
        for k in range(20):
            a, b = (int(x) for x in rng.choice(ids, 2, replace=False))
            db.session.add(Comparison(campaign_id=campaign_id, user_id=people[k], left_idea_id=a, right_idea_id=b,
                                      low_idea_id=min(a, b), high_idea_id=max(a, b), served_at=now,
                                      answered_at=now, choice=ComparisonChoice.LEFT))
        db.session.commit()
        started = time.perf_counter()
        comparisons.refresh_ranking(campaign_id)
        out["refresh_again_s"] = time.perf_counter() - started
        # the computation alone, in this process
        rows = comparisons._rankable_rows(campaign_id, None)
        index = {row.id: k for k, row in enumerate(rows)}
        pairs = comparisons._answered_pairs(campaign_id, index, None)
        args = (len(rows), *pairs, np.array([r.pairwise_strength for r in rows]))
        started = time.perf_counter()
        ranking.fit_ranking(*args)
        out["compute_s"] = time.perf_counter() - started
        started = time.perf_counter()
        fit = ranking.fit_pairs(*args[:5], initial=args[5], max_iterations=25)
        out["fit_s"] = time.perf_counter() - started
        if len(rows) <= 12_000:  # the old all-pairs sum, for contrast (minutes beyond)
            started = time.perf_counter()
            ranking.chance_to_beat_random(fit.strengths, fit.uncertainty, exact_limit=10**9)
            ranking.chance_range(fit.strengths, fit.uncertainty, exact_limit=10**9)
            out["all_pairs_chance_s"] = time.perf_counter() - started
        started = time.perf_counter()
        ranking.chance_to_beat_random(fit.strengths, fit.uncertainty, exact_limit=0)
        ranking.chance_range(fit.strengths, fit.uncertainty, exact_limit=0)
        out["grid_chance_s"] = time.perf_counter() - started
        db.session.remove()
        offload.configure("inline")
    return out


def measure_lag(database_url, campaign_id, mode):
    """The eventlet ticker beside a refresh, in a child process (bench/ranking/lag.py)."""
    return run_lag("bench.ranking.lag", database_url, campaign_id, mode)


def report(results, info, command, seconds, notes=""):
    def ms(stats, key):
        return f"{stats[key]:.2f}"

    lines = [SECTION, "",
             f"Generated by `{command}` ({seconds:.0f} s; {info}). One open pairwise campaign per size on "
             "SQLite, 4 answered comparisons per idea from 400 people. Aims: a refresh ≤ 1 s at 46,000 ideas, "
             "the event loop never more than 50 ms late during it, a pair served in ≤ 10 ms p99.", "",
             "| Ideas | Answers | Bare look-up p50 / p99 ms | Serving a pair p50 / p99 ms | Reading every idea ms "
             "| Refresh, first s | Refresh after 20 answers s | Computation alone s | of which fit s "
             "| Chances on the grid s | Chances over all pairs s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in results.items():
        m = r["measured"]
        lines.append(
            f"| {n:,} | {r['answers']:,} | {ms(m['lookup_ms'], 'p50')} / {ms(m['lookup_ms'], 'p99')} "
            f"| {ms(m['serve_ms'], 'p50')} / {ms(m['serve_ms'], 'p99')} | {m['read_all_ms']['p50']:.0f} "
            f"| {m['refresh_first_s']:.2f} | {m['refresh_again_s']:.2f} | {m['compute_s']:.2f} | {m['fit_s']:.2f} "
            f"| {m['grid_chance_s']:.3f} | {m.get('all_pairs_chance_s', float('nan')):.2f} |")
    lines += ["", "The event loop during a refresh after 20 new answers (an eventlet green thread asks to wake "
              "every 10 ms; how late it woke, ms):", "",
              "| Ideas | Fit | Refresh s | Ticks | p50 late | p99 late | max late |", "|---:|---|---:|---:|---:|---:|---:|"]
    for n, r in results.items():
        for mode, lag in r["lag"].items():
            label = "in a child process" if mode == "process" else "in the loop (as before)"
            lines.append(f"| {n:,} | {label} | {lag['seconds']:.2f} | {lag['ticks']} | {lag['p50']:.1f} "
                         f"| {lag['p99']:.1f} | {lag['max']:.1f} |")
    if notes:
        lines += ["", notes]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.ranking.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 4,600 ideas")
    parser.add_argument("--sizes", type=int, nargs="*")
    parser.add_argument("--seed", type=int, default=46)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    sizes = args.sizes or ((1_000, 4_600) if args.quick else SIZES)
    os.makedirs(WORKDIR, exist_ok=True)
    started = time.monotonic()
    results = {}
    for n in sizes:
        path = os.path.join(WORKDIR, f"ranking-{n}.sqlite")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        url = f"sqlite:///{path}"
        app = make_app(url)
        log(f"bench-ranking-scale: {n:,} ideas")
        campaign_id, fresh, answers = seed_database(app, n, args.seed)
        measured = measure(app, campaign_id, fresh, args.seed)
        log("  " + json.dumps(measured))
        lag = {mode: measure_lag(url, campaign_id, mode) for mode in ("process", "inline")}
        log("  lag " + json.dumps(lag))
        results[n] = {"answers": answers, "measured": measured, "lag": lag}
    command = "python -m bench.ranking.scale" + (" --quick" if args.quick else "")
    load = os.getloadavg()
    notes = (f"Load average at the end of the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
             f"(1 / 5 / 15 min) on {os.cpu_count()} cores.")
    section = report(results, machine(), command, time.monotonic() - started, notes)
    print(section)
    if not args.no_write:
        write_section(DOCS, section)
        log("wrote the section to docs/RANKING.md")


if __name__ == "__main__":
    main()
