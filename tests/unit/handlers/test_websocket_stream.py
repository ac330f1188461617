"""``websocket_stream`` and ``send_websocket_stream``: a generator's values to the socket, until it ends or the client
leaves."""

from __future__ import annotations

import dataclasses
import time
import warnings
from collections.abc import AsyncGenerator
from typing import Any, Literal, cast

import anyio
import pytest

from outpour import WebSocket, websocket, websocket_listener, websocket_stream
from outpour.exceptions import ImproperlyConfiguredException, OutpourWarning, WebSocketDisconnect
from outpour.handlers import send_websocket_stream
from outpour.testing import create_async_test_client, create_test_client

Backend = Literal["asyncio", "trio"]


@pytest.fixture(params=["asyncio", "trio"])
def backend(request: pytest.FixtureRequest) -> Backend:
    return cast("Backend", request.param)


@dataclasses.dataclass
class Tick:
    n: int


def test_values_are_sent_then_the_socket_closes(backend: Backend) -> None:
    @websocket_stream("/")
    async def ticks() -> AsyncGenerator[Any, None]:
        yield "text"
        yield b"bytes"
        yield Tick(1)
        yield {"n": 2}

    with create_test_client([ticks], backend=backend) as client, client.websocket_connect("/") as ws:
        assert [ws.receive(), ws.receive(), ws.receive_json(), ws.receive_json()] == [
            {"type": "websocket.send", "text": "text"},
            {"type": "websocket.send", "text": "bytes"},
            {"n": 1},
            {"n": 2},
        ]
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert info.value.code == 1000


def test_binary_mode_parameters_and_socket(backend: Backend) -> None:
    @websocket_stream("/count/{n:int}", mode="binary")
    async def count(n: int, socket: WebSocket) -> AsyncGenerator[str, None]:
        for i in range(n):
            yield f"{socket.path_params['n']}:{i}"

    with create_test_client([count], backend=backend) as client, client.websocket_connect("/count/2") as ws:
        assert [ws.receive(), ws.receive()] == [
            {"type": "websocket.send", "bytes": b"2:0"},
            {"type": "websocket.send", "bytes": b"2:1"},
        ]


def test_the_generator_stops_when_the_client_disconnects(backend: Backend) -> None:
    events: list[str] = []

    @websocket_stream("/")
    async def forever() -> AsyncGenerator[int, None]:
        n = 0
        try:
            while True:
                yield n
                n += 1
                await anyio.sleep(0.01)
        finally:
            events.append("closed")

    with create_test_client([forever], backend=backend) as client:
        with client.websocket_connect("/") as ws:
            assert [ws.receive_json(), ws.receive_json()] == [0, 1]
            ws.close()
        assert events == ["closed"]


def test_data_received_while_listening_is_discarded_with_a_warning(backend: Backend) -> None:
    gate: list[int] = []

    @websocket_stream("/")
    async def waits() -> AsyncGenerator[str, None]:
        yield "first"
        while not gate:
            await anyio.sleep(0.01)
        yield "second"

    @websocket_stream("/silent", warn_on_data_discard=False)
    async def silent() -> AsyncGenerator[str, None]:
        yield "first"
        while not gate:
            await anyio.sleep(0.01)
        yield "second"

    with create_test_client([waits, silent], backend=backend) as client:
        with warnings.catch_warnings(record=True) as caught, client.websocket_connect("/") as ws:
            warnings.simplefilter("always")
            assert ws.receive_text() == "first"
            ws.send_text("ignored")
            time.sleep(0.05)  # let the stream's listener receive (and discard) it before the generator goes on
            gate.append(1)
            assert ws.receive_text() == "second"
        assert [(w.category, "was discarded" in str(w.message)) for w in caught] == [(OutpourWarning, True)]
        gate.clear()
        with client.websocket_connect("/silent") as ws:
            assert ws.receive_text() == "first"
            ws.send_text("ignored")
            gate.append(1)
            assert ws.receive_text() == "second"


def test_without_listening_the_stream_ends_with_the_generator(backend: Backend) -> None:
    @websocket_stream("/", listen_for_disconnect=False)
    async def two() -> AsyncGenerator[int, None]:
        yield 1
        yield 2

    with create_test_client([two], backend=backend) as client, client.websocket_connect("/") as ws:
        assert [ws.receive_json(), ws.receive_json()] == [1, 2]


def test_the_stream_stops_when_sending_fails(backend: Backend) -> None:
    events: list[str] = []

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()

        async def values() -> AsyncGenerator[str, None]:
            try:
                while True:
                    yield "x"
                    await anyio.sleep(0.01)
            finally:
                events.append("stopped")

        await socket.receive_text()  # the client says "go", then closes: sending fails from then on
        await send_websocket_stream(socket, values(), listen_for_disconnect=False)
        events.append(socket.connection_state)

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        ws.send_text("go")
        assert ws.receive_text() == "x"
        ws.close()
    assert events == ["stopped", "disconnect"]


def test_send_websocket_stream_with_a_send_handler_and_receiving_at_once(backend: Backend) -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        stop = anyio.Event()

        async def pings() -> AsyncGenerator[str, None]:
            while not stop.is_set():
                yield "ping"
                await anyio.sleep(0.01)

        async def shout(ws: WebSocket, value: str) -> None:
            await ws.send_text(value.upper())

        async def echo() -> None:
            async for event in socket.iter_json():
                await socket.send_json(event)
            stop.set()

        async with anyio.create_task_group() as tg:
            tg.start_soon(echo)
            await send_websocket_stream(socket, pings(), send_handler=shout, close=False)

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        assert ws.receive_text() == "PING"
        ws.send_json({"a": 1})
        while (message := ws.receive())["type"] == "websocket.send" and message.get("text") == "PING":
            pass
        assert message == {"type": "websocket.send", "text": '{"a":1}'}


def test_a_listener_lifespan_can_stream_while_listening(backend: Backend) -> None:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(socket: WebSocket) -> AsyncGenerator[None, None]:
        closed = anyio.Event()

        async def stream() -> AsyncGenerator[str, None]:
            while not closed.is_set():
                await anyio.sleep(0.01)
                yield "ping"

        async with anyio.create_task_group() as tg:
            tg.start_soon(send_websocket_stream, socket, stream())
            try:
                yield
            except WebSocketDisconnect:
                pass
            finally:
                closed.set()

    @websocket_listener("/", connection_lifespan=lifespan)
    def handler(data: str) -> str:
        return data

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/") as ws:
        ws.send_text("hello")
        got = {ws.receive_text() for _ in range(5)}
        assert "hello" in got
        assert "ping" in got


def test_a_stream_handler_must_be_an_async_generator() -> None:
    async def not_a_generator() -> None:  # pragma: no cover - refused
        return None

    with pytest.raises(ImproperlyConfiguredException, match="is not an async generator function"):
        create_test_client([websocket_stream("/")(not_a_generator)])
    with pytest.raises(ImproperlyConfiguredException, match="`mode` takes"):
        websocket_stream("/", mode="json")  # type: ignore[arg-type]
    assert websocket_stream("/").decorator_name == "websocket_stream"


@pytest.mark.anyio
async def test_async_client_streams(anyio_backend: Backend) -> None:
    @websocket_stream("/")
    async def two() -> AsyncGenerator[int, None]:
        yield 1
        yield 2

    async with create_async_test_client([two]) as client, await client.websocket_connect("/") as ws:
        assert [await ws.receive_json(), await ws.receive_json()] == [1, 2]
