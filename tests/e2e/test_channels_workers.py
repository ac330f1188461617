"""Channels across processes: an SSE subscriber in one server process receives what a POST to another publishes.

Two layouts, each on Redis (pub/sub and streams) and PostgreSQL (asyncpg and psycopg): ``outpour run --workers 2``
(connections spread over the two workers until each holds a subscriber), and two separate servers on two ports.
The app is a file in a temporary folder; its backend is chosen by environment variables.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from tests._services import postgres_url, redis_url
from tests.e2e._serving import free_port, running

ROOT = Path(__file__).resolve().parents[2]

APP = """
import os

from redis.asyncio import Redis

from outpour import Outpour, get, post
from outpour.channels import ChannelsPlugin
from outpour.channels.backends.asyncpg import AsyncPgChannelsBackend
from outpour.channels.backends.psycopg import PsycoPgChannelsBackend
from outpour.channels.backends.redis import RedisChannelsPubSubBackend, RedisChannelsStreamBackend
from outpour.response import ServerSentEvent


def make_backend():
    kind, url = os.environ["CHANNELS_BACKEND"], os.environ["CHANNELS_URL"]
    prefix = os.environ.get("CHANNELS_PREFIX", "outpour")
    if kind == "redis_pubsub":
        return RedisChannelsPubSubBackend(redis=Redis.from_url(url), key_prefix=prefix)
    if kind == "redis_stream":
        return RedisChannelsStreamBackend(10, redis=Redis.from_url(url), key_prefix=prefix)
    if kind == "asyncpg":
        return AsyncPgChannelsBackend(url)
    return PsycoPgChannelsBackend(url)


@post("/rooms/{room:str}")
async def send(room: str, data: dict, channels: ChannelsPlugin) -> dict:
    await channels.wait_published(data, room)
    return {"pid": os.getpid()}


@get("/rooms/{room:str}/events")
async def events(room: str, channels: ChannelsPlugin) -> ServerSentEvent:
    async def stream():
        async with channels.start_subscription(room) as subscriber:
            yield f"subscribed in {os.getpid()}"
            async for event in subscriber.iter_events():
                yield event

    return ServerSentEvent(stream())


