"""Light Socket.IO clients for the benchmark: thousands per process on one asyncio loop.

A python-socketio ``Client`` is a thread (and a websocket library) per connection; 5,000
of them would measure the clients, not the server. Here each connection is an
``asyncio.Protocol`` that speaks just enough WebSocket (RFC 6455, no extensions),
Engine.IO v4 and Socket.IO v5 for the benchmark:

    GET /socket.io/?EIO=4&transport=websocket  -> 101, then "0{...}" (open)
    "40"                                       -> "40{...}" (namespace / connected)
    '421["join_campaign",{"campaign_id":C}]'   -> '431[{"ok":true,...}]' (ack)
    "2" (ping)                                 -> "3" (pong)
    '42["campaign_event",{...,"kind":"idea.counts","payload":{"ideas":{...}}}]'

Frames from the server arrive unmasked and are parsed in ``data_received``, with no task
switch per message; the receive time is taken once per TCP read. For every idea, a
connection keeps the times at which it first saw a larger vote total (up + down), so the
time at which it saw counts "at least as new as" a vote is one bisection away.

A ``Worker`` process owns a share of the connections and answers commands from the
benchmark over two multiprocessing pipes (``WorkerHandle`` is the benchmark's side).
"""
import asyncio
import base64
import bisect
import json
import math
import multiprocessing
import os
import resource
import threading
import time

OPEN, TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = None, 1, 2, 0, 8, 9, 10
INF = math.inf


