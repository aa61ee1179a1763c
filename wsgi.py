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

import resource  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

from app import create_app, realtime  # noqa: E402

app = create_app()
# Every server process coalesces its own vote counts and watches the campaign clocks.
realtime.start_background_tasks(app)

# File descriptors kept free for the database, logs and the message queue.
RESERVED_FILES = 64


def connection_limit():
    """Raise the open-file limit as far as allowed and keep concurrent connections below it.

    Past the file limit, accept() fails with "Too many open files" and eventlet's server
    dies; past its default pool of 1,024, even plain HTTP stops answering. A pool sized
    from the file limit avoids both: when full, the server stops accepting, then resumes.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else 65536
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    wanted = int(os.environ.get("MAX_CONNECTIONS", "10000"))
    return max(16, min(wanted, soft - RESERVED_FILES))


def listening_socket(host, port):
    """Bind without SO_REUSEPORT: a leftover server on the port must make us fail loudly,
    not silently share (and take half of) the traffic."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sys.exit(f"Cannot listen on {host}:{port}: {error}. Is another server still running?")
    sock.listen(1024)
    return sock


def serve(host, port):
    limit = connection_limit()
    sock = listening_socket(host, port)
    print(f"Idea Jam on http://{host}:{port} ({ASYNC_MODE}, up to {limit} connections)", flush=True)
    if ASYNC_MODE == "eventlet":
        import eventlet.wsgi

        eventlet.wsgi.server(sock, app, max_size=limit, log_output=False)
    elif ASYNC_MODE == "gevent":
        from gevent.pool import Pool
        from gevent.pywsgi import WSGIServer

        WSGIServer(sock, app, spawn=Pool(limit), log=None).serve_forever()
    else:
        from app.extensions import socketio

        sock.close()
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    serve(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000")))
