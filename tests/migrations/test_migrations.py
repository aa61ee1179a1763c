"""`flask db upgrade` from an empty database must build exactly the schema of the models."""
import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.extensions import db
from tests.services import ROOT, flask_env, postgres_database, upgrade_database

import app.models  # noqa: F401  (the whole schema)


def differences(database_url):
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def check_round_trip(database_url):
    upgrade_database(database_url)
    assert differences(database_url) == []
    subprocess.run([sys.executable, "-m", "flask", "db", "downgrade", "base"], cwd=ROOT,
                   check=True, env=flask_env(database_url), capture_output=True, timeout=120)
    engine = create_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_sqlite_upgrade_equals_models(tmp_path):
    check_round_trip(f"sqlite:///{tmp_path / 'migrated.sqlite'}")


@pytest.mark.postgres
def test_postgresql_upgrade_equals_models():
    with postgres_database() as url:
        check_round_trip(url)


def test_flask_db_check_finds_nothing_to_generate(tmp_path):
    url = f"sqlite:///{tmp_path / 'check.sqlite'}"
    upgrade_database(url)
    result = subprocess.run([sys.executable, "-m", "flask", "db", "check"], cwd=ROOT,
                            env=flask_env(url), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
