"""Stream and ASGIStreamingResponse: chunk types, headers, HEAD, disconnects, OSError, request bodies, sync iterators."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from typing import Any

import anyio
import pytest

from outpour import Outpour, get, post
from outpour.background_tasks import BackgroundTask
from outpour.connection import BodyConsumedError, Request
from outpour.connection.request import _COMPLETE, _DISCONNECTED, _READING, _STARTED, _STREAM_KEY
from outpour.response import Stream
from outpour.response.streaming import ASGIStreamingResponse, _ThreadedIterator, receive_is_free
from outpour.testing import create_test_client
from outpour.types import Message, Scope

pytestmark = pytest.mark.anyio


def make_scope(
    method: str = "GET", headers: list[tuple[bytes, bytes]] | None = None, http_version: str = "1.1"
) -> Scope:
    return {
        "type": "http",
        "method": method,
        "path": "/stream",
        "headers": headers or [],
        "http_version": http_version,
        "asgi": {"version": "3.0", "spec_version": "2.3"},
    }


class Harness:
    """A server-like ASGI peer: the request body in ``body`` chunks, then waits until told the client left."""

    def __init__(self, body: list[bytes] | None = None, send_error: BaseException | None = None) -> None:
        self.body = list(body) if body is not None else [b""]
        self.sent: list[Message] = []
        self.receive_calls = 0
        self.left = anyio.Event()
        self.complete = anyio.Event()
        self.send_error = send_error
        self.fail_after_chunks: int | None = None

    async def receive(self) -> Message:
        self.receive_calls += 1
        if self.body:
            chunk = self.body.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(self.body)}
        with anyio.CancelScope() as scope:
            # wait for the client to leave, or for the response to end (as uvicorn does)
            async with anyio.create_task_group() as tg:

                async def wait(event: anyio.Event) -> None:
                    await event.wait()
                    scope.cancel()

                tg.start_soon(wait, self.left)
                tg.start_soon(wait, self.complete)
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.send_error is not None and message["type"] == "http.response.body":
            chunks = sum(1 for m in self.sent if m["type"] == "http.response.body")
            if self.fail_after_chunks is None or chunks >= self.fail_after_chunks:
                raise self.send_error
        self.sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            self.complete.set()

    @property
    def start(self) -> Message:
        return self.sent[0]

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.start["headers"])

    @property
    def body_messages(self) -> list[Message]:
        return [m for m in self.sent if m["type"] == "http.response.body"]

    @property
    def content(self) -> bytes:
        return b"".join(m["body"] for m in self.body_messages)


async def run(response: Any, harness: Harness, scope: Scope | None = None) -> None:
    with anyio.fail_after(5):
        await response(scope or make_scope(), harness.receive, harness.send)


async def agen(*chunks: str | bytes) -> AsyncGenerator[str | bytes, None]:
    for chunk in chunks:
        yield chunk


def sgen(*chunks: str | bytes) -> Generator[str | bytes, None, None]:
    yield from chunks


class AsyncCounter:
    """An async iterator class: instances iterate, and the class itself is a callable returning one."""

    def __init__(self) -> None:
        self.n = 0

    def __aiter__(self) -> AsyncCounter:
        return self

    async def __anext__(self) -> str:
        self.n += 1
        if self.n > 3:
            raise StopAsyncIteration
        return str(self.n)


class SyncCounter:
    def __init__(self) -> None:
        self.n = 0

    def __iter__(self) -> SyncCounter:
        return self

    def __next__(self) -> str:
        self.n += 1
        if self.n > 3:
            raise StopIteration
        return str(self.n)


class AsyncIterableOnly:
    def __aiter__(self) -> AsyncIterator[str]:
        return agen("x", "y").__aiter__()  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(lambda: agen("a", b"b", "c"), b"abc", id="async-generator"),
        pytest.param(lambda: sgen("a", b"b", "c"), b"abc", id="sync-generator"),
        pytest.param(lambda: ["a", b"b"], b"ab", id="list"),
        pytest.param(lambda: ("a", b"b"), b"ab", id="tuple"),
        pytest.param(lambda: iter(["a", "b"]), b"ab", id="sync-iterator"),
        pytest.param(lambda: AsyncCounter(), b"123", id="async-iterator-instance"),
        pytest.param(lambda: AsyncCounter, b"123", id="async-iterator-class"),
        pytest.param(lambda: SyncCounter(), b"123", id="sync-iterator-instance"),
        pytest.param(lambda: SyncCounter, b"123", id="sync-iterator-class"),
        pytest.param(lambda: AsyncIterableOnly(), b"xy", id="async-iterable"),
        pytest.param(lambda: lambda: agen("p", "q"), b"pq", id="callable-returning-async-generator"),
        pytest.param(lambda: lambda: sgen("p", "q"), b"pq", id="callable-returning-sync-generator"),
        pytest.param(lambda: "one chunk", b"one chunk", id="str"),
        pytest.param(lambda: b"one chunk", b"one chunk", id="bytes"),
        pytest.param(lambda: [bytearray(b"ba"), memoryview(b"mv")], b"bamv", id="bytes-like"),
        pytest.param(lambda: agen("é", "ü"), "éü".encode(), id="utf-8"),
        pytest.param(list, b"", id="empty"),
    ],
)
async def test_content_kinds_stream_their_chunks(content: Callable[[], Any], expected: bytes) -> None:
    harness = Harness()
    await run(Stream(content(), media_type="text/plain").to_asgi_response(None), harness)
    assert harness.content == expected
    assert harness.start["status"] == 200
    assert harness.body_messages[-1]["more_body"] is False
    assert all(m["more_body"] for m in harness.body_messages[:-1])


async def test_chunks_yielded_without_waiting_share_one_message_that_ends_the_body(anyio_backend: str) -> None:
    harness = Harness()
    await run(Stream(agen("a", "", "b")).to_asgi_response(None), harness)
    expected = (
        [(b"ab", False)] if anyio_backend == "asyncio" else [(b"a", True), (b"", True), (b"b", True), (b"", False)]
    )
    assert [(m["body"], m["more_body"]) for m in harness.body_messages] == expected


@pytest.mark.usefixtures("asyncio_only")
async def test_chunks_separated_by_a_wait_go_in_separate_messages() -> None:
    harness = Harness()

    async def body() -> AsyncGenerator[str, None]:
        yield "a"
        yield "b"
        await anyio.sleep(0)
        yield "c"
        await anyio.sleep(0)

    await run(Stream(body()).to_asgi_response(None), harness)
    # "c" came after a wait: it goes at once, and the end of the body follows on its own
    assert [(m["body"], m["more_body"]) for m in harness.body_messages] == [(b"ab", True), (b"c", True), (b"", False)]


async def test_a_chunk_is_sent_before_the_iterator_waits() -> None:
    harness = Harness()
    seen_when_waiting: list[bytes] = []

    async def body() -> AsyncGenerator[str, None]:
        yield "a"
        yield "b"
        await anyio.sleep(0.01)
        seen_when_waiting.append(harness.content)  # while it waited, what it yielded before was sent
        yield "c"
        await anyio.sleep(0)
        seen_when_waiting.append(harness.content)

    await run(Stream(body()).to_asgi_response(None), harness)
    assert seen_when_waiting == [b"ab", b"abc"]
    assert harness.content == b"abc"


async def test_a_stream_that_never_waits_lets_the_event_loop_run() -> None:
    """An iterator that never awaits must not starve the server (nor the disconnect listener)."""
    harness = Harness()
    ran = anyio.Event()
    seen_at: list[int] = []

    async def body() -> AsyncGenerator[bytes, None]:
        for n in range(500):
            if ran.is_set() and not seen_at:
                seen_at.append(n)
            yield b"x"

    async def other() -> None:
        ran.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(other)
        await run(Stream(body()).to_asgi_response(None), harness)
    assert harness.content == b"x" * 500
    assert seen_at
    assert seen_at[0] <= 3 * 64  # within a few batches of 64 chunks


async def test_str_chunks_use_the_encoding() -> None:
    harness = Harness()
    response = Stream(agen("é"), encoding="latin-1", media_type="text/plain").to_asgi_response(None)
    await run(response, harness)
    assert harness.content == b"\xe9"
    assert harness.headers[b"content-type"] == b"text/plain; charset=latin-1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(lambda: agen(1), "yielded a `int`", id="async-int"),  # type: ignore[arg-type]
        pytest.param(lambda: [{"a": 1}], "yielded a `dict`", id="list-dict"),
        pytest.param(lambda: lambda: 42, "needs an iterator", id="callable-returning-a-non-iterable"),
    ],
)
async def test_bad_content_raises_a_clear_type_error(content: Callable[[], Any], message: str) -> None:
    harness = Harness()
    stream = Stream(content())
    with pytest.raises(TypeError, match=message):
        await run(stream.to_asgi_response(None), harness)


@pytest.mark.parametrize(
    "content",
    [pytest.param(42, id="int"), pytest.param(None, id="none"), pytest.param(object(), id="object")],
)
def test_content_that_is_not_iterable_is_refused_at_construction(content: Any) -> None:
    with pytest.raises(TypeError, match=r"A `Stream` needs an iterator, an iterable, or a callable returning one"):
        Stream(content)


async def test_headers_cookies_status_and_layering() -> None:
    harness = Harness()
    stream = Stream(
        agen("x"),
        headers={"x-own": "1", "x-both": "own"},
        cookies={"c": "v"},
        status_code=201,
        media_type="text/csv",
    )
    response = stream.to_asgi_response(None, headers={"x-both": "layer", "x-layer": "2"}, status_code=202)
    await run(response, harness)
    headers = harness.start["headers"]
    assert harness.start["status"] == 201
    assert (b"x-own", b"1") in headers
    assert (b"x-both", b"own") in headers
    assert (b"x-layer", b"2") in headers
    assert (b"content-type", b"text/csv; charset=utf-8") in headers
    assert any(name == b"set-cookie" and value.startswith(b"c=v") for name, value in headers)
    assert b"content-length" not in dict(headers)


async def test_layered_values_apply_when_the_stream_has_none() -> None:
    harness = Harness()
    calls: list[str] = []

    async def task() -> None:
        calls.append("ran")

    response = Stream(agen("x")).to_asgi_response(
        None, media_type="text/plain", status_code=206, background=BackgroundTask(task)
    )
    await run(response, harness)
    assert harness.start["status"] == 206
    assert harness.headers[b"content-type"] == b"text/plain; charset=utf-8"
    assert calls == ["ran"]


async def test_json_is_the_default_media_type() -> None:
    harness = Harness()
    await run(Stream(agen("{}")).to_asgi_response(None), harness)
    assert harness.headers[b"content-type"] == b"application/json"


async def test_content_length_is_sent_when_given() -> None:
    harness = Harness()
    await run(ASGIStreamingResponse(iterator=agen("abc"), content_length=3), harness)
    assert harness.headers[b"content-length"] == b"3"
    assert harness.content == b"abc"


@pytest.mark.parametrize(
    ("kind", "is_head", "status"),
    [
        pytest.param("async", True, 200, id="head-async"),
        pytest.param("sync", True, 200, id="head-sync"),
        pytest.param("sync-started", True, 200, id="head-sync-started"),
        pytest.param("callable", True, 200, id="head-callable"),
    ],
)
async def test_head_responses_send_headers_only(kind: str, is_head: bool, status: int) -> None:
    events: list[str] = []

    async def async_body() -> AsyncGenerator[str, None]:
        events.append("started")
        yield "body"

    def sync_body() -> Generator[str, None, None]:
        try:
            events.append("started")
            yield "first"
            yield "body"
        finally:
            events.append("closed")

    iterator: Any
    if kind == "async":
        iterator = async_body()
    elif kind == "callable":
        iterator = async_body
    else:
        iterator = sync_body()
        if kind == "sync-started":
            next(iterator)
            events.clear()
    harness = Harness()
    response = ASGIStreamingResponse(
        iterator=iterator, is_head_response=is_head, status_code=status, media_type="text/plain", content_length=4
    )
    await run(response, harness)
    assert harness.start["status"] == status
    assert harness.body_messages == [{"type": "http.response.body", "body": b""}]
    assert "started" not in events
    assert events == (["closed"] if kind == "sync-started" else [])
    assert harness.headers[b"content-length"] == b"4"


async def test_background_task_runs_after_the_last_body_message() -> None:
    harness = Harness()
    seen: list[int] = []

    async def task() -> None:
        seen.append(len(harness.sent))

    await run(Stream(agen("a", "b"), background=BackgroundTask(task)).to_asgi_response(None), harness)
    assert seen == [len(harness.sent)]
    assert harness.sent[-1]["more_body"] is False


# -- disconnects ----------------------------------------------------------------------------------------------------


def waiting_generator(events: list[str], started: anyio.Event) -> AsyncGenerator[str, None]:
    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "first"
            started.set()
            await anyio.sleep_forever()
            yield "never"
        finally:
            events.append("finally")

    return body()


async def test_disconnect_while_the_generator_waits_closes_it(caplog: pytest.LogCaptureFixture) -> None:
    events: list[str] = []
    started = anyio.Event()
    harness = Harness()

    async def leave() -> None:
        await started.wait()
        harness.left.set()

    with caplog.at_level(logging.DEBUG), anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(leave)
            await Stream(waiting_generator(events, started)).to_asgi_response(None)(
                make_scope(), harness.receive, harness.send
            )
    assert events == ["finally"]
    assert [m["body"] for m in harness.body_messages] == [b"first"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_disconnect_leaves_no_task_behind() -> None:
    events: list[str] = []
    started = anyio.Event()
    harness = Harness()
    before = len(asyncio.all_tasks()) if _on_asyncio() else 0

    async def leave() -> None:
        await started.wait()
        harness.left.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(leave)
        await run(Stream(waiting_generator(events, started)).to_asgi_response(None), harness)
    await anyio.sleep(0)
    if _on_asyncio():
        assert len(asyncio.all_tasks()) == before
    assert events == ["finally"]


def _on_asyncio() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def test_disconnect_during_a_slow_send_is_quiet() -> None:
    """The client leaves while ``send`` itself waits (flow control): the stream ends there."""
    events: list[str] = []
    harness = Harness()
    original_send = harness.send

    async def slow_send(message: Message) -> None:
        await original_send(message)
        if message.get("more_body"):
            harness.left.set()
            await anyio.sleep_forever()

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            await anyio.sleep(0)  # a first wait, so that listening starts
            yield "b"
        finally:
            events.append("finally")

    with anyio.fail_after(5):
        await Stream(body()).to_asgi_response(None)(make_scope(), harness.receive, slow_send)
    assert events == ["finally"]


async def test_fast_streams_never_call_receive() -> None:
    harness = Harness()
    await run(Stream(agen(*"abcdefghij")).to_asgi_response(None), harness)
    if _on_asyncio():
        assert harness.receive_calls == 0
    assert harness.content == b"abcdefghij"


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(OSError("gone"), id="OSError"),
        pytest.param(ConnectionResetError("reset"), id="ConnectionResetError"),
        pytest.param(BrokenPipeError("pipe"), id="BrokenPipeError"),
    ],
)
async def test_oserror_from_send_is_a_disconnect(error: OSError, caplog: pytest.LogCaptureFixture) -> None:
    events: list[str] = []

    async def body() -> AsyncGenerator[str, None]:
        try:
            while True:
                yield "chunk"
        finally:
            events.append("finally")

    harness = Harness(send_error=error)
    harness.fail_after_chunks = 3
    with caplog.at_level(logging.DEBUG):
        await run(Stream(body()).to_asgi_response(None), harness)
    assert events == ["finally"]
    assert len(harness.body_messages) == 3
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_an_error_in_the_generator_propagates_as_itself() -> None:
    events: list[str] = []

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            await anyio.sleep(0)
            raise LookupError("boom")
        finally:
            events.append("finally")

    harness = Harness()
    with pytest.raises(LookupError, match="boom"):
        await run(Stream(body()).to_asgi_response(None), harness)
    assert events == ["finally"]


async def test_outside_cancellation_is_not_swallowed() -> None:
    events: list[str] = []
    started = anyio.Event()
    harness = Harness()
    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as tg:

            async def cancel() -> None:
                await started.wait()
                scope.cancel()

            tg.start_soon(cancel)
            await Stream(waiting_generator(events, started)).to_asgi_response(None)(
                make_scope(), harness.receive, harness.send
            )
            pytest.fail("the stream should have been cancelled")  # pragma: no cover
    assert scope.cancelled_caught
    assert events == ["finally"]


# -- request bodies ---------------------------------------------------------------------------------------------------


async def test_echoing_a_request_body_of_10000_chunks() -> None:
    """The iterator reads the body through a ``Request``; the response must not steal a message, nor recurse."""
    chunks = [f"{i:05d}".encode() for i in range(10_000)]
    harness = Harness(body=chunks)
    scope = make_scope("POST", [(b"transfer-encoding", b"chunked")])
    request: Request[Any, Any, Any] = Request(scope, harness.receive, harness.send)

    async def echo() -> AsyncGenerator[bytes, None]:
        async for chunk in request.stream():
            yield chunk
            await anyio.sleep(0)  # a real body arrives over time: the stream waits between chunks

    with anyio.fail_after(60):
        await ASGIStreamingResponse(iterator=echo())(scope, harness.receive, harness.send)
    assert harness.content == b"".join(chunks)
    assert harness.receive_calls in (10_000, 10_001)  # plus, maybe, the listener once the body is read


async def test_listening_starts_once_the_request_has_read_its_body() -> None:
    harness = Harness(body=[b"ab", b"c"])
    scope = make_scope("POST", [(b"content-length", b"3")])
    request: Request[Any, Any, Any] = Request(scope, harness.receive, harness.send)
    events: list[str] = []
    started = anyio.Event()

    async def body() -> AsyncGenerator[bytes, None]:
        try:
            async for chunk in request.stream():
                yield chunk
                await anyio.sleep(0)
            yield b"!"
            started.set()
            await anyio.sleep_forever()
        finally:
            events.append("finally")

    async def leave() -> None:
        await started.wait()
        harness.left.set()

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(leave)
            await Stream(body()).to_asgi_response(request)(scope, harness.receive, harness.send)
    assert events == ["finally"]
    assert harness.content == b"abc!"


async def test_the_listener_keeps_an_unread_empty_body_for_the_request() -> None:
    harness = Harness()
    scope = make_scope("GET")
    request: Request[Any, Any, Any] = Request(scope, harness.receive, harness.send)
    bodies: list[bytes] = []

    async def body() -> AsyncGenerator[bytes, None]:
        yield b"a"
        await anyio.sleep(0.05)  # the listener starts and takes the empty body message
        bodies.append(await request.body())
        yield b"b"

    await run(Stream(body()).to_asgi_response(request), harness, scope)
    assert bodies == [b""]
    assert harness.content == b"ab"


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        pytest.param(None, True, id="unread"),
        pytest.param(_STARTED, False, id="streaming"),
        pytest.param(_READING, False, id="reading"),
        pytest.param(_COMPLETE, True, id="complete"),
        pytest.param(_DISCONNECTED, True, id="disconnected"),
    ],
)
def test_receive_is_free_unless_a_request_is_part_way_through_its_body(state: int | None, expected: bool) -> None:
    scope = make_scope("POST", [(b"content-length", b"3")])
    if state is not None:
        scope[_STREAM_KEY] = state
    assert receive_is_free(scope) is expected


@pytest.mark.parametrize(
    ("method", "headers", "body"),
    [
        pytest.param("POST", [(b"content-length", b"3")], [b"ab", b"c"], id="content-length"),
        pytest.param("POST", [(b"transfer-encoding", b"chunked")], [b"ab", b"c"], id="chunked"),
        pytest.param("GET", [(b"content-length", b"3")], [b"abc"], id="get-with-a-body"),
    ],
)
async def test_an_unread_request_body_does_not_hide_the_disconnect(
    method: str, headers: list[tuple[bytes, bytes]], body: list[bytes]
) -> None:
    """Nobody reads the body: the listener reads it, then hears the client leave (ASGI 2.3 servers send silently)."""
    events: list[str] = []
    started = anyio.Event()
    harness = Harness(body=body)

    async def leave() -> None:
        await started.wait()
        harness.left.set()

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(leave)
            await Stream(waiting_generator(events, started)).to_asgi_response(None)(
                make_scope(method, headers), harness.receive, harness.send
            )
    assert events == ["finally"]
    assert harness.body_messages[-1].get("more_body") is True  # no end of body: the client is gone


async def test_the_listener_keeps_an_unread_body_for_a_later_reader() -> None:
    harness = Harness(body=[b"ab", b"c"])
    scope = make_scope("POST", [(b"content-length", b"3")])
    request: Request[Any, Any, Any] = Request(scope, harness.receive, harness.send)
    read: list[bytes] = []

    async def body() -> AsyncGenerator[bytes, None]:
        yield b"a"
        await anyio.sleep(0.05)  # the listener starts and reads the body
        read.append(await request.body())
        read.extend([chunk async for chunk in request.stream()])
        yield b"b"

    await run(Stream(body()).to_asgi_response(request), harness, scope)
    assert read == [b"abc", b"abc"]
    assert harness.content == b"ab"


@pytest.mark.parametrize("reader", ["body", "stream"])
async def test_a_reader_waits_for_the_body_read_under_way(reader: str) -> None:
    """A second reader comes while ``body()`` reads: it waits, then gets the kept body (no second ``receive``)."""
    gate = anyio.Event()
    harness = Harness(body=[b"ab", b"c"])
    original_receive = harness.receive

    async def slow_receive() -> Message:
        await gate.wait()
        return await original_receive()

    scope = make_scope("POST", [(b"content-length", b"3")])
    first: Request[Any, Any, Any] = Request(scope, slow_receive)
    second: Request[Any, Any, Any] = Request(scope, slow_receive)
    results: dict[str, bytes] = {}

    async def read_first() -> None:
        results["first"] = await first.body()

    async def read_second() -> None:
        if reader == "body":
            results["second"] = await second.body()
        else:
            results["second"] = b"".join([chunk async for chunk in second.stream()])

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(read_first)
            await anyio.sleep(0.01)
            tg.start_soon(read_second)
            await anyio.sleep(0.01)
            gate.set()
    assert results == {"first": b"abc", "second": b"abc"}
    assert harness.receive_calls == 2


async def test_a_reader_waiting_for_a_failed_read_gets_its_error() -> None:
    """The read under way ends with a 413: the waiting reader is told the body is gone, it does not hang."""
    gate = anyio.Event()
    harness = Harness(body=[b"ab", b"cd"])
    original_receive = harness.receive

    async def slow_receive() -> Message:
        await gate.wait()
        return await original_receive()

    scope = make_scope("POST", [(b"transfer-encoding", b"chunked")])
    scope["route_handler"] = type("Handler", (), {"request_max_body_size": 3})()
    errors: list[str] = []

    async def read() -> None:
        try:
            await Request(scope, slow_receive).body()
        except Exception as exc:
            errors.append(type(exc).__name__)

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(read)
            await anyio.sleep(0.01)
            tg.start_soon(read)
            await anyio.sleep(0.01)
            gate.set()
    assert errors == ["RequestEntityTooLarge", BodyConsumedError.__name__]


# -- sync iterators ---------------------------------------------------------------------------------------------------


async def test_sync_generators_run_in_a_worker_thread() -> None:
    threads: list[int] = []

    def body() -> Generator[str, None, None]:
        threads.append(threading.get_ident())
        yield "a"
        yield "b"

    harness = Harness()
    await run(Stream(body()).to_asgi_response(None), harness)
    assert harness.content == b"ab"
    assert threads
    assert threads[0] != threading.get_ident()


async def test_sync_generators_are_fetched_ahead_in_bounded_batches(anyio_backend: str) -> None:
    produced = 0
    lead: list[int] = []
    harness = Harness()
    original_send = harness.send

    def body() -> Generator[bytes, None, None]:
        nonlocal produced
        for _ in range(1000):
            produced += 1
            yield b"x"

    async def send(message: Message) -> None:
        sent = sum(len(m["body"]) for m in harness.body_messages)
        lead.append(produced - sent)
        await original_send(message)
        await anyio.sleep(0)

    fetches = 0
    start_fetch = _ThreadedIterator._start_fetch

    def counting_start_fetch(self: _ThreadedIterator) -> None:
        nonlocal fetches
        fetches += 1
        start_fetch(self)

    with anyio.fail_after(10):
        _ThreadedIterator._start_fetch = counting_start_fetch  # type: ignore[method-assign]
        try:
            await Stream(body()).to_asgi_response(None)(make_scope(), harness.receive, send)
        finally:
            _ThreadedIterator._start_fetch = start_fetch  # type: ignore[method-assign]
    assert harness.content == b"x" * 1000
    if anyio_backend == "asyncio":  # chunks fetched together are sent together
        assert len(harness.body_messages) < 1000 // 16
    else:
        assert len(harness.body_messages) == 1001
    # fetched ahead at most a full buffer, plus (asyncio) a batch of chunks held to be sent together
    assert max(lead) <= (2 * 64 if anyio_backend == "asyncio" else 64) + 1
    assert fetches <= 1000 // 32 + 2  # one trip to a worker thread per batch of at least 32 chunks, not per chunk


async def test_sync_generator_error_propagates() -> None:
    def body() -> Generator[str, None, None]:
        yield "a"
        raise LookupError("sync boom")

    harness = Harness()
    with pytest.raises(LookupError, match="sync boom"):
        await run(Stream(body()).to_asgi_response(None), harness)


async def test_a_slow_sync_generator_delivers_each_chunk_without_waiting_for_a_batch() -> None:
    release = threading.Event()

    def body() -> Generator[str, None, None]:
        yield "first"
        release.wait(5)
        yield "second"

    harness = Harness()
    original_send = harness.send

    async def send(message: Message) -> None:
        await original_send(message)
        if message.get("body") == b"first":
            release.set()

    with anyio.fail_after(5):
        await Stream(body()).to_asgi_response(None)(make_scope(), harness.receive, send)
    assert harness.body_messages[0]["body"] == b"first"  # sent while the generator still waited
    assert harness.content == b"firstsecond"


async def test_disconnect_closes_a_sync_generator_in_its_thread() -> None:
    closed = threading.Event()
    first_sent = anyio.Event()
    gate = threading.Event()

    def body() -> Generator[str, None, None]:
        try:
            yield "first"
            while not gate.wait(0.01):
                pass
            yield "second"
            gate.wait(5)
        finally:
            closed.set()

    harness = Harness()
    original_send = harness.send

    async def send(message: Message) -> None:
        await original_send(message)
        if message.get("body") == b"first":
            first_sent.set()

    async def leave() -> None:
        await first_sent.wait()
        harness.left.set()
        await anyio.sleep(0.05)
        gate.set()

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(leave)
            await Stream(body()).to_asgi_response(None)(make_scope(), harness.receive, send)
        await anyio.to_thread.run_sync(closed.wait, 5)
    assert closed.is_set()
    assert harness.body_messages[0]["body"] == b"first"


async def test_oserror_closes_a_sync_generator() -> None:
    closed = threading.Event()

    def body() -> Iterator[str]:
        try:
            yield "a"
            yield "b"
        finally:
            closed.set()

    harness = Harness(send_error=OSError("gone"))
    harness.fail_after_chunks = 1
    await run(Stream(body()).to_asgi_response(None), harness)
    with anyio.fail_after(5):
        await anyio.to_thread.run_sync(closed.wait, 5)
    assert closed.is_set()


# -- through the app ----------------------------------------------------------------------------------------------


def test_test_client_reads_two_chunks_and_leaves() -> None:
    events: list[str] = []

    @get("/ticks")
    async def ticks() -> Stream:
        async def body() -> AsyncGenerator[str, None]:
            try:
                n = 0
                while True:
                    yield f"tick {n}\n"
                    n += 1
                    await anyio.sleep(0.01)
            finally:
                events.append("finally")

        return Stream(body(), media_type="text/plain")

    with create_test_client([ticks]) as client:
        with client.stream("GET", "/ticks") as response:
            chunks = response.iter_bytes()
            got = [next(chunks), next(chunks)]
        assert got == [b"tick 0\n", b"tick 1\n"]
    assert events == ["finally"]


async def test_app_echoes_a_post_body_of_10000_chunks() -> None:
    @post("/echo")
    async def echo(request: Request[Any, Any, Any]) -> Stream:
        return Stream(request.stream(), media_type="application/octet-stream")

    app = Outpour([echo])
    chunks = [f"{i:05d}".encode() for i in range(10_000)]
    harness = Harness(body=chunks)
    scope = make_scope("POST", [(b"transfer-encoding", b"chunked")])
    scope.update({"path": "/echo", "raw_path": b"/echo", "query_string": b"", "root_path": "", "scheme": "http"})
    with anyio.fail_after(60):
        await app(scope, harness.receive, harness.send)
    assert harness.start["status"] == 201
    assert harness.content == b"".join(chunks)
    assert harness.receive_calls in (10_000, 10_001)  # plus, maybe, the disconnect listener once the body is read


def test_head_on_a_stream_route_sends_headers_only() -> None:
    events: list[str] = []

    @get("/data")
    async def data() -> Stream:
        async def body() -> AsyncGenerator[str, None]:
            events.append("ran")
            yield "x"

        return Stream(body(), media_type="text/plain")

    with create_test_client([data]) as client:
        response = client.head("/data")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert events == []


# -- asyncio: cancellations --------------------------------------------------------------------------------------


@pytest.fixture
def asyncio_only(anyio_backend: str) -> None:
    if anyio_backend != "asyncio":
        pytest.skip("asyncio's own timeouts and cancellation counts")


@pytest.mark.usefixtures("asyncio_only")
async def test_a_timeout_inside_the_iterator_still_works() -> None:
    async def body() -> AsyncGenerator[str, None]:
        try:
            async with asyncio.timeout(0.01):
                await anyio.sleep_forever()
        except TimeoutError:
            yield "timed out"

    harness = Harness()
    await run(Stream(body()).to_asgi_response(None), harness)
    assert harness.content == b"timed out"


@pytest.mark.usefixtures("asyncio_only")
async def test_a_disconnect_leaves_the_task_uncancelled() -> None:
    events: list[str] = []
    started = anyio.Event()
    harness = Harness()

    async def leave() -> None:
        await started.wait()
        harness.left.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(leave)
        await run(Stream(waiting_generator(events, started)).to_asgi_response(None), harness)
        task = asyncio.current_task()
        assert task is not None
        assert task.cancelling() == 0
        await asyncio.sleep(0)  # no cancellation is left to land here
    assert events == ["finally"]


@pytest.mark.usefixtures("asyncio_only")
@pytest.mark.parametrize("kind", ["stream", "sse"])
async def test_an_iterator_that_ignores_the_cancellation_is_stopped_at_its_next_chunk(
    caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    from outpour.response import ServerSentEvent

    events: list[str] = []
    started = anyio.Event()
    harness = Harness()

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            started.set()
            try:
                await anyio.sleep(10)
            except asyncio.CancelledError:
                events.append("ignored")
            yield "b"
            await anyio.sleep(10)
            yield "never"  # pragma: no cover
        finally:
            events.append("finally")

    async def leave() -> None:
        await started.wait()
        harness.left.set()

    response = ServerSentEvent(body()) if kind == "sse" else Stream(body())
    with caplog.at_level(logging.DEBUG), anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(leave)
            await run(response.to_asgi_response(None), harness)
    assert events == ["ignored", "finally"]
    # "b", yielded after the client left, is not sent.
    assert harness.content == (b"data: a\r\n\r\n" if kind == "sse" else b"a")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.usefixtures("asyncio_only")
async def test_a_client_disconnected_error_from_the_iterator_is_a_quiet_end() -> None:
    """A handler streaming the request body back sees the client leave as ``ClientDisconnected``."""
    harness = Harness(body=[b"ab"])
    harness.body.append(b"")  # never reached: the client leaves after the first chunk
    scope = make_scope("POST", [(b"transfer-encoding", b"chunked")])
    request: Request[Any, Any, Any] = Request(scope, harness.receive, harness.send)
    harness.left.set()
    sent: list[bytes] = []

    async def body() -> AsyncGenerator[bytes, None]:
        async for chunk in request.stream():
            sent.append(chunk)
            yield chunk
            harness.body.clear()  # the next receive reports the disconnect

    await run(Stream(body()).to_asgi_response(request), harness, scope)
    assert sent == [b"ab"]
    assert harness.body_messages[-1]["body"] == b"ab"  # no end of body: the client is gone


# -- the plan's direct path for Stream and ServerSentEvent -------------------------------------------------------------


def _stream_app(handler: Any, **layers: Any) -> Outpour:
    return Outpour([handler], **layers)


async def _call_app(app: Outpour, method: str = "GET", path: str = "/s") -> Harness:
    harness = Harness()
    scope = make_scope(method)
    scope.update({"path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "scheme": "http"})
    with anyio.fail_after(5):
        await app(scope, harness.receive, harness.send)
    return harness


@pytest.mark.parametrize(
    ("kind", "own_headers", "expected"),
    [
        pytest.param(
            "stream",
            {"X-Own": "own", "x-layered": "own wins"},
            {
                b"x-own": b"own",
                b"x-layered": b"own wins",
                b"x-other": b"layer",
                b"content-type": b"text/plain; charset=utf-8",
            },
            id="stream-own-and-layered",
        ),
        pytest.param(
            "stream",
            None,
            {b"x-layered": b"layer", b"x-other": b"layer", b"content-type": b"text/plain; charset=utf-8"},
            id="stream-layered-only",
        ),
        pytest.param(
            "sse",
            {"Cache-Control": "no-store"},
            {
                b"cache-control": b"no-store",
                b"x-accel-buffering": b"no",
                b"content-type": b"text/event-stream; charset=utf-8",
                b"x-other": b"layer",
            },
            id="sse-own-over-sse-defaults",
        ),
        pytest.param(
            "sse",
            None,
            {
                b"cache-control": b"no-cache",
                b"x-accel-buffering": b"no",
                b"content-type": b"text/event-stream; charset=utf-8",
                b"x-other": b"layer",
            },
            id="sse-defaults-over-layered",
        ),
    ],
)
async def test_returned_streams_merge_headers_as_to_asgi_response_does(
    kind: str, own_headers: dict[str, str] | None, expected: dict[bytes, bytes]
) -> None:
    from outpour.response import ServerSentEvent

    @get("/s", response_headers={"x-layered": "layer", "x-other": "layer", "cache-control": "max-age=5"})
    async def handler() -> Stream:
        if kind == "sse":
            return ServerSentEvent(agen("a"), headers=own_headers)
        return Stream(agen("a"), headers=own_headers, media_type="text/plain")

    direct = await _call_app(_stream_app(handler))
    headers = direct.headers
    for name, value in expected.items():
        assert headers[name] == value
    names = [name for name, _ in direct.start["headers"]]
    assert len(names) == len(set(names))  # each header once
    assert b"connection" not in headers
    if kind == "stream":
        assert headers[b"cache-control"] == b"max-age=5"
        assert direct.content == b"a"
    else:
        assert direct.content == b"data: a\r\n\r\n"


async def test_returned_streams_merge_cookies() -> None:
    from outpour.datastructures import Cookie

    @get("/s", response_cookies=[Cookie(key="layer", value="1"), Cookie(key="both", value="layer")])
    async def handler() -> Stream:
        return Stream(agen("a"), cookies=[Cookie(key="both", value="own")], media_type="text/plain")

    @get("/t", response_cookies=[Cookie(key="layer", value="1")])
    async def plain() -> Stream:
        return Stream(agen("a"), media_type="text/plain")

    app = Outpour([handler, plain])
    own = [v for n, v in (await _call_app(app)).start["headers"] if n == b"set-cookie"]
    assert sorted(v.split(b";")[0] for v in own) == [b"both=own", b"layer=1"]
    layered = [v for n, v in (await _call_app(app, path="/t")).start["headers"] if n == b"set-cookie"]
    assert [v.split(b";")[0] for v in layered] == [b"layer=1"]


async def test_a_stream_with_a_bodiless_status_is_refused_before_anything_is_sent() -> None:
    events: list[str] = []

    async def body() -> AsyncGenerator[str, None]:
        events.append("ran")  # pragma: no cover - never iterated
        yield "x"  # pragma: no cover

    @get("/s")
    async def handler() -> Stream:
        return Stream(body(), status_code=204)

    harness = await _call_app(_stream_app(handler))
    assert harness.start["status"] == 500
    assert events == []


async def test_a_bad_header_on_a_returned_stream_is_a_500_before_anything_is_sent() -> None:
    @get("/s")
    async def handler() -> Stream:
        return Stream(agen("a"), headers={"x-bad": "a\r\nb"})

    harness = await _call_app(_stream_app(handler))
    assert harness.start["status"] == 500


@pytest.mark.parametrize("background_on", ["response", "route"])
async def test_background_of_a_returned_stream_runs_after_its_last_message(
    background_on: str, anyio_backend: str
) -> None:
    seen: list[int] = []
    harness_box: list[Harness] = []

    async def task() -> None:
        seen.append(len(harness_box[0].sent) if harness_box else -1)

    route_background = BackgroundTask(task) if background_on == "route" else None

    @get("/s", background=route_background)
    async def handler() -> Stream:
        own = BackgroundTask(task) if background_on == "response" else None
        return Stream(agen("a", "b"), background=own)

    app = _stream_app(handler)
    harness = Harness()
    harness_box.append(harness)
    scope = make_scope()
    scope.update({"path": "/s", "raw_path": b"/s", "query_string": b"", "root_path": "", "scheme": "http"})
    await app(scope, harness.receive, harness.send)
    # start, then the two chunks (on asyncio: ready at once, in the message that ends the body; else one each, and the end)
    assert seen == ([2] if anyio_backend == "asyncio" else [4])
    assert harness.sent[-1]["more_body"] is False


@pytest.mark.parametrize("fails", [False, True], ids=["ok", "raises"])
async def test_a_sync_handler_run_in_the_loop_returns_a_stream(fails: bool) -> None:
    threads: list[int] = []

    @get("/s", sync_to_thread=False)
    def handler() -> Stream:
        threads.append(threading.get_ident())
        if fails:
            raise LookupError("no stream")
        return Stream(agen("a", "b"), media_type="text/plain")

    harness = await _call_app(_stream_app(handler))
    assert threads == [threading.get_ident()]
    if fails:
        assert harness.start["status"] == 500
    else:
        assert harness.content == b"ab"


async def test_long_sequences_and_converted_streams_let_the_loop_run() -> None:
    from outpour.response import ServerSentEvent

    listed = Harness()
    await run(Stream([b"x"] * 200).to_asgi_response(None), listed)
    assert listed.content == b"x" * 200
    assert len(listed.body_messages) == 201
    events = Harness()
    await run(ServerSentEvent(agen(*range(200))).to_asgi_response(None), events)
    assert events.content == b"".join(f"data: {i}\r\n\r\n".encode() for i in range(200))


async def test_listening_starts_when_a_body_read_without_yielding_is_complete() -> None:
    """The iterator reads the whole body, then waits: listening starts after the next check (every 50 ms)."""
    harness = Harness(body=[b"ab", b"c"])
    scope = make_scope("POST", [(b"content-length", b"3")])
    request: Request[Any, Any, Any] = Request(scope, harness.receive, harness.send)
    events: list[str] = []
    started = anyio.Event()

    async def body() -> AsyncGenerator[bytes, None]:
        try:
            await anyio.sleep(0.06)  # the first check finds the body not read yet
            data = await request.body()
            started.set()
            await anyio.sleep_forever()
            yield data
        finally:
            events.append("finally")

    async def leave() -> None:
        await started.wait()
        harness.left.set()

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(leave)
            await Stream(body()).to_asgi_response(request)(scope, harness.receive, harness.send)
    assert events == ["finally"]
    assert harness.content == b""


async def test_a_returned_server_sent_event_without_layered_headers_sends_the_sse_headers_once() -> None:
    from outpour.response import ServerSentEvent

    @get("/s")
    async def handler() -> ServerSentEvent:
        return ServerSentEvent(agen("a"))

    harness = await _call_app(_stream_app(handler))
    assert harness.start["headers"] == [
        (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"cache-control", b"no-cache"),
        (b"x-accel-buffering", b"no"),
    ]
    assert harness.content == b"data: a\r\n\r\n"


async def test_the_kept_start_line_follows_what_each_returned_stream_says() -> None:
    from outpour import MediaType
    from outpour.response import ServerSentEvent

    returned: list[Any] = [
        lambda: Stream(agen("a"), media_type=MediaType.TEXT),
        lambda: Stream(agen("a"), media_type=MediaType.TEXT),  # the kept start line, reused
        lambda: Stream(agen("a"), media_type="text/csv"),
        lambda: Stream(agen("a"), media_type="text/csv", encoding="latin-1"),
        lambda: Stream(agen("a"), media_type="text/csv", status_code=202),
        lambda: Stream(agen("a"), media_type="text/csv", headers={"x-own": "1"}),
        lambda: Stream(agen("a"), media_type="text/csv", cookies={"c": "v"}),
        lambda: ServerSentEvent(agen("a")),
        lambda: Stream(agen("a"), media_type=MediaType.TEXT),
    ]
    expected = [
        (200, b"text/plain; charset=utf-8", None, False, b"a"),
        (200, b"text/plain; charset=utf-8", None, False, b"a"),
        (200, b"text/csv; charset=utf-8", None, False, b"a"),
        (200, b"text/csv; charset=latin-1", None, False, b"a"),
        (202, b"text/csv; charset=utf-8", None, False, b"a"),
        (200, b"text/csv; charset=utf-8", b"1", False, b"a"),
        (200, b"text/csv; charset=utf-8", None, True, b"a"),
        (200, b"text/event-stream; charset=utf-8", None, False, b"data: a\r\n\r\n"),
        (200, b"text/plain; charset=utf-8", None, False, b"a"),
    ]
    calls = iter(returned)

    @get("/s", response_headers={"x-layer": "1"})
    async def handler() -> Stream:
        return next(calls)()  # type: ignore[no-any-return]

    app = _stream_app(handler)
    for status, content_type, own, cookie, content in expected:
        harness = await _call_app(app)
        headers = harness.start["headers"]
        assert harness.start["status"] == status
        assert harness.headers.get(b"content-type") == content_type
        assert harness.headers.get(b"x-own") == own
        assert harness.headers[b"x-layer"] == b"1"
        assert any(name == b"set-cookie" for name, _ in headers) is cookie
        assert len({name for name, _ in headers}) == len(headers)
        assert harness.content == content


@pytest.mark.parametrize(
    ("value", "status", "content"),
    [
        pytest.param(lambda: {"a": 1}, 200, b'{"a":1}', id="data"),
        pytest.param(lambda: Stream(sgen("s", "g")), 200, b"sg", id="a-sync-generator"),
        pytest.param(lambda: "text", 200, b"text", id="str"),
    ],
)
async def test_a_handler_annotated_to_return_a_stream_may_return_something_else(
    value: Callable[[], Any], status: int, content: bytes
) -> None:
    @get("/s")
    async def handler() -> Stream:
        return value()  # type: ignore[no-any-return]

    harness = await _call_app(_stream_app(handler))
    assert harness.start["status"] == status
    assert harness.content == content


async def test_a_returned_stream_is_sent_the_same_on_a_head_request_after_a_get() -> None:
    @get("/s", media_type="text/plain")
    async def handler() -> Stream:
        return Stream(agen("a"))

    app = Outpour([handler])
    first = await _call_app(app)
    head = await _call_app(app, method="HEAD")
    assert first.content == b"a"
    assert head.content == b""
    assert head.start["headers"] == first.start["headers"]
