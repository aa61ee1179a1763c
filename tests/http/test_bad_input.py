"""One bad-input suite for every route of the url_map, pages and API, on SQLite and PostgreSQL.

A value SQLite stores and PostgreSQL refuses (an id past the 32-bit columns, a NUL character,
an unpaired surrogate) would pass every test on one database and be a server error on the
other, so the same requests run on both, with the app as production runs it (errors become
pages, not exceptions). The jam and the way each route is filled in are the authorization
matrix's (tests/http/authorization.py); every request is made by an admin, who gets furthest.

* ids past the columns, in the URL: 404 on every route with an id in its path;
* NUL characters and unpaired surrogates in the query string, every form field and every
  JSON field: 422 naming the field, before anything runs;
* ids past the columns and other odd values in every query parameter the code reads, every
  form field and every JSON field: an answer below 500;
* no body ever carries a traceback.

CI tries a handful of values per route (tests/bad_input.py); `make fuzz` (FUZZ_EXAMPLES=1000)
tries the whole odd list of tests/http/test_robustness.py and a sample of the XSS payloads,
in every field at once and in each field on its own.
"""
import json as json_module
import pathlib
import re
from types import SimpleNamespace

import pytest
from flask import request_started

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.bad_input import (DATABASES, ODD_JSON, ODD_TEXT, OUT_OF_RANGE_IDS, PER_FIELD, SURROGATE, UNSTORABLE,
                             database_url, production_like_app)
from tests.conftest import _clear_g
from tests.http import authorization as matrix

ROOT = pathlib.Path(__file__).resolve().parents[2]


def query_names():
    """Every query parameter the pages and the API read, from their source."""
    pattern = re.compile(r"""(?:args\.get(?:list)?|query_int|query_parameter)\(\s*["'](\w+)["']""")
    names = set()
    for folder in ("app/web", "app/api"):
        for path in (ROOT / folder).glob("*.py"):
            names |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


QUERY_NAMES = query_names()


class Jam:
    """The app on one database, the matrix's jam, and counts of what was tried."""

    def __init__(self, app, database):
        self.app, self.database = app, database
        self.world = matrix.World()
        self.values = self.world.values("admin")
        self.requests = self.server_errors = self.tracebacks = 0

    def send(self, method, path, *, form=None, json=None, query=None):
        api = path.startswith("/api/")
        client = self.app.test_client()
        if api:
            headers = {"Authorization": f"Bearer {self.world.tokens['admin']}"}
        else:
            headers = {}
            matrix.sign_in(client, self.world.session_ids["admin"])
        response = client.open(path, method=method, headers=headers, query_string=query,
                               json=json if api else None, data=None if api else form)
        body = response.get_data(as_text=True)
        response.close()
        db.session.rollback()
        db.session.expire_all()
        self.requests += 1
        self.server_errors += response.status_code >= 500
        self.tracebacks += "Traceback" in body
        return response.status_code, body


@pytest.fixture(scope="module", params=DATABASES)
def jam(request):
    with database_url(request.param) as url:
        app = production_like_app(url)
        request_started.connect(_clear_g, app)
        with app.app_context():
            db.create_all()
            jam = Jam(app, request.param)
            yield jam
            print(f"\nbad input on {jam.database}: {jam.requests} requests, {jam.server_errors} answers >= 500, "
                  f"{jam.tracebacks} tracebacks")
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
        request_started.disconnect(_clear_g, app)


_app = create_app(TestingConfig)
ROUTES = {matrix.row_key(method, rule.rule): (method, rule.rule) for method, rule in matrix.route_rows(_app)}
ID_ROUTES = sorted(key for key, (_method, rule) in ROUTES.items() if "<int" in rule)


def fill(rule_text, values, ids=None):
    """The rule's URL as the matrix fills it, with every id in the path replaced by ``ids``."""
    if ids is not None:
        rule_text = re.sub(r"<int(?:\([^)]*\))?:\w+>", ids, rule_text)
    return matrix.concrete(SimpleNamespace(rule=rule_text), values)


def replace_leaves(body, value):
    """The JSON body with every value (in lists and objects too) replaced by ``value``."""
    if isinstance(body, dict):
        return {key: replace_leaves(item, value) for key, item in body.items()} or {"1": value}
    if isinstance(body, list):
        return [replace_leaves(item, value) for item in body] or [value]
    return value


def requests_for(jam, method, rule_text, value):
    """(path, form, json, query) requests putting ``value`` into every input of one route."""
    path = fill(rule_text, jam.values)
    if path.endswith("/suspension") and method == "DELETE":
        path += "?reason=Served"
    # A query string is UTF-8: an unpaired surrogate can only come in a JSON body.
    query = {name: value for name in QUERY_NAMES} if isinstance(value, str) and value.isascii() else None
    if query is not None:
        path = path.split("?")[0]  # the suspension's reason is among the names
    if path.startswith("/api/"):
        body = matrix.api_body(method, path, jam.values)
        json = replace_leaves(body if body is not None else {"body": None}, value)
        yield path, None, json, query
        if value in PER_FIELD and isinstance(body, dict):
            for name in body:
                yield path, None, {**body, name: replace_leaves(body[name], value)}, None
    elif isinstance(value, str):
        form = matrix.form_data(jam.values)
        yield path, {name: value for name in form}, None, query
        if value in PER_FIELD:
            for name in (name for name, valid in form.items() if str(valid).isdigit()):
                yield path, {**form, name: value}, None, {name: value} if name in QUERY_NAMES else None


@pytest.mark.parametrize("key", ID_ROUTES)
def test_ids_past_the_columns_are_not_found(jam, key):
    method, rule_text = ROUTES[key]
    for ids in OUT_OF_RANGE_IDS:
        status, body = jam.send(method, fill(rule_text, jam.values, ids))
        assert (status, "Traceback" in body) == (404, False), (jam.database, key, ids, body[:300])


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_unstorable_text_is_refused_by_name(jam, key):
    method, rule_text = ROUTES[key]
    for value in UNSTORABLE + (SURROGATE,):
        for path, form, json, query in requests_for(jam, method, rule_text, value):
            if query is None and (json is None or method in ("GET", "DELETE")):
                continue  # the surrogate: only a JSON body can carry it, and a GET reads none
            status, body = jam.send(method, path, form=form, json=json, query=query)
            assert (status, "Traceback" in body) == (422, False), (jam.database, key, repr(value), body[:300])
            if path.startswith("/api/"):
                assert json_module.loads(body)["error"]["fields"], body


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_odd_values_in_every_field_never_fail(jam, key):
    method, rule_text = ROUTES[key]
    values = ODD_TEXT + (ODD_JSON if rule_text.startswith("/api/") else ())
    failures = []
    for value in values:
        for path, form, json, query in requests_for(jam, method, rule_text, value):
            status, body = jam.send(method, path, form=form, json=json, query=query)
            if status >= 500 or "Traceback" in body:
                failures.append((status, path, repr(value)[:40], body[:200]))
    assert failures == [], (jam.database, key)