def raise_open_file_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def _frame(opcode, data):
    """A masked client frame (clients must mask; the mask's value does not matter)."""
    n = len(data)
    if n < 126:
        header = bytes([0x80 | opcode, 0x80 | n])
    elif n < 65536:
        header = bytes([0x80 | opcode, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        header = bytes([0x80 | opcode, 0x80 | 127]) + n.to_bytes(8, "big")
    mask = os.urandom(4)
    if n:
        key = int.from_bytes((mask * (n // 4 + 1))[:n], "big")
        data = (int.from_bytes(data, "big") ^ key).to_bytes(n, "big")
    return header + mask + data


class Connection(asyncio.Protocol):
    def __init__(self, worker, host, port, campaign_id):
        self.worker = worker
        self.request = (
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n").encode()
        self.campaign_id = campaign_id
        self.transport = None
        self.buffer = bytearray()
        self.upgraded = False
        self.fragments = None
        self.joined = asyncio.get_running_loop().create_future()
        self.closed = False
        self.error = None
        self.events = 0
        self.seen = {}  # idea key -> ([receive time, ...], [vote total, ...]), totals increasing

    # --- transport -------------------------------------------------------------------
    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc):
        self.closed = True
        self._fail(f"connection lost: {exc or 'closed by server'}")

    def _fail(self, reason):
        if self.error is None:
            self.error = reason
        if not self.joined.done():
            self.joined.set_result(False)

    def send_text(self, text):
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(TEXT, text.encode()))

    def close(self):
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(CLOSE, b"\x03\xe8"))
            self.transport.close()

    def data_received(self, data):
        now = time.monotonic()
        buffer = self.buffer
        buffer += data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buffer[:buffer.find(b"\r\n")])
            if b" 101 " not in status + b" ":
                self._fail(f"handshake refused: {status.decode(errors='replace')}")
                self.transport.close()
                return
            del buffer[:end + 4]
            self.upgraded = True
        pos, size = 0, len(buffer)
        while size - pos >= 2:
            first, second = buffer[pos], buffer[pos + 1]
            length, head = second & 0x7F, pos + 2
            if length == 126:
                if size - pos < 4:
                    break
                length, head = int.from_bytes(buffer[pos + 2:pos + 4], "big"), pos + 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, head = int.from_bytes(buffer[pos + 2:pos + 10], "big"), pos + 10
            if second & 0x80:  # servers do not mask; skip a mask key if one came anyway
                head += 4
            if size < head + length:
                break
            payload = bytes(buffer[head:head + length])
            pos = head + length
            self._frame_received(first & 0x80, first & 0x0F, payload, now)
        if pos:
            del buffer[:pos]

    def _frame_received(self, fin, opcode, payload, now):
        if opcode == CONTINUATION:
            if self.fragments is None:
                return
            self.fragments.append(payload)
            if not fin:
                return
            payload, self.fragments = b"".join(self.fragments), None
        elif opcode in (TEXT, BINARY) and not fin:
            self.fragments = [payload]
            return
        if opcode in (TEXT, CONTINUATION):
            self._message(payload.decode(), now)
        elif opcode == PING:
            self.transport.write(_frame(PONG, payload))
        elif opcode == CLOSE:
            self.closed = True
            self._fail("websocket closed by server")
            self.transport.close()

    # --- Engine.IO / Socket.IO ---------------------------------------------------------
    def _message(self, text, now):
        kind = text[:1]
        if kind == "4":
            packet = text[1:2]
            if packet == "2":  # EVENT
                self.events += 1
                self.worker.record(self, text, now)
            elif packet == "3":  # ACK of the join
                reply = json.loads(text[text.index("["):])[0]
                if reply.get("ok") and not self.joined.done():
                    self.joined.set_result(True)
                else:
                    self._fail(f"join refused: {reply}")
            elif packet == "0":  # namespace connected
                self.send_text('421["join_campaign",{"campaign_id":%d}]' % self.campaign_id)
            elif packet in ("1", "4"):  # disconnected / connect error
                self._fail(f"socket.io refused: {text[:200]}")
        elif kind == "2":  # Engine.IO ping
            self.send_text("3" + text[1:])
        elif kind == "0":  # Engine.IO open
            self.send_text("40")
        elif kind == "1":
            self._fail("engine.io close")


class Worker:
    """One process's connections, driven by commands from the benchmark."""

    def __init__(self, commands, results):
        self.commands, self.results = commands, results
        self.connections = []
        self.cache_text, self.cache_counts = None, None
        self.max_lag = 0.0

    # Parsing the same broadcast once per process, not once per connection.
    def _counts_of(self, text):
        if text != self.cache_text:
            counts = []
            try:
                name, data = json.loads(text[2:])[:2]
            except (ValueError, TypeError):
                name, data = None, None
            if name == "campaign_event" and isinstance(data, dict) and data.get("kind") == "idea.counts":
                counts = [(key, value["up_count"] + value["down_count"])
                          for key, value in data["payload"]["ideas"].items()]
            self.cache_text, self.cache_counts = text, counts
        return self.cache_counts

    def record(self, connection, text, now):
        seen = connection.seen
        for key, total in self._counts_of(text):
            entry = seen.get(key)
            if entry is None:
                seen[key] = ([now], [total])
            elif total > entry[1][-1]:
                entry[0].append(now)
                entry[1].append(total)

    async def _watch_lag(self):
        """How late the loop runs a 20 ms timer: the clients' own delay, if any."""
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(0.02)
            self.max_lag = max(self.max_lag, loop.time() - start - 0.02)

    async def connect(self, host, port, count, campaign_id, concurrency=100, timeout=60):
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(concurrency)
        errors = {}
        started = time.monotonic()

        async def one():
            async with gate:
                connection = Connection(self, host, port, campaign_id)
                try:
                    await loop.create_connection(lambda: connection, host, port)
                    await asyncio.wait_for(asyncio.shield(connection.joined), timeout)
                except (OSError, asyncio.TimeoutError) as error:
                    connection._fail(f"{type(error).__name__}: {error}")
                self.connections.append(connection)
                if not connection.joined.result():
                    errors[connection.error] = errors.get(connection.error, 0) + 1

        await asyncio.gather(*(one() for _ in range(count)))
        joined = sum(1 for c in self.connections if c.joined.result() and not c.closed)
        return {"joined": joined, "seconds": time.monotonic() - started, "errors": errors}

    def reset(self):
        for connection in self.connections:
            connection.seen = {}
            connection.events = 0
        self.max_lag = 0.0
        return True

    def evaluate(self, votes, detail):
        """Per vote (idea key, total, response time): when each live connection first saw
        counts at least that new. detail=True: every latency (inf if never);
        otherwise per vote (slowest latency, connections later than 1 s or never)."""
        live = [c for c in self.connections if c.joined.done() and c.joined.result()]
        results = []
        for key, total, answered in votes:
            latencies = []
            for connection in live:
                entry = connection.seen.get(key)
                if entry is None:
                    latencies.append(INF)
                    continue
                index = bisect.bisect_left(entry[1], total)
                latencies.append(entry[0][index] - answered if index < len(entry[1]) else INF)
            if detail:
                results.append(latencies)
            else:
                results.append((max(latencies, default=0.0), sum(1 for x in latencies if x > 1.0)))
        return results

    async def wait_for(self, key, total, timeout):
        """Return when every live connection holds counts of idea `key` with at least `total`
        (or after `timeout` s): how the benchmark spaces its latency rounds."""
        deadline = time.monotonic() + timeout
        pending = [c for c in self.connections if c.joined.done() and c.joined.result() and not c.closed]
        while pending and time.monotonic() < deadline:
            pending = [c for c in pending if not (key in c.seen and c.seen[key][1][-1] >= total)]
            if pending:
                await asyncio.sleep(0.01)
        return len(pending)

    def stats(self):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {"connections": len(self.connections),
                "open": sum(1 for c in self.connections if c.joined.done() and c.joined.result()
                            and not c.closed),
                "closed": sum(1 for c in self.connections if c.closed),
                "events": sum(c.events for c in self.connections),
                "cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime,
                "max_lag": self.max_lag}

    async def close(self):
        for connection in self.connections:
            connection.close()
        await asyncio.sleep(0.5)
        self.connections = []
        return True

    async def serve(self):
        loop = asyncio.get_running_loop()
        lag = loop.create_task(self._watch_lag())
        commands = asyncio.Queue()

        def read_commands():  # a thread: the pipes stay blocking, whatever the loop does to fds
            while True:
                try:
                    command = self.commands.recv()
                except (EOFError, OSError):
                    command = ("exit", ())
                loop.call_soon_threadsafe(commands.put_nowait, command)
                if command[0] == "exit":
                    return

        threading.Thread(target=read_commands, daemon=True).start()
        while True:
            name, args = await commands.get()
            if name == "exit":
                break
            try:
                result = getattr(self, name)(*args)
                if asyncio.iscoroutine(result):
                    result = await result
                self.results.send(("ok", result))
            except Exception as error:  # noqa: BLE001 - report to the benchmark, keep serving
                self.results.send(("error", f"{type(error).__name__}: {error}"))
        lag.cancel()
        await self.close()


def _worker_main(commands, results, use_uvloop):
    raise_open_file_limit()
    if use_uvloop:
        import uvloop

        uvloop.run(Worker(commands, results).serve())
    else:
        asyncio.run(Worker(commands, results).serve())


def uvloop_available():
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


class WorkerHandle:
    """The benchmark's side of one client process."""

    def __init__(self, use_uvloop):
        context = multiprocessing.get_context("spawn")
        commands, self.commands = context.Pipe(duplex=False)
        self.results, results = context.Pipe(duplex=False)
        self.process = context.Process(target=_worker_main, args=(commands, results, use_uvloop),
                                       daemon=True)
        self.process.start()
        commands.close()
        results.close()

    def send(self, name, *args):
        self.commands.send((name, args))

    def result(self, timeout=300):
        if not self.results.poll(timeout):
            raise RuntimeError("client process did not answer in time")
        status, value = self.results.recv()
        if status != "ok":
            raise RuntimeError(f"client process failed: {value}")
        return value

    def call(self, name, *args, timeout=300):
        self.send(name, *args)
        return self.result(timeout)

    def stop(self):
        try:
            self.send("exit")
        except (OSError, ValueError):
            pass
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)


class ClientPool:
    """Connections spread over several client processes; calls go to all in parallel."""

    def __init__(self, processes=2, use_uvloop=None):
        self.uvloop = uvloop_available() if use_uvloop is None else use_uvloop
        self.workers = [WorkerHandle(self.uvloop) for _ in range(processes)]

    def _all(self, name, per_worker_args, timeout=300):
        for worker, args in zip(self.workers, per_worker_args):
            worker.send(name, *args)
        return [worker.result(timeout) for worker in self.workers]

    def broadcast(self, name, *args, timeout=300):
        return self._all(name, [args] * len(self.workers), timeout)

    def connect(self, host, port, count, campaign_id, concurrency=100):
        shares = [count // len(self.workers) + (i < count % len(self.workers))
                  for i in range(len(self.workers))]
        started = time.monotonic()
        results = self._all("connect", [(host, port, share, campaign_id, concurrency)
                                        for share in shares], timeout=600)
        errors = {}
        for result in results:
            for reason, n in result["errors"].items():
                errors[reason] = errors.get(reason, 0) + n
        return {"joined": sum(r["joined"] for r in results), "seconds": time.monotonic() - started,
                "errors": errors}

    def evaluate(self, votes, detail):
        """Merged over processes: per vote, a list of latencies (detail) or (max, late)."""
        parts = self.broadcast("evaluate", votes, detail, timeout=600)
        merged = []
        for i in range(len(votes)):
            if detail:
                merged.append([x for part in parts for x in part[i]])
            else:
                merged.append((max(part[i][0] for part in parts), sum(part[i][1] for part in parts)))
        return merged

    def stats(self):
        parts = self.broadcast("stats")
        return {"open": sum(p["open"] for p in parts), "closed": sum(p["closed"] for p in parts),
                "events": sum(p["events"] for p in parts), "cpu": [p["cpu"] for p in parts],
                "max_lag": max(p["max_lag"] for p in parts)}

    def stop(self):
        for worker in self.workers:
            worker.stop()
