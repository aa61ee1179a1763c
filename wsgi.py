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

app = create_app()
# Every server process coalesces its own vote counts and watches the campaign clocks.
realtime.start_background_tasks(app)

if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    socketio.run(app, host=host, port=port, debug=False, use_reloader=False, log_output=True)
