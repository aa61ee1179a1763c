"""The BARE baseline: a minimal python-socketio server, no Flask app, no database.

`python bench/realtime/bare_server.py` with ASYNC_MODE and PORT, like wsgi.py: the same
monkey patching, the same open-file limit, listening socket and WSGI server (eventlet.wsgi
or gevent.pywsgi with a pool), so that the only difference from the app is the app.

Clients join a room with `join_campaign` {campaign_id} (ack {ok, campaign_id, seq}), as
with the app. POST /broadcast {campaign_id, idea_id, up_count, down_count, score}
broadcasts a `campaign_event` of kind `idea.counts` of the same shape and size as the
app's to `campaign:<id>`, from the request handler, and answers with the counts.
"""
import os

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
else:
    raise SystemExit(f"ASYNC_MODE must be eventlet or gevent, not {ASYNC_MODE!r}")

import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from bench.common.serving import load_app_serving  # noqa: E402
import json  # noqa: E402

import socketio  # noqa: E402




_serving = load_app_serving()
connection_limit, listening_socket = _serving.connection_limit, _serving.listening_socket

sio = socketio.Server(async_mode=ASYNC_MODE, max_http_buffer_size=16384)
_seq = {}


@sio.on("join_campaign")
def join_campaign(sid, data):
    campaign_id = int(data["campaign_id"])
    sio.enter_room(sid, f"campaign:{campaign_id}")
    return {"ok": True, "campaign_id": campaign_id, "seq": _seq.get(campaign_id, 0)}


def _json(start_response, status, data):
    body = json.dumps(data).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def http_app(environ, start_response):
    method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
    if method == "POST" and path == "/broadcast":
        data = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
        campaign_id = int(data["campaign_id"])
        counts = {key: int(data[key]) for key in ("up_count", "down_count", "score")}
        seq = _seq[campaign_id] = _seq.get(campaign_id, 0) + 1
        sio.emit("campaign_event", {"campaign_id": campaign_id, "seq": seq, "kind": "idea.counts",
                                    "idea_id": None, "payload": {"ideas": {str(data["idea_id"]): counts}}},
                 to=f"campaign:{campaign_id}")
        return _json(start_response, "200 OK", {"idea_id": data["idea_id"], "my_vote": 1, **counts})
    if path == "/health":
        return _json(start_response, "200 OK", {"status": "ok"})
    return _json(start_response, "404 Not Found", {"error": "not_found"})


app = socketio.WSGIApp(sio, http_app)


def serve(host, port):
    limit = connection_limit()
    sock = listening_socket(host, port)
    print(f"bare python-socketio on http://{host}:{port} ({ASYNC_MODE}, up to {limit} connections)",
          flush=True)
    if ASYNC_MODE == "eventlet":
        import eventlet.wsgi

        eventlet.wsgi.server(sock, app, max_size=limit, log_output=False)
    else:
        from gevent.pool import Pool
        from gevent.pywsgi import WSGIServer

        WSGIServer(sock, app, spawn=Pool(limit), log=None).serve_forever()


if __name__ == "__main__":
    serve(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000")))
