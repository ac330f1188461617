"""``WebSocketTestSession.send`` takes a raw ASGI message, or text or bytes with a ``mode`` as Litestar's does."""

from __future__ import annotations

from typing import Literal

import pytest

from outpour import WebSocket, websocket
from outpour.testing import create_test_client


@websocket("/")
async def describe(socket: WebSocket) -> None:
    await socket.accept()
    message = await socket.receive()
    await socket.send_json({"text": message.get("text"), "bytes": (message.get("bytes") or b"").decode() or None})
    await socket.close()


@pytest.mark.parametrize(
    ("data", "mode", "expected"),
    [
        ("hi", "text", {"text": "hi", "bytes": None}),
        (b"hi", "text", {"text": "hi", "bytes": None}),
        ("hi", "binary", {"text": None, "bytes": "hi"}),
        (b"hi", "binary", {"text": None, "bytes": "hi"}),
    ],
)
def test_send_data_in_a_mode(
    data: str | bytes, mode: Literal["text", "binary"], expected: dict[str, str | None]
) -> None:
    with create_test_client([describe]).websocket_connect("/") as ws:
        ws.send(data, mode=mode)
        assert ws.receive_json() == expected


def test_send_raw_message() -> None:
    with create_test_client([describe]).websocket_connect("/") as ws:
        ws.send({"type": "websocket.receive", "text": "raw"})
        assert ws.receive_json() == {"text": "raw", "bytes": None}
