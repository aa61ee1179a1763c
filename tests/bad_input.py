"""What the bad-input suites share (tests/http/test_bad_input.py, tests/sockets/test_bad_input.py):
the databases they run on, the app as production runs it, and the values they try.

A value SQLite stores and PostgreSQL refuses would pass every test on one database and be a
server error on the other, so each suite runs on both.
"""
import contextlib
import os

import pytest

from app import create_app
from config import TestingConfig
from tests.services import postgres_database

DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
# `make fuzz` (FUZZ_EXAMPLES=1000) tries many more values, each field on its own as well.
FULL = int(os.environ.get("FUZZ_EXAMPLES", "25")) >= 1000

# Past the 32-bit id columns of PostgreSQL, past SQLite's 64-bit integers, and no id at all.
OUT_OF_RANGE_IDS = ("2147483648", "9223372036854775808", "0")
# Text no PostgreSQL column can hold; an unpaired surrogate only arrives in JSON.
UNSTORABLE = ("a\x00b",)
SURROGATE = "\ud800"
ODD_TEXT = ("2147483648", "9223372036854775808", "1e400")
ODD_JSON = (2**31, 2**63, 1e308, [])
if FULL:
    from tests.http.test_robustness import ODD
    from tests.xss_payloads import PAYLOADS

    OUT_OF_RANGE_IDS += ("99999999999999999999999999", "4294967296", "-1")
    UNSTORABLE += ("\x00", "\x00" * 100, "電\x00信")
    ODD_TEXT += ("-2147483649", "") + tuple(ODD) + tuple(PAYLOADS[::80])
    ODD_JSON += (-(2**63) - 1, -1, {}, True, None, "", "-1", 0.5, "a" * 5000)
# Also put into each numeric field on its own (every JSON field, every page form field whose
# valid value is a number), the others valid, so no refusal of another field hides what this
# one does (under `make fuzz`).
PER_FIELD = ("2147483648", "9223372036854775808", 2**31, 2**63) if FULL else ()


@contextlib.contextmanager
def database_url(kind):
    """An empty database of this kind for one module: in-memory SQLite, or a throwaway
    PostgreSQL database."""
    if kind == "sqlite":
        yield TestingConfig.SQLALCHEMY_DATABASE_URI
    else:
        with postgres_database() as url:
            yield url


def production_like_app(url):
    """The testing app on ``url``, with failures turned into the error pages people get
    (TESTING off) instead of exceptions raised into the test."""
    config = type("BadInputConfig", (TestingConfig,), {
        "SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "PROPAGATE_EXCEPTIONS": False})
    return create_app(config)
