"""The plugin's lifecycle: use before the app starts, restarts, and the generated WebSocket routes' start-up order.

Also: a consumer pausing between the events of a PostgreSQL (psycopg) stream does not block ``(UN)LISTEN``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import anyio
import asyncpg
import pytest

from outpour import Outpour
from outpour.channels import ChannelsPlugin, Subscriber
from outpour.channels.backends.asyncpg import AsyncPgChannelsBackend
from outpour.channels.backends.memory import MemoryChannelsBackend
from outpour.channels.backends.psycopg import PsycoPgChannelsBackend
from outpour.channels.plugin import ChannelsException
from outpour.testing import TestClient
from tests._services import postgres_url

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def first_event(subscriber: Subscriber) -> bytes:
    with anyio.fail_after(2):
        async for event in subscriber.iter_events():
            return event
    raise AssertionError("the subscriber's stream ended without an event")


async def test_publish_before_start_is_a_runtime_error_and_a_channels_exception() -> None:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), channels=["a"])
    with pytest.raises(RuntimeError, match="not started") as caught:
        plugin.publish("x", "a")
    assert isinstance(caught.value, ChannelsException)


async def test_subscribe_and_unsubscribe_work_before_start() -> None:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), channels=["a", "b"])
    subscriber = await plugin.subscribe(["a", "b"])
    assert subscriber.channels == {"a", "b"}
    await plugin.unsubscribe(subscriber, "a")
    assert subscriber.channels == {"b"}
    async with plugin.start_subscription("a") as other:
        assert other.channels == {"a"}
    assert other.channels == set()


async def test_the_plugin_starts_again_after_a_stop() -> None:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), arbitrary_channels_allowed=True)
    for round_number in range(3):
        async with plugin:
            subscriber = await plugin.subscribe("room")
            plugin.publish(f"event {round_number}", "room")
            assert await first_event(subscriber) == f"event {round_number}".encode()
            await plugin.unsubscribe(subscriber)
    with pytest.raises(RuntimeError):
        plugin.publish("late", "room")


async def test_stopping_twice_or_before_start_does_nothing() -> None:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), arbitrary_channels_allowed=True)
    await plugin.__aexit__(None, None, None)
    async with plugin:
        pass
    await plugin.__aexit__(None, None, None)


@pytest.mark.parametrize(
    ("send_history", "expected"),
    [
        pytest.param(-1, ["1", "2", "3"], id="negative-sends-all-kept"),
        pytest.param(2, ["2", "3"], id="the-last-two"),
        pytest.param(0, [], id="none"),
    ],
)
def test_ws_route_history(send_history: int, expected: list[str]) -> None:
    backend = MemoryChannelsBackend(history=10)
    plugin = ChannelsPlugin(
        backend, channels=["news"], create_ws_route_handlers=True, ws_handler_send_history=send_history
    )
    with TestClient(Outpour(plugins=[plugin])) as client:
        for number in ("1", "2", "3"):
            client.blocking_portal.call(plugin.wait_published, number, "news")
        with client.websocket_connect("/news") as socket:
            received = [socket.receive_text(timeout=2) for _ in expected]
            plugin.publish("live", "news")
            assert socket.receive_text(timeout=2) == "live"
    assert received == expected


def test_an_event_published_right_after_connecting_reaches_the_client() -> None:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), channels=["news"], create_ws_route_handlers=True)
    with TestClient(Outpour(plugins=[plugin])) as client:
        for number in range(5):
            with client.websocket_connect("/news") as socket:
                plugin.publish(f"event {number}", "news")
                assert socket.receive_text(timeout=2) == f"event {number}"


@pytest.fixture(scope="module")
def pg_dsn() -> Iterator[str]:
    with postgres_url() as url:
        yield url.replace("postgresql+asyncpg://", "postgresql://")


async def test_psycopg_stream_paused_between_events_does_not_block_unlisten(pg_dsn: str) -> None:
    backend = PsycoPgChannelsBackend(pg_dsn)
    await backend.on_startup()
    try:
        await backend.subscribe(["paused"])
        await backend.publish(b"one", ["paused"])
        events = backend.stream_events()
        with anyio.fail_after(2):
            assert await anext(events) == ("paused", b"one")
        with anyio.fail_after(2):  # the stream is suspended after its first event
            await backend.unsubscribe(["paused"])
        await events.aclose()
    finally:
        await backend.on_shutdown()


class RecordingBackend(MemoryChannelsBackend):
    """A memory backend recording (un)subscriptions; ``fail_subscribe`` makes ``subscribe`` raise."""

    def __init__(self, *, fail_subscribe: bool = False) -> None:
        super().__init__()
        self.fail_subscribe = fail_subscribe
        self.calls: list[tuple[str, set[str]]] = []

    async def subscribe(self, channels: Iterable[str]) -> None:
        self.calls.append(("subscribe", set(channels)))
        if self.fail_subscribe:
            raise ConnectionError("the broker went away")

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        self.calls.append(("unsubscribe", set(channels)))
        raise OSError("the broker is still away")


async def test_a_failed_backend_subscription_is_undone_and_its_error_kept() -> None:
    backend = RecordingBackend(fail_subscribe=True)
    plugin = ChannelsPlugin(backend, arbitrary_channels_allowed=True)
    with pytest.raises(ConnectionError, match="went away"):
        await plugin.subscribe(["a", "b"])
    assert backend.calls == [("subscribe", {"a", "b"}), ("unsubscribe", {"a", "b"})]
    assert plugin._channels == {}


async def test_start_subscription_before_start_unsubscribes_the_backend_on_exit() -> None:
    backend = RecordingBackend()
    plugin = ChannelsPlugin(backend, arbitrary_channels_allowed=True)
    with pytest.raises(OSError, match="still away"):
        async with plugin.start_subscription(channel for channel in ["room"]) as subscriber:
            assert subscriber.channels == {"room"}
    assert backend.calls == [("subscribe", {"room"}), ("unsubscribe", {"room"})]
    assert subscriber.channels == set()


async def _no_connection() -> asyncpg.Connection:
    raise AssertionError("the backend is not started in this test")


@pytest.mark.parametrize(
    ("make", "name"),
    [
        pytest.param(MemoryChannelsBackend, "MemoryChannelsBackend", id="memory"),
        pytest.param(
            lambda: AsyncPgChannelsBackend(make_connection=_no_connection), "AsyncPgChannelsBackend", id="asyncpg"
        ),
    ],
)
async def test_stream_events_before_start_is_a_runtime_error(make: object, name: str) -> None:
    """Reading a backend's events before `on_startup` is a mistake, said at once, not a stream that never ends."""
    backend = make()  # type: ignore[operator]
    with pytest.raises(RuntimeError, match=rf"`{name}.stream_events\(\)` was called before `on_startup\(\)`"):
        await anext(backend.stream_events())


async def test_memory_stream_ends_after_shutdown() -> None:
    backend = MemoryChannelsBackend()
    await backend.on_startup()
    await backend.on_shutdown()
    with anyio.fail_after(2):
        assert [event async for event in backend.stream_events()] == []
