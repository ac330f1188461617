"""Static checks of the WebSocket types: mypy and pyright check this file (``assert_type``); pytest runs it."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any, assert_type

from outpour import WebSocket, websocket, websocket_listener, websocket_stream
from outpour.handlers import WebsocketListenerRouteHandler, WebsocketRouteHandler
from outpour.handlers.websocket_handlers.stream import WebsocketStreamRouteHandler
from outpour.testing import AsyncTestClient, AsyncWebSocketTestSession, TestClient, WebSocketTestSession


@websocket("/ws")
async def handler(socket: WebSocket) -> None:
    assert_type(await socket.receive_data("text"), str)
    assert_type(await socket.receive_data("binary"), bytes)
    async for text in socket.iter_data():
        assert_type(text, str)
    async for data in socket.iter_data("binary"):
        assert_type(data, bytes)


@websocket_listener("/listener")
async def listener(data: str) -> str:
    return data


@websocket_stream("/stream")
async def stream() -> AsyncGenerator[int, None]:
    yield 1


def test_decorated_websocket_handlers_keep_their_type() -> None:
    assert_type(handler, WebsocketRouteHandler)
    assert_type(listener, WebsocketListenerRouteHandler)
    assert_type(stream, WebsocketStreamRouteHandler)
    assert isinstance(stream, WebsocketRouteHandler)


async def _sessions(client: TestClient[Any], async_client: AsyncTestClient[Any]) -> None:
    assert_type(client.websocket_connect("/ws"), WebSocketTestSession)
    assert_type(await async_client.websocket_connect("/ws"), AsyncWebSocketTestSession)
