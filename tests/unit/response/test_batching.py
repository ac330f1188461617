"""Chunks an async iterator yields without waiting share one body message (asyncio): sizes, waits, errors, disconnects.

Elsewhere (trio) each chunk is its own message: the last test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Generator
from typing import Any

import anyio
import pytest

from outpour.response import ServerSentEvent, Stream
from outpour.response._batching import BATCH_BYTES, BATCH_CHUNKS
from tests.unit.response.test_streaming import Harness, agen, run

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # batching is asyncio's: see the last test for trio


def shapes(harness: Harness) -> list[tuple[bytes, bool]]:
    return [(m["body"], m["more_body"]) for m in harness.body_messages]


async def test_a_batch_is_sent_once_it_holds_the_most_chunks() -> None:
    harness = Harness()
    await run(Stream(agen(*["x"] * (BATCH_CHUNKS * 2 + 1))).to_asgi_response(None), harness)
    assert shapes(harness) == [(b"x" * BATCH_CHUNKS, True), (b"x" * BATCH_CHUNKS, True), (b"x", False)]


async def test_a_batch_is_sent_once_it_holds_the_most_bytes() -> None:
    big = b"y" * (BATCH_BYTES // 2)
    harness = Harness()
    await run(Stream(agen(big, big, big)).to_asgi_response(None), harness)
    assert shapes(harness) == [(big + big, True), (big, False)]


async def test_a_chunk_larger_than_a_batch_goes_alone() -> None:
    huge = b"z" * (BATCH_BYTES * 3)
    harness = Harness()
    await run(Stream(agen(b"a", huge, b"b")).to_asgi_response(None), harness)
    assert shapes(harness) == [(b"a" + huge, True), (b"b", False)]


async def test_empty_chunks_add_nothing_and_an_empty_stream_only_ends_the_body() -> None:
    harness = Harness()
    await run(Stream(agen("", b"")).to_asgi_response(None), harness)
    assert shapes(harness) == [(b"", False)]


class CoroutineIterator:
    """An async iterator class whose ``__anext__`` is a coroutine, waiting before every third item."""

    def __init__(self) -> None:
        self.n = 0

    def __aiter__(self) -> CoroutineIterator:
        return self

    async def __anext__(self) -> str:
        self.n += 1
        if self.n > 6:
            raise StopAsyncIteration
        if self.n % 3 == 0:
            await anyio.sleep(0)
        return str(self.n)


class _Awaitable:
    """An awaitable that is neither a coroutine nor an async generator's step; it may wait for the event loop once."""

    def __init__(self, value: str, wait: bool) -> None:
        self.value = value
        self.wait = wait

    def __await__(self) -> Generator[Any, None, str]:
        if self.wait:
            yield from asyncio.sleep(0).__await__()
        return self.value


class AwaitableIterator:
    def __init__(self, *items: str, wait: bool) -> None:
        self.items = list(items)
        self.wait = wait

    def __aiter__(self) -> AwaitableIterator:
        return self

    def __anext__(self) -> _Awaitable:
        if not self.items:
            raise StopAsyncIteration
        return _Awaitable(self.items.pop(0), self.wait)


async def test_a_class_iterator_is_batched_like_a_generator() -> None:
    harness = Harness()
    await run(Stream(CoroutineIterator()).to_asgi_response(None), harness)
    # 1 and 2 were ready; 3 and 6 came after a wait: each goes at once, after what was held
    assert shapes(harness) == [(b"12", True), (b"3", True), (b"45", True), (b"6", True), (b"", False)]


async def test_an_iterator_returning_other_awaitables_is_batched_when_they_do_not_wait() -> None:
    harness = Harness()
    await run(Stream(AwaitableIterator("p", "q", wait=False)).to_asgi_response(None), harness)
    assert shapes(harness) == [(b"pq", False)]


async def test_an_iterator_returning_other_awaitables_that_wait_sends_each_item_at_once() -> None:
    harness = Harness()
    await run(Stream(AwaitableIterator("r", "s", wait=True)).to_asgi_response(None), harness)
    assert shapes(harness) == [(b"r", True), (b"s", True), (b"", False)]


async def test_sse_events_ready_together_share_a_message() -> None:
    harness = Harness()
    await run(ServerSentEvent(agen("a", "b"), retry_duration=10).to_asgi_response(None), harness)
    assert shapes(harness) == [(b"data: a\r\nretry: 10\r\n\r\ndata: b\r\nretry: 10\r\n\r\n", False)]


async def test_what_was_yielded_before_an_error_is_sent_before_the_error_propagates() -> None:
    harness = Harness()

    async def failing() -> AsyncGenerator[str, None]:
        yield "a"
        yield "b"
        raise RuntimeError("the source failed")

    with pytest.raises(RuntimeError, match="the source failed"):
        await run(Stream(failing()).to_asgi_response(None), harness)
    assert shapes(harness) == [(b"ab", True)]


async def test_a_send_failing_while_the_iterator_waits_stops_it_where_it_waits() -> None:
    """The held chunks are sent while the iterator waits; that send fails (the client left): it is cancelled there."""
    events: list[str] = []
    harness = Harness(send_error=OSError("gone"))
    harness.fail_after_chunks = 0

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            try:
                await anyio.sleep(10)
            except BaseException as exc:
                events.append(type(exc).__name__)
                raise
            yield "never"  # pragma: no cover
        finally:
            events.append("finally")

    await run(Stream(body()).to_asgi_response(None), harness)  # a quiet end
    assert events == ["CancelledError", "finally"]
    assert harness.body_messages == []


