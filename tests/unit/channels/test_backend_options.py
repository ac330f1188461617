"""Backend options and misuse: construction errors, ``make_connection``, payload tags, not-started backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import anyio
import asyncpg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.asyncio import Redis

from outpour.channels import ChannelsPlugin
from outpour.channels.backends._notify import decode_payload, encode_payload
from outpour.channels.backends.asyncpg import AsyncPgChannelsBackend
from outpour.channels.backends.psycopg import PsycoPgChannelsBackend
from outpour.channels.backends.redis import RedisChannelsPubSubBackend, RedisChannelsStreamBackend
from outpour.channels.plugin import ChannelsException
from outpour.exceptions import ImproperlyConfiguredException
from tests._services import postgres_url, redis_url

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def pg_dsn() -> Iterator[str]:
    with postgres_url() as url:
        yield url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.fixture
def redis_address() -> Iterator[str]:
    with redis_url() as url:
        yield url


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param({}, id="neither"),
        pytest.param({"dsn": "postgresql://x", "make_connection": asyncpg.connect}, id="both"),
    ],
)
def test_asyncpg_takes_dsn_or_make_connection(arguments: dict[str, object]) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"takes either `dsn` .* and only one of them"):
        AsyncPgChannelsBackend(**arguments)  # type: ignore[arg-type]


async def test_asyncpg_make_connection(pg_dsn: str) -> None:
    async def connect() -> asyncpg.Connection:
        return await asyncpg.connect(pg_dsn)

    async with ChannelsPlugin(AsyncPgChannelsBackend(make_connection=connect), channels=["c"]) as plugin:
        subscriber = await plugin.subscribe("c")
        await plugin.wait_published("made", "c")
        with anyio.fail_after(5):
            assert await anext(subscriber.iter_events()) == b"made"


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(lambda: AsyncPgChannelsBackend("postgresql://127.0.0.1/none"), id="asyncpg"),
        pytest.param(lambda: PsycoPgChannelsBackend("postgresql://127.0.0.1/none"), id="psycopg"),
    ],
)
async def test_postgres_backend_not_started(backend: object) -> None:
    with pytest.raises(RuntimeError, match=r"is not started: it starts with the app's lifespan"):
        await backend().publish(b"x", ["c"])  # type: ignore[operator]


def test_redis_backends_need_a_redis_asyncio_client() -> None:
    with pytest.raises(
        ImproperlyConfiguredException, match=r"take a `redis.asyncio.Redis` client as `redis`, got `'redis://x'`"
    ):
        RedisChannelsPubSubBackend(redis="redis://x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"history": 0}, r"how many events each stream keeps, at least 1; got `0`", id="history"),
        pytest.param({"history": 1, "stream_ttl": timedelta(0)}, r"`stream_ttl` is how long events are kept", id="ttl"),
    ],
)
async def test_stream_backend_options_are_checked(redis_address: str, options: dict[str, object], message: str) -> None:
    client = Redis.from_url(redis_address)
    try:
        with pytest.raises(ImproperlyConfiguredException, match=message):
            RedisChannelsStreamBackend(redis=client, **options)  # type: ignore[arg-type]
    finally:
        await client.aclose()


async def test_stream_history_trimmed_by_age(redis_address: str) -> None:
    client = Redis.from_url(redis_address, decode_responses=True)
    backend = RedisChannelsStreamBackend(10, redis=client, stream_ttl=200, key_prefix="outpour-test-age")
    try:
        async with ChannelsPlugin(backend, channels=["c"]) as plugin:
            await plugin.wait_published("old", "c")
            await anyio.sleep(0.3)
            await plugin.wait_published("new", "c")
            assert await backend.get_history("c") == [b"new"]
            assert await backend.flush_all() == 1
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    ("data", "payload"),
    [
        pytest.param(b"text", "ttext", id="utf8"),
        pytest.param(b"\xff\x00", "b/wA=", id="binary"),
    ],
)
def test_notify_payloads_are_tagged(data: bytes, payload: str) -> None:
    assert (encode_payload(data), decode_payload(payload)) == (payload, data)


def test_untagged_notify_payload_is_text() -> None:
    """A NOTIFY sent by something else (``NOTIFY c, '{"id": 1}'``) is taken as its text."""
    assert decode_payload('{"id": 1}') == b'{"id": 1}'


@given(st.binary(max_size=5000) | st.text(max_size=2000).map(str.encode))
def test_notify_payload_round_trip_or_clear_refusal(data: bytes) -> None:
    """Any event either survives NOTIFY's text encoding unchanged or is refused for its size, never garbled."""
    if len(data) * 4 // 3 + 2 > 7999:  # possibly over the limit once encoded: refused, or carried intact
        try:
            payload = encode_payload(data)
        except ChannelsException as exc:
            message = str(exc)
            assert_refused(message)
            return
    else:
        payload = encode_payload(data)
    assert len(payload.encode()) <= 7999
    assert decode_payload(payload) == data


def assert_refused(message: str) -> None:
    assert "too large for PostgreSQL's NOTIFY" in message
