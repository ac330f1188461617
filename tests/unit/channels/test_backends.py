"""One contract, every channels backend: memory, Redis pub/sub, Redis streams, asyncpg and psycopg.

The Redis and PostgreSQL backends run against the real servers (``tests._services``): each test has a key prefix of
its own on the shared Redis, and the PostgreSQL tests a database of their own. Two plugins on two backends of the same
broker stand for two workers. Channels run on asyncio only (the drivers are asyncio libraries).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator

import anyio
import pytest
from redis.asyncio import Redis

from outpour.channels import ChannelsBackend, ChannelsPlugin, Subscriber
from outpour.channels.backends.asyncpg import AsyncPgChannelsBackend
from outpour.channels.backends.memory import MemoryChannelsBackend
from outpour.channels.backends.psycopg import PsycoPgChannelsBackend
from outpour.channels.backends.redis import RedisChannelsPubSubBackend, RedisChannelsStreamBackend
from outpour.channels.plugin import ChannelsException
from tests._services import postgres_url, redis_url

pytestmark = pytest.mark.anyio

KINDS = ["memory", "redis_pubsub", "redis_stream", "asyncpg", "psycopg"]
SHARED = [kind for kind in KINDS if kind != "memory"]
HISTORY = 5

BackendFactory = Callable[[], ChannelsBackend]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def pg_dsn() -> Iterator[str]:
    with postgres_url() as url:
        yield url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.fixture
def broker(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """The backend kind under test and its server's URL (found, or started, outside the event loop)."""
    kind: str = request.param
    if kind.startswith("redis"):
        with redis_url() as url:
            yield kind, url
    elif kind in {"asyncpg", "psycopg"}:
        yield kind, request.getfixturevalue("pg_dsn")
    else:
        yield kind, ""


@pytest.fixture
async def make_backend(broker: tuple[str, str]) -> AsyncIterator[BackendFactory]:
    """A factory of backends of one kind, all on the same broker (for Redis, under a key prefix of the test's own)."""
    kind, url = broker
    if kind == "memory":
        shared = MemoryChannelsBackend(history=HISTORY)
        yield lambda: shared
    elif kind.startswith("redis"):
        prefix = f"outpour-test-{uuid.uuid4().hex}"
        clients: list[Redis] = []

        def make_redis() -> ChannelsBackend:
            client = Redis.from_url(url)
            clients.append(client)
            if kind == "redis_pubsub":
                return RedisChannelsPubSubBackend(redis=client, key_prefix=prefix)
            return RedisChannelsStreamBackend(HISTORY, redis=client, key_prefix=prefix, cap_streams_approximate=False)

        yield make_redis
        cleaner = Redis.from_url(url)
        await RedisChannelsStreamBackend(1, redis=cleaner, key_prefix=prefix).flush_all()
        for client in [*clients, cleaner]:
            await client.aclose()
    elif kind == "asyncpg":
        yield lambda: AsyncPgChannelsBackend(url)
    else:
        yield lambda: PsycoPgChannelsBackend(url)


