"""Real services for tests: throwaway PostgreSQL databases and app server processes.

A test that needs a missing service skips on a developer's machine, but fails when
CI=true: in CI a missing service is a broken build, never a silent skip.
"""
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def missing(service, reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{service} is required in CI but is not available: {reason}")
    pytest.skip(f"{service} not available: {reason}")


@contextlib.contextmanager
def postgres_database():
    """Create an empty PostgreSQL database for one test and drop it afterwards."""
    try:
        import psycopg

        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as error:  # noqa: BLE001 - any connection failure means "not available"
        missing("PostgreSQL", error)
    name = f"ideajam_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def require_redis():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001
        missing("Redis", error)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_answers(port):
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def flask_env(database_url, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update({"DATABASE_URL": database_url, "FLASK_APP": "app:create_app",
                "JAM_CONFIG": "development", "SECRET_KEY": "server-test-key",
                "PYTHONUNBUFFERED": "1",
                # Served tests drive many people from one address, faster than people go; the
                # limits are tested on their own (tests/http/test_rate_limits.py and
                # tests/server/test_rate_limits.py turns them back on).
                "RATELIMIT_ENABLED": "false"})
    env.update(extra)
    return env


def upgrade_database(database_url):
    """Build the schema the way production does: through the migrations."""
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, check=True,
                   env=flask_env(database_url), capture_output=True, timeout=120)


class ServerProcess:
    """The real app (wsgi.py: Flask-SocketIO on eventlet or gevent) in its own process."""

    def __init__(self, database_url, async_mode="eventlet", port=None, log_path=None, **env):
        self.port = port or free_port()
        if port_answers(self.port):
            # eventlet sets SO_REUSEPORT: a leftover server would silently take half the traffic.
            raise RuntimeError(f"port {self.port} already answers; refusing to start a second server")
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or os.path.join(ROOT, "test-artifacts", f"server-{self.port}.log")
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self._log = open(self.log_path, "wb")
        self.env = dict(env)
        self.process = subprocess.Popen(
            [sys.executable, "wsgi.py"], cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
            env=flask_env(database_url, PORT=str(self.port), ASYNC_MODE=async_mode, **env),
        )
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()  # a server that never came up must not outlive the test
            raise

    def _wait_until_up(self, timeout=120):
        # Generous: on a busy 2-core machine a cold server's first answer can take many
        # seconds; this waits for the answer (a state), the deadline only ends a hung start.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early; see {self.log_path}:\n{self.log()}")
            try:
                if requests.get(self.url + "/health", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        log = self.log()
        self.stop()  # never leave a server behind that no test will stop
        raise RuntimeError(f"server did not answer within {timeout}s:\n{log}")

    def log(self):
        self._log.flush()
        with open(self.log_path, "rb") as handle:
            return handle.read().decode(errors="replace")[-4000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class IdentityProvider(ServerProcess):
    """A real OpenID Connect provider (tests/idp/provider.py, built with Authlib's server) in its
    own process, with one client per ``clients`` entry (client_id, client_secret, redirect_uris,
    post_logout_redirect_uris, backchannel_logout_uri). ``control(name, body)`` sets its
    directory and its faults. Started, watched and stopped as the app's server is."""

    def __init__(self, clients):  # noqa: super().__init__ starts wsgi.py; this starts the provider
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(ROOT, "test-artifacts", f"idp-{self.port}.log")
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self._log = open(self.log_path, "wb")
        self.env = {}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        env.update(PORT=str(self.port), ISSUER=self.url, CLIENTS=json.dumps(clients), PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen([sys.executable, "-m", "tests.idp.provider"], cwd=ROOT, env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def control(self, name, body=None):
        answer = requests.post(f"{self.url}/_control/{name}", json=body or {}, timeout=30)
        answer.raise_for_status()
        return answer.json()


class TcpProxy:
    """A loopback TCP relay to a real service that a test can cut and restore,
    to see how the app behaves while the service is away."""

    def __init__(self, target_port, target_host="127.0.0.1"):
        import threading

        self.target = (target_host, target_port)
        self.port = free_port()
        self._threading = threading
        self._connections = []
        self._listener = None
        self.start()

    def start(self):
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._listener.listen(64)
        self._threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                self._threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        """Refuse new connections and drop the open ones, as a dead server would."""
        self._listener.close()
        for sock in self._connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass
        self._connections = []

    restore = start
