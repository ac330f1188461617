"""Stream and ASGIStreamingResponse: chunk types, headers, HEAD, disconnects, OSError, request bodies, sync iterators."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from typing import Any

import anyio
import pytest

from outpour import Outpour, get, post
from outpour.background_tasks import BackgroundTask
from outpour.connection import Request
from outpour.response import Stream
from outpour.response.streaming import ASGIStreamingResponse, request_body_done, request_may_have_body
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


async def test_chunks_made_back_to_back_are_joined_on_asyncio() -> None:
    harness = Harness()
    await run(Stream(agen("a", "", "b")).to_asgi_response(None), harness)
    bodies = [m["body"] for m in harness.body_messages]
    if _on_asyncio():
        assert bodies == [b"ab"]  # one message: the end of the body travels with the chunks
    else:
        assert bodies == [b"a", b"", b"b", b""]


async def test_a_chunk_is_sent_before_the_iterator_waits() -> None:
    harness = Harness()
    seen_when_waiting: list[bytes] = []

    async def body() -> AsyncGenerator[str, None]:
        yield "a"
        yield "b"
        seen_when_waiting.append(harness.content)
        await anyio.sleep(0.01)
        yield "c"
        seen_when_waiting.append(harness.content)
        await anyio.sleep(0)

    await run(Stream(body()).to_asgi_response(None), harness)
    assert seen_when_waiting == ([b"", b"ab"] if _on_asyncio() else [b"ab", b"abc"])
    assert harness.content == b"abc"


async def test_a_slow_chunk_is_not_held() -> None:
    harness = Harness()
    seen: list[bytes] = []

    async def body() -> AsyncGenerator[str, None]:
        yield "a"
        time.sleep(0.003)  # busy without awaiting: what is held goes out after at most a millisecond
        yield "b"
        seen.append(harness.content)
        yield "c"

    await run(Stream(body()).to_asgi_response(None), harness)
    assert seen == [b"ab"]
    assert harness.content == b"abc"


async def test_held_chunks_are_bounded_to_64_kib() -> None:
    harness = Harness()
    await run(Stream(agen(*[b"x" * 1024] * 200)).to_asgi_response(None), harness)
    assert harness.content == b"x" * 1024 * 200
    assert max(len(m["body"]) for m in harness.body_messages) <= 64 * 1024


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
        pytest.param(lambda: 42, "needs an iterator", id="not-iterable"),
    ],
)
async def test_bad_content_raises_a_clear_type_error(content: Callable[[], Any], message: str) -> None:
    harness = Harness()
    with pytest.raises(TypeError, match=message):
        await run(Stream(content()).to_asgi_response(None), harness)


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
        pytest.param("async", False, 204, id="204-async"),
        pytest.param("async", False, 304, id="304-async"),
    ],
)
async def test_head_and_bodiless_statuses_send_headers_only(kind: str, is_head: bool, status: int) -> None:
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
    if status == 200:
        assert harness.headers[b"content-length"] == b"4"
    else:
        assert b"content-length" not in harness.headers
        assert b"content-type" not in harness.headers


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


@pytest.mark.parametrize(
    ("headers", "http_version", "method", "expected"),
    [
        pytest.param([], "1.1", "GET", False, id="http1-no-headers"),
        pytest.param([], "1.0", "POST", False, id="http1.0-no-headers"),
        pytest.param([(b"content-length", b"0")], "1.1", "POST", False, id="content-length-0"),
        pytest.param([(b"content-length", b"5")], "1.1", "POST", True, id="content-length-5"),
        pytest.param([(b"transfer-encoding", b"chunked")], "1.1", "POST", True, id="chunked"),
        pytest.param([], "2", "GET", False, id="http2-get"),
        pytest.param([], "2", "POST", True, id="http2-post"),
        pytest.param([(b"content-length", b"0")], "2", "POST", False, id="http2-post-empty"),
    ],
)
def test_request_may_have_body(
    headers: list[tuple[bytes, bytes]], http_version: str, method: str, expected: bool
) -> None:
    assert request_may_have_body(make_scope(method, headers, http_version)) is expected


async def test_echoing_a_request_body_of_10000_chunks() -> None:
    """The iterator reads the body itself; the response must not steal a message, nor recurse."""
    chunks = [f"{i:05d}".encode() for i in range(10_000)]
    harness = Harness(body=chunks)

    async def echo() -> AsyncGenerator[bytes, None]:
        while True:
            message = await harness.receive()
            yield message["body"]
            await anyio.sleep(0)  # a real body arrives over time: the stream waits between chunks
            if not message["more_body"]:
                break

    scope = make_scope("POST", [(b"transfer-encoding", b"chunked")])
    with anyio.fail_after(60):
        await ASGIStreamingResponse(iterator=echo())(scope, harness.receive, harness.send)
    assert harness.content == b"".join(chunks)
    assert harness.receive_calls == 10_000


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
        pytest.param(None, False, id="unread-get"),
        pytest.param(1, False, id="started"),
        pytest.param(2, True, id="complete"),
        pytest.param(3, True, id="disconnected"),
    ],
)
def test_request_body_done_follows_the_request_state(state: int | None, expected: bool) -> None:
    scope = make_scope("POST", [(b"content-length", b"3")])
    if state is not None:
        scope["_outpour_body_state"] = state
    assert request_body_done(scope) is expected


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


async def test_sync_generators_are_fetched_ahead_in_bounded_batches() -> None:
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

    with anyio.fail_after(10):
        await Stream(body()).to_asgi_response(None)(make_scope(), harness.receive, send)
    assert harness.content == b"x" * 1000
    assert max(lead) <= 2 * 64 + 1  # at most a full buffer besides the batch being sent
    assert len(harness.body_messages) < 1000  # several chunks per message: one thread hop per batch


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


# -- asyncio: what happens while a held chunk is sent and the iterator waits ------------------------------------------


@pytest.fixture
def asyncio_only(anyio_backend: str) -> None:
    if anyio_backend != "asyncio":
        pytest.skip("chunks are held and sent while the iterator waits only on asyncio")


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
async def test_a_timeout_of_the_iterator_during_a_slow_send_reaches_the_iterator() -> None:
    """The iterator's own timeout fires while its held chunk is being sent: it gets it where it waits."""
    harness = Harness()
    original_send = harness.send
    slow = True

    async def slow_send(message: Message) -> None:
        nonlocal slow
        if message.get("body") == b"a" and slow:
            slow = False
            await asyncio.sleep(0.2)  # cancelled by the iterator's timeout: this message is not sent
        await original_send(message)

    async def body() -> AsyncGenerator[str, None]:
        yield "a"
        try:
            async with asyncio.timeout(0.02):
                await anyio.sleep_forever()
        except TimeoutError:
            yield "b"

    with anyio.fail_after(5):
        await Stream(body()).to_asgi_response(None)(make_scope(), harness.receive, slow_send)
    assert harness.content == b"ab"


@pytest.mark.usefixtures("asyncio_only")
async def test_oserror_while_the_iterator_waits_cancels_it_quietly() -> None:
    events: list[str] = []

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            await anyio.sleep(10)
            yield "never"  # pragma: no cover
        except asyncio.CancelledError:
            events.append("cancelled")
            raise
        finally:
            events.append("finally")

    harness = Harness(send_error=OSError("gone"))
    await run(Stream(body()).to_asgi_response(None), harness)
    assert events == ["cancelled", "finally"]
    assert harness.body_messages == []


@pytest.mark.usefixtures("asyncio_only")
async def test_an_iterator_that_ignores_the_cancellation_is_closed() -> None:
    events: list[str] = []

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            try:
                await anyio.sleep(10)
            except asyncio.CancelledError:
                events.append("ignored")
                await anyio.sleep(10)
            yield "never"  # pragma: no cover
        finally:
            events.append("finally")

    harness = Harness(send_error=ConnectionResetError("gone"))
    with anyio.fail_after(5):
        await run(Stream(body()).to_asgi_response(None), harness)
    assert events == ["ignored", "finally"]
