"""Subscribers resume after the broker comes back, without restarting the app.

Redis: a ``redis-server`` of the test's own is stopped and started again on the same port. PostgreSQL: the server
ends the backends' connections (``pg_terminate_backend``, what a restart does to its clients), in a database of the
test's own. Events published while the broker is away may be lost; those published after it is back arrive.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import anyio
import asyncpg
import pytest
from redis.asyncio import Redis

from outpour.channels import ChannelsBackend, ChannelsPlugin
from outpour.channels.backends.asyncpg import AsyncPgChannelsBackend
from outpour.channels.backends.psycopg import PsycoPgChannelsBackend
from outpour.channels.backends.redis import RedisChannelsPubSubBackend, RedisChannelsStreamBackend
from tests._services import postgres_url, unavailable

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class RedisServer:
    """A ``redis-server`` of the test's own that can be stopped and started again on its port."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable("`redis-server` is not installed: `apt-get install redis-server`")
        self.binary = str(binary)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.workdir = Path(tempfile.mkdtemp(prefix="outpour-channels-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(self.workdir),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        unavailable(f"`redis-server` did not listen on port {self.port} within 5 seconds")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def pg_dsn() -> Iterator[str]:
    with postgres_url() as url:
        yield url.replace("postgresql+asyncpg://", "postgresql://")


async def publish_until_received(plugin: ChannelsPlugin, channel: str, iterator: object) -> bytes:
    """Publish every 100 ms (the broker may refuse while it comes back) until the subscriber receives one."""
    received: list[bytes] = []

    async def receive() -> None:
        received.append(await anext(iterator))  # type: ignore[call-overload]

    with anyio.fail_after(20):
        async with anyio.create_task_group() as group:
            group.start_soon(receive)
            while not received:
                with contextlib.suppress(Exception):  # refused while the broker (or the link to it) comes back
                    await plugin.wait_published(b"after", channel)
                await anyio.sleep(0.1)
    return received[0]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda redis: RedisChannelsPubSubBackend(redis=redis), id="redis_pubsub"),
        pytest.param(lambda redis: RedisChannelsStreamBackend(10, redis=redis), id="redis_stream"),
    ],
)
async def test_redis_restart(redis_server: RedisServer, make: Callable[[Redis], ChannelsBackend]) -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{redis_server.port}/0")
    try:
        async with ChannelsPlugin(make(client), channels=["live"]) as plugin:
            subscriber = await plugin.subscribe("live")
            iterator = subscriber.iter_events()
            await anyio.sleep(0.2)
            await plugin.wait_published(b"before", "live")
            with anyio.fail_after(5):
                assert await anext(iterator) == b"before"
            redis_server.stop()
            await anyio.sleep(0.5)
            redis_server.start()
            assert await publish_until_received(plugin, "live", iterator) == b"after"
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(AsyncPgChannelsBackend, id="asyncpg"),
        pytest.param(PsycoPgChannelsBackend, id="psycopg"),
    ],
)
async def test_postgres_connections_ended_by_the_server(pg_dsn: str, make: Callable[[str], ChannelsBackend]) -> None:
    async with ChannelsPlugin(make(pg_dsn), channels=["live"]) as plugin:
        subscriber = await plugin.subscribe("live")
        iterator = subscriber.iter_events()
        await anyio.sleep(0.2)
        await plugin.wait_published(b"before", "live")
        with anyio.fail_after(5):
            assert await anext(iterator) == b"before"
        admin = await asyncpg.connect(pg_dsn)
        try:
            ended = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await admin.close()
        assert ended >= 1
        assert await publish_until_received(plugin, "live", iterator) == b"after"


async def test_asyncpg_retries_until_it_connects_again(pg_dsn: str) -> None:
    """A reconnection attempt that fails is followed by another, a little later."""
    attempts: list[str] = []

    async def connect() -> asyncpg.Connection:
        attempts.append("attempt")
        if len(attempts) == 2:  # the first attempt after the connection was lost
            raise OSError("server still starting")
        return await asyncpg.connect(pg_dsn)

    async with ChannelsPlugin(AsyncPgChannelsBackend(make_connection=connect), channels=["live"]) as plugin:
        subscriber = await plugin.subscribe("live")
        iterator = subscriber.iter_events()
        connection = plugin._backend._connection  # type: ignore[attr-defined]
        connection.terminate()  # as when the server goes away
        assert await publish_until_received(plugin, "live", iterator) == b"after"
    assert len(attempts) == 3
