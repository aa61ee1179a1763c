"""The BARE baselines: the app's stack with nothing of the app in it.

`python bench/http/bare_server.py` with PORT, HOST and DATABASE_URL. Flask and Flask-SQLAlchemy
under the same eventlet monkey patching, listening socket and eventlet.wsgi server as wsgi.py;
on SQLite the same connection settings as app/database.py (WAL, synchronous=FULL, a busy
timeout), so a commit costs what the app's commits cost. Three routes:

- GET  /hello   {"hello": "world"}: no database;
- GET  /read    one row by primary key (a random one of ROWS), as JSON;
- POST /insert  one new row, committed, its id as JSON.

No session, no login, no templates, no CSRF.
"""
import os

import eventlet

eventlet.monkey_patch()

import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from bench.common.serving import serve_eventlet  # noqa: E402
import random  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_sqlalchemy import SQLAlchemy  # noqa: E402
from sqlalchemy import DateTime, Integer, String, event  # noqa: E402
from sqlalchemy.orm import Mapped, mapped_column  # noqa: E402

ROWS = 10_000




app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)


class BareRow(db.Model):
    __tablename__ = "bare_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at = mapped_column(DateTime(timezone=True))


with app.app_context():
    if db.engine.dialect.name == "sqlite":
        @event.listens_for(db.engine, "connect")
        def _pragmas(dbapi_connection, _record):  # as app/database.py sets them
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()
    db.create_all()
    if db.session.query(BareRow.id).first() is None:
        now = datetime.now(timezone.utc)
        db.session.execute(BareRow.__table__.insert(),
                           [{"title": f"row {i}", "created_at": now} for i in range(ROWS)])
        db.session.commit()


@app.get("/hello")
def hello():
    return jsonify(hello="world")


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/read")
def read():
    row = db.session.get(BareRow, random.randint(1, ROWS))
    return jsonify(id=row.id, title=row.title, created_at=row.created_at.isoformat())


@app.post("/insert")
def insert():
    row = BareRow(title=request.get_data(as_text=True)[:200] or "row", created_at=datetime.now(timezone.utc))
    db.session.add(row)
    db.session.commit()
    return jsonify(id=row.id), 201


def serve(host, port):
    serve_eventlet(app, host, port, "bare Flask + SQLAlchemy")


if __name__ == "__main__":
    serve(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000")))
