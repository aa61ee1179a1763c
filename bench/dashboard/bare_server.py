"""The BARE baseline: a minimal Flask app with one JSON route, served like wsgi.py serves the app.

`python bench/dashboard/bare_server.py` with PORT (and HOST): the same eventlet monkey
patching, open-file limit, listening socket and eventlet.wsgi server as wsgi.py, so the only
difference from the app is the app. GET /hello answers {"hello": "world"}; GET /health
answers {"status": "ok"}. No database, no session, no templates.
"""
import os

import eventlet

eventlet.monkey_patch()

import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from bench.common.serving import serve_eventlet  # noqa: E402

from flask import Flask, jsonify  # noqa: E402




app = Flask(__name__)


@app.get("/hello")
def hello():
    return jsonify(hello="world")


@app.get("/health")
def health():
    return jsonify(status="ok")


def serve(host, port):
    serve_eventlet(app, host, port, "bare Flask")


if __name__ == "__main__":
    serve(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000")))
