"""Socket events with bad payloads, on SQLite and PostgreSQL (the Flask-SocketIO test client on
the authorization matrix's jam): ids past the columns, NUL characters, unpaired surrogates and
odd types get the same refusal on both databases, never the "could not be handled" of a
failure, and a token that is not text the database can hold opens no signed-in socket."""
import pytest
from flask import g, request_started

from app.extensions import db, socketio
from tests.bad_input import DATABASES, SURROGATE, UNSTORABLE, database_url, production_like_app
from tests.conftest import _clear_g
from tests.http import authorization as matrix

FAILED = "the event could not be handled"  # app/realtime.py on_error: a handler raised
BAD_IDS = (2**31, 2**63, -1, 0, 1e308, "2147483648", [], {}) + UNSTORABLE + (SURROGATE,)
BAD_AFTER = (2**31, 2**63, -1, 1e308, "1") + UNSTORABLE + (SURROGATE,)


@pytest.fixture(scope="module", params=DATABASES)
def jam(request):
    with database_url(request.param) as url:
        app = production_like_app(url)
        request_started.connect(_clear_g, app)
        with app.app_context():
            db.create_all()
            yield app, matrix.World()
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
        request_started.disconnect(_clear_g, app)


def replies(app, world, event, payloads, auth=None):
    for name in list(vars(g)):
        delattr(g, name)
    client = app.test_client()
    matrix.sign_in(client, world.session_ids["admin"])
    sio = socketio.test_client(app, flask_test_client=client, auth=auth)
    try:
        return [sio.emit(event, payload, callback=True) for payload in payloads]
    finally:
        sio.disconnect()
        db.session.rollback()


READS = {"join_campaign": {"campaign_id"}, "catch_up": {"campaign_id", "after"}, "follow_dashboard": set()}
UNSTORABLE_TEXT = UNSTORABLE + (SURROGATE,)


@pytest.mark.parametrize("event", matrix.SOCKET_EVENTS)
def test_bad_payloads_are_refused_alike(jam, event):
    app, world = jam
    campaign_id = world.values("admin")["campaign_id"]
    # (payload, whether the event must refuse it): a bad field it reads, or unstorable text
    # anywhere, is refused; a field it does not read changes nothing.
    cases = [({"campaign_id": bad, "after": 0}, "campaign_id" in READS[event]) for bad in BAD_IDS]
    cases += [({"campaign_id": campaign_id, "after": bad}, "after" in READS[event]) for bad in BAD_AFTER]
    cases += [({"campaign_id": campaign_id, "after": 0, text: 1}, True) for text in UNSTORABLE_TEXT]
    cases = [(payload, refuse or any(v in UNSTORABLE_TEXT for v in payload.values() if isinstance(v, str)))
             for payload, refuse in cases]
    answers = replies(app, world, event, [payload for payload, _ in cases])
    for (payload, refuse), reply in zip(cases, answers):
        assert isinstance(reply, dict), (payload, reply)
        assert (reply.get("error") or {}).get("message") != FAILED, (event, payload, reply)
        assert reply.get("ok") is (not refuse), (event, payload, reply)


@pytest.mark.parametrize("token", UNSTORABLE + (SURROGATE, "ij_" + SURROGATE, "ij_\x00"))
def test_a_token_that_cannot_be_stored_opens_no_signed_in_socket(jam, token):
    app, world = jam
    for name in list(vars(g)):
        delattr(g, name)
    sio = socketio.test_client(app, auth={"token": token})
    assert not sio.is_connected()
    db.session.rollback()
