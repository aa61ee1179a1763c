"""Server processes for benchmarks, and the machine's own load around them."""
import os
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = "127.0.0.1"
# A benchmark waits while processes outside it keep more than this share of a core busy:
# they share the machine's cores with what is measured.
QUIET_LIMIT = 0.5


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def die_with_parent():
    """In a server's child process: get SIGTERM when the benchmark dies, however it dies."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def busy_cpu_seconds():
    """CPU time the whole machine spent busy (all processes, all cores) since boot."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wait_for_idle_machine(limit):
    """Before starting: wait (at most `limit` s) until the machine is nearly idle for 5 s."""
    started = time.monotonic()
    while True:
        busy = busy_cpu_seconds()
        time.sleep(5.0)
        load = (busy_cpu_seconds() - busy) / 5.0
        waited = time.monotonic() - started
        if load <= QUIET_LIMIT or waited >= limit:
            break
        if waited < 6 or int(waited) % 60 < 5:
            log(f"waiting for the machine to be idle: other processes use {100 * load:.0f}% of a core "
                f"(waited {waited:.0f} of at most {limit:.0f} s)")
    if load > QUIET_LIMIT:
        log(f"starting anyway: other processes use {100 * load:.0f}% of a core; see the last table")


class BenchServer:
    """A server (the app's wsgi.py or a bare baseline) in its own process, on a port of its own,
    answering ``healthy(port)`` before the benchmark uses it."""

    def __init__(self, label, argv, env, log_path, healthy, port, timeout=60):
        self.label, self.port, self.log_path = label, port, log_path
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{label} server exited early; see {log_path}")
            try:
                if healthy(port):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{label} server did not answer within {timeout} s; see {log_path}")

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
