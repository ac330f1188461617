"""``ChannelsPlugin(create_ws_route_handlers=True)``: WebSocket routes sending a channel's events, history first."""

from __future__ import annotations

import time
from collections.abc import Iterable

import pytest

from outpour import post
from outpour.channels import ChannelsPlugin
from outpour.channels.backends.memory import MemoryChannelsBackend
from outpour.channels.plugin import ChannelsException
from outpour.exceptions import WebSocketDisconnect
from outpour.testing import create_test_client


@post("/publish/{channel:str}")
async def publish(channel: str, data: str, channels: ChannelsPlugin) -> None:
    await channels.wait_published(data, channel)


def wait_for(plugin: ChannelsPlugin, subscribed: bool) -> None:
    deadline = time.monotonic() + 5
    while bool(plugin._channels) != subscribed and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.parametrize("base", [pytest.param("/", id="root"), pytest.param("/ws/", id="base-path")])
def test_a_route_per_channel_sends_history_then_live_events(base: str) -> None:
    plugin = ChannelsPlugin(
        MemoryChannelsBackend(history=10),
        channels=["news", "sport"],
        create_ws_route_handlers=True,
        ws_handler_send_history=2,
        ws_handler_base_path=base,
    )
    prefix = base.rstrip("/")
    with create_test_client([publish], plugins=[plugin]) as client:
        for text in ["one", "two", "three"]:
            client.post("/publish/news", json=text)
        with client.websocket_connect(f"{prefix}/news") as socket:
            history = [socket.receive_text(), socket.receive_text()]
            client.post("/publish/sport", json="elsewhere")
            client.post("/publish/news", json="live")
            live = socket.receive_text()
        wait_for(plugin, subscribed=False)
        assert (history, live, plugin._channels) == (["two", "three"], "live", {})
        assert client.get(f"{prefix}/other").status_code == 404


def test_arbitrary_channels_get_one_route_with_binary_frames() -> None:
    plugin = ChannelsPlugin(
        MemoryChannelsBackend(), arbitrary_channels_allowed=True, create_ws_route_handlers=True, ws_send_mode="binary"
    )
    with create_test_client([publish], plugins=[plugin]) as client:
        with client.websocket_connect("/room-42") as socket:
            wait_for(plugin, subscribed=True)
            socket.send_text("ignored")  # messages from the client are read and dropped
            client.post("/publish/room-42", json="hello")
            assert socket.receive_bytes() == b"hello"
        wait_for(plugin, subscribed=False)
        assert plugin._channels == {}


class PickyBackend(MemoryChannelsBackend):
    """Refuses some channel names, as PostgreSQL refuses names over 63 bytes."""

    async def subscribe(self, channels: Iterable[str]) -> None:
        names = list(channels)
        if "refused" in names:
            raise ChannelsException("The channel name `refused` is not allowed here.")
        await super().subscribe(names)


def test_a_channel_the_backend_refuses_closes_with_policy_violation() -> None:
    plugin = ChannelsPlugin(PickyBackend(), arbitrary_channels_allowed=True, create_ws_route_handlers=True)
    with (
        create_test_client([publish], plugins=[plugin]) as client,
        client.websocket_connect("/refused") as socket,
        pytest.raises(WebSocketDisconnect) as caught,
    ):
        socket.receive_text()
    assert caught.value.code == 1008
    assert plugin._channels == {}
