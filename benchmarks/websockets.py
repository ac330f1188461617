"""WebSocket benchmarks: in-process echo round trips, and the memory of idle connections under uvicorn.

``python -m benchmarks.websockets`` runs both parts (``echo`` or ``idle`` runs one):

- **echo**: each app's ASGI callable (``benchmarks/apps/websocket/``) is called directly with a ``websocket`` scope;
  the pretend client connects once, then sends ``--messages`` text messages one at a time, each only after the echo
  of the previous one came back (a round trip), and disconnects. Every echo is checked against what was sent. The
  time from the app's ``websocket.accept`` to the last echo, divided by the messages, is one round's figure. Rounds
  interleave the frameworks in a shuffled order; the median over rounds is reported.
- **idle**: each app under one uvicorn worker on 127.0.0.1; ``--connections`` clients (the ``websockets`` library,
  without permessage-deflate, at most 100 handshakes at a time) connect and echo one message each, then sit idle.
  The server's RSS growth divided by the connections is the figure (the baseline is taken after one warm-up
  connection). Every connection echoes a second message after the measurement, so all were alive; then all are
  closed and the server is stopped. Bounded by timeouts; the server is always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import random
import resource
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from benchmarks import report
from benchmarks.apps.websocket import FRAMEWORKS
from benchmarks.endpoints import Endpoint
from benchmarks.inprocess import AsgiHarness, CheckFailed, EndpointResult

__all__ = [
    "ECHO_PATHS",
    "IdleResult",
    "echo_round",
    "idle_table",
    "load_websocket_app",
    "main",
    "measure_idle",
    "run_echo",
]

ECHO_PATHS: tuple[tuple[str, str], ...] = (
    ("listener", "/listener"),
    ("echo", "/echo"),
)
"""The echo endpoints: (name, path); ``echo`` is a low-level handler, ``listener`` a ``websocket_listener``."""

_ROW_NAMES = {"echo": "WS /echo (low-level handler)", "listener": "WS /listener (websocket_listener)"}
IDLE_FRAMEWORKS = ("outpour", "starlette")
_ASGI = {"version": "3.0", "spec_version": "2.3"}

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class LoadedWebSocketApp:
    """An imported WebSocket benchmark app; ``app`` is ``None`` (and ``error`` says why) when the import failed."""

    framework: str
    app: Any
    unsupported: frozenset[str]
    error: str | None


def load_websocket_app(framework: str) -> LoadedWebSocketApp:
    """Import ``framework``'s WebSocket app afresh; an import error is returned, not raised."""
    name = f"benchmarks.apps.websocket.{framework}_app"
    sys.modules.pop(name, None)
    try:
        module = importlib.import_module(name)
    except Exception as exc:  # the framework is missing or broken
        return LoadedWebSocketApp(framework, None, frozenset(), f"import failed: {type(exc).__name__}: {exc}")
    return LoadedWebSocketApp(framework, module.app, frozenset(getattr(module, "UNSUPPORTED", ())), None)


class _EchoClient:
    """A pretend WebSocket client: connects, sends each message after the previous echo, then disconnects."""

    __slots__ = (
        "_delivered",
        "_messages",
        "_state",
        "_waiter",
        "accepted_ns",
        "done_ns",
        "echoed",
        "sent_after_disconnect",
    )

    def __init__(self, messages: Sequence[str]) -> None:
        self._messages = messages
        self._delivered = 0
        self._state = "new"  # new -> connecting -> open -> gone
        self._waiter: asyncio.Future[None] | None = None
        self.echoed = 0
        self.accepted_ns = 0
        self.done_ns = 0
        self.sent_after_disconnect: list[str] = []

    async def receive(self) -> dict[str, Any]:
        if self._state == "new":
            self._state = "connecting"
            return {"type": "websocket.connect"}
        while self.echoed < self._delivered:  # a round trip: the next message only after the echo
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        if self._delivered < len(self._messages):
            text = self._messages[self._delivered]
            self._delivered += 1
            return {"type": "websocket.receive", "text": text}
        self._state = "gone"
        return {"type": "websocket.disconnect", "code": 1000}

    async def send(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if self._state == "gone":
            self.sent_after_disconnect.append(kind)
            return
        if kind == "websocket.accept":
            if self._state != "connecting":
                raise CheckFailed(f"`websocket.accept` in state `{self._state}`")
            self._state = "open"
            self.accepted_ns = time.perf_counter_ns()
        elif kind == "websocket.send":
            if self._state != "open":
                raise CheckFailed(f"`websocket.send` before the connection was accepted: `{message!r}`")
            if self.echoed >= self._delivered:
                raise CheckFailed(f"a message nobody asked for: `{message!r}`")
            expected = self._messages[self.echoed]
            if message.get("text") != expected or message.get("bytes") is not None:
                raise CheckFailed(f"echo `{message!r}`, expected the text `{expected}`")
            self.echoed += 1
            if self.echoed == len(self._messages):
                self.done_ns = time.perf_counter_ns()
            if self._waiter is not None and not self._waiter.done():
                self._waiter.set_result(None)
        elif kind == "websocket.close":
            raise CheckFailed(f"the app closed the connection: `{message!r}` after {self.echoed} echoes")
        else:
            raise CheckFailed(f"unexpected ASGI message `{message!r}`")


def _scope(path: str, state: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "websocket",
        "asgi": _ASGI,
        "http_version": "1.1",
        "scheme": "ws",
        "path": path,
        "raw_path": path.encode("latin-1"),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"connection", b"Upgrade"),
            (b"upgrade", b"websocket"),
            (b"sec-websocket-version", b"13"),
            (b"sec-websocket-key", b"dGhlIHNhbXBsZSBub25jZQ=="),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "subprotocols": [],
        "state": state.copy(),
    }


