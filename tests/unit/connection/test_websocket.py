"""``WebSocket``: accepting, receiving, sending and closing, through the test client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, Literal, cast

import msgspec
import pytest

from outpour import WebSocket, websocket
from outpour.exceptions import WebSocketDisconnect, WebSocketException
from outpour.testing import TestClient, create_test_client

Backend = Literal["asyncio", "trio"]


@pytest.fixture(params=["asyncio", "trio"])
def backend(request: pytest.FixtureRequest) -> Backend:
    return cast("Backend", request.param)


def _client(backend: Backend, handler: Any, **kwargs: Any) -> TestClient[Any]:
    return create_test_client([handler], backend=backend, openapi_config=None, **kwargs)


def test_accept_with_subprotocol_and_headers(backend: Backend) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        offered = socket.scope["subprotocols"]
        await socket.accept(subprotocols=offered[-1], headers={"X-Room": "lobby"})
        await socket.send_text(",".join(offered))

    with _client(backend, handler) as client, client.websocket_connect("/ws", subprotocols=["a", "b"]) as ws:
        assert ws.receive_text() == "a,b"
        assert (ws.accepted_subprotocol, ws.extra_headers) == ("b", [(b"x-room", b"lobby")])


def test_accept_takes_raw_header_pairs_and_is_idempotent(backend: Backend) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.accept(headers=[(b"x-one", b"1")])
        await socket.accept()
        await socket.send_text(socket.connection_state)

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        assert (ws.receive_text(), ws.extra_headers) == ("connect", [(b"x-one", b"1")])


@pytest.mark.parametrize(
    ("send", "receive", "expected"),
    [
        pytest.param("send_text", "receive_text", "héllo", id="text"),
        pytest.param("send_bytes", "receive_bytes", b"\x00\xff", id="bytes"),
        pytest.param("send_json", "receive_json", {"a": [1, 2]}, id="json"),
        pytest.param("send_msgpack", "receive_msgpack", {"a": [1, 2]}, id="msgpack"),
    ],
)
def test_each_kind_round_trips(backend: Backend, send: str, receive: str, expected: Any) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        value = await getattr(socket, receive)()
        await getattr(socket, send)(value)

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        getattr(ws, send)(expected)
        assert getattr(ws, receive)() == expected


def test_json_in_binary_mode(backend: Backend) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        value = await socket.receive_json(mode="binary")
        await socket.send_json({"got": value}, mode="binary")

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        ws.send_json([1], mode="binary")
        message = ws.receive()
        assert message == {"type": "websocket.send", "bytes": b'{"got":[1]}'}


def test_text_and_binary_convert_into_each_other(backend: Backend) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        as_bytes = await socket.receive_data("binary")
        as_text = await socket.receive_data("text")
        await socket.send_data(as_text, "binary")
        await socket.send_data(as_bytes, "text")

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        ws.send_text("tëxt")
        ws.send_bytes("bÿtes".encode())
        assert ws.receive() == {"type": "websocket.send", "bytes": "bÿtes".encode()}
        assert ws.receive() == {"type": "websocket.send", "text": "tëxt"}


def test_iter_data_and_iter_json_end_when_the_client_closes(backend: Backend) -> None:
    seen: list[Any] = []

    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        async for value in socket.iter_json():
            seen.append(value)
            await socket.send_text("ok")
        seen.append(socket.close_code)

    with _client(backend, handler) as client:
        with client.websocket_connect("/ws") as ws:
            ws.send_json(1)
            ws.receive_text()
            ws.send_json({"b": 2})
            ws.receive_text()
            ws.close(code=4001)
        assert seen == [1, {"b": 2}, 4001]


def test_iter_msgpack(backend: Backend) -> None:
    seen: list[Any] = []

    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        async for value in socket.iter_msgpack():
            seen.append(value)

    with _client(backend, handler) as client:
        with client.websocket_connect("/ws") as ws:
            ws.send_msgpack([1, "a"])
            ws.send_msgpack({"x": None})
        assert seen == [[1, "a"], {"x": None}]


def test_receiving_after_the_client_left_raises_websocket_disconnect(backend: Backend) -> None:
    outcome: list[Any] = []

    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        try:
            await socket.receive_text()
        except WebSocketDisconnect as exc:
            outcome.append(exc.code)
        with pytest.raises(WebSocketDisconnect, match="nothing more can be received"):
            await socket.receive_text()
        with pytest.raises(WebSocketDisconnect, match="nothing more can be sent"):
            await socket.send_text("late")
        await socket.close()  # closing a closed socket is harmless
        outcome.append(socket.connection_state)

    with _client(backend, handler) as client:
        with client.websocket_connect("/ws") as ws:
            ws.close(code=1001)
        assert outcome == [1001, "disconnect"]


def test_close_sends_code_and_reason(backend: Backend) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        await socket.close(code=4321, reason="bye")

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert (info.value.code, info.value.detail) == (4321, "bye")


class _SmallWebSocket(WebSocket):
    max_message_size: ClassVar[int | None] = 8


@pytest.mark.parametrize(
    ("send", "payload"),
    [
        pytest.param("send_text", "123456789", id="text"),
        pytest.param("send_text", "ééééé", id="text-multibyte"),
        pytest.param("send_bytes", b"123456789", id="bytes"),
    ],
)
def test_a_message_over_the_limit_closes_with_1009(backend: Backend, send: str, payload: Any) -> None:
    @websocket("/ws", websocket_class=_SmallWebSocket)
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        while True:
            await socket.send_data(await socket.receive_data("binary"), "binary")

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        ws.send_text("12345678")
        assert ws.receive_bytes() == b"12345678"
        getattr(ws, send)(payload)
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_bytes()
        assert info.value.code == 1009
        assert "exceeds the limit of 8 bytes" in info.value.detail


@pytest.mark.parametrize(
    ("send", "payload", "echoed"),
    [
        pytest.param("send_text", "12", "12", id="short-text"),
        pytest.param("send_text", "1234é67", "1234é67", id="multibyte-within"),
        pytest.param("send_bytes", b"abc", "abc", id="bytes-as-text"),
        pytest.param("send_text", "123456789", None, id="text-over"),
        pytest.param("send_text", "ééééé", None, id="multibyte-over"),
    ],
)
def test_receive_text_and_send_text_on_an_open_socket_keep_every_rule(
    backend: Backend, send: str, payload: Any, echoed: str | None
) -> None:
    """`receive_text`/`send_text` take a shorter way on an open socket: the size limit and decoding still apply."""

    @websocket("/ws", websocket_class=_SmallWebSocket)
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        while True:
            await socket.send_text(await socket.receive_text())

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        ws.send_text("first")  # the socket is open ("receive") from here on
        assert ws.receive_text() == "first"
        getattr(ws, send)(payload)
        if echoed is not None:
            assert ws.receive_text() == echoed
            return
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert (info.value.code, "exceeds the limit of 8 bytes" in info.value.detail) == (1009, True)


def test_receive_text_and_send_text_go_through_a_subclass_override(backend: Backend) -> None:
    class Shouting(WebSocket):
        async def receive_data(self, mode: Any) -> Any:
            return (await super().receive_data(mode)).upper()

        async def send_data(self, data: Any, mode: Any = "text", encoding: str = "utf-8") -> None:
            await super().send_data(f"<{data}>", mode, encoding)

    @websocket("/ws", websocket_class=Shouting)
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        for _ in range(2):
            await socket.send_text(await socket.receive_text())

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        ws.send_text("one")
        ws.send_text("two")
        assert [ws.receive_text(), ws.receive_text()] == ["<ONE>", "<TWO>"]


def test_no_limit_when_max_message_size_is_none(backend: Backend) -> None:
    class Unlimited(WebSocket):
        max_message_size: ClassVar[int | None] = None

    @websocket("/ws", websocket_class=Unlimited)
    async def handler(socket: WebSocket) -> None:
        await socket.send_text(str(len(await socket.receive_text())))

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        ws.send_text("x" * 100_000)
        assert ws.receive_text() == "100000"


def test_invalid_utf8_in_text_mode_closes_with_1007(backend: Backend) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.receive_text()

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        ws.send_bytes(b"ok\xff")
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert (info.value.code, info.value.detail) == (
            1007,
            "A binary message is not valid UTF-8 text (byte 2); send UTF-8 text.",
        )


@pytest.mark.parametrize(
    ("receive", "send", "payload", "reason"),
    [
        pytest.param("receive_json", "send_text", "{nope", "Malformed JSON message", id="json"),
        pytest.param("receive_msgpack", "send_bytes", b"\xc1", "Malformed MessagePack message", id="msgpack"),
    ],
)
def test_a_malformed_document_closes_with_1007(
    backend: Backend, receive: str, send: str, payload: Any, reason: str
) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await getattr(socket, receive)()

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        getattr(ws, send)(payload)
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert info.value.code == 1007
        assert info.value.detail.startswith(reason)


def test_send_json_uses_the_routes_type_encoders(backend: Backend) -> None:
    class Point:
        def __init__(self, x: int) -> None:
            self.x = x

    @websocket("/ws", type_encoders={Point: lambda p: {"x": p.x}})
    async def handler(socket: WebSocket) -> None:
        await socket.send_json(Point(3))
        await socket.send_msgpack(Point(4))

    with _client(backend, handler) as client, client.websocket_connect("/ws") as ws:
        assert ws.receive_json() == {"x": 3}
        assert msgspec.msgpack.decode(ws.receive_bytes()) == {"x": 4}


def test_the_connection_shares_asgi_connection_with_request(backend: Backend) -> None:
    @websocket("/ws/{room:str}")
    async def handler(socket: WebSocket) -> None:
        await socket.send_json(
            {
                "room": socket.path_params["room"],
                "q": socket.query_params.get("q"),
                "header": socket.headers.get("x-token"),
                "cookie": socket.cookies.get("session"),
                "url": str(socket.url),
                "scheme": socket.url.scheme,
                "client": socket.client.host if socket.client else None,
                "app": socket.app is socket.scope["app"],
                "handler": socket.route_handler.handler_name,
            }
        )

    with _client(backend, handler) as client:
        client.cookies.set("session", "abc")
        with client.websocket_connect("/ws/lobby?q=1", headers={"X-Token": "t"}) as ws:
            assert ws.receive_json() == {
                "room": "lobby",
                "q": "1",
                "header": "t",
                "cookie": "abc",
                "url": "ws://testserver.local/ws/lobby?q=1",
                "scheme": "ws",
                "client": "testclient",
                "app": True,
                "handler": "test_the_connection_shares_asgi_connection_with_request.<locals>.handler",
            }


def test_a_client_leaving_before_accept_raises_websocket_disconnect(backend: Backend) -> None:
    outcome: list[str] = []

    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        message = await socket.receive()  # the connect
        outcome.append(message["type"])
        try:
            socket.connection_state = "init"  # as if the connect had not been read: accept reads the next message
            await socket.accept()
        except WebSocketDisconnect as exc:
            outcome.append(exc.detail)

    scope_messages: Iterator[dict[str, Any]] = iter(
        [{"type": "websocket.connect"}, {"type": "websocket.disconnect", "code": 1001}]
    )

    async def receive() -> dict[str, Any]:
        return next(scope_messages)

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    import anyio

    from outpour import Outpour

    app = Outpour([handler], openapi_config=None)
    anyio.run(
        app, {"type": "websocket", "path": "/ws", "headers": [], "query_string": b""}, receive, send, backend=backend
    )
    assert outcome == ["websocket.connect", "The client left before the connection was accepted."]
    assert sent == []


def test_websocket_exception_defaults() -> None:
    assert (WebSocketException("boom").code, WebSocketDisconnect().code) == (4500, 1000)
    assert repr(WebSocketException(detail="x", code=4001)) == "4001 - WebSocketException - x"


def test_the_test_client_handshake_asks_for_an_upgrade_only() -> None:
    @websocket("/", dto=None)
    async def handshake(socket: WebSocket[Any, Any, Any]) -> None:
        await socket.accept()
        headers = socket.headers
        await socket.send_json(
            {name: headers.getall(name) for name in ("connection", "upgrade", "sec-websocket-version")}
        )
        await socket.close()

    with create_test_client([handshake]).websocket_connect("/") as ws:
        assert ws.receive_json() == {
            "connection": ["upgrade"],
            "upgrade": ["websocket"],
            "sec-websocket-version": ["13"],
        }
