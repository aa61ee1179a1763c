"""The load generator: keep-alive HTTP/1.1 connections on one asyncio loop in a child process.

Each connection owns a list of raw requests and sends them in turn, one at a time, each as soon
as the previous answer is read (a closed loop). A GET route gives every connection the same one
request; a POST route gives each connection its own run of distinct requests (another voter,
another idea), so no request repeats an earlier one. The child warms every connection up, then,
on a signal from the parent, measures until ``quota`` requests are done (but at least
``min_seconds``) or ``seconds`` have passed. Latency runs from writing the request to reading
the whole answer.
"""
import math
import multiprocessing
import os
import re
import time

HOST = "127.0.0.1"


async def _exchange(reader, writer, request):
    """One request on a keep-alive connection: (seconds, status, body bytes, still open)."""
    started = time.perf_counter()
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    length = re.search(rb"\r\ncontent-length:\s*(\d+)", lower)
    if length:
        size = len(await reader.readexactly(int(length.group(1))))
    elif b"\r\ntransfer-encoding: chunked" in lower:
        size = 0
        while True:
            chunk = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            size += len(await reader.readexactly(chunk + 2)) - 2
            if chunk == 0:
                break
    else:
        size = len(await reader.read())
        return time.perf_counter() - started, status, size, False
    return time.perf_counter() - started, status, size, b"\r\nconnection: close" not in lower


def _clients(port, requests, warmup, quota, seconds, min_seconds, ready, go, pipe):
    import asyncio

    results = {"latencies": [], "statuses": {}, "bytes": 0}
    connections = len(requests)

    async def connection(state, own):
        reader = writer = None
        sent = 0
        try:
            for measuring in (False, True):
                if measuring:
                    await state["go"]
                done = 0
                while (done < warmup) if not measuring else (
                        (state["issued"] < quota or time.perf_counter() < state["minimum"])
                        and time.perf_counter() < state["deadline"]):
                    done += 1
                    if measuring:
                        state["issued"] += 1
                    request = own[sent % len(own)]
                    sent += 1
                    try:
                        if writer is None:
                            reader, writer = await asyncio.open_connection(HOST, port)
                        latency, status, size, open_ = await _exchange(reader, writer, request)
                    except (OSError, asyncio.IncompleteReadError, ValueError):
                        latency, status, size, open_ = math.nan, 599, 0, False
                    if not open_ and writer is not None:
                        writer.close()
                        reader = writer = None
                    if measuring:
                        if not math.isnan(latency):
                            results["latencies"].append(latency)
                        results["statuses"][status] = results["statuses"].get(status, 0) + 1
                        results["bytes"] += size
                if not measuring:
                    state["warm"] += 1
                    if state["warm"] == connections:
                        state["warmed"].set_result(None)
        finally:
            if writer is not None:
                writer.close()

    async def main():
        loop = asyncio.get_running_loop()
        state = {"issued": 0, "warm": 0, "warmed": loop.create_future(), "go": loop.create_future(),
                 "deadline": math.inf, "minimum": 0.0}
        tasks = [asyncio.ensure_future(connection(state, own)) for own in requests]
        await state["warmed"]
        ready.set()
        await loop.run_in_executor(None, go.wait)
        cpu = os.times()
        results["start"] = time.perf_counter()
        state["deadline"] = results["start"] + seconds
        state["minimum"] = results["start"] + min_seconds
        state["go"].set_result(None)
        await asyncio.gather(*tasks)
        results["end"] = time.perf_counter()
        used = os.times()
        results["cpu"] = (used.user + used.system) - (cpu.user + cpu.system)
        results["requests"] = state["issued"]

    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())
    pipe.send(results)
    pipe.close()


def percentile(values, fraction):
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run_load(port, requests, *, warmup, quota, seconds, min_seconds, on_start=None):
    """Drive ``requests`` (one list of raw requests per connection) at the server on ``port``;
    ``on_start()`` runs in the parent just before measuring and its result is returned with
    the figures (the parent reads CPU counters there). Returns latencies' p50/p99, req/s,
    statuses and the client's own CPU seconds."""
    context = multiprocessing.get_context("fork")
    ready, go = context.Event(), context.Event()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_clients, args=(port, requests, warmup, quota, seconds, min_seconds,
                                                     ready, go, sender), daemon=True)
    process.start()
    sender.close()
    if not ready.wait(timeout=900):
        process.kill()
        raise RuntimeError("the clients did not warm up")
    started = on_start() if on_start else None
    wall = time.monotonic()
    go.set()
    part = receiver.recv()
    wall = time.monotonic() - wall
    process.join(30)
    latencies, statuses = part["latencies"], part["statuses"]
    span = part["end"] - part["start"]
    return {
        "requests": part["requests"], "seconds": span, "wall": wall, "statuses": statuses,
        "connections": len(requests), "bytes_total": part["bytes"],
        "errors": sum(n for code, n in statuses.items() if not 200 <= int(code) < 400),
        "p50": percentile(latencies, 0.50), "p99": percentile(latencies, 0.99),
        "max": max(latencies, default=math.nan),
        "rps": part["requests"] / span if span else math.nan,
        "client_cpu_seconds": part["cpu"], "started": started,
    }


def raw_request(method, path, port, headers=None, body=b""):
    """The bytes of one HTTP/1.1 request."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
