"""Entry point: `python wsgi.py` serves the app through Flask-SocketIO; `wsgi:app` for gunicorn.

The async library must patch the standard library before anything else is imported,
so the patching happens here, first, chosen by ASYNC_MODE (eventlet by default).
"""
import os

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

from app import create_app, realtime  # noqa: E402
from app.extensions import socketio  # noqa: E402
from app.serving import connection_limit, listening_socket, refuse_oversized_polls  # noqa: E402

app = create_app()
app.wsgi_app = refuse_oversized_polls(app.wsgi_app, socketio.server.eio,
                                      app.config["SOCKET_MAX_MESSAGE_BYTES"])
# Every server process coalesces its own vote counts and watches the campaign clocks.
realtime.start_background_tasks(app)


def serve(host, port):
    limit = connection_limit()
    sock = listening_socket(host, port)
    print(f"Idea Jam on http://{host}:{port} ({ASYNC_MODE}, up to {limit} connections)", flush=True)
    if ASYNC_MODE == "eventlet":
        import eventlet.wsgi

        # debug=False: eventlet's default writes the traceback of a failure it catches into the
        # response body; the log keeps it (app/errors.py answers before it gets that far).
        eventlet.wsgi.server(sock, app, max_size=limit, log_output=False, debug=False)
    elif ASYNC_MODE == "gevent":
        from gevent.pool import Pool
        from gevent.pywsgi import WSGIServer

        WSGIServer(sock, app, spawn=Pool(limit), log=None).serve_forever()
    else:
        sock.close()
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    serve(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000")))
