"""Channels fan-out through real servers: ``python -m benchmarks.channels [options] [--write-results]``.

For each server (uvicorn; granian), framework (outpour, and Litestar's channels plugin when the ``bench`` group is
installed) and backend (memory; Redis pub/sub), in rounds that interleave the cases in a shuffled order:

1. start the app under the server, one worker, on 127.0.0.1: one process for the memory backend (it cannot cross processes), two
   processes on two ports for Redis (the issue's "2 workers": separate processes, so that each one's RSS is read);
2. open ``--subscribers`` SSE connections (``GET /sse``), spread over the processes, each waiting for its ``ready``
   event (sent once its subscription is in place), and read the servers' total RSS: **RSS per idle subscriber**;
3. **latency**: POST ``--rate`` events per second for ``--duration`` seconds (alternating between the processes), each
   carrying the client's ``time.monotonic_ns()`` (system-wide on Linux); every subscriber must receive every event,
   and the delay from just before the POST to the arrival of the SSE event is collected: p50 and p99;
4. **saturation**: one ``POST /burst`` asks a server to ``publish`` ``--burst`` events at once; the figure is
   subscribers x burst / (last arrival - POST), the events delivered per second. Every subscriber must receive the
   whole burst, in order.

The client is one asyncio process (uvloop when installed) parsing every event, so on a small machine it competes with
the servers for the cores: compare the frameworks, measured alike in the same run. Everything is bounded by timeouts,
and the servers are always stopped. Redis is ``--redis-url`` (default ``$REDIS_URL`` or ``redis://127.0.0.1:6379/0``);
the channel is named ``bench-<random>``, so concurrent runs do not see each other's events (pub/sub stores no keys).
"""

# No `from __future__ import annotations`: the handlers are built inside functions, and both frameworks resolve their
# annotations (`ChannelsPlugin`, `Request`) from the module's globals, where the local imports are not.

import argparse
import asyncio
import contextlib
import importlib.util
import os
import random
import re
import resource
import shlex
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmarks import report

__all__ = ["ChannelsOptions", "RunResult", "create_app", "main", "measure", "results_table"]

DEFAULT_REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
BACKENDS = ("memory", "redis")
SERVERS = ("uvicorn", "granian")
_ENV_FRAMEWORK = "OUTPOUR_BENCH_CHANNELS_FRAMEWORK"
_ENV_BACKEND = "OUTPOUR_BENCH_CHANNELS_BACKEND"
_ENV_CHANNEL = "OUTPOUR_BENCH_CHANNELS_CHANNEL"
_ENV_REDIS = "OUTPOUR_BENCH_CHANNELS_REDIS_URL"


# --- the apps (built in the server processes, from the environment) ------------------------------------------------


def _burst_count(body: bytes) -> int:
    count = int(body or b"0")
    if not 0 < count <= 100_000:
        raise ValueError(f"burst size {count} is out of range")
    return count


def _outpour_app(backend_name: str, channel: str, redis_url: str) -> Any:
    from outpour import Outpour, Request, get, post
    from outpour.channels import ChannelsPlugin
    from outpour.response import ServerSentEvent

    backend: Any
    if backend_name == "redis":
        from redis.asyncio import Redis

        from outpour.channels.backends.redis import RedisChannelsPubSubBackend

        backend = RedisChannelsPubSubBackend(redis=Redis.from_url(redis_url))
    else:
        from outpour.channels.backends.memory import MemoryChannelsBackend

        backend = MemoryChannelsBackend()

    @get("/sse")
    async def sse(channels: ChannelsPlugin) -> ServerSentEvent:
        async def events() -> AsyncGenerator[bytes, None]:
            async with channels.start_subscription([channel]) as subscriber:
                yield b"R"
                async for event in subscriber.iter_events():
                    yield event

        return ServerSentEvent(events())

    @post("/publish")
    async def publish(request: Request[Any, Any, Any], channels: ChannelsPlugin) -> None:
        channels.publish(await request.body(), [channel])

    @post("/burst")
    async def burst(request: Request[Any, Any, Any], channels: ChannelsPlugin) -> None:
        for seq in range(_burst_count(await request.body())):
            channels.publish(f"B{seq}".encode(), [channel])

    return Outpour([sse, publish, burst], plugins=[ChannelsPlugin(backend, channels=[channel])])


