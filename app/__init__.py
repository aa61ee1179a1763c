"""Idea Jam: crowdsourced innovation campaigns."""
from flask import Flask

from app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate, socketio


def create_app(config=None):
    """Build the application. ``config`` is a config class or a dict of overrides."""
    from config import Config, config_from_env

    app = Flask(__name__, instance_relative_config=False)
    if config is None:
        config = config_from_env()
    if isinstance(config, dict):
        app.config.from_object(Config)
        app.config.update(config)
    else:
        app.config.from_object(config)
        if hasattr(config, "check"):
            config.check()

    from app import database, i18n, inputs, realtime, security

    inputs.init_app(app)  # first: the id converter must be in place before any route
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir())
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    i18n.init_app(app)
    security.init_app(app)
    _init_login(app)
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        # None means same origin only; never "*".
        cors_allowed_origins=app.config["CORS_ALLOWED_ORIGINS"] or None,
        max_http_buffer_size=app.config["SOCKET_MAX_MESSAGE_BYTES"],
    )
    realtime.init_app(app)

    from app import cli, errors, health, templating
    from app.api import bp as api_bp
    from app.web import register_blueprints

    register_blueprints(app)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # the API takes Bearer tokens only, never the session cookie
    errors.init_app(app)
    health.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    return app


def _migrations_dir():
    import os

    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def _init_login(app):
    from flask_babel import lazy_gettext as _l

    from app.domain.accounts import load_session_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)

    @login_manager.unauthorized_handler
    def _log_in_first():
        # Back to the page after logging in; for a form posted without a session, the page the
        # form was on (its drafts come back there), never the form's POST-only address.
        from flask import flash, redirect, request, url_for

        from app.web.helpers import referrer_path

        flash(login_manager.login_message, login_manager.login_message_category)
        target = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else referrer_path()
        return redirect(url_for(login_manager.login_view, next=target))