async def echo_round(harness: AsgiHarness, path: str, messages: Sequence[str]) -> int:
    """Connect once to ``path``, echo every message, disconnect; return the nanoseconds from accept to last echo.

    Raises:
        CheckFailed: An echo was wrong or missing, or the app closed the connection.
    """
    client = _EchoClient(messages)
    await harness.app(_scope(path, harness.state), client.receive, client.send)
    if client.echoed != len(messages) or not client.accepted_ns:
        raise CheckFailed(f"{client.echoed} of {len(messages)} messages echoed (accepted: {bool(client.accepted_ns)})")
    if client.sent_after_disconnect:
        raise CheckFailed(f"the app sent `{client.sent_after_disconnect}` after the client disconnected")
    return client.done_ns - client.accepted_ns


@dataclass(frozen=True, slots=True)
class EchoOptions:
    """Options of the echo benchmark."""

    frameworks: Sequence[str]
    rounds: int = 20
    messages: int = 2000
    warmup: int = 200
    seed: int | None = None


async def _run_echo(options: EchoOptions, progress: Progress) -> list[EndpointResult]:
    messages = [f"message {i:05d}: hello, world" for i in range(options.messages)]
    results = {(fw, name): EndpointResult(fw, name) for name, _ in ECHO_PATHS for fw in options.frameworks}
    harnesses: dict[str, AsgiHarness] = {}
    try:
        for framework in options.frameworks:
            loaded = load_websocket_app(framework)
            if loaded.error is not None:
                for name, _ in ECHO_PATHS:
                    results[framework, name].status = "unavailable"
                    results[framework, name].error = loaded.error
                continue
            harness = AsgiHarness(loaded.app)
            await harness.startup()
            harnesses[framework] = harness
            for name, path in ECHO_PATHS:
                result = results[framework, name]
                if name in loaded.unsupported:
                    result.status = "n/a"
                    continue
                try:
                    await echo_round(harness, path, messages[: max(options.warmup, 1)])
                except Exception as exc:
                    result.status, result.error = "error", f"{type(exc).__name__}: {exc}"
        cells = [(fw, name, path) for name, path in ECHO_PATHS for fw in harnesses]
        rng = random.Random(options.seed)
        for number in range(1, options.rounds + 1):
            progress(f"echo round {number}/{options.rounds}")
            rng.shuffle(cells)
            for framework, name, path in cells:
                result = results[framework, name]
                if result.status != "ok":
                    continue
                try:
                    elapsed = await echo_round(harnesses[framework], path, messages)
                except Exception as exc:
                    result.status, result.error = "error", f"{type(exc).__name__}: {exc}"
                    continue
                result.per_request_ns.append(elapsed / len(messages))
    finally:
        for harness in harnesses.values():
            with contextlib.suppress(Exception):
                await harness.shutdown()
    return [results[fw, name] for name, _ in ECHO_PATHS for fw in options.frameworks]


def run_echo(options: EchoOptions, progress: Progress | None = None) -> list[EndpointResult]:
    """Run the in-process echo benchmark in a fresh event loop; one result per endpoint and framework."""
    return asyncio.run(_run_echo(options, progress or (lambda _message: None)))