def _litestar_app(backend_name: str, channel: str, redis_url: str) -> Any:
    from litestar import Litestar, Request, get, post
    from litestar.channels import ChannelsPlugin
    from litestar.response import ServerSentEvent

    backend: Any
    if backend_name == "redis":
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend
        from redis.asyncio import Redis

        backend = RedisChannelsPubSubBackend(redis=Redis.from_url(redis_url))
    else:
        from litestar.channels.backends.memory import MemoryChannelsBackend

        backend = MemoryChannelsBackend()

    @get("/sse")
    async def sse(channels: ChannelsPlugin) -> ServerSentEvent:
        async def events() -> AsyncGenerator[bytes, None]:
            async with channels.start_subscription([channel]) as subscriber:
                yield b"R"
                async for event in subscriber.iter_events():
                    yield event

        return ServerSentEvent(events())

    @post("/publish")
    async def publish(request: Request[Any, Any, Any], channels: ChannelsPlugin) -> None:
        channels.publish(await request.body(), [channel])

    @post("/burst")
    async def burst(request: Request[Any, Any, Any], channels: ChannelsPlugin) -> None:
        for seq in range(_burst_count(await request.body())):
            channels.publish(f"B{seq}".encode(), [channel])

    return Litestar(
        [sse, publish, burst], plugins=[ChannelsPlugin(backend=backend, channels=[channel])], logging_config=None
    )


def create_app() -> Any:
    """Build the app the environment names (the servers' ``--factory benchmarks.channels:create_app``)."""
    framework = os.environ[_ENV_FRAMEWORK]
    builder = _outpour_app if framework == "outpour" else _litestar_app
    return builder(os.environ[_ENV_BACKEND], os.environ[_ENV_CHANNEL], os.environ.get(_ENV_REDIS, DEFAULT_REDIS_URL))


# --- the client -----------------------------------------------------------------------------------------------------

_EVENT = re.compile(rb"^data: ?([RLB])(\d*):?(\d*)\r?$", re.MULTILINE)


class _Subscriber(asyncio.Protocol):
    """One SSE connection: parses events as they arrive and keeps what the measurement needs."""

    def __init__(self, latencies: list[int], port: int) -> None:
        self.port = port
        self.ready = asyncio.get_running_loop().create_future()
        self.latencies = latencies
        self.head_checked = False
        self.pending = b""
        self.latency_seen = 0
        self.latency_seqs: set[int] = set()
        self.burst_seen = 0
        self.burst_in_order = True
        self.last_arrival = 0
        self.transport: Any = None
        self.error: str | None = None

    def connection_made(self, transport: Any) -> None:  # uvloop's transports do not subclass asyncio's
        self.transport = transport
        transport.write(b"GET /sse HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n\r\n")

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        text = self.pending + data
        end = text.rfind(b"\n") + 1
        self.pending = text[end:]
        if not self.head_checked:
            if b"\r\n\r\n" not in text:
                self.pending = text
                return
            self.head_checked = True
            if not text.startswith(b"HTTP/1.1 200"):
                self._fail(f"unexpected response head `{text[:60]!r}`")
                return
        for kind, seq, stamp in _EVENT.findall(text[:end]):
            if kind == b"L":
                self.latencies.append(now - int(stamp))
                self.latency_seen += 1
                self.latency_seqs.add(int(seq))
            elif kind == b"B":
                if int(seq) != self.burst_seen:
                    self.burst_in_order = False
                self.burst_seen += 1
                self.last_arrival = now
            elif not self.ready.done():
                self.ready.set_result(None)

    def _fail(self, message: str) -> None:
        self.error = message
        if not self.ready.done():
            self.ready.set_exception(RuntimeError(message))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self._fail(f"connection lost before the ready event: {exc}")


