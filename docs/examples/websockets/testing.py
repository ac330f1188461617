"""Testing WebSocket handlers with the test clients, sync and async."""

from __future__ import annotations

from docs.examples.websockets.handler import app
from outpour.testing import AsyncTestClient, TestClient


def test_chat_room() -> None:
    with TestClient(app) as client, client.websocket_connect("/rooms/general") as ws:
        assert ws.receive_json() == {"joined": "general", "as": "anonymous"}
        ws.send_text("hi")
        assert ws.receive_text() == "anonymous: hi"


async def test_chat_room_async() -> None:
    async with AsyncTestClient(app) as client, await client.websocket_connect("/rooms/general?nickname=bo") as ws:
        assert await ws.receive_json() == {"joined": "general", "as": "bo"}