def echo_tables(results: Sequence[EndpointResult], options: EchoOptions) -> str:
    """Render the echo results as the in-process tables (a "request" is one round trip)."""
    endpoints = [Endpoint(_ROW_NAMES[name], "GET", path) for name, path in ECHO_PATHS]
    renamed = [
        EndpointResult(r.framework, _ROW_NAMES[r.endpoint], r.status, r.per_request_ns, r.error) for r in results
    ]
    intro = (
        f'One connection per round, {options.messages} text messages echoed one at a time; a "request" below is '
        "one round trip (message in, echo out), timed from the app's `websocket.accept` to the last echo."
    )
    tables = report.inprocess_tables(renamed, options.frameworks, endpoints, options.rounds, options.messages)
    return f"{intro}\n\n{tables}"


# --- idle connections under uvicorn -------------------------------------------------------------------------------


@dataclass(slots=True)
class IdleResult:
    """One idle-connections measurement of one framework."""

    framework: str
    connections: int = 0
    rss_before_kib: list[int] = field(default_factory=list)
    rss_with_kib: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def per_connection_kib(self) -> list[float]:
        """The RSS growth per connection of each round."""
        return [(w - b) / self.connections for b, w in zip(self.rss_before_kib, self.rss_with_kib, strict=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def _raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            raise SystemExit(f"{needed} file descriptors are needed, the hard limit is {hard}: lower --connections")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def uvicorn_command(framework: str, port: int, ws: str) -> list[str]:
    """Return the command line of the uvicorn worker serving ``framework``'s WebSocket app."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        f"benchmarks.apps.websocket.{framework}_app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--ws",
        ws,
        "--log-level",
        "warning",
        "--no-access-log",
        "--backlog",
        "4096",
    ]


async def _wait_listening(port: int, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn exited with status {server.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise TimeoutError(f"uvicorn did not listen on port {port} within {timeout}s")


async def measure_idle(framework: str, connections: int, ws: str = "auto", timeout: float = 60.0) -> tuple[int, int]:
    """Hold ``connections`` idle WebSockets to ``framework``'s app under uvicorn; return the RSS before and with (KiB).

    Raises:
        CheckFailed: A connection was refused or echoed something else.
    """
    from websockets.asyncio.client import ClientConnection, connect  # the `bench` group's client

    _raise_fd_limit(2 * connections + 256)  # the clients' sockets here, the server's in the child (it inherits)
    port = _free_port()
    uri = f"ws://127.0.0.1:{port}/echo"
    server = subprocess.Popen(uvicorn_command(framework, port, ws), start_new_session=True)
    clients: list[ClientConnection] = []
    gate = asyncio.Semaphore(100)

    async def echo(client: ClientConnection, text: str) -> None:
        await client.send(text)
        answer = await client.recv()
        if answer != text:
            raise CheckFailed(f"echo `{answer!r}`, expected `{text}`")

    async def open_one(number: int) -> None:
        async with gate:
            client = await connect(uri, ping_interval=None, compression=None, open_timeout=timeout)
            clients.append(client)
            await echo(client, f"hello {number}")

    async def again(client: ClientConnection, number: int) -> None:
        async with gate:
            await echo(client, f"still here {number}")

    try:
        await _wait_listening(port, server, 30)
        warm = await connect(uri, ping_interval=None, compression=None)
        await echo(warm, "warm-up")
        await warm.close()
        await asyncio.sleep(0.5)
        before = _rss_kib(server.pid)
        await asyncio.wait_for(asyncio.gather(*(open_one(n) for n in range(connections))), timeout)
        await asyncio.sleep(1.0)  # idle: let the server settle
        with_connections = _rss_kib(server.pid)
        await asyncio.wait_for(asyncio.gather(*(again(c, n) for n, c in enumerate(clients))), timeout)
        return before, with_connections
    finally:

        async def close(client: ClientConnection) -> None:
            async with gate:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.close(), 5)

        await asyncio.gather(*(close(client) for client in clients))
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


def run_idle(
    frameworks: Sequence[str], connections: int, rounds: int, ws: str, seed: int | None, progress: Progress
) -> list[IdleResult]:
    """Measure every framework ``rounds`` times, in a shuffled order each round."""
    results = {name: IdleResult(name, connections) for name in frameworks}
    rng = random.Random(seed)
    for number in range(1, rounds + 1):
        order = list(frameworks)
        rng.shuffle(order)
        for name in order:
            result = results[name]
            if result.error is not None:
                continue
            progress(f"idle round {number}/{rounds}: {name}, {connections} connections")
            try:
                before, with_connections = asyncio.run(measure_idle(name, connections, ws))
            except Exception as exc:
                result.error = f"{type(exc).__name__}: {exc}"
                continue
            result.rss_before_kib.append(before)
            result.rss_with_kib.append(with_connections)
    return [results[name] for name in frameworks]


def idle_table(results: Sequence[IdleResult]) -> str:
    """Render the idle-connection results: RSS before, with, and the growth per connection (medians over rounds)."""
    rows = []
    reference = next((r for r in results if r.framework == "starlette" and r.rss_with_kib), None)
    for result in results:
        if result.error is not None or not result.rss_with_kib:
            rows.append([result.framework, "-", "-", "-", "-", f"error: {result.error}"])
            continue
        growth = statistics.median(result.per_connection_kib)
        ratio = "-"
        if reference is not None:
            ratio = f"{growth / statistics.median(reference.per_connection_kib):.2f}x"
        rows.append(
            [
                result.framework,
                f"{statistics.median(result.rss_before_kib) / 1024:.1f}",
                f"{statistics.median(result.rss_with_kib) / 1024:.1f}",
                f"{growth:.1f}",
                ratio,
                ", ".join(f"{value:.1f}" for value in result.per_connection_kib),
            ]
        )
    headers = ["framework", "idle server, MiB", "with connections, MiB", "KiB per connection", "÷ starlette", "rounds"]
    return report.markdown_table(headers, rows, ["l", "r", "r", "r", "r", "l"])


# --- command line ---------------------------------------------------------------------------------------------------


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _terminate(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)  # unwinds through the `finally` blocks that stop the servers


def _frameworks(value: str | None, default: Sequence[str]) -> list[str]:
    if not value:
        return list(default)
    wanted = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in FRAMEWORKS]
    if unknown:
        raise SystemExit(f"unknown framework `{','.join(unknown)}`; choose among {', '.join(FRAMEWORKS)}")
    return [name for name in FRAMEWORKS if name in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the WebSocket benchmarks; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.websockets",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("mode", nargs="?", choices=("all", "echo", "idle"), default="all", help="what to run (all)")
    parser.add_argument("--frameworks", help=f"echo: comma-separated frameworks (default: {','.join(FRAMEWORKS)})")
    parser.add_argument("--rounds", type=int, default=20, help="echo: interleaved rounds (20)")
    parser.add_argument("--messages", type=int, default=2000, help="echo: round trips per round (2000)")
    parser.add_argument("--idle-frameworks", help=f"idle: frameworks (default: {','.join(IDLE_FRAMEWORKS)})")
    parser.add_argument("--connections", type=int, default=2000, help="idle: connections held open (2000)")
    parser.add_argument("--idle-rounds", type=int, default=3, help="idle: rounds per framework (3)")
    parser.add_argument("--ws", default="auto", help="idle: uvicorn's --ws implementation (auto)")
    parser.add_argument("--seed", type=int, help="seed of the shuffled orders (default: random)")
    parser.add_argument("--write-results", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    command = shlex.join(["python", "-m", "benchmarks.websockets", *(sys.argv[1:] if argv is None else argv)])
    sections: list[tuple[str, str, str]] = []  # (name, title, content)
    if args.mode in ("all", "echo"):
        options = EchoOptions(_frameworks(args.frameworks, FRAMEWORKS), args.rounds, args.messages, seed=args.seed)
        tables = echo_tables(run_echo(options, _progress), options)
        print(f"## In-process echo\n\n{tables}\n", flush=True)
        sections.append(("websockets-echo", "WebSockets: in-process echo", tables))
    if args.mode in ("all", "idle"):
        frameworks = _frameworks(args.idle_frameworks, IDLE_FRAMEWORKS)
        results = run_idle(frameworks, args.connections, args.idle_rounds, args.ws, args.seed, _progress)
        intro = (
            f"{args.connections} idle connections to one uvicorn worker (`--ws {args.ws}`), clients without "
            f"permessage-deflate; server RSS medians over {args.idle_rounds} rounds; per-round growth per connection "
            "in the last column:"
        )
        table = idle_table(results)
        print(f"## Idle connections under uvicorn\n\n{intro}\n\n{table}\n", flush=True)
        sections.append(("websockets-idle", "WebSockets: idle connections under uvicorn", f"{intro}\n\n{table}"))
    if args.write_results:
        for name, title, content in sections:
            report.write_section(name, title, f"{report.section_header(command)}\n\n{content}")
        _progress(f"updated {report.RESULTS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
