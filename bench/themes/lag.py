"""``python -m bench.themes.lag DATABASE_URL CAMPAIGN_ID process|inline``: refresh a campaign's
themes in a process patched by eventlet (as ``wsgi.py`` patches the server) while a green
thread asks to wake every 10 ms; print, as JSON, how late it woke. ``process`` offloads the
computation as the server does, ``inline`` runs it in this process for contrast."""
import eventlet

eventlet.monkey_patch()

import sys  # noqa: E402

from bench.common.lag import measure_lag  # noqa: E402


def main(database_url, campaign_id, mode):
    from app import create_app, offload
    from app.domain import themes
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ASYNC_MODE": "eventlet",
                      "SECRET_KEY": "bench-themes-key"})
    import sklearn.cluster  # noqa: F401  (imported up front in both modes, as a warm server would have)

    offload.configure(mode)

    def refresh():
        with app.app_context():
            themes.refresh_themes(campaign_id, pause=lambda: eventlet.sleep(0))
            db.session.remove()

    measure_lag(refresh, mode)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
