"""``websocket_listener`` and ``WebsocketListener``: decoded messages in, encoded results out."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncGenerator, Iterator
from contextlib import asynccontextmanager
from typing import Any, Literal, cast

import msgspec
import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outpour import Router, WebSocket, websocket_listener
from outpour.datastructures import State
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException, WebSocketDisconnect
from outpour.handlers import WebsocketListener, WebsocketListenerRouteHandler
from outpour.testing import create_test_client

Backend = Literal["asyncio", "trio"]


@pytest.fixture(params=["asyncio", "trio"])
def backend(request: pytest.FixtureRequest) -> Backend:
    return cast("Backend", request.param)


class Item(msgspec.Struct):
    name: str
    qty: int


class PydanticItem(pydantic.BaseModel):
    name: str
    qty: int


@dataclasses.dataclass
class Reply:
    content: str
    length: int


def test_text_in_text_out(backend: Backend) -> None:
    @websocket_listener("/")
    def handler(data: str) -> str:
        return data.upper()

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        ws.send_text("hi")
        assert ws.receive() == {"type": "websocket.send", "text": "HI"}


def test_bytes_in_and_binary_send_mode(backend: Backend) -> None:
    @websocket_listener("/", send_mode="binary")
    async def handler(data: bytes) -> bytes:
        return data[::-1]

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        ws.send_text("abc")
        ws.send_bytes(b"\x01\x02")
        assert [ws.receive(), ws.receive()] == [
            {"type": "websocket.send", "bytes": b"cba"},
            {"type": "websocket.send", "bytes": b"\x02\x01"},
        ]


def test_binary_receive_mode_still_gives_text_to_a_str_listener(backend: Backend) -> None:
    @websocket_listener("/", receive_mode="binary")
    async def handler(data: str) -> str:
        return f"<{data}>"

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        ws.send_bytes(b"raw")
        assert ws.receive_text() == "<raw>"
        ws.send_bytes(b"\xff")
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert info.value.code == 1007


@pytest.mark.parametrize(
    ("annotation", "sent", "expected"),
    [
        pytest.param(dict[str, int], {"a": 1}, {"a": 1}, id="dict"),
        pytest.param(list[int], [1, 2], [1, 2], id="list"),
        pytest.param(Item, {"name": "x", "qty": 2}, {"name": "x", "qty": 2}, id="msgspec"),
        pytest.param(PydanticItem, {"name": "y", "qty": 3}, {"name": "y", "qty": 3}, id="pydantic"),
    ],
)
def test_json_in_json_out(backend: Backend, annotation: Any, sent: Any, expected: Any) -> None:
    async def handler(data: Any) -> Any:
        return data

    handler.__annotations__ = {"data": annotation, "return": annotation}
    route = websocket_listener("/")(handler)
    with create_test_client([route], backend=backend) as client, client.websocket_connect("/") as ws:
        ws.send_json(sent)
        assert ws.receive_json() == expected


def test_a_dataclass_is_sent_as_json(backend: Backend) -> None:
    @websocket_listener("/")
    async def handler(data: str) -> Reply:
        return Reply(content=data, length=len(data))

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        ws.send_text("four")
        assert ws.receive_json() == {"content": "four", "length": 4}


def test_returning_none_sends_nothing(backend: Backend) -> None:
    received: list[str] = []

    @websocket_listener("/")
    async def handler(data: str) -> str | None:
        received.append(data)
        return None if data == "quiet" else "loud"

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        ws.send_text("quiet")
        ws.send_text("x")
        assert ws.receive_text() == "loud"
    assert received == ["quiet", "x"]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        pytest.param("not json", "Malformed JSON message: ", id="malformed"),
        pytest.param(
            '{"name": "x", "qty": "two"}', "Invalid message: Expected `int`, got `str` - at `$.qty`", id="invalid"
        ),
    ],
)
def test_bad_json_closes_with_1007_without_affecting_other_connections(
    backend: Backend, payload: str, reason: str
) -> None:
    @websocket_listener("/")
    async def handler(data: Item) -> Item:
        return data

    with (
        create_test_client([handler], backend=backend) as client,
        client.websocket_connect("/") as other,
        client.websocket_connect("/") as ws,
    ):
        ws.send_text(payload)
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        other.send_json({"name": "ok", "qty": 1})
        assert other.receive_json() == {"name": "ok", "qty": 1}
    assert info.value.code == 1007
    assert info.value.detail.startswith(reason)


def test_socket_parameters_and_dependencies_are_resolved_once(backend: Backend) -> None:
    calls: list[int] = []

    def counter() -> int:
        calls.append(1)
        return len(calls)

    @websocket_listener("/rooms/{room:str}", dependencies={"n": Provide(counter)})
    async def handler(data: str, socket: WebSocket, room: str, n: int) -> dict[str, Any]:
        return {"data": data, "room": room, "n": n, "client": socket.client is not None}

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/rooms/r1") as ws:
        ws.send_text("a")
        ws.send_text("b")
        assert [ws.receive_json()["data"], ws.receive_json()] == [
            "a",
            {"data": "b", "room": "r1", "n": 1, "client": True},
        ]
    assert calls == [1]


def test_a_yield_dependency_lives_as_long_as_the_connection(backend: Backend) -> None:
    def client_count(state: State) -> Iterator[int]:
        state.count = state.get("count", 0) + 1
        yield state.count
        state.count -= 1

    @websocket_listener("/", dependencies={"client_count": Provide(client_count)})
    async def handler(data: str, client_count: int) -> dict[str, Any]:
        return {"message": data, "client_count": client_count}

    with create_test_client([handler], backend=backend) as client:
        with client.websocket_connect("/") as first, client.websocket_connect("/") as second:
            first.send_text("1")
            second.send_text("2")
            assert (first.receive_json()["client_count"], second.receive_json()["client_count"]) == (1, 2)
        assert client.app.state.count == 0


def test_on_accept_and_on_disconnect(backend: Backend) -> None:
    events: list[str] = []

    async def on_accept(socket: WebSocket) -> None:
        events.append(f"accept {socket.connection_state}")
        await socket.send_text("welcome")

    def on_disconnect(ws: WebSocket) -> None:
        events.append(f"disconnect {ws.close_code}")

    @websocket_listener("/", on_accept=on_accept, on_disconnect=on_disconnect)
    async def handler(data: str) -> str:
        return data

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        assert ws.receive_text() == "welcome"
        ws.send_text("x")
        assert ws.receive_text() == "x"
        ws.close(code=1001)
    assert events == ["accept connect", "disconnect 1001"]


def test_a_custom_accept_handler_sets_handshake_headers(backend: Backend) -> None:
    async def accept(socket: WebSocket) -> None:
        await socket.accept(headers={"Cookie": "custom-cookie"})

    @websocket_listener("/", connection_accept_handler=accept)
    def handler(data: str) -> str:
        return data

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        assert ws.extra_headers == [(b"cookie", b"custom-cookie")]


def test_connection_lifespan_wraps_the_connection(backend: Backend) -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(socket: WebSocket, greeting: str) -> AsyncGenerator[None, None]:
        events.append(f"enter {greeting}")
        await socket.send_text(greeting)
        try:
            yield
        except WebSocketDisconnect as exc:
            events.append(f"disconnect {exc.code}")

    @websocket_listener("/", connection_lifespan=lifespan, dependencies={"greeting": Provide(lambda: "hello")})
    def handler(data: str, greeting: str) -> str:
        return data

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        assert ws.receive_text() == "hello"
        ws.send_text("echo")
        assert ws.receive_text() == "echo"
    assert events == ["enter hello", "disconnect 1000"]


def test_a_custom_websocket_class_changes_what_listeners_receive(backend: Backend) -> None:
    class Fixed(WebSocket):
        async def receive_data(self, mode: Any) -> Any:
            await super().receive_data(mode)
            return "Fixed response"

    @websocket_listener("/")
    async def handler(data: str) -> str:
        return data

    with (
        create_test_client([handler], backend=backend, websocket_class=Fixed) as client,
        client.websocket_connect("/") as ws,
    ):
        ws.send_text("anything")
        assert ws.receive_text() == "Fixed response"


def test_class_based_listener(backend: Backend) -> None:
    events: list[str] = []

    class Echo(WebsocketListener):
        path = "/echo"
        send_mode = "binary"
        dependencies = {"prefix": Provide(lambda: ">")}  # noqa: RUF012 - Litestar's class attribute

        async def on_accept(self, socket: WebSocket) -> None:
            events.append("accepted")

        def on_disconnect(self, socket: WebSocket) -> None:
            events.append("closed")

        async def on_receive(self, data: str, prefix: str) -> str:
            return prefix + data

    class Quiet(WebsocketListener):
        path = "/quiet"

        def on_receive(self, data: bytes) -> None:
            events.append(data.decode())

    with create_test_client([Router("/r", route_handlers=[Echo, Quiet()])], backend=backend) as client:
        with client.websocket_connect("/r/echo") as ws:
            ws.send_text("hi")
            assert ws.receive() == {"type": "websocket.send", "bytes": b">hi"}
        with client.websocket_connect("/r/quiet") as ws:
            ws.send_text("shh")
    assert events == ["accepted", "closed", "shh"]
    assert isinstance(Echo().to_handler(), WebsocketListenerRouteHandler)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda: websocket_listener("/", receive_mode="json"), "`receive_mode` takes", id="mode"),  # type: ignore[arg-type]
        pytest.param(
            lambda: websocket_listener("/", connection_lifespan=lambda: None, on_accept=lambda: None),  # type: ignore[arg-type,return-value]
            "takes `connection_lifespan` or `on_accept`/`on_disconnect`/`connection_accept_handler`, not both",
            id="lifespan-and-hooks",
        ),
    ],
)
def test_listener_option_mistakes_raise(make: Any, message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        make()


def test_a_listener_without_data_is_refused() -> None:
    async def handler(socket: WebSocket) -> None:  # pragma: no cover - refused
        return None

    with pytest.raises(ImproperlyConfiguredException, match="takes no `data`"):
        create_test_client([websocket_listener("/")(handler)])


def test_decorator_name() -> None:
    assert websocket_listener("/").decorator_name == "websocket_listener"


def test_hooks_taking_keywords_and_cached_dependencies(backend: Backend) -> None:
    seen: list[Any] = []

    def on_accept(**values: Any) -> None:
        seen.append(sorted(values))

    @websocket_listener("/", on_accept=on_accept, dependencies={"user": Provide(lambda: "ann", use_cache=True)})
    async def handler(data: str, user: str) -> str:
        return f"{user}:{data}"

    with create_test_client([handler], backend=backend) as client:
        for _ in range(2):
            with client.websocket_connect("/") as ws:
                ws.send_text("x")
                assert ws.receive_text() == "ann:x"
    assert seen == [["socket", "user"], ["socket", "user"]]


@websocket_listener("/items")
async def _items(data: Item) -> Item:
    return data


@given(
    payload=st.one_of(
        st.text(max_size=40),
        st.binary(max_size=40),
        st.builds(
            lambda x: json.dumps(x),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                max_leaves=6,
            ),
        ),
    )
)
@settings(max_examples=150, deadline=None)
def test_any_message_is_echoed_or_closes_with_1007(payload: str | bytes) -> None:
    """Whatever a client sends a JSON listener, it answers or closes with 1007 and a reason: never 1011."""
    with _CLIENT.websocket_connect("/items") as ws:
        if isinstance(payload, str):
            ws.send_text(payload)
        else:
            ws.send_bytes(payload)
        message = ws.receive()
    if message["type"] == "websocket.close":
        assert message["code"] == 1007
        assert message["reason"].startswith(("Malformed JSON message", "Invalid message", "A binary message is not"))
    else:
        assert msgspec.json.decode(message["text"], type=Item) == msgspec.json.decode(payload, type=Item)


_CLIENT = create_test_client([_items])
