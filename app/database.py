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


# SQLSTATEs of a transaction PostgreSQL aborted only because of another one running at the
# same time: deadlock_detected and serialization_failure. Nothing of it was written, and the
# same transaction run again will normally succeed.
TRANSIENT_CONFLICTS = {"40P01", "40001"}


def is_transient_conflict(error) -> bool:
    """True for a database error that running the whole transaction again may cure."""
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) in TRANSIENT_CONFLICTS