class _Poster:
    """A keep-alive HTTP/1.1 connection sending POSTs and checking each answer is a 2xx."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> "_Poster":
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def post(self, path: str, body: bytes) -> None:
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: {len(body)}\r\n\r\n".encode() + body
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        if not head[9:10] == b"2":
            raise RuntimeError(f"POST {path} answered `{head[:40]!r}`")
        match = re.search(rb"content-length: *(\d+)", head, re.IGNORECASE)
        if match and int(match[1]):
            await self.reader.readexactly(int(match[1]))

    def close(self) -> None:
        self.writer.close()


# --- the servers ----------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (granian serves from a child process)."""
    found, index = [pid], 0
    while index < len(found):
        with contextlib.suppress(OSError), open(f"/proc/{found[index]}/task/{found[index]}/children") as children:
            found.extend(int(child) for child in children.read().split())
        index += 1
    return found


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its descendants so far."""
    total = 0
    for member in _tree(pid):
        with open(f"/proc/{member}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _rss_mib(pid: int) -> float:
    """The resident memory of a process and its descendants."""
    total = 0
    for member in _tree(pid):
        with open(f"/proc/{member}/status") as status:
            total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return total / 1024


async def _wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise TimeoutError(f"the server did not listen on port {port} within {timeout}s")


def _server_command(server: str, port: int) -> list[str]:
    target = "benchmarks.channels:create_app"
    if server == "granian":
        return [
            *(sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "--host", "127.0.0.1"),
            *("--port", str(port), "--workers", "1", "--http", "1", "--no-ws", "--log-level", "warning"),
            *("--backlog", "4096", "--loop", "uvloop", target),
        ]
    return [
        *(sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1", "--port", str(port)),
        *("--log-level", "warning", "--no-access-log", "--backlog", "4096"),
    ]


@contextlib.asynccontextmanager
async def _servers(
    framework: str, backend: str, count: int, channel: str, redis_url: str, server: str = "uvicorn"
) -> AsyncGenerator[list[tuple[int, subprocess.Popen[bytes]]], None]:
    env = {
        **os.environ,
        _ENV_FRAMEWORK: framework,
        _ENV_BACKEND: backend,
        _ENV_CHANNEL: channel,
        _ENV_REDIS: redis_url,
    }
    started: list[tuple[int, subprocess.Popen[bytes]]] = []
    try:
        for _ in range(count):
            port = _free_port()
            command = _server_command(server, port)
            started.append((port, subprocess.Popen(command, env=env)))
        for port, process in started:
            await _wait_listening(port, process, 60)
        yield started
    finally:
        for _, process in started:
            process.terminate()
        for _, process in started:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
                process.wait(10)


# --- one measurement ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChannelsOptions:
    """What to measure.

    Attributes:
        subscribers: SSE connections held open.
        rate: Events per second in the latency phase.
        duration: Seconds of the latency phase.
        burst: Events published at once in the saturation phase.
        redis_url: The Redis server of the Redis backend.
        timeout: The bound on each wait (connecting, delivery).
    """

    subscribers: int = 1000
    rate: int = 100
    duration: float = 2.0
    burst: int = 50
    redis_url: str = DEFAULT_REDIS_URL
    timeout: float = 30.0


@dataclass
class RunResult:
    """One framework and backend, one round."""

    framework: str
    backend: str
    processes: int
    subscribers: int = 0
    rss_before_mib: float = 0.0
    rss_idle_mib: float = 0.0
    latencies_ns: list[int] = field(default_factory=list)
    delivered_per_second: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    error: str | None = None
    server: str = "uvicorn"

    @property
    def rss_per_subscriber_kib(self) -> float:
        """RSS growth per idle subscriber, KiB (all processes together)."""
        return (self.rss_idle_mib - self.rss_before_mib) * 1024 / max(self.subscribers, 1)

    def percentile_ms(self, fraction: float) -> float:
        """The latency at ``fraction`` (0..1), milliseconds."""
        ordered = sorted(self.latencies_ns)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] / 1e6


async def _wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.01)


async def measure(framework: str, backend: str, options: ChannelsOptions, server: str = "uvicorn") -> RunResult:
    """Start the servers, measure idle RSS, latency and saturation throughput, stop the servers.

    Args:
        framework: ``"outpour"`` or ``"litestar"``.
        backend: ``"memory"`` or ``"redis"``.
        options: What to measure.
        server: ``"uvicorn"`` or ``"granian"``, one worker per process.

    Returns:
        The figures, or the error that stopped the measurement.
    """
    processes = 2 if backend == "redis" else 1
    result = RunResult(framework, backend, processes, options.subscribers, server=server)
    channel = f"bench-{uuid.uuid4().hex[:12]}"
    loop = asyncio.get_running_loop()
    subscribers: list[_Subscriber] = []
    posters: list[_Poster] = []
    try:
        async with _servers(framework, backend, processes, channel, options.redis_url, server) as servers:
            try:
                ports = [port for port, _ in servers]
                pids = [process.pid for _, process in servers]
                result.rss_before_mib = sum(map(_rss_mib, pids))
                latencies: list[int] = []
                gate = asyncio.Semaphore(100)

                async def subscribe(index: int) -> None:
                    async with gate:
                        port = ports[index % len(ports)]
                        _, protocol = await loop.create_connection(
                            lambda: _Subscriber(latencies, port), "127.0.0.1", port
                        )
                        subscribers.append(protocol)
                        await protocol.ready

                await asyncio.wait_for(
                    asyncio.gather(*(subscribe(i) for i in range(options.subscribers))), options.timeout
                )
                await asyncio.sleep(0.5)
                result.rss_idle_mib = sum(map(_rss_mib, pids))

                posters = [await _Poster.open(port) for port in ports]
                events = int(options.rate * options.duration)
                client_before, servers_before = time.process_time(), sum(map(_cpu_seconds, pids))
                start = time.monotonic()
                for seq in range(events):
                    delay = start + seq / options.rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    await posters[seq % len(posters)].post("/publish", f"L{seq}:{time.monotonic_ns()}".encode())
                await _wait_for(
                    lambda: all(s.latency_seen >= events for s in subscribers),
                    options.timeout,
                    f"not every subscriber received the {events} events of the latency phase",
                )
                for number, subscriber in enumerate(subscribers):
                    if subscriber.latency_seen != events or len(subscriber.latency_seqs) != events:
                        raise RuntimeError(
                            f"subscriber {number} (port {subscriber.port}) received {subscriber.latency_seen} events "
                            f"({len(subscriber.latency_seqs)} distinct) of the {events} published"
                        )
                result.latencies_ns = latencies
                wall = time.monotonic() - start
                result.client_cpu = (time.process_time() - client_before) / wall
                result.server_cpu = (sum(map(_cpu_seconds, pids)) - servers_before) / wall

                begin = time.monotonic_ns()
                await posters[0].post("/burst", str(options.burst).encode())
                await _wait_for(
                    lambda: all(s.burst_seen >= options.burst for s in subscribers),
                    options.timeout,
                    f"not every subscriber received the burst of {options.burst} events",
                )
                if not all(s.burst_in_order and s.burst_seen == options.burst for s in subscribers):
                    raise RuntimeError("a subscriber received the burst out of order or twice")
                last = max(s.last_arrival for s in subscribers)
                result.delivered_per_second = options.subscribers * options.burst / ((last - begin) / 1e9)
                errors = [s.error for s in subscribers if s.error]
                if errors:
                    raise RuntimeError(errors[0])
            finally:  # before the servers stop: they wait for open connections
                for poster in posters:
                    poster.close()
                for subscriber in subscribers:
                    if subscriber.transport is not None:
                        subscriber.transport.close()
                await asyncio.sleep(0.1)
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    return result


# --- the report -----------------------------------------------------------------------------------------------------


def results_table(results: Sequence[RunResult]) -> str:
    """Return the markdown table: medians over rounds per framework and backend."""
    rows: list[list[str]] = []
    footnotes: list[str] = []
    keys = list(dict.fromkeys((r.server, r.backend, r.framework) for r in results))
    for server, backend, framework in keys:
        runs = [r for r in results if (r.server, r.backend, r.framework) == (server, backend, framework)]
        good = [r for r in runs if r.error is None]
        for bad in (r for r in runs if r.error is not None):
            footnotes.append(f"{framework} {backend} ({server}): {bad.error}")
        if not good:
            rows.append([server, backend, framework, str(runs[0].processes), "error", "", "", "", "", ""])
            continue
        p50 = statistics.median(r.percentile_ms(0.50) for r in good)
        p99 = statistics.median(r.percentile_ms(0.99) for r in good)
        rate = statistics.median(r.delivered_per_second for r in good)
        idle = statistics.median(r.rss_idle_mib for r in good)
        per_sub = statistics.median(r.rss_per_subscriber_kib for r in good)
        cpu = (
            f"{statistics.median(r.server_cpu for r in good):.0%} / {statistics.median(r.client_cpu for r in good):.0%}"
        )
        peer = [
            r
            for r in results
            if (r.server, r.backend, r.framework) == (server, backend, "litestar") and r.error is None
        ]
        versus = (
            f"{rate / statistics.median(r.delivered_per_second for r in peer):.2f}x"
            if framework == "outpour" and peer
            else ""
        )
        rows.append(
            [
                server,
                backend,
                framework,
                str(good[0].processes),
                f"{p50:.1f} / {p99:.1f}",
                cpu,
                f"{rate:,.0f}",
                versus,
                f"{idle:.1f}",
                f"{per_sub:.1f}",
            ]
        )
    table = report.markdown_table(
        [
            "server",
            "backend",
            "framework",
            "processes",
            "latency p50 / p99, ms",
            "CPU server / client",
            "events/s delivered (burst)",
            "vs Litestar",
            "RSS with subscribers, MiB",
            "RSS per idle subscriber, KiB",
        ],
        rows,
        ["l", "l", "l", "r", "r", "r", "r", "r", "r", "r"],
    )
    return table + "".join(f"\n\n[{i}] {note}" for i, note in enumerate(footnotes, 1))


# --- command line ---------------------------------------------------------------------------------------------------


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


async def _run_all(
    frameworks: Sequence[str],
    backends: Sequence[str],
    rounds: int,
    options: ChannelsOptions,
    servers: Sequence[str] = ("uvicorn",),
) -> list[RunResult]:
    results: list[RunResult] = []
    cases = [(sv, fw, be) for sv in servers for be in backends for fw in frameworks]
    rng = random.Random()
    for number in range(1, rounds + 1):
        order = list(cases)
        rng.shuffle(order)
        for server, framework, backend in order:
            _progress(f"round {number}/{rounds}: {framework} {backend} on {server}")
            result = await measure(framework, backend, options, server)
            if result.error:
                _progress(f"  error: {result.error}")
            results.append(result)
    return sorted(results, key=lambda r: (SERVERS.index(r.server), BACKENDS.index(r.backend), r.framework != "outpour"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table (and update RESULTS.md with ``--write-results``)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.channels", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", type=int, default=1000, help="SSE subscribers (1000)")
    parser.add_argument("--rate", type=int, default=100, help="events per second, latency phase (100)")
    parser.add_argument("--duration", type=float, default=2.0, help="seconds of the latency phase (2)")
    parser.add_argument("--burst", type=int, default=50, help="events published at once, saturation phase (50)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (2)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated (memory,redis)")
    parser.add_argument("--frameworks", help="comma-separated (default: outpour, and litestar when installed)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help=f"the Redis server ({DEFAULT_REDIS_URL})")
    parser.add_argument("--servers", default=",".join(SERVERS), help="comma-separated (uvicorn,granian)")
    parser.add_argument("--write-results", action="store_true", help="update benchmarks/RESULTS.md")
    parser.add_argument(
        "--section", default="channels", help="the RESULTS.md section to write (channels; another name adds one)"
    )
    args = parser.parse_args(argv)
    command = shlex.join(["python", "-m", "benchmarks.channels", *(sys.argv[1:] if argv is None else argv)])
    frameworks = (
        [name.strip() for name in args.frameworks.split(",")]
        if args.frameworks
        else ["outpour", "litestar"]
        if importlib.util.find_spec("litestar")
        else ["outpour"]
    )
    backends = [name.strip() for name in args.backends.split(",")]
    servers = [name.strip() for name in args.servers.split(",")]
    unknown = (
        [name for name in backends if name not in BACKENDS]
        + [name for name in servers if name not in SERVERS]
        + [name for name in frameworks if name not in ("outpour", "litestar")]
    )
    if unknown:
        parser.error(f"unknown server, backend or framework: {', '.join(unknown)}")
    options = ChannelsOptions(args.subscribers, args.rate, args.duration, args.burst, args.redis_url)
    _raise_fd_limit(2 * args.subscribers + 256)
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    results = asyncio.run(_run_all(frameworks, backends, args.rounds, options, servers))
    table = results_table(results)
    intro = (
        f"{args.subscribers} SSE subscribers over loopback, on {' and '.join(servers)} (one worker per process); latency: {args.rate} events/s for "
        f"{args.duration:g} s, from just before the publishing POST to the event's arrival, over every delivery; "
        f"saturation: a burst of {args.burst} events published at once; RSS: all server processes, before and with the "
        "idle subscribers; CPU: of the servers (all processes) and of the client during the latency phase, as a "
        f"share of one core. Median of {args.rounds} interleaved rounds. Goals (issue 18): p99 under 50 ms; "
        "events/s delivered ahead of Litestar."
    )
    print(f"## Channels\n\n{intro}\n\n{table}\n", flush=True)
    if args.write_results:
        note = (
            "The client (one Python process) shares the machine's cores with the servers: at 1,000 subscribers both "
            "are busy, and the latencies include the client's own queueing."
        )
        title = "Channels" if args.section == "channels" else f"Channels: {args.subscribers} subscribers"
        report.write_section(args.section, title, f"{report.section_header(command)}\n\n{note}\n\n{intro}\n\n{table}")
        _progress(f"updated {report.RESULTS_PATH}")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
