"""The BARE baseline: a minimal Flask app with one JSON route, served like wsgi.py serves the app.

`python bench/dashboard/bare_server.py` with PORT (and HOST): the same eventlet monkey
patching, open-file limit, listening socket and eventlet.wsgi server as wsgi.py, so the only
difference from the app is the app. GET /hello answers {"hello": "world"}; GET /health
answers {"status": "ok"}. No database, no session, no templates.
"""
import os

import eventlet

eventlet.monkey_patch()

import importlib.util  # noqa: E402

from flask import Flask, jsonify  # noqa: E402


def _load_serving():
    """The app's own listening helpers (app/serving.py), loaded by path: importing app.serving
    would run app/__init__.py and bring the whole app into a baseline that must not have it."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    spec = importlib.util.spec_from_file_location("_jam_serving", os.path.join(root, "app", "serving.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_serving = _load_serving()
app = Flask(__name__)


@app.get("/hello")
def hello():
    return jsonify(hello="world")


@app.get("/health")
def health():
    return jsonify(status="ok")


def serve(host, port):
    import eventlet.wsgi

    limit = _serving.connection_limit()
    sock = _serving.listening_socket(host, port)
    print(f"bare Flask on http://{host}:{port} (eventlet, up to {limit} connections)", flush=True)
    eventlet.wsgi.server(sock, app, max_size=limit, log_output=False)


if __name__ == "__main__":
    serve(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000")))
