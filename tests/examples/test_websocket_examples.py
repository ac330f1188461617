"""The WebSocket docs examples run and behave as ``docs/usage/websockets.md`` says."""

from __future__ import annotations

import msgspec
import pytest

from docs.examples.websockets import guards_and_errors, handler, listener_class, listeners, streams, testing
from outpour.exceptions import WebSocketDisconnect
from outpour.testing import AsyncTestClient, TestClient


def test_handler_chat_room() -> None:
    with TestClient(handler.app) as client, client.websocket_connect("/rooms/general?nickname=ann") as ws:
        assert ws.receive_json() == {"joined": "general", "as": "ann"}
        ws.send_text("hello")
        assert ws.receive_text() == "ann: hello"
        ws.send_text("bye")
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
    assert (info.value.code, info.value.detail) == (1000, "see you")


def test_listeners() -> None:
    with TestClient(listeners.app) as client:
        with client.websocket_connect("/echo") as ws:
            ws.send_text("ping")
            assert ws.receive_text() == "ping"
        with client.websocket_connect("/orders") as ws:
            ws.send_json({"item": "tea", "quantity": 2})
            assert ws.receive_json() == {"item": "tea", "quantity": 2, "total": 5.0}
            ws.send_json({"item": "tea", "quantity": "two"})
            with pytest.raises(WebSocketDisconnect) as info:
                ws.receive_json()
        with client.websocket_connect("/upper") as ws:
            ws.send_bytes(b"abc")
            assert ws.receive_bytes() == b"ABC"
    assert info.value.code == 1007
    assert info.value.detail == "Invalid message: Expected `int`, got `str` - at `$.quantity`"


def test_listener_class(capsys: pytest.CaptureFixture[str]) -> None:
    with TestClient(listener_class.app) as client:
        with client.websocket_connect("/lobby") as first, client.websocket_connect("/lobby") as second:
            assert (first.receive_text(), second.receive_text()) == ("welcome", "welcome")
            second.send_text("hi")
            assert second.receive_json() == {"message": "hi", "clients": 2}
        assert client.app.state.clients == 0
    assert capsys.readouterr().out.count("closed with code 1000") == 2


def test_stream_countdown() -> None:
    with TestClient(streams.app) as client, client.websocket_connect("/countdown/3") as ws:
        assert [ws.receive_json() for _ in range(3)] == [{"n": 3}, {"n": 2}, {"n": 1}]
        with pytest.raises(WebSocketDisconnect):
            ws.receive_text()


@pytest.mark.anyio
async def test_stream_and_receive(anyio_backend: str) -> None:
    async with AsyncTestClient(streams.app) as client, await client.websocket_connect("/chat") as ws:
        assert await ws.receive_text() == "heartbeat"
        await ws.send_json({"a": 1})
        assert msgspec.json.decode(await ws.receive_text()) == {"echo": {"a": 1}}


def test_guards_and_errors() -> None:
    with TestClient(guards_and_errors.app) as client:
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/members"):
            pass  # pragma: no cover - refused
        with client.websocket_connect("/members?token=secret") as ws:
            ws.send_text("21")
            assert ws.receive_text() == "42"
        with client.websocket_connect("/members?token=secret") as ws:
            ws.send_text("many")
            with pytest.raises(WebSocketDisconnect) as bad:
                ws.receive_text()
        with client.websocket_connect("/short") as ws:
            ws.send_text("abc")
            assert ws.receive_text() == "cba"
            ws.send_text("x" * 65)
            with pytest.raises(WebSocketDisconnect) as too_big:
                ws.receive_text()
    assert (refused.value.code, refused.value.detail) == (4403, "members only")
    assert (bad.value.code, bad.value.detail) == (4001, "send a number")
    assert too_big.value.code == 1009


def test_testing_example() -> None:
    testing.test_chat_room()


@pytest.mark.anyio
async def test_testing_example_async(anyio_backend: str) -> None:
    await testing.test_chat_room_async()