def backends(kinds: list[str]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("broker", [pytest.param(kind, id=kind) for kind in kinds], indirect=True)


async def take(subscriber: Subscriber, count: int) -> list[bytes]:
    events = []
    iterator = subscriber.iter_events()
    with anyio.fail_after(10):
        for _ in range(count):
            events.append(await anext(iterator))
    return events


async def settle(plugin: ChannelsPlugin) -> None:
    """Let the backend act on what ``publish`` queued and on subscriptions (psycopg listens between 100 ms rounds)."""
    await anyio.sleep(0.3)


@backends(KINDS)
async def test_subscriber_receives_published_events_in_order(make_backend: BackendFactory) -> None:
    async with ChannelsPlugin(make_backend(), channels=["news"]) as plugin:
        subscriber = await plugin.subscribe("news")
        await settle(plugin)
        for number in range(20):
            plugin.publish({"n": number}, "news")
        received = await take(subscriber, 20)
    assert received == [f'{{"n":{number}}}'.encode() for number in range(20)]


@backends(KINDS)
async def test_wait_published_reaches_only_the_channels_subscribed(make_backend: BackendFactory) -> None:
    async with ChannelsPlugin(make_backend(), arbitrary_channels_allowed=True) as plugin:
        one = await plugin.subscribe("one")
        both = await plugin.subscribe(["one", "two"])
        await settle(plugin)
        await plugin.wait_published("to two", "two")
        await plugin.wait_published(b"to one", ["one"])
        # Events keep their order within a channel; across two channels a backend may deliver either first.
        assert (sorted(await take(both, 2)), await take(one, 1)) == ([b"to one", b"to two"], [b"to one"])
        await settle(plugin)
        assert (one.qsize, both.qsize) == (0, 0)


@backends(KINDS)
async def test_unsubscribed_channel_is_no_longer_delivered(make_backend: BackendFactory) -> None:
    async with ChannelsPlugin(make_backend(), channels=["a", "b"]) as plugin:
        subscriber = await plugin.subscribe(["a", "b"])
        await settle(plugin)
        await plugin.unsubscribe(subscriber, "a")
        await settle(plugin)
        await plugin.wait_published(b"gone", "a")
        await plugin.wait_published(b"kept", "b")
        assert await take(subscriber, 1) == [b"kept"]
        await settle(plugin)
        assert subscriber.qsize == 0


@backends(KINDS)
async def test_any_bytes_round_trip(make_backend: BackendFactory) -> None:
    payloads = [b"\x00\xff\xfe binary", "héllo ✓".encode(), b"", b"t-starts-like-a-tag", b"b" * 3000]
    async with ChannelsPlugin(make_backend(), channels=["raw"]) as plugin:
        subscriber = await plugin.subscribe("raw")
        await settle(plugin)
        for payload in payloads:
            await plugin.wait_published(payload, "raw")
        assert await take(subscriber, len(payloads)) == payloads


@backends(SHARED)
async def test_event_published_by_one_worker_reaches_the_other(make_backend: BackendFactory) -> None:
    async with (
        ChannelsPlugin(make_backend(), channels=["chat"]) as worker_1,
        ChannelsPlugin(make_backend(), channels=["chat"]) as worker_2,
    ):
        on_1 = await worker_1.subscribe("chat")
        on_2 = await worker_2.subscribe("chat")
        await settle(worker_1)
        worker_1.publish("from worker 1", "chat")
        await worker_2.wait_published("from worker 2", "chat")
        assert sorted(await take(on_1, 2)) == sorted(await take(on_2, 2)) == [b"from worker 1", b"from worker 2"]


@backends(["memory", "redis_stream"])
async def test_history_is_sent_first_and_capped(make_backend: BackendFactory) -> None:
    async with ChannelsPlugin(make_backend(), channels=["log"]) as plugin:
        for number in range(HISTORY + 3):
            await plugin.wait_published(str(number), "log")
        late = await plugin.subscribe("log", history=3)
        everything = await plugin.subscribe("log", history=100)
        await settle(plugin)
        await plugin.wait_published("live", "log")
        assert await take(late, 4) == [b"5", b"6", b"7", b"live"]
        assert await take(everything, HISTORY + 1) == [b"3", b"4", b"5", b"6", b"7", b"live"]


@backends(["redis_pubsub", "asyncpg", "psycopg"])
async def test_backends_without_history_return_none(make_backend: BackendFactory) -> None:
    async with ChannelsPlugin(make_backend(), channels=["log"]) as plugin:
        await plugin.wait_published("first", "log")
        subscriber = await plugin.subscribe("log", history=10)
        assert subscriber.qsize == 0


@backends(["asyncpg", "psycopg"])
async def test_notify_payload_limit_is_refused_when_published(make_backend: BackendFactory) -> None:
    async with ChannelsPlugin(make_backend(), channels=["big"]) as plugin:
        subscriber = await plugin.subscribe("big")
        await settle(plugin)
        with pytest.raises(ChannelsException, match=r"too large for PostgreSQL's NOTIFY, which carries under 8,000"):
            plugin.publish(b"x" * 8000, "big")
        with pytest.raises(ChannelsException, match=r"An event of 7,999 bytes is too large"):
            await plugin.wait_published("y" * 7999, "big")  # the one-character tag makes it 8,000
        await plugin.wait_published("z" * 7998, "big")
        assert await take(subscriber, 1) == [b"z" * 7998]


@backends(["redis_pubsub", "redis_stream"])
async def test_redis_carries_large_events(make_backend: BackendFactory) -> None:
    async with ChannelsPlugin(make_backend(), channels=["big"]) as plugin:
        subscriber = await plugin.subscribe("big")
        await settle(plugin)
        plugin.publish(b"x" * 1_000_000, "big")
        assert await take(subscriber, 1) == [b"x" * 1_000_000]


@backends(["asyncpg", "psycopg"])
async def test_postgres_channel_names_over_63_bytes_are_refused(make_backend: BackendFactory) -> None:
    async with ChannelsPlugin(make_backend(), arbitrary_channels_allowed=True) as plugin:
        with pytest.raises(ChannelsException, match=r"PostgreSQL channel names hold at most 63 bytes"):
            await plugin.subscribe("c" * 64)
        with pytest.raises(ChannelsException, match=r"at most 63 bytes"):
            await plugin.wait_published("x", "é" * 32)
        assert plugin._channels == {}


@backends(SHARED)
async def test_shutdown_sends_what_was_published_and_ends_the_streams(make_backend: BackendFactory) -> None:
    backend = make_backend()
    async with ChannelsPlugin(make_backend(), channels=["q"]) as reader:
        subscriber = await reader.subscribe("q")
        await settle(reader)
        async with ChannelsPlugin(backend, channels=["q"]) as writer:
            for number in range(10):
                writer.publish(number, "q")
        received = await take(subscriber, 10)
    assert received == [str(number).encode() for number in range(10)]
    assert [event async for event in subscriber.iter_events()] == []


@backends(KINDS)
async def test_subscribe_and_unsubscribe_are_idempotent(make_backend: BackendFactory) -> None:
    backend = make_backend()
    async with ChannelsPlugin(backend, channels=["a"]) as plugin:
        subscriber = await plugin.subscribe("a")
        await backend.subscribe(["a"])  # already subscribed: nothing changes
        await backend.unsubscribe(["never-subscribed"])
        await settle(plugin)
        await plugin.wait_published("once", "a")
        assert await take(subscriber, 1) == [b"once"]
        await backend.unsubscribe(["a"])
        await backend.unsubscribe(["a"])
        await settle(plugin)
        await plugin.wait_published("unheard", "a")
        await settle(plugin)
        assert subscriber.qsize == 0
