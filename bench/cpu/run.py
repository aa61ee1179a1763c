"""CPU per request, in-process: what each page and a vote cost the server's core, beside a bare
Flask-SQLAlchemy read and insert measured in the same process, on the same kind of database.

No network and no server: Flask's test client drives the app (the production configuration:
CSRF on, sessions, translations), and ``time.process_time()`` is read around each request, so the
figure is CPU spent, whatever else the machine does. The database is the demo jam (`flask jam
seed-demo`, built fresh in test-artifacts/) or, with BENCH_DATABASE=sqlite:///…, any jam such as a
`flask jam seed-scale` file. People are signed in as the demo's staff participant, in English and in
Traditional Chinese.

`make bench-cpu` (about a minute); writes the "CPU per request" section of docs/PERFORMANCE.md
(BENCH_OUTPUT to write elsewhere). BENCH_REQUESTS (default 200) requests per row, after warm-up.
"""
import os
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

from bench.common.process import ROOT, log
from bench.common.report import machine, machine_line, write_section

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARMUP = 20
SECTION = "## CPU per request (in-process)"
DOCS = os.path.join(ROOT, "docs", "PERFORMANCE.md")
WORKDIR = os.path.join(ROOT, "test-artifacts", "bench-cpu")
SECRET_KEY = "bench-cpu-key"


def _env(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "BENCH_"))}
    env.update({"DATABASE_URL": database_url, "FLASK_APP": "app:create_app", "JAM_CONFIG": "development",
                "SECRET_KEY": SECRET_KEY, "PYTHONWARNINGS": "ignore"})
    return env


