"""The WebSocket route handlers ``ChannelsPlugin(create_ws_route_handlers=True)`` adds: one per channel, or one for any.

Each connection is accepted, subscribed to its channel (first sent the channel's last ``ws_handler_send_history``
events, when the backend keeps history) and sent every event of the channel as a text or binary message. Messages
from the client are read and ignored; when it disconnects, the subscription ends at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from outpour.channels.plugin import ChannelsException
from outpour.connection.websocket import WebSocket
from outpour.exceptions import WebSocketDisconnect
from outpour.handlers.websocket_handlers import WebsocketRouteHandler, websocket

if TYPE_CHECKING:
    from outpour.channels.plugin import ChannelsPlugin

__all__ = ["create_ws_route_handlers"]

_POLICY_VIOLATION = 1008


def _join(base: str, tail: str) -> str:
    return "/" + "/".join(part for part in (*base.strip("/").split("/"), tail) if part)


async def _serve(plugin: ChannelsPlugin, socket: WebSocket[Any, Any, Any], channel: str) -> None:
    mode = plugin._ws_send_mode

    async def send(event: bytes) -> None:
        await socket.send_data(data=event, mode=mode)

    # A negative ``ws_handler_send_history`` sends the whole kept history, 0 none.
    count = plugin._ws_handler_send_history
    history = None if count < 0 else count
    try:
        # Subscribed before the handshake completes: an event published once the client is connected reaches it.
        async with plugin.start_subscription(channel) as subscriber:
            await socket.accept()
            if history != 0:
                await plugin.put_subscriber_history(subscriber, channel, history)
            async with subscriber.run_in_background(send):
                while True:
                    await socket.receive_data("binary")
    except WebSocketDisconnect:
        return
    except ChannelsException as exc:  # a channel name the backend refuses (PostgreSQL: over 63 bytes)
        if socket.connection_state == "init":
            await socket.accept()  # a close frame (with its code and reason) needs an accepted connection
        await socket.close(code=_POLICY_VIOLATION, reason=str(exc)[:120])


def create_ws_route_handlers(plugin: ChannelsPlugin) -> list[WebsocketRouteHandler]:
    """The WebSocket route handlers of the plugin's channels, under ``ws_handler_base_path``.

    Args:
        plugin: The plugin.

    Returns:
        One handler per channel at ``<base>/<channel>``; with ``arbitrary_channels_allowed``, one handler at
        ``<base>/{channel_name:str}``.
    """
    base = plugin._ws_handler_base_path
    if plugin._arbitrary_channels_allowed:

        async def channels_websocket(socket: WebSocket[Any, Any, Any], channel_name: str) -> None:
            await _serve(plugin, socket, channel_name)

        return [websocket(_join(base, "{channel_name:str}"))(channels_websocket)]

    return [
        websocket(_join(base, channel))(_one_channel(plugin, channel)) for channel in sorted(plugin._allowed_channels)
    ]


def _one_channel(plugin: ChannelsPlugin, channel: str) -> Any:
    async def channel_websocket(socket: WebSocket[Any, Any, Any]) -> None:
        await _serve(plugin, socket, channel)

    return channel_websocket
