"""Every route, API operation and socket event, tried by every kind of person, must give the
outcome docs/AUTHORIZATION.md states (tests/http/authorization.py explains the jam and the
outcomes). A route without a row fails, and so does a row without a route."""
import pytest

from app import create_app
from config import TestingConfig
from tests.http import authorization as matrix

_app = create_app(TestingConfig)
ROUTES = {matrix.row_key(method, rule.rule): (method, rule) for method, rule in matrix.route_rows(_app)}
EXPECTED = matrix.read_table()


def test_every_route_and_event_has_a_row_and_every_row_a_route():
    documented = set(EXPECTED)
    present = set(ROUTES) | {matrix.row_key("EVENT", event) for event in matrix.SOCKET_EVENTS}
    assert sorted(present - documented) == [], "routes missing from docs/AUTHORIZATION.md"
    assert sorted(documented - present) == [], "rows in docs/AUTHORIZATION.md for routes that are gone"


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_route(app, key):
    method, _rule = ROUTES[key]
    rule = next(r for r in app.url_map.iter_rules() if r.rule == _rule.rule and method in r.methods)
    assert matrix.try_route(app, method, rule) == EXPECTED.get(key), key


@pytest.mark.parametrize("event", matrix.SOCKET_EVENTS)
def test_socket_event(app, event):
    assert matrix.try_socket_event(app, event) == EXPECTED.get(matrix.row_key("EVENT", event)), event