def demo_database():
    """A fresh demo jam in a SQLite file, built by the migrations and the demo seeder."""
    os.makedirs(WORKDIR, exist_ok=True)
    path = os.path.join(WORKDIR, "demo.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    url = f"sqlite:///{path}"
    for command in (["db", "upgrade"], ["jam", "seed-demo"]):
        subprocess.run([sys.executable, "-m", "flask", *command], cwd=ROOT, env=_env(url), check=True,
                       capture_output=True, timeout=600)
    return url


def cpu_per_request(send, count=REQUESTS, warmup=WARMUP):
    """Median and mean CPU milliseconds of ``send()`` over ``count`` calls after ``warmup``."""
    for _ in range(warmup):
        send()
    samples = []
    for _ in range(count):
        started = time.process_time()
        send()
        samples.append((time.process_time() - started) * 1000)
    return {"median": statistics.median(samples), "mean": statistics.fmean(samples), "n": count}


def _checked(response, status=200):
    if response.status_code != status:
        raise RuntimeError(f"{response.request.path} answered {response.status_code}")
    return response


def bare_app(database_url):
    """Flask + Flask-SQLAlchemy with one table, nothing of the app: the floor a page stands on."""
    from flask import Flask, jsonify
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import Integer, String
    from sqlalchemy.orm import Mapped, mapped_column

    app = Flask("bare")
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    db = SQLAlchemy(app)

    class BareRow(db.Model):
        __tablename__ = "bare_rows"
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        name: Mapped[str] = mapped_column(String(80))

    @app.get("/read/<int:row_id>")
    def read(row_id):
        row = db.session.get(BareRow, row_id)
        return jsonify(id=row.id, name=row.name)

    @app.post("/insert")
    def insert():
        row = BareRow(name="row")
        db.session.add(row)
        db.session.commit()
        return jsonify(id=row.id), 201

    with app.app_context():
        db.create_all()
        db.session.add_all(BareRow(name=f"row {n}") for n in range(1, 101))
        db.session.commit()
    return app


def jam_app(database_url):
    os.environ.update({"DATABASE_URL": database_url, "JAM_CONFIG": "production", "SECRET_KEY": SECRET_KEY,
                       "SESSION_COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "false", "ASYNC_MODE": "threading",
                       "MAIL_BACKEND": "locmem"})
    from app import create_app
    from config import config_from_env

    return create_app(config_from_env())


def _targets(app):
    """The pages to measure: the busiest campaign, its most discussed idea, home, a profile."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Campaign, Idea, User

    with app.app_context():
        campaign = db.session.scalars(select(Campaign).order_by(Campaign.idea_count.desc(), Campaign.id)).first()
        idea = db.session.scalars(select(Idea).where(Idea.campaign_id == campaign.id)
                                  .order_by(Idea.comment_count.desc(), Idea.id)).first()
        return {"campaign": f"/c/{campaign.slug}", "idea": f"/ideas/{idea.id}", "idea_id": idea.id,
                "profile": f"/people/{idea.author_id}", "home": "/",
                "api": f"/api/v1/campaigns/{campaign.id}/ideas"}


def signed_in(app, email, password):
    client = app.test_client()
    page = _checked(client.get("/login")).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    _checked(client.post("/login", data={"email": email, "password": password, "csrf_token": token}), 302)
    return client


def measure(database_url):
    from app.demo import DEMO_PASSWORD, demo_email

    rows = []
    bare = bare_app(f"sqlite:///{os.path.join(WORKDIR, 'bare.sqlite')}")
    bare_client = bare.test_client()
    ids = iter(range(10**9))
    rows.append(("BARE: one-row read (Flask-SQLAlchemy)", cpu_per_request(
        lambda: _checked(bare_client.get(f"/read/{next(ids) % 100 + 1}")))))
    rows.append(("BARE: one-row insert + commit", cpu_per_request(
        lambda: _checked(bare_client.post("/insert"), 201))))
    app = jam_app(database_url)
    paths = _targets(app)
    for language, login in (("en", "staff"), ("zh-Hant", "staff.zh")):
        client = signed_in(app, demo_email(login), DEMO_PASSWORD)
        for label in ("campaign", "idea", "home", "profile"):
            rows.append((f"{label} page, {language}", cpu_per_request(
                lambda path=paths[label]: _checked(client.get(path)))))
    client = signed_in(app, demo_email("staff"), DEMO_PASSWORD)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"',
                      client.get(paths["idea"]).get_data(as_text=True)).group(1)
    values = iter(["up", "down"] * (REQUESTS + WARMUP))
    rows.append(("vote POST (JSON, CSRF)", cpu_per_request(lambda: _checked(client.post(
        f"/ideas/{paths['idea_id']}/vote", data={"value": next(values)},
        headers={"X-CSRFToken": token, "Accept": "application/json"})))))
    rows.append(("anonymous campaign page", cpu_per_request(
        lambda: _checked(app.test_client().get(paths["campaign"])))))
    return rows


def report(rows, info, database, started):
    read = next(m for label, m in rows if label.startswith("BARE: one-row read"))["median"]
    insert = next(m for label, m in rows if label.startswith("BARE: one-row insert"))["median"]
    lines = [SECTION, "",
             f"Measured {started} by `make bench-cpu` (bench/cpu/) on {database}; {REQUESTS} requests per "
             f"row after {WARMUP} of warm-up, CPU time of this one process (`time.process_time()`), so "
             "other work on the machine does not count.", "", machine_line(info), "",
             "| request | CPU ms, median | mean | × bare read | × bare insert |", "|---|---:|---:|---:|---:|"]
    for label, m in rows:
        lines.append(f"| {label} | {m['median']:.2f} | {m['mean']:.2f} | {m['median'] / read:.1f}× | "
                     f"{m['median'] / insert:.1f}× |")
    lines += ["", "The bare rows are a Flask app with one table and nothing else, in the same process on "
              "the same kind of database: the floor any page of the jam stands on."]
    return "\n".join(lines) + "\n"


def main():
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    os.makedirs(WORKDIR, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE")
    database = "the given database"
    if not database_url:
        log("building the demo jam")
        database_url, database = demo_database(), "the demo jam (SQLite)"
    log(f"measuring {REQUESTS} requests per row")
    rows = measure(database_url)
    section = report(rows, machine(("Flask", "Jinja2", "Werkzeug", "SQLAlchemy", "Flask-SQLAlchemy",
                                    "Flask-WTF", "Flask-Babel", "Flask-Login")), database, started)
    print(section)
    output = os.environ.get("BENCH_OUTPUT") or DOCS
    write_section(output, section)
    log(f"written to {os.path.relpath(output, ROOT)}")
