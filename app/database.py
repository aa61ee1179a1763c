"""Engine settings: SQLite made durable and friendly to many readers."""
import os

from sqlalchemy import event

from app.domain import sqlfunctions  # noqa: F401  (registers SQL functions on connect)
from app.extensions import db


def init_app(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        os.makedirs(os.path.dirname(os.path.abspath(url[len("sqlite:///"):])), exist_ok=True)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT"] * 1000)

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                # WAL lets pages read while a vote is written; FULL syncs every commit to
                # disk, so an acknowledged write survives a crash or power loss.
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=FULL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
                cursor.close()
