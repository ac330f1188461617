"""Memory of idle server-sent event streams: N connections held open on one uvicorn worker, measured by its RSS.

Run it with ``.venv/bin/python -m benchmarks.sse_idle`` (``--connections 1000 --ping-interval 1`` by default). It
starts one uvicorn worker on 127.0.0.1 and a free port serving :data:`app` (one event, then a stream that waits
forever, with a ``: ping`` comment after each ``--ping-interval`` seconds of silence), opens the connections over
loopback (at most 100 being opened at a time), checks that each one gets its first event and then a ping, reads the
server's total RSS from ``/proc``, closes every connection and stops the server. Everything is bounded by timeouts;
the server is always stopped. The figure to hold is a total RSS under 100 MiB with 1,000 connections.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from outpour import Outpour, get
from outpour.response import ServerSentEvent

__all__ = ["IdleResult", "app", "main", "measure"]

PING_INTERVAL = float(os.environ.get("OUTPOUR_SSE_IDLE_PING", "1"))
FIRST_EVENT = b"data: hello\r\n\r\n"
PING = b": ping\r\n\r\n"


@get("/sse")
async def sse() -> ServerSentEvent:
    """One event, then nothing but keep-alive pings until the client leaves."""

    async def events() -> AsyncIterator[str]:
        yield "hello"
        await asyncio.Event().wait()  # idle: waits until the client leaves

    return ServerSentEvent(events(), ping_interval=PING_INTERVAL)


app = Outpour([sse])


@dataclass
class IdleResult:
    """What one run measured."""

    connections: int
    pinged: int
    rss_before_mib: float
    rss_with_connections_mib: float

    def report(self) -> str:
        """Return the one-line summary."""
        return (
            f"{self.connections} idle SSE connections, {self.pinged} pinged: server RSS "
            f"{self.rss_with_connections_mib:.1f} MiB in total (idle server {self.rss_before_mib:.1f} MiB, "
            f"+{self.rss_with_connections_mib - self.rss_before_mib:.1f} MiB)"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")  # pragma: no cover


def _raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


async def _wait_until_listening(port: int, server: subprocess.Popen[bytes], timeout: float) -> None:
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


async def measure(connections: int, ping_interval: float, timeout: float = 120.0) -> IdleResult:
    """Start the server, hold ``connections`` idle streams, check a ping on each, and return the RSS figures.

    Args:
        connections: How many streams to open.
        ping_interval: The server's ping interval, in seconds.
        timeout: The bound on opening all connections, and again on waiting for their pings.

    Returns:
        The measurement.
    """
    _raise_fd_limit(2 * connections + 256)
    port = _free_port()
    env = {**os.environ, "OUTPOUR_SSE_IDLE_PING": str(ping_interval)}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "benchmarks.sse_idle:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--backlog",
        str(max(2048, connections)),
    ]
    server = subprocess.Popen(command, env=env)
    streams: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    try:
        await _wait_until_listening(port, server, 30)
        rss_before = _rss_mib(server.pid)
        gate = asyncio.Semaphore(100)

        async def open_one() -> None:
            async with gate:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                streams.append((reader, writer))
                writer.write(b"GET /sse HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    raise RuntimeError(f"unexpected response: {head[:80]!r}")
                await reader.readuntil(FIRST_EVENT)

        await asyncio.wait_for(asyncio.gather(*(open_one() for _ in range(connections))), timeout)

        async def pinged(reader: asyncio.StreamReader) -> None:
            await reader.readuntil(PING)

        await asyncio.wait_for(asyncio.gather(*(pinged(reader) for reader, _ in streams)), timeout)
        rss_with = _rss_mib(server.pid)
        return IdleResult(len(streams), len(streams), rss_before, rss_with)
    finally:
        for _, writer in streams:
            writer.close()
        await asyncio.sleep(0.1)
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            server.kill()
            server.wait(10)


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print it; exit status 1 when the RSS is 100 MiB or more.

    Args:
        argv: The command-line arguments (``sys.argv[1:]`` when not given).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sse_idle", description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1000, help="idle streams to hold (1000)")
    parser.add_argument("--ping-interval", type=float, default=1.0, help="the server's ping interval in seconds (1)")
    parser.add_argument("--limit-mib", type=float, default=100.0, help="fail at or above this total RSS (100)")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        result = asyncio.run(measure(args.connections, args.ping_interval))
        print(result.report())
        return 0 if result.rss_with_connections_mib < args.limit_mib else 1
    return 130


if __name__ == "__main__":
    raise SystemExit(main())