async def test_a_disconnect_while_the_ready_chunks_are_sent_closes_the_waiting_generator() -> None:
    events: list[str] = []
    harness = Harness()
    original_send = harness.send

    async def slow_send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            harness.left.set()  # the client leaves while this write is under way
            await anyio.sleep(1)
        await original_send(message)

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            await anyio.sleep(10)
            yield "never"  # pragma: no cover
        finally:
            events.append("finally")

    with anyio.fail_after(5):
        await Stream(body()).to_asgi_response(None)(
            {"type": "http", "method": "GET", "path": "/", "headers": [], "http_version": "1.1"},
            harness.receive,
            slow_send,
        )
    assert events == ["finally"]
    assert harness.body_messages == []


async def test_a_cancellation_from_outside_reaches_the_waiting_generator() -> None:
    events: list[str] = []
    started = asyncio.Event()
    harness = Harness()

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            started.set()
            await asyncio.sleep(10)
            yield "never"  # pragma: no cover
        except asyncio.CancelledError:
            events.append("cancelled")
            raise
        finally:
            events.append("finally")

    task = asyncio.ensure_future(
        Stream(body()).to_asgi_response(None)(
            {"type": "http", "method": "GET", "path": "/", "headers": [], "http_version": "1.1"},
            harness.receive,
            harness.send,
        )
    )
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert events == ["cancelled", "finally"]
    assert shapes(harness) == [(b"a", True)]


async def test_an_iterator_awaiting_in_its_finally_is_closed_cleanly_after_a_disconnect() -> None:
    events: list[str] = []
    harness = Harness()

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            harness.left.set()
            await anyio.sleep(10)
            yield "never"  # pragma: no cover
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.sleep(0)  # cleanup that waits
            events.append("cleaned up")

    await run(Stream(body()).to_asgi_response(None), harness)
    assert events == ["cleaned up"]
    assert harness.content == b"a"


@pytest.mark.parametrize("then", ["yield", "return"])
async def test_a_generator_swallowing_that_cancellation_still_ends_quietly_and_is_closed(then: str) -> None:
    events: list[str] = []
    harness = Harness(send_error=OSError("gone"))
    harness.fail_after_chunks = 0

    async def body() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            try:
                await anyio.sleep(10)
            except asyncio.CancelledError:
                events.append("swallowed")
            if then == "yield":
                yield "b"
                await anyio.sleep(10)  # pragma: no cover - closed at the yield before
        finally:
            events.append("finally")

    await run(Stream(body()).to_asgi_response(None), harness)
    assert events == ["swallowed", "finally"]
    assert harness.body_messages == []
    task = asyncio.current_task()
    assert task is not None
    assert task.cancelling() == 0  # the cancellation was the watch's, and is settled


class _EndsWhenAwaited:
    def __await__(self) -> Generator[Any, None, str]:
        yield None  # waits once, then finds the source exhausted
        raise StopAsyncIteration


class EndsOnAwaitIterator:
    def __init__(self) -> None:
        self.first = True

    def __aiter__(self) -> EndsOnAwaitIterator:
        return self

    def __anext__(self) -> _Awaitable | _EndsWhenAwaited:
        if self.first:
            self.first = False
            return _Awaitable("only", wait=False)
        return _EndsWhenAwaited()


async def test_an_awaitable_that_ends_the_iteration_when_awaited_ends_the_body() -> None:
    harness = Harness()
    await run(Stream(EndsOnAwaitIterator()).to_asgi_response(None), harness)
    assert shapes(harness) == [(b"only", True), (b"", False)]


@pytest.mark.parametrize("anyio_backend", ["trio"])
async def test_on_trio_each_chunk_is_its_own_message(anyio_backend: str) -> None:
    harness = Harness()
    await run(ServerSentEvent(agen("a", "b"), retry_duration=10).to_asgi_response(None), harness)
    assert shapes(harness) == [
        (b"data: a\r\nretry: 10\r\n\r\n", True),
        (b"data: b\r\nretry: 10\r\n\r\n", True),
        (b"", False),
    ]


async def test_the_iterators_own_timeout_firing_while_held_chunks_are_sent_reaches_only_the_iterator() -> None:
    """A slow client makes the send of the held chunks wait; the iterator's timeout meanwhile is its own affair."""
    harness = Harness()
    original_send = harness.send

    async def slow_send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and message["body"] == b"a":
            await asyncio.sleep(0.05)  # backpressure: the client reads slowly
        await original_send(message)

    async def body() -> AsyncGenerator[str, None]:
        yield "a"  # ready: held, then sent while the iterator waits below
        try:
            async with asyncio.timeout(0.01):
                await asyncio.Event().wait()
        except TimeoutError:
            yield "b"

    with anyio.fail_after(5):
        await Stream(body()).to_asgi_response(None)(
            {"type": "http", "method": "GET", "path": "/", "headers": [], "http_version": "1.1"},
            harness.receive,
            slow_send,
        )
    assert shapes(harness) == [(b"a", True), (b"b", True), (b"", False)]
    task = asyncio.current_task()
    assert task is not None
    assert task.cancelling() == 0
