"""Configuration classes. Every setting can be overridden from the environment."""
import os
from datetime import timedelta

BASE_DIR = os.path.abspath(os.path.dirname(__file__))
INSTANCE_DIR = os.path.join(BASE_DIR, "instance")


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _database_url(value):
    # Plain postgresql:// URLs would pick psycopg2; the project ships psycopg 3.
    if value.startswith("postgres://"):
        value = "postgresql://" + value[len("postgres://"):]
    if value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://"):]
    return value


def _sso_providers():
    """Sign-in providers, one per organisation: SSO_PROVIDERS=corp,acme names them, and each
    takes its settings from SSO_<NAME>_<SETTING> (SSO_CORP_ISSUER, SSO_CORP_CLIENT_ID, ...; the
    README lists them). Returns {name: {setting: value}}, checked by app.domain.sso."""
    providers = {}
    for name in _env_list("SSO_PROVIDERS", []):
        prefix = f"SSO_{name.upper()}_"
        providers[name.lower()] = {key[len(prefix):].lower(): value for key, value in os.environ.items()
                                   if key.startswith(prefix)}
    return providers


DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get(
        "DATABASE_URL", "sqlite:///" + os.path.join(INSTANCE_DIR, "ideajam.sqlite")
    ))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Seconds a SQLite writer waits for the lock held by another process.
    SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "5"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session

    LANGUAGES = ["en", "zh_Hant", "zh_Hans"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "UTC")
    BABEL_TRANSLATION_DIRECTORIES = os.path.join(BASE_DIR, "app", "translations")

    # Realtime: "eventlet" (default) or "gevent"; a Redis URL lets several processes share events.
    ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # Processes of one deployment share a channel; separate deployments on one Redis must not.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "ideajam")
    CORS_ALLOWED_ORIGINS = _env_list("CORS_ALLOWED_ORIGINS", [])
    # Larger socket messages are refused and their connection closed.
    SOCKET_MAX_MESSAGE_BYTES = int(os.environ.get("SOCKET_MAX_MESSAGE_BYTES", "16384"))

    # Outgoing mail (Flask-Mailman): the links that finish a registration and reset a password.
    # "console" prints each message, links included, in the server's output (development);
    # "smtp" sends it through MAIL_SERVER (production); "file" writes each message to a file in
    # MAIL_FILE_PATH; "locmem" keeps them in memory (tests).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Idea Jam <no-reply@localhost>")
    MAIL_FILE_PATH = os.environ.get("MAIL_FILE_PATH", os.path.join(INSTANCE_DIR, "mail"))
    # Where people reach the jam ("https://jam.example.org"): links in mails are built on it.
    # Unset, they are built on the address the request came to, which a forged Host header
    # could change; set it in production.
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None

    # Rate limits (app/ratelimits.py, Flask-Limiter), per action: (per person, per network
    # address); for logging in, registering and asking for a password reset, the first is per
    # email address typed. Counters live in Redis when one is configured, so every process
    # shares them.
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = (os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("SOCKETIO_MESSAGE_QUEUE")
                             or "memory://")
    RATELIMIT_STRATEGY = "moving-window"  # no double burst at a window's edge
    # The 429 itself carries Retry-After, the same number of seconds as its message says.
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_KEY_PREFIX = os.environ.get("SOCKETIO_CHANNEL", "ideajam")
    # When Redis is away, each process counts in its own memory (the same limits, per
    # process) until Redis answers again: the jam keeps taking writes, still paced.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = _env_bool("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # And should counting fail in any other way, the request goes on (the error is logged).
    RATELIMIT_SWALLOW_ERRORS = True
    # Many people of one organisation share an address behind its gateway, so the per-address
    # limits of signed-in actions only stop floods; the per-person ones pace people.
    RATE_LIMITS = {
        "login": ("5 per minute", "30 per minute"),  # per email address, per network address
        "register": ("3 per hour", "10 per hour"),  # the first step (a mail); per email, per address
        "password_reset": ("3 per hour", "10 per hour"),  # asking for a link; per email, per address
        "ideas": ("30 per hour", "600 per hour"),
        "comments": ("20 per minute", "300 per minute"),
        "votes": ("120 per minute", "3000 per minute"),
        "flags": ("30 per hour", "300 per hour"),
        # Markdown previews while writing (a click each, or a pause in typing).
        "previews": ("60 per minute", "600 per minute"),
    }
    # How many proxies in front of the app set X-Forwarded-For/-Proto (nginx: 1). Without it
    # every request would seem to come from the proxy, and share one per-address limit.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    IDEAS_PER_PAGE = int(os.environ.get("IDEAS_PER_PAGE", "20"))
    # An idea page shows this many comment threads (each with its replies) at a time.
    COMMENT_THREADS_PER_PAGE = int(os.environ.get("COMMENT_THREADS_PER_PAGE", "30"))
    # Hours over which trending activity loses about two thirds of its weight.
    TRENDING_TIMESCALE_HOURS = float(os.environ.get("TRENDING_TIMESCALE_HOURS", "6"))
    # A campaign's themes are worked out again at most this often while its ideas change.
    THEMES_REFRESH_SECONDS = float(os.environ.get("THEMES_REFRESH_SECONDS", "30"))
    # Company sign-in (OpenID Connect): the providers, the clock skew allowed on their tokens,
    # and how often a signed-in person's groups are asked of their provider again.
    SSO_PROVIDERS = _sso_providers()
    SSO_LEEWAY_SECONDS = int(os.environ.get("SSO_LEEWAY_SECONDS", "120"))
    SSO_RECHECK_SECONDS = float(os.environ.get("SSO_RECHECK_SECONDS", "300"))
    # Optional callable returning an aware UTC datetime; tests inject a fixed clock here.
    CLOCK = None


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-key"
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    WTF_CSRF_ENABLED = False
    ASYNC_MODE = os.environ.get("ASYNC_MODE", "threading")
    # Tests of other things post faster than people; tests/http/test_rate_limits.py turns them on.
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    # Mail stays in memory: app.extensions["mailman"].outbox (the ``outbox`` fixture).
    MAIL_BACKEND = "locmem"


class ProductionConfig(Config):
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def check(cls):
        if not cls.SECRET_KEY or cls.SECRET_KEY == DEVELOPMENT_SECRET_KEY:
            raise RuntimeError("Set SECRET_KEY in the environment before running in production.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    return CONFIGS[os.environ.get("JAM_CONFIG", "development")]
