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
