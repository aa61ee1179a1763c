"""What the bare baselines share with the app: its listening helpers (app/serving.py), loaded by
path. Importing them as ``app.serving`` would run app/__init__.py and bring the whole app (Flask
extensions, SQLAlchemy models) into a baseline that must not have it."""
import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_app_serving():
    spec = importlib.util.spec_from_file_location("_jam_serving", os.path.join(ROOT, "app", "serving.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def serve_eventlet(app, host, port, banner):
    """Serve a WSGI app as wsgi.py does under eventlet: the same socket, the same connection limit."""
    import eventlet.wsgi

    serving = load_app_serving()
    limit = serving.connection_limit()
    sock = serving.listening_socket(host, port)
    print(f"{banner} on http://{host}:{port} (eventlet, up to {limit} connections)", flush=True)
    eventlet.wsgi.server(sock, app, max_size=limit, log_output=False)