plugin = ChannelsPlugin(
    make_backend(), arbitrary_channels_allowed=True, create_ws_route_handlers=True, ws_handler_base_path="/ws"
)
app = Outpour([send, events], plugins=[plugin])
"""

KINDS = ["redis_pubsub", "redis_stream", "asyncpg", "psycopg"]


class Listener:
    """An SSE client on a plain socket, read in a thread: the ``data:`` lines it receives, in a queue.

    A plain socket can be shut down from the test's thread at once: the server sees the disconnect, and its graceful
    shutdown has no stream left to wait for.
    """

    def __init__(self, port: int, path: str) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self._sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self._sock.settimeout(None)
        self._sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # The body is chunked; each event arrives within one chunk, so its `data:` lines are whole lines.
        with contextlib.suppress(OSError), self._sock.makefile("rb") as stream:
            for raw in stream:
                line = raw.decode(errors="replace").rstrip("\r\n")
                if line.startswith("data: "):
                    self.lines.put(line.removeprefix("data: "))

    def next(self, timeout: float = 10) -> str:
        return self.lines.get(timeout=timeout)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        self._thread.join(timeout=5)


@pytest.fixture
def broker_env(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    kind: str = request.param
    if kind.startswith("redis"):
        with redis_url() as url:
            yield {"CHANNELS_BACKEND": kind, "CHANNELS_URL": url, "CHANNELS_PREFIX": f"outpour-e2e-{uuid.uuid4().hex}"}
    else:
        with postgres_url() as url:
            yield {"CHANNELS_BACKEND": kind, "CHANNELS_URL": url.replace("postgresql+asyncpg://", "postgresql://")}


def _command(port: int, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "outpour.cli",
        "run",
        "--app",
        "app:app",
        "--server",
        "uvicorn",
        "--port",
        str(port),
        *extra,
    ]


def _env(broker_env: dict[str, str]) -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT), "OUTPOUR_APP": "", "OUTPOUR_APP_DIR": "", "OUTPOUR_DEBUG": "", **broker_env}


def _subscribed_pid(listener: Listener) -> int:
    hello = listener.next()
    assert hello.startswith("subscribed in "), hello
    return int(hello.removeprefix("subscribed in "))


@pytest.mark.parametrize("broker_env", [pytest.param(kind, id=kind) for kind in KINDS], indirect=True)
def test_two_servers_on_two_ports(tmp_path: Path, broker_env: dict[str, str]) -> None:
    (tmp_path / "app.py").write_text(APP)
    port_a, port_b = free_port(), free_port()
    env = _env(broker_env)
    with running(_command(port_a), port_a, tmp_path, env), running(_command(port_b), port_b, tmp_path, env):
        listener = Listener(port_a, "/rooms/lobby/events")
        try:
            subscriber_pid = _subscribed_pid(listener)
            response = httpx.post(f"http://127.0.0.1:{port_b}/rooms/lobby", json={"text": "hello from B"}, timeout=10)
            assert response.json()["pid"] != subscriber_pid
            assert listener.next() == '{"text":"hello from B"}'
        finally:
            listener.close()


@pytest.mark.parametrize("broker_env", [pytest.param(kind, id=kind) for kind in KINDS], indirect=True)
def test_outpour_run_with_two_workers(tmp_path: Path, broker_env: dict[str, str]) -> None:
    (tmp_path / "app.py").write_text(APP)
    port = free_port()
    with running(_command(port, "--workers", "2"), port, tmp_path, _env(broker_env)):
        listeners: dict[int, Listener] = {}
        extra: list[Listener] = []
        deadline = time.monotonic() + 30
        try:
            while len(listeners) < 2 and time.monotonic() < deadline:
                listener = Listener(port, "/rooms/lobby/events")
                pid = _subscribed_pid(listener)
                if pid in listeners:
                    extra.append(listener)  # keep it open, so that the next connection may go to the other worker
                else:
                    listeners[pid] = listener
            assert len(listeners) == 2, f"only worker(s) {sorted(listeners)} took a subscriber"
            response = httpx.post(f"http://127.0.0.1:{port}/rooms/lobby", json={"text": "to all"}, timeout=10)
            publisher = response.json()["pid"]
            other = next(pid for pid in listeners if pid != publisher)
            assert listeners[other].next() == listeners[publisher].next() == '{"text":"to all"}'
        finally:
            for listener in [*listeners.values(), *extra]:
                listener.close()


@pytest.mark.parametrize("broker_env", [pytest.param(kind, id=kind) for kind in KINDS], indirect=True)
def test_websocket_route_on_one_server_receives_a_post_to_the_other(tmp_path: Path, broker_env: dict[str, str]) -> None:
    """The route `create_ws_route_handlers` adds, fed across processes; closing the socket ends the subscription."""
    (tmp_path / "app.py").write_text(APP)
    port_a, port_b = free_port(), free_port()
    env = _env(broker_env)
    with running(_command(port_a), port_a, tmp_path, env), running(_command(port_b), port_b, tmp_path, env):
        with connect(f"ws://127.0.0.1:{port_a}/ws/lobby", open_timeout=10) as socket:
            # The route subscribes right after accepting: publish until the subscription is in place.
            deadline = time.monotonic() + 10
            received = None
            while received is None and time.monotonic() < deadline:
                httpx.post(f"http://127.0.0.1:{port_b}/rooms/lobby", json={"text": "over ws"}, timeout=10)
                with contextlib.suppress(TimeoutError):
                    received = socket.recv(timeout=0.5)
        assert received == '{"text":"over ws"}'
