"""Run a server script while recording its garbage-collector pauses.

    python bench/realtime/gc_probe.py OUT SCRIPT

Appends "<monotonic time at the end> <generation> <seconds>" to OUT for every collection
that took 2 ms or more, then runs SCRIPT as __main__ in this same process (so its PID,
memory and CPU are the server's). A collection stops every greenlet: each pause delays
whatever the server was sending at that moment.
"""
import gc
import os
import runpy
import sys
import time

out_path, script = sys.argv[1], os.path.abspath(sys.argv[2])
_out = open(out_path, "a", buffering=1)
_started = [0.0]


def _record(phase, info):
    if phase == "start":
        _started[0] = time.perf_counter()
        return
    seconds = time.perf_counter() - _started[0]
    if seconds >= 0.002:
        _out.write(f"{time.monotonic():.4f} {info['generation']} {seconds:.4f}\n")


gc.callbacks.append(_record)
sys.argv = [script]
sys.path[0] = os.path.dirname(script)
runpy.run_path(script, run_name="__main__")
