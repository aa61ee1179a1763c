"""Backups of the embedded SQLite database, and fingerprints to prove a restore is exact.

SQLite's online backup API copies a consistent snapshot while the app keeps serving (readers
and the writer carry on; pages changed during the copy are copied again). PostgreSQL is
backed up with its own tools (``pg_dump``; see docs/RELIABILITY.md).
"""
import hashlib
import os
import sqlite3

from sqlalchemy import inspect, text


class BackupError(Exception):
    """A backup or restore that cannot be done as asked; the message says why."""


def sqlite_path(engine) -> str:
    """The database file of a SQLite engine (BackupError for anything else)."""
    url = engine.url
    if url.get_backend_name() != "sqlite":
        raise BackupError("This command backs up SQLite databases. For PostgreSQL use pg_dump "
                          "(see docs/RELIABILITY.md).")
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory database has nothing to back up.")
    return url.database


def backup_sqlite(source_path, destination_path):
    """Copy a consistent snapshot of ``source_path`` to a new file ``destination_path``."""
    if os.path.exists(destination_path):
        raise BackupError(f"{destination_path} exists already; choose a new file.")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    destination = sqlite3.connect(destination_path)
    try:
        with destination:
            source.backup(destination)
        if destination.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The copy failed SQLite's integrity check.")
    finally:
        destination.close()
        source.close()


def restore_sqlite(backup_path, target_path):
    """Restore a backup into an empty (or not yet existing) database file."""
    if not os.path.exists(backup_path):
        raise BackupError(f"{backup_path} does not exist.")
    if os.path.exists(target_path) and os.path.getsize(target_path) > 0:
        target = sqlite3.connect(target_path)
        try:
            tables = target.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            target.close()
        if tables:
            raise BackupError(f"{target_path} already holds tables; restore into an empty database.")
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def fingerprints(connection):
    """Each table's row count and a SHA-256 of its rows in primary-key order: two databases
    with equal fingerprints hold the same data."""
    inspector = inspect(connection)
    result = {}
    for table in sorted(inspector.get_table_names()):
        columns = [c["name"] for c in inspector.get_columns(table)]
        keys = inspector.get_pk_constraint(table).get("constrained_columns") or columns
        rows = connection.execute(text(
            f'SELECT {", ".join(_quoted(c) for c in columns)} FROM {_quoted(table)} '
            f'ORDER BY {", ".join(_quoted(k) for k in keys)}'))
        digest = hashlib.sha256()
        count = 0
        for row in rows:
            digest.update(repr(tuple(row)).encode())
            count += 1
        result[table] = (count, digest.hexdigest())
    return result


def _quoted(name):
    return '"' + name.replace('"', '""') + '"'

