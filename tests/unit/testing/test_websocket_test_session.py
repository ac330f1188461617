"""``websocket_connect`` and the WebSocket test sessions, sync and async, with and without an entered client."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from outpour import Outpour, WebSocket, websocket
from outpour.exceptions import WebSocketDisconnect
from outpour.testing import AsyncTestClient, AsyncWebSocketTestSession, TestClient, WebSocketTestSession
from outpour.types import Receive, Scope, Send


@websocket("/echo")
async def echo(socket: WebSocket) -> None:
    await socket.accept(subprotocols=(socket.scope["subprotocols"] or [None])[0])
    async for data in socket.iter_data():
        text = data if isinstance(data, str) else data.decode()
        await socket.send_text(f"{text}|{socket.scope['state'].get('started', False)}")


def _app() -> Outpour:
    async def startup(app: Outpour) -> None:
        app.state.started = True

    return Outpour([echo], openapi_config=None, on_startup=[startup])


async def _accept_then_fail(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await receive()
    raise RuntimeError("raw app failed")


async def _accept_then_return(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})


def test_sync_session_without_entering_the_client() -> None:
    client = TestClient(_app())
    with client.websocket_connect("/echo", subprotocols=["chat"]) as ws:
        assert isinstance(ws, WebSocketTestSession)
        ws.send_text("a")
        assert (ws.receive_text(), ws.accepted_subprotocol) == ("a|False", "chat")


def test_sync_session_sees_the_lifespan_state() -> None:
    with TestClient(_app()) as client, client.websocket_connect("/echo") as ws:
        ws.send_bytes(b"b")
        assert ws.receive_text() == "b|False"  # app.state is not the lifespan scope state


def test_an_exception_escaping_a_raw_app_is_re_raised_in_the_test() -> None:
    client = TestClient(_accept_then_fail)  # a raw app without lifespan support: the client is not entered
    with client.websocket_connect("/") as ws:
        ws.send_text("x")
        with pytest.raises(RuntimeError, match="raw app failed"):
            ws.receive_text()


def test_without_raise_server_exceptions_the_client_sees_an_abnormal_close() -> None:
    client = TestClient(_accept_then_fail, raise_server_exceptions=False)
    with client.websocket_connect("/") as ws:
        ws.send_text("x")
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
    assert info.value.code == 1006


def test_an_app_returning_without_closing_reads_as_an_abnormal_close() -> None:
    with (
        TestClient(_accept_then_return).websocket_connect("/") as ws,
        pytest.raises(WebSocketDisconnect, match="returned without closing") as info,
    ):
        ws.receive()
    assert info.value.code == 1006


def test_receive_times_out() -> None:
    with (
        TestClient(_app()) as client,
        client.websocket_connect("/echo", timeout=0.05) as ws,
        pytest.raises(TimeoutError),
    ):
        ws.receive_text()


def test_a_receive_that_does_not_block_says_nothing_is_waiting() -> None:
    with TestClient(_app()) as client, client.websocket_connect("/echo") as ws:
        with pytest.raises(anyio.WouldBlock) as info:
            ws.receive_text(block=False)
        assert isinstance(info.value, TimeoutError)
        ws.send_text("a")
        assert ws.receive_text(timeout=1).startswith("a|")


@pytest.mark.anyio
async def test_an_async_receive_that_does_not_block_says_nothing_is_waiting(anyio_backend: str) -> None:
    async with AsyncTestClient(_app()) as client, await client.websocket_connect("/echo") as ws:
        with pytest.raises(anyio.WouldBlock):
            await ws.receive_json(block=False)
        with pytest.raises(TimeoutError):
            await ws.receive_bytes(timeout=0.01)


def test_a_session_must_be_entered() -> None:
    session = TestClient(_app()).websocket_connect("/echo")
    with pytest.raises(RuntimeError, match="is not open"):
        session.send_text("x")
    with pytest.raises(RuntimeError, match="is not open"):
        session._conn()


@pytest.mark.anyio
async def test_async_session_with_an_entered_client(anyio_backend: str) -> None:
    async with AsyncTestClient(_app()) as client, await client.websocket_connect("/echo") as ws:
        assert isinstance(ws, AsyncWebSocketTestSession)
        await ws.send_text("a")
        assert await ws.receive_text() == "a|False"
        await ws.send_bytes(b"b")
        assert await ws.receive_bytes() == b"b|False"
        await ws.send_json({"x": 1})
        assert await ws.receive_text() == '{"x":1}|False'


@pytest.mark.anyio
async def test_async_session_without_entering_the_client(anyio_backend: str) -> None:
    @websocket("/kinds")
    async def kinds(socket: WebSocket) -> None:
        await socket.send_json(await socket.receive_json(mode="binary"), mode="binary")
        await socket.send_msgpack(await socket.receive_msgpack())
        await socket.close(code=4000, reason="done")

    client = AsyncTestClient(Outpour([kinds], openapi_config=None))
    async with await client.websocket_connect("/kinds") as ws:
        await ws.send_json([1], mode="binary")
        assert await ws.receive_json(mode="binary") == [1]
        await ws.send_msgpack({"m": 2})
        assert await ws.receive_msgpack() == {"m": 2}
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
        assert (info.value.code, info.value.detail) == (4000, "done")


@pytest.mark.anyio
async def test_async_refusal_and_client_close(anyio_backend: str) -> None:
    closed: list[int | None] = []

    @websocket("/wait")
    async def wait(socket: WebSocket) -> None:
        await socket.accept()
        try:
            await socket.receive_text()
        except WebSocketDisconnect as exc:
            closed.append(exc.code)

    async with AsyncTestClient(Outpour([wait], openapi_config=None)) as client:
        with pytest.raises(WebSocketDisconnect) as info:
            async with await client.websocket_connect("/missing"):
                pass  # pragma: no cover - refused
        assert info.value.code == 4404
        async with await client.websocket_connect("/wait") as ws:
            await ws.close(code=4002, reason="bye")
    assert closed == [4002]
    session = await AsyncTestClient(_app()).websocket_connect("/echo")
    with pytest.raises(RuntimeError, match="is not open"):
        await session.send_text("x")


def test_sync_kinds() -> None:
    @websocket("/kinds")
    async def kinds(socket: WebSocket) -> None:
        await socket.send_bytes(await socket.receive_bytes())
        await socket.send_msgpack(await socket.receive_msgpack())

    with TestClient(Outpour([kinds], openapi_config=None)) as client, client.websocket_connect("/kinds") as ws:
        ws.send_text("t")
        assert ws.receive_text() == "t"
        ws.send_msgpack([1])
        assert ws.receive_msgpack() == [1]


def test_every_read_after_the_client_left_reports_the_disconnect() -> None:
    reads: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "ready"})
        reads.append(await receive())
        reads.append(await receive())

    with TestClient(app).websocket_connect("/") as ws:
        assert ws.receive_text() == "ready"
        ws.close(code=4005)
        with pytest.raises(WebSocketDisconnect, match="returned without closing"):
            ws.receive()  # the app returned after its two reads
        ws.close(code=4006)  # a second close once the app has read the first is dropped
    assert reads == [{"type": "websocket.disconnect", "code": 4005, "reason": ""}] * 2


async def _send_before_accepting(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "websocket":
        return
    await receive()
    await send({"type": "websocket.send", "text": "too early"})


def test_a_message_before_the_accept_is_reported() -> None:
    with (
        TestClient(_send_before_accepting) as client,
        pytest.raises(RuntimeError, match=r"`websocket.accept` or `websocket.close` first\. Received 'websocket.send'"),
        client.websocket_connect("/"),
    ):
        pass


@pytest.mark.anyio
async def test_an_async_session_reports_a_message_before_the_accept(anyio_backend: str) -> None:
    async with AsyncTestClient(_send_before_accepting) as client:
        with pytest.raises(RuntimeError, match=r"Received 'websocket\.send'"):
            async with await client.websocket_connect("/"):
                pass
