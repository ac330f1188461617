"""WebSocket test sessions: ``block=False`` and per-call ``timeout`` raise an error that is a ``queue.Empty`` too."""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

import pytest

from outpour import Outpour, WebSocket, websocket
from outpour.testing import AsyncTestClient, AsyncWebSocketTestSession, TestClient, WebSocketTestSession
from outpour.testing.websocket_test_session import ReceiveTimeout


@websocket("/quiet")
async def quiet(socket: WebSocket) -> None:
    await socket.accept()
    await socket.receive_text()  # says nothing until spoken to
    await socket.send_text("hello")
    await socket.receive_text()


def _app() -> Outpour:
    return Outpour([quiet], openapi_config=None)


SYNC_RECEIVERS = [
    pytest.param(WebSocketTestSession.receive, id="receive"),
    pytest.param(WebSocketTestSession.receive_text, id="receive_text"),
    pytest.param(WebSocketTestSession.receive_bytes, id="receive_bytes"),
    pytest.param(WebSocketTestSession.receive_json, id="receive_json"),
    pytest.param(WebSocketTestSession.receive_msgpack, id="receive_msgpack"),
]


@pytest.mark.parametrize("receiver", SYNC_RECEIVERS)
@pytest.mark.parametrize(
    ("block", "timeout"),
    [
        pytest.param(False, None, id="no-wait"),
        pytest.param(False, 5.0, id="no-wait-ignores-timeout"),
        pytest.param(True, 0.01, id="short-timeout"),
    ],
)
def test_nothing_waiting_raises_empty(receiver: Callable[..., Any], block: bool, timeout: float | None) -> None:
    with TestClient(_app()) as client, client.websocket_connect("/quiet") as ws:
        with pytest.raises(queue.Empty) as caught:
            receiver(ws, block=block, timeout=timeout)
        assert type(caught.value) is ReceiveTimeout
    assert issubclass(ReceiveTimeout, TimeoutError)


def test_no_wait_takes_a_message_already_sent() -> None:
    with TestClient(_app()) as client, client.websocket_connect("/quiet") as ws:
        ws.send_text("hi")
        assert ws.receive_text(timeout=5) == "hello"
        with pytest.raises(queue.Empty, match="no message that is waiting"):
            ws.receive(block=False)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "receiver",
    [
        pytest.param(AsyncWebSocketTestSession.receive, id="receive"),
        pytest.param(AsyncWebSocketTestSession.receive_text, id="receive_text"),
        pytest.param(AsyncWebSocketTestSession.receive_json, id="receive_json"),
    ],
)
@pytest.mark.parametrize(
    ("block", "timeout"), [pytest.param(False, None, id="no-wait"), pytest.param(True, 0.01, id="timeout")]
)
async def test_async_nothing_waiting_raises_empty(
    receiver: Callable[..., Any], block: bool, timeout: float | None
) -> None:
    async with AsyncTestClient(_app()) as client, await client.websocket_connect("/quiet") as ws:
        with pytest.raises(queue.Empty, match=r"The app (sent no message within|has sent no message)"):
            await receiver(ws, block=block, timeout=timeout)
