"""What a live comment costs when every reader fetches their own copy: `python -m bench.composer`.

When a comment arrives, changes or is hidden, each reader of that idea's page asks the server
for the comment as the page shows it to them (GET /comments/<id>/fragment: the page's
template, Reply / Flag / moderation decided per reader). This measures one such request,
in-process through the app (routing, session, permissions, queries, template), against:

- BARE: a plain Flask app answering a constant HTML string (the floor of any request here);
- PAGE: the whole idea page for the same reader (what a reload would cost instead);
- PREVIEW: one Markdown preview of a 1,500-character text (the composer's preview).

Each on a SQLite file database seeded with one idea and THREADS comment threads of REPLIES
replies each. QUICK=1: fewer rounds, report to test-artifacts/ instead of docs/PERFORMANCE.md.
Knobs: BENCH_ROUNDS, BENCH_OUTPUT.
"""
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone

from flask import Flask

from bench.common.report import write_section

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QUICK = os.environ.get("QUICK") == "1"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "150" if QUICK else "600"))
THREADS, REPLIES = 30, 5
OUTPUT = os.environ.get("BENCH_OUTPUT") or (
    os.path.join(ROOT, "test-artifacts", "composer-bench.md") if QUICK else os.path.join(ROOT, "docs", "PERFORMANCE.md"))

MARKDOWN = ("A **bold** idea with a [link](https://example.org), a list:\n\n- one\n- two\n\n"
            "> and a quote, `code` and *emphasis*.\n\n") * 12


def timed(call, rounds):
    """Milliseconds per call: median and 95th percentile, after a short warm-up."""
    for _ in range(min(20, rounds)):
        call()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def bare_app():
    app = Flask("bare")
    html = '<li class="comment" id="comment-1"><p>Good point.</p></li>'

    @app.get("/comments/<int:comment_id>/fragment")
    def fragment(comment_id):
        return html
    return app


def real_app(path):
    from app import create_app
    from config import TestingConfig

    class Bench(TestingConfig):
        TESTING = False
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
    return create_app(Bench)


def seed(app):
    from app.extensions import db
    from tests import factories

    with app.app_context():
        db.create_all()
        campaign = factories.make_campaign()
        idea = factories.make_idea(campaign)
        people = [factories.make_user() for _ in range(10)]
        target = None
        for t in range(THREADS):
            top = factories.make_comment(idea, people[t % 10], body=f"Thread {t}: *worth* discussing.")
            for r in range(REPLIES):
                factories.make_comment(idea, people[(t + r + 1) % 10], body=f"Reply {r}", parent=top)
            target = target or top
        reader = factories.make_user()
        ids = idea.id, target.id, reader.email
        db.session.remove()
        return ids


def main():
    with tempfile.TemporaryDirectory() as directory:
        app = real_app(os.path.join(directory, "bench.sqlite"))
        idea_id, top_id, reader = seed(app)
        with app.app_context():
            from app.extensions import db
            from app.models import Comment

            reply_id = db.session.query(Comment.id).filter(Comment.parent_id == top_id).first()[0]
            db.session.remove()
        client = app.test_client()
        from tests import factories
        assert client.post("/login", data={"email": reader, "password": factories.PASSWORD}).status_code == 302

        def get(path):
            def call():
                response = client.get(path)
                assert response.status_code == 200, response.status_code
            return call

        def preview():
            response = client.post("/preview", data={"kind": "idea", "body": MARKDOWN[:1500]},
                                   headers={"Accept": "application/json"})
            assert response.status_code == 200, response.status_code

        bare = bare_app().test_client()
        rows = [
            ("BARE: constant fragment, plain Flask", timed(lambda: bare.get("/comments/1/fragment"), ROUNDS)),
            ("Fragment: a reply (no thread)", timed(get(f"/comments/{reply_id}/fragment"), ROUNDS)),
            (f"Fragment: a thread with its {REPLIES} replies", timed(get(f"/comments/{top_id}/fragment"), ROUNDS)),
            (f"PAGE: the idea page ({THREADS} threads)", timed(get(f"/ideas/{idea_id}"), max(50, ROUNDS // 5))),
            ("PREVIEW: 1,500 characters of Markdown", timed(preview, ROUNDS)),
        ]
    write(rows)


def write(rows):
    bare = rows[0][1][0]
    reply = rows[1][1][0]
    lines = [
        "## Live comments fetched per reader, and previews",
        "",
        "A comment that arrives, changes or is hidden is fetched by each reader of its idea page as",
        "the page shows it to them (`GET /comments/<id>/fragment`). One request, in-process on one",
        "core (routing, session, permissions, queries, template), against a bare Flask route and",
        f"against the whole idea page. Run `python -m bench.composer` (QUICK=1: fewer rounds); "
        f"{ROUNDS} rounds each, SQLite, Python {platform.python_version()}, "
        f"{datetime.now(timezone.utc):%Y-%m-%d}, load average {os.getloadavg()[0]:.0f} on "
        f"{os.cpu_count()} cores (absolute times grow with the load; the ratios hold).",
        "",
        f"In short: one reader's fragment costs about {reply:.1f} ms of server time, "
        f"{reply / bare:.0f}× a bare request and {rows[3][1][0] / reply:.0f}× less than reloading "
        f"the page; a comment read by 100 open pages costs about {reply * 100 / 1000:.2f} s of one "
        "core in all, spread over the readers' fetches.",
        "",
        "| Request | median ms | p95 ms |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {median:.2f} | {p95:.2f} |" for name, (median, p95) in rows]
    section = "\n".join(lines) + "\n"
    write_section(OUTPUT, section)
    print(section)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
