"""``ChannelsPlugin`` in an app: the ``channels`` dependency, SSE fed by a subscription, configuration and misuse errors."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import AsyncGenerator
from typing import Any

import anyio
import pytest

from outpour import Outpour, get, post
from outpour.channels import ChannelsBackend, ChannelsPlugin, Subscriber
from outpour.channels.backends.memory import MemoryChannelsBackend
from outpour.channels.plugin import ChannelsException
from outpour.exceptions import ImproperlyConfiguredException, SerializationException
from outpour.response import ServerSentEvent
from outpour.testing import TestClient, create_test_client

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@post("/rooms/{room:str}")
async def send(room: str, data: dict[str, Any], channels: ChannelsPlugin) -> None:
    channels.publish(data, room)


@get("/rooms/{room:str}/events")
async def events(room: str, channels: ChannelsPlugin) -> ServerSentEvent:
    subscriber = await channels.subscribe(room)
    return ServerSentEvent(subscriber.iter_events())


@get("/subscribers")
async def subscribers(channels: ChannelsPlugin) -> dict[str, int]:
    return {room: len(subs) for room, subs in channels._channels.items()}


def chat_client(**options: Any) -> tuple[ChannelsPlugin, TestClient[Outpour]]:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), arbitrary_channels_allowed=True, **options)
    return plugin, create_test_client([send, events, subscribers], plugins=[plugin])


def post_later(client: TestClient[Outpour], path: str, *bodies: dict[str, Any]) -> threading.Thread:
    def run() -> None:
        deadline = time.monotonic() + 5
        while client.get("/subscribers").json() == {} and time.monotonic() < deadline:
            time.sleep(0.02)
        for body in bodies:
            client.post(path, json=body)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def read_events(client: TestClient[Outpour], path: str, count: int) -> list[str]:
    lines: list[str] = []
    with client.stream("GET", path) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                lines.append(line.removeprefix("data: "))
            if len(lines) == count:
                break
    return lines


def wait_for_no_subscribers(client: TestClient[Outpour]) -> dict[str, int]:
    deadline = time.monotonic() + 5
    while (found := client.get("/subscribers").json()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return dict(found)


def test_sse_fed_by_a_subscription_receives_what_a_post_publishes() -> None:
    _, client = chat_client()
    with client:
        thread = post_later(client, "/rooms/lobby", {"text": "hi"}, {"text": "there"})
        received = read_events(client, "/rooms/lobby/events", 2)
        thread.join()
    assert received == ['{"text":"hi"}', '{"text":"there"}']


def test_disconnect_unsubscribes_at_once() -> None:
    plugin, client = chat_client()
    with client:
        thread = post_later(client, "/rooms/lobby", {"text": "hi"})
        assert read_events(client, "/rooms/lobby/events", 1) == ['{"text":"hi"}']
        thread.join()
        assert wait_for_no_subscribers(client) == {}
        assert plugin._backend_channels == set()


def test_slow_subscriber_is_bounded_by_the_backlog() -> None:
    """A subscriber nobody reads keeps at most `subscriber_max_backlog` events; the newest are dropped."""
    plugin, _ = chat_client(subscriber_max_backlog=3)
    captured: list[Subscriber] = []

    @get("/slow")
    async def slow(channels: ChannelsPlugin) -> dict[str, int]:
        subscriber = await channels.subscribe("slow")
        captured.append(subscriber)
        for number in range(10):
            channels.publish(number, "slow")
        await anyio.sleep(0.2)
        return {"waiting": subscriber.qsize}

    with create_test_client([slow], plugins=[plugin]) as client:
        assert client.get("/slow").json() == {"waiting": 3}


async def test_channels_dependency_is_the_plugin() -> None:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), channels=["a"])

    @get("/same")
    async def same(channels: ChannelsPlugin) -> bool:
        return channels is plugin

    with create_test_client([same], plugins=[plugin]) as client:
        assert client.get("/same").json() is True


def test_handler_annotated_by_name_resolves() -> None:
    """`ChannelsPlugin` is in the signature namespace: a handler module may import it under TYPE_CHECKING only."""
    namespace: dict[str, Any] = {"get": get}
    exec(
        "from __future__ import annotations\n"
        "@get('/name')\n"
        "async def name(channels: ChannelsPlugin) -> str:\n"
        "    return type(channels).__name__\n",
        namespace,
    )
    plugin = ChannelsPlugin(MemoryChannelsBackend(), channels=["a"])
    with create_test_client([namespace["name"]], plugins=[plugin]) as client:
        assert client.get("/name").text == "ChannelsPlugin"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({}, r"needs the channels it serves: pass `channels=\[...\]`", id="no-channels"),
        pytest.param(
            {"channels": ["a"], "subscriber_backlog_strategy": "drop"},
            r"`subscriber_backlog_strategy` is `'backoff'` or `'dropleft'`, got `'drop'`",
            id="strategy",
        ),
        pytest.param(
            {"channels": ["a"], "subscriber_max_backlog": 0}, r"at least 1, or `None` for no bound; got `0`", id="zero"
        ),
        pytest.param(
            {"channels": ["a"], "subscriber_max_backlog": True}, r"at least 1, or `None`.*got `True`", id="bool"
        ),
        pytest.param(
            {"channels": ["a"], "ws_send_mode": "json"}, r"`ws_send_mode` is `'text'` or `'binary'`", id="mode"
        ),
        pytest.param({"channels": [""]}, r"A channel name is a non-empty `str`, got `''`", id="empty-name"),
    ],
)
def test_configuration_mistakes_raise(options: dict[str, Any], message: str) -> None:
    with pytest.raises((ImproperlyConfiguredException, ChannelsException), match=message):
        ChannelsPlugin(MemoryChannelsBackend(), **options)


def test_backend_must_be_a_channels_backend() -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"needs a `ChannelsBackend` as `backend`, got `'redis'`"):
        ChannelsPlugin("redis", channels=["a"])  # type: ignore[arg-type]


async def test_unknown_channel_is_refused() -> None:
    async with ChannelsPlugin(MemoryChannelsBackend(), channels=["known"]) as plugin:
        with pytest.raises(ChannelsException, match=r"Unknown channel `other`: this plugin serves \['known'\]"):
            plugin.publish("x", "other")
        with pytest.raises(ChannelsException, match=r"Unknown channel `other`"):
            await plugin.subscribe(["known", "other"])
        assert plugin._channels == {}


class Opaque:
    pass


async def test_publishing_an_unserialisable_value_says_so() -> None:
    async with ChannelsPlugin(MemoryChannelsBackend(), channels=["a"]) as plugin:
        with pytest.raises(
            SerializationException, match=r"Cannot publish `<.*Opaque object.*` \(a `Opaque`\): .*type_encoders"
        ):
            plugin.publish(Opaque(), "a")  # type: ignore[arg-type]
        with pytest.raises(SerializationException, match=r"Cannot publish"):
            await plugin.wait_published({"set": {Opaque()}}, "a")


async def test_type_encoders_encode_published_values() -> None:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), channels=["a"], type_encoders={Opaque: lambda _: "opaque"})
    async with plugin:
        subscriber = await plugin.subscribe("a")
        plugin.publish({"value": Opaque(), "when": datetime.date(2026, 12, 6)}, "a")
        with anyio.fail_after(5):
            event = await anext(subscriber.iter_events())
    assert event == b'{"value":"opaque","when":"2026-12-06"}'


async def test_plugin_not_started_says_how_to_start_it() -> None:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), channels=["a"])
    with pytest.raises(ChannelsException, match=r"not started: it starts with the app's lifespan"):
        plugin.publish("x", "a")
    with pytest.raises(RuntimeError, match=r"not started"):
        plugin.publish("x", "a")
    with pytest.raises(RuntimeError, match=r"`MemoryChannelsBackend` is not started"):
        await plugin.wait_published("x", "a")


async def test_start_subscription_unsubscribes_on_exit() -> None:
    async with ChannelsPlugin(MemoryChannelsBackend(), channels=["a", "b"]) as plugin:
        async with plugin.start_subscription(["a", "b"]) as subscriber:
            await plugin.unsubscribe(subscriber, "a")
            assert (subscriber.channels, set(plugin._channels)) == ({"b"}, {"b"})
        assert plugin._channels == {}
        assert [event async for event in subscriber.iter_events()] == []
        await anyio.sleep(0.05)  # the plugin's task tells the backend
        assert plugin._backend_channels == set()


async def test_history_through_put_subscriber_history() -> None:
    async with ChannelsPlugin(MemoryChannelsBackend(history=3), channels=["a", "b"]) as plugin:
        for number in range(5):
            await plugin.wait_published(f"a{number}", "a")
        await plugin.wait_published("b0", "b")
        subscriber = await plugin.subscribe("a")
        await plugin.put_subscriber_history(subscriber, ["a", "b"], limit=2)
        iterator = subscriber.iter_events()
        assert [await anext(iterator) for _ in range(3)] == [b"a3", b"a4", b"b0"]


async def test_shutdown_ends_every_subscriber_stream() -> None:
    plugin = ChannelsPlugin(MemoryChannelsBackend(), channels=["a"])
    async with plugin:
        subscriber = await plugin.subscribe("a")
        plugin.publish("last", "a")
        await anyio.sleep(0.05)
    assert [event async for event in subscriber.iter_events()] == [b"last"]


class FailingStream(MemoryChannelsBackend):
    """Its event stream fails once: the plugin logs it and reads again."""

    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        if not self.failed:
            self.failed = True
            raise ConnectionError("broker went away")
        async for item in super().stream_events():
            yield item

    async def publish(self, data: bytes, channels: Any) -> None:
        if data == b"boom":
            raise ConnectionError("broker refused")
        await super().publish(data, channels)


async def test_backend_failures_are_logged_and_survived(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("outpour.channels.plugin._RETRY_SECONDS", 0.01)
    async with ChannelsPlugin(FailingStream(), channels=["a"]) as plugin:
        subscriber = await plugin.subscribe("a")
        plugin.publish("boom", "a")
        plugin.publish("fine", "a")
        with anyio.fail_after(5):
            assert await anext(subscriber.iter_events()) == b"fine"
    messages = [record.getMessage() for record in caplog.records]
    assert "The channels backend's event stream failed; reading again in 0.01s." in messages
    assert "The channels backend failed to publish or unsubscribe; the event is lost." in messages


def test_backend_interface_is_abstract() -> None:
    with pytest.raises(TypeError, match=r"abstract"):
        ChannelsBackend()  # type: ignore[abstract]
