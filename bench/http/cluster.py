"""More than one app process: PostgreSQL databases, nginx in front, the processes behind it.

nginx comes from Debian's package, installed here when missing (as root, or through sudo), and
runs in the foreground with a configuration written for the run: least-connections over
keep-alive upstream connections for ordinary requests, and `ip_hash` stickiness for
/socket.io/, whose long-polling requests must reach the process that holds their session
(plain requests carry everything in their signed cookie, so any process may answer them).
"""
import json
import os
import shutil
import subprocess
import sys
import time

from sqlalchemy import create_engine, text

from bench.dashboard.run import HOST, Server, _env, get
from bench.common.process import die_with_parent, free_port, log

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432")
ADMIN_DATABASE = "postgres"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# --- nginx -----------------------------------------------------------------------------------

def ensure_nginx():
    """The nginx binary, installed from Debian's packages when the machine has none."""
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if found:
        return found
    log("installing nginx from Debian's packages (apt-get install nginx-light)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, env=env)
    package = "nginx-light" if subprocess.run(["apt-cache", "show", "nginx-light"], capture_output=True).returncode == 0 \
        else "nginx"
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", package], check=True, env=env)
    # The package may start a system nginx on port 80; the benchmark runs its own.
    subprocess.run(sudo + ["service", "nginx", "stop"], capture_output=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_version(binary):
    done = subprocess.run([binary, "-v"], capture_output=True, text=True)
    return (done.stderr or done.stdout).strip().split("/")[-1]


NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    upstream ideajam {{
        least_conn;
{servers}
        keepalive 64;
    }}
    upstream ideajam_sticky {{
        ip_hash;
{servers}
    }}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen {host}:{port};
        location /socket.io/ {{
            proxy_pass http://ideajam_sticky;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 86400;
        }}
        location / {{
            proxy_pass http://ideajam;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


class Cluster:
    """``processes`` servers of one kind behind a fresh nginx; ``port`` is nginx's, and
    ``cpu_seconds()`` adds up the servers' and nginx's CPU time."""

    def __init__(self, nginx, kind, processes, workdir, **server_args):
        self.nginx, self.kind, self.processes, self.workdir = nginx, kind, processes, workdir
        self.server_args = dict(server_args, workdir=workdir)
        self.servers, self.proxy = [], None

    def __enter__(self):
        try:
            for _ in range(self.processes):
                self.servers.append(Server(self.kind, **self.server_args))
            self.port = free_port()
            work = os.path.join(self.workdir, f"nginx-{self.port}")
            os.makedirs(work, exist_ok=True)
            servers = "\n".join(f"        server {HOST}:{s.port};" for s in self.servers)
            conf = os.path.join(work, "nginx.conf")
            with open(conf, "w") as handle:
                handle.write(NGINX_CONF.format(work=work, servers=servers, host=HOST, port=self.port))
            self._log = open(os.path.join(work, "nginx.out"), "wb")
            self.proxy = subprocess.Popen([self.nginx, "-c", conf, "-p", work], stdout=self._log,
                                          stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
            deadline = time.monotonic() + 30
            while True:
                try:
                    if get(self.port, "/health")[0] == 200:
                        break
                except OSError:
                    pass
                if self.proxy.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start; see {work}")
                time.sleep(0.2)
            return self
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def cpu_seconds(self):
        """CPU time of everything serving the requests: the app processes, nginx, and the
        PostgreSQL and Redis servers (so their work is not taken for outside interference)."""
        total = sum(s.cpu_seconds() for s in self.servers)
        if self.proxy is not None:
            for pid in [self.proxy.pid] + _children(self.proxy.pid):
                total += _cpu_of(pid)
        return total + sum(_cpu_of(pid) for pid in _service_pids())

    def __exit__(self, *_exc):
        if self.proxy is not None and self.proxy.poll() is None:
            self.proxy.terminate()
            try:
                self.proxy.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proxy.kill()
        for server in self.servers:
            server.stop()


def _service_pids(names=("postgres", "redis-server")):
    """The machine's PostgreSQL and Redis server processes."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as handle:
                    if handle.read().strip() in names:
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def _cpu_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


# --- PostgreSQL ------------------------------------------------------------------------------

def _admin():
    return create_engine(f"{POSTGRES}/{ADMIN_DATABASE}", isolation_level="AUTOCOMMIT")


def postgres_version():
    engine = _admin()
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    return version


def _exists(conn, name):
    return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is not None


def _drop(conn, name):
    conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


def fresh_postgres(name, template=None):
    """A database ``name``, dropped first when it exists: empty, or a copy of ``template``
    (POST routes write to it, so each run gets its own)."""
    engine = _admin()
    with engine.connect() as conn:
        _drop(conn, name)
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    engine.dispose()
    return f"{POSTGRES}/{name}"


def seeded_postgres(ideas, head, seed_format, workdir):
    """The jam-scale seed in PostgreSQL, built once per migration head and seed format and kept
    as a template database; returns its name."""
    name = f"jam_bench_{ideas}_{head}_{seed_format}".lower().replace("-", "_").replace("+", "_")[:63]
    marker = os.path.join(workdir, f"{name}.json")
    engine = _admin()
    try:
        with engine.connect() as conn:
            if _exists(conn, name) and os.path.exists(marker):
                log(f"PostgreSQL: cached seed {name}")
                return name
            for (old,) in conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                       {"p": f"jam_bench_{ideas}_%"}).all():
                _drop(conn, old)
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    env = _env(DATABASE_URL=f"{POSTGRES}/{name}")
    log_path = os.path.join(workdir, f"seed-postgres-{ideas}.log")
    log(f"PostgreSQL: seeding {ideas:,} ideas (log in {os.path.relpath(log_path, ROOT)})...")
    started = time.monotonic()
    with open(log_path, "w") as out:
        for command in (["db", "upgrade"], ["jam", "seed-scale", "--ideas", str(ideas)]):
            subprocess.run([sys.executable, "-m", "flask", *command], cwd=ROOT, env=env, check=True, stdout=out,
                           stderr=subprocess.STDOUT)
    engine = create_engine(f"{POSTGRES}/{name}", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    seconds = time.monotonic() - started
    with open(marker, "w") as handle:
        json.dump({"seconds": seconds}, handle)
    log(f"PostgreSQL: seeded in {seconds:.0f} s")
    return name
