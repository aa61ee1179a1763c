"""Listening for connections safely, whatever async library serves them (see wsgi.py)."""
import os
import resource
import socket
import sys

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


def refuse_oversized_polls(wsgi_app, server, limit, path="/socket.io/"):
    """Answer a long-polling POST larger than ``limit`` bytes at once with 413, close its
    HTTP connection, and end its Engine.IO session without waiting.

    Engine.IO would refuse it too, but then closes the session *waiting* until the client's
    next GET has taken the goodbye; a client that sends no GET leaves that request, and its
    file descriptor, hanging forever. Over websocket an oversized message closes at once
    already. ``server`` is the Engine.IO server (``socketio.server.eio``).
    """
    from urllib.parse import parse_qs

    def app(environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").startswith(path):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = limit + 1
            chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
            if length > limit or chunked:
                sid = (parse_qs(environ.get("QUERY_STRING", "")).get("sid") or [None])[0]
                session = server.sockets.pop(sid, None) if sid else None
                if session is not None:
                    session.close(wait=False, abort=True)
                body = b"message too large"
                start_response("413 Content Too Large", [
                    ("Content-Type", "text/plain"), ("Content-Length", str(len(body))),
                    ("Connection", "close")])
                return [body]
        return wsgi_app(environ, start_response)
    return app
