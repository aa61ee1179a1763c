"""Heavy, pure computations (finding themes, building a similar-idea index) away from the
server's event loop.

Under eventlet or gevent one process serves every connection from one thread: seconds of
CPU-bound Python there (or in a thread of it, which still holds the GIL) would stall every
page and socket. So the server runs such work in a child Python process: the function's
name and its plain-data arguments go down a pipe, its result comes back up. Both libraries
patch ``subprocess``, so waiting for the child is just another cooperative wait; the
child runs on the second core, with its maths libraries kept to one thread so the server
keeps a core of its own. Start-up costs the child about a second, which refreshes that
come at most every half-minute can afford.

Tests, the CLI and plain threaded servers run the same functions in-process (``inline``).
Database work stays with the caller: only the computation moves.
"""
import os
import pickle
import subprocess
import sys
from importlib import import_module

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_mode = "inline"
TIMEOUT = 600
_ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


class OffloadError(RuntimeError):
    """The child process failed; its error output is the message."""


def configure(mode):
    """"inline" (the default) or "process" (what the eventlet and gevent servers use)."""
    global _mode
    if mode not in ("inline", "process"):
        raise ValueError(mode)
    _mode = mode


def mode():
    return _mode


def run(func, *args):
    """``func(*args)``, in a child process when configured so. ``func`` must be a module-level
    function (or a class's method reached from the module) and its arguments and result
    plain, picklable data."""
    if _mode == "inline":
        return func(*args)
    return run_in_child(func, *args)


def run_in_child(func, *args, timeout=TIMEOUT):
    payload = pickle.dumps((func.__module__, func.__qualname__, args), protocol=pickle.HIGHEST_PROTOCOL)
    completed = subprocess.run([sys.executable, "-m", "app.offload"], input=payload, capture_output=True,
                               cwd=_ROOT, env={**os.environ, **_ONE_THREAD}, timeout=timeout, check=False)
    if completed.returncode != 0:
        raise OffloadError(completed.stderr.decode("utf-8", "replace")[-2000:])
    return pickle.loads(completed.stdout)


def _main():
    module_name, qualname, args = pickle.loads(sys.stdin.buffer.read())
    target = import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    result = target(*args)
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _main()
