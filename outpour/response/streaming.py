"""Streaming responses: ``Stream``, and ``ASGIStreamingResponse`` which sends an iterator's chunks as they come.

How a stream is sent:

* Chunks go out as ``http.response.body`` messages with ``more_body=True``; the last message has ``more_body=False``.
  ``str`` chunks are encoded with the response's ``encoding``, ``bytes`` go as they are. No chunk waits for the
  iterator: on asyncio, chunks the iterator produces back to back *without waiting* (for at most 1 ms and 64 KiB) are
  joined into one message, and whatever is held is sent as soon as the iterator starts waiting. A stream built in
  memory thus costs one message, not one per chunk; on other event loops every chunk is its own message.
* **Disconnects.** When the client goes away the iteration stops and the iterator is closed (an async generator's
  ``finally`` runs even while it awaits something). The disconnect is seen either by ``send`` raising ``OSError``
  (ASGI 2.4 servers) or by an ``http.disconnect`` message. That message is listened for only when nobody else can want
  ``receive``: once the request body is known to be complete, so that a handler may stream ``request.stream()`` back
  to the client. On asyncio the listener task starts the first time the iterator waits (or after 64 KiB or 1 ms of
  output): a stream produced without waiting costs no extra task.
* **Sync iterators** (e.g. a plain generator, which may block) run in a worker thread. A thread fetches chunks ahead
  into a bounded buffer (64 chunks or 64 KiB) and wakes the event loop only when it is waiting, so the cost is one
  thread hop per batch instead of one per chunk (10 chunks: ~0.15 ms instead of ~1.5 ms with a hop per chunk).
* A HEAD request (or a status code without a body) gets the headers and no body; the iterator is closed unread.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import threading
import time
import types
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeAlias

import anyio

from outpour.connection.request import _BODY_KEY, _COMPLETE, _STREAM_KEY
from outpour.response._render import body_forbidden, media_type_str
from outpour.response.base import ASGIResponse, Response, merge_cookies

if TYPE_CHECKING:
    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.connection import Request
    from outpour.datastructures.cookie import Cookie
    from outpour.enums import MediaType
    from outpour.types import (
        Message,
        Receive,
        ResponseCookies,
        ResponseHeaders,
        Scope,
        Send,
        StreamType,
        TypeEncodersMap,
    )

__all__ = ["ASGIStreamingResponse", "Stream"]

Chunk: TypeAlias = "str | bytes"
Convert: TypeAlias = "Callable[[Any], bytes]"

_MAX_BUFFERED_CHUNKS = 64
_MAX_BUFFERED_BYTES = 64 * 1024
_END: Message = {"type": "http.response.body", "body": b"", "more_body": False}


# -- chunks -------------------------------------------------------------------------------------------------------------


def _chunk_to_bytes(chunk: Any, encoding: str = "utf-8") -> bytes:
    if type(chunk) is bytes:
        return chunk
    if isinstance(chunk, str):
        return chunk.encode(encoding)
    if isinstance(chunk, bytes | bytearray | memoryview):
        return bytes(chunk)
    raise TypeError(
        f"A stream yielded a `{type(chunk).__name__}` ({chunk!r:.80}): a `Stream` sends `str` or `bytes` chunks. "
        "Encode the value first (e.g. with `outpour.serialization.encode_json`), or use `ServerSentEvent`."
    )


def _resolve_content(content: Any) -> Any:
    """Call ``content`` if it is a callable that returns the iterator (a generator function, an iterator class)."""
    if callable(content) and not isinstance(content, Iterable | AsyncIterable | Iterator | AsyncIterator):
        return content()
    return content


async def _from_sequence(items: Iterable[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


def _to_async_iterator(content: Any, convert: Convert) -> tuple[AsyncIterator[Any], Convert]:
    """Return an async iterator over ``content`` and the function that turns its items into bytes.

    Sync generators and iterators go through a worker thread, which converts the items itself; lists, tuples and a
    single ``str``/``bytes`` are iterated in place (they cannot block).
    """
    if type(content) is types.AsyncGeneratorType:
        return content, convert
    content = _resolve_content(content)
    if isinstance(content, str | bytes):
        return _from_sequence((content,)), convert
    if isinstance(content, AsyncIterator):
        return content, convert
    if isinstance(content, AsyncIterable):
        return content.__aiter__(), convert
    if isinstance(content, list | tuple):
        return _from_sequence(content), convert
    if isinstance(content, Iterable):
        return _ThreadedIterator(iter(content), convert), _as_bytes
    raise TypeError(
        f"A stream needs an iterator, an iterable, or a callable returning one; got `{content!r:.80}` "
        f"(a `{type(content).__name__}`)."
    )


def _as_bytes(chunk: bytes) -> bytes:
    return chunk


async def _close_iterator(iterator: Any) -> None:
    aclose = getattr(iterator, "aclose", None)
    if aclose is not None:
        await aclose()
        return
    close = getattr(iterator, "close", None)
    if close is not None:  # pragma: no cover - a sync iterator is wrapped in _ThreadedIterator, which has aclose
        close()


# -- sync iterators in a worker thread ----------------------------------------------------------------------------------

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _get_executor() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        with _executor_lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(
                    max_workers=min(64, (os.cpu_count() or 1) + 32), thread_name_prefix="outpour-stream"
                )
    return _executor


class _Waker:
    """Lets a worker thread wake the event loop task that waits for it (asyncio or trio)."""

    __slots__ = ("_event", "_future", "_loop", "_token")

    def __init__(self) -> None:
        self._loop = asyncio._get_running_loop()
        self._future: asyncio.Future[None] | None = None
        self._event: Any = None
        self._token: Any = None
        if self._loop is None:
            import trio

            self._token = trio.lowlevel.current_trio_token()

    def arm(self) -> None:
        """Prepare a wait; call with the buffer's lock held, then ``wait`` without it."""
        if self._loop is not None:
            self._future = self._loop.create_future()
        else:
            import trio

            self._event = trio.Event()

    async def wait(self) -> None:
        if self._future is not None:
            await self._future
        else:
            await self._event.wait()

    def wake_from_thread(self) -> None:
        try:
            if self._loop is not None:
                self._loop.call_soon_threadsafe(_set_future, self._future)
            else:
                self._token.run_sync_soon(self._event.set)
        except RuntimeError:  # pragma: no cover - the event loop is closed: nobody waits any more
            pass


def _set_future(future: asyncio.Future[None] | None) -> None:
    if future is not None and not future.done():
        future.set_result(None)


class _ThreadedIterator:
    """An async iterator over a sync iterator, fetched ahead in a worker thread.

    A fetch runs in a pooled thread while the buffer has room, then returns the thread to the pool: a slow consumer
    holds no thread. Items are converted to bytes in the thread; ``__anext__`` returns everything buffered, joined.
    """

    __slots__ = (
        "_buffer",
        "_closed",
        "_convert",
        "_error",
        "_exhausted",
        "_fetching",
        "_iterator",
        "_lock",
        "_size",
        "_waiting",
        "_waker",
    )

    def __init__(self, iterator: Iterator[Any], convert: Convert) -> None:
        self._iterator = iterator
        self._convert = convert
        self._buffer: deque[bytes] = deque()
        self._size = 0
        self._lock = threading.Lock()
        self._fetching = False
        self._exhausted = False
        self._closed = False
        self._waiting = False
        self._error: BaseException | None = None
        self._waker: _Waker | None = None

    def __aiter__(self) -> _ThreadedIterator:
        return self

    async def __anext__(self) -> bytes:
        while True:
            with self._lock:
                if self._buffer:
                    chunks = list(self._buffer)
                    self._buffer.clear()
                    self._size = 0
                    if not self._fetching and not self._exhausted:
                        self._start_fetch()
                    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
                if self._exhausted:
                    error, self._error = self._error, None
                    if error is not None:
                        raise error
                    raise StopAsyncIteration
                if self._waker is None:
                    self._waker = _Waker()
                self._waker.arm()
                self._waiting = True
                if not self._fetching:
                    self._start_fetch()
            await self._waker.wait()

    def _start_fetch(self) -> None:
        self._fetching = True
        _get_executor().submit(self._fetch)

    def _fetch(self) -> None:
        """Runs in a worker thread: fetch items until the buffer is full, the iterator ends, or the stream closes."""
        iterator, convert, lock, buffer = self._iterator, self._convert, self._lock, self._buffer
        while True:
            chunk = b""
            done = False
            error: BaseException | None = None
            try:
                chunk = convert(next(iterator))
            except StopIteration:
                done = True
            except BaseException as exc:
                done = True
                error = exc
            with lock:
                if done:
                    self._exhausted = True
                    self._error = error
                elif chunk:
                    buffer.append(chunk)
                    self._size += len(chunk)
                stop = done or self._closed or len(buffer) >= _MAX_BUFFERED_CHUNKS or self._size >= _MAX_BUFFERED_BYTES
                close = stop and self._closed and not done
                if stop:
                    self._fetching = False
                wake = self._waiting and (stop or bool(buffer))
                if wake:
                    self._waiting = False
            if wake:
                self._waker.wake_from_thread()  # type: ignore[union-attr]
            if close:
                _close_sync(iterator)
            if stop:
                return

    async def aclose(self) -> None:
        """Stop fetching and close the sync iterator (in a worker thread, so that its ``finally`` may block)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._fetching or self._exhausted:
                return  # the running fetch closes it when its current item is done
            self._fetching = True
        if inspect.isgenerator(self._iterator) and inspect.getgeneratorstate(self._iterator) == "GEN_CREATED":
            self._iterator.close()  # never started: nothing of it runs
            return
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(_close_sync, self._iterator)


def _close_sync(iterator: Any) -> None:
    close = getattr(iterator, "close", None)
    if close is not None:
        close()


# -- disconnect detection -----------------------------------------------------------------------------------------------


def request_may_have_body(scope: Scope) -> bool:
    """Whether a request may carry body bytes, judged by its headers.

    A request with neither ``Content-Length`` nor ``Transfer-Encoding`` has no body in HTTP/1.x; over HTTP/2 and 3 the
    frames carry it, so only a GET or HEAD without ``Content-Length`` is taken as bodiless there.
    """
    length: bytes | None = None
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            length = value
        elif name == b"transfer-encoding":
            return True
    if length is not None:
        return length.strip() not in (b"0", b"")
    if scope.get("http_version", "1.1") in ("1.0", "1.1"):
        return False
    return scope.get("method") not in ("GET", "HEAD")


def request_body_done(scope: Scope) -> bool:
    """Whether the request body has been received in full (or the client left), so that ``receive`` is free.

    The ``Request`` records in the scope how far its body was read; a request nobody read is judged by its headers.
    """
    state = scope.get(_STREAM_KEY)
    if state is not None:
        return bool(state >= _COMPLETE)
    return not request_may_have_body(scope)


def _keep_body(scope: Scope, message: Message) -> None:
    """Keep the (empty) body message a disconnect listener received, so that ``Request.body()`` still finds it."""
    if scope.get(_STREAM_KEY) is None and not message.get("more_body", False):
        scope[_BODY_KEY] = message.get("body", b"")
        scope[_STREAM_KEY] = _COMPLETE


# -- sending an async iterator on asyncio -------------------------------------------------------------------------------

_HOLD_SECONDS = 0.001
_READY: Any = object()


@types.coroutine
def _resume(step: Any, waiting_on: Any) -> Generator[Any, Any, Any]:
    """Go on awaiting ``step`` (an awaitable's iterator, already started, now waiting on ``waiting_on``)."""
    while True:
        try:
            sent = yield waiting_on
        except BaseException as exc:
            try:
                waiting_on = step.throw(exc)
            except StopIteration as done:
                return done.value
        else:
            try:
                waiting_on = step.send(sent)
            except StopIteration as done:
                return done.value


class _AsyncioSender:
    """Sends an async iterator's chunks on asyncio, listening for a disconnect once the stream has to wait.

    Chunks the iterator produces back to back, without waiting, are joined into one message (for at most 1 ms and
    64 KiB): a stream made in memory costs one message, not one per chunk, and no extra task. Nothing is held while the
    iterator waits: when it starts waiting, what is held is sent first. The iterator is driven step by step to see
    that moment; the first time it comes, a task starts listening for ``http.disconnect``, which cancels the stream.
    The cancellation lands only inside ``run`` (``streaming``), where it becomes a quiet end of the response.
    """

    __slots__ = (
        "fired",
        "gone",
        "last_sent",
        "listener",
        "loop",
        "pending",
        "ping_handle",
        "ping_interval",
        "ping_message",
        "ping_task",
        "raw_send",
        "receive",
        "scope",
        "send",
        "send_lock",
        "streaming",
        "task",
    )

    def __init__(
        self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[Any], scope: Scope, receive: Receive, send: Send
    ) -> None:
        self.loop = loop
        self.task = task
        self.scope = scope
        self.receive = receive
        self.send = send
        self.fired = False
        self.gone = False
        self.streaming = True
        self.pending = False
        self.listener: asyncio.Task[None] | None = None
        self.ping_interval: float | None = None
        self.ping_message = b""
        self.ping_task: asyncio.Task[None] | None = None
        self.ping_handle: asyncio.TimerHandle | None = None
        self.send_lock: asyncio.Lock | None = None
        self.last_sent = 0.0

    # -- disconnects --

    def listen(self) -> None:
        """Start listening for a disconnect, or, while the request body is not complete, put it off."""
        if request_body_done(self.scope):
            self.pending = False
            self.listener = self.loop.create_task(self._listen())
        else:
            self.pending = True

    async def _listen(self) -> None:
        await _wait_for_disconnect(self.receive, self.scope)
        self.on_disconnect()

    def on_disconnect(self) -> None:
        if self.streaming and not self.fired:
            self.fired = True
            self.task.cancel()

    # -- keep-alive pings --

    def start_pings(self, interval: float, message: bytes) -> None:
        self.ping_interval = interval
        self.ping_message = message
        self.send_lock = asyncio.Lock()
        self.raw_send = self.send
        self.send = self._locked_send
        self.last_sent = self.loop.time()
        self.ping_handle = self.loop.call_later(interval, self._on_ping_due)
        self.listen()

    async def _locked_send(self, message: Message) -> None:
        async with self.send_lock:  # type: ignore[union-attr]
            await self.raw_send(message)
            self.last_sent = self.loop.time()

    def _on_ping_due(self) -> None:
        self.ping_handle = None
        if not self.streaming:
            return
        wait = self.last_sent + self.ping_interval - self.loop.time()  # type: ignore[operator]
        if wait > 0:
            self.ping_handle = self.loop.call_later(wait, self._on_ping_due)
        else:
            self.ping_task = self.loop.create_task(self._ping())

    async def _ping(self) -> None:
        try:
            await self.send({"type": "http.response.body", "body": self.ping_message, "more_body": True})
        except OSError:
            self.on_disconnect()
            return
        self.ping_task = None
        if self.streaming:
            self.ping_handle = self.loop.call_later(self.ping_interval, self._on_ping_due)  # type: ignore[arg-type]

    # -- the stream --

    async def run(self, iterator: AsyncIterator[Any], convert: Convert, preamble: bytes) -> bool:
        """Send the chunks of ``iterator`` and end the body; return True when the iterator needs no closing."""
        try:
            return await self._drive(iterator, convert, preamble)
        finally:
            self.streaming = False

    async def _drive(self, iterator: AsyncIterator[Any], convert: Convert, preamble: bytes) -> bool:
        raw = convert is _chunk_to_bytes
        clock = time.perf_counter
        hold_seconds = _HOLD_SECONDS
        max_held = _MAX_BUFFERED_BYTES
        anext_ = iterator.__anext__
        direct = type(iterator) is types.AsyncGeneratorType  # its steps have send() and throw() themselves
        held: list[bytes] = [preamble] if preamble else []
        size = len(preamble)
        mark = clock()
        while True:
            step: Any = anext_() if direct else anext_().__await__()
            item: Any = None
            try:
                waiting_on = step.send(None)
            except StopIteration as done:
                item = done.value
            except StopAsyncIteration:
                break
            else:  # the iterator waits
                if self.listener is None:
                    self.listen()  # or, while the request body is not complete, try again at the next wait
                try:
                    if held:
                        message = {"type": "http.response.body", "body": b"".join(held), "more_body": True}
                        sent, waiting_on, item = await self._send_while_waiting(step, waiting_on, message)
                        if sent:
                            held, size = [], 0
                        elif self.gone:  # the iterator ignored the cancellation: stop it where it waits
                            with contextlib.suppress(GeneratorExit, StopIteration, StopAsyncIteration, RuntimeError):
                                step.throw(GeneratorExit)
                            return True  # nothing left to close (or it cannot be, as it insists on waiting)
                    if waiting_on is not _READY:
                        item = await _resume(step, waiting_on)
                except StopAsyncIteration:
                    break
                mark = clock()
            body = item if raw and type(item) is bytes else convert(item)
            held.append(body)
            size += len(body)
            if size >= max_held or clock() - mark >= hold_seconds:
                await self.send({"type": "http.response.body", "body": b"".join(held), "more_body": True})
                held, size = [], 0
                # A stream that does not wait: let the server and the disconnect listener run now and then.
                if self.listener is None:
                    self.listen()
                await asyncio.sleep(0)
                mark = clock()
        await self.send({"type": "http.response.body", "body": b"".join(held), "more_body": False})
        return True

    async def _send_while_waiting(self, step: Any, waiting_on: Any, message: Message) -> tuple[bool, Any, Any]:
        """Send ``message`` while the iterator's ``step`` waits on ``waiting_on``.

        Whatever interrupts the send (a cancellation, the client leaving) is thrown into the iterator where it waits,
        as if it had come during that wait: a timeout of the iterator's own then behaves as it would without the send,
        and a client that left is reported to it as a cancellation.

        Returns:
            Whether the message was sent, then what the step waits on, or ``_READY`` and the item it produced.
        """
        try:
            await self.send(message)
        except BaseException as exc:
            if isinstance(exc, OSError):
                self.gone = True
                exc = asyncio.CancelledError()
            try:
                return False, step.throw(exc), None
            except StopIteration as done:
                return False, _READY, done.value
        return True, waiting_on, None

    async def stop(self) -> None:
        """Cancel and reap the helper tasks and timers."""
        self.streaming = False
        if self.ping_handle is not None:
            self.ping_handle.cancel()
        helpers = [t for t in (self.listener, self.ping_task) if t is not None and not t.done()]
        for helper in helpers:
            helper.cancel()
        for helper in helpers:
            try:
                await helper
            except asyncio.CancelledError:
                if self.task.cancelling():
                    raise


# -- the ASGI response --------------------------------------------------------------------------------------------------


class ASGIStreamingResponse(ASGIResponse):
    """A streaming response: sends the iterator's chunks as ``http.response.body`` messages, as they are produced.

    Args:
        iterator: A sync or async iterator or iterable of ``str`` or ``bytes`` chunks.
        background: A background task or a list of background tasks to be executed after the response is sent.
        content_length: The response content length, when it is known in advance; otherwise the server uses chunked
            transfer encoding.
        cookies: The response cookies.
        encoding: The encoding of ``str`` chunks.
        headers: The response headers.
        is_head_response: A boolean indicating if the response is a HEAD response: only headers are sent.
        media_type: The response media type.
        status_code: The response status code.
    """

    __slots__ = ("_convert", "_preamble", "iterator", "ping_interval", "ping_message", "scope")

    def __init__(
        self,
        *,
        iterator: StreamType[Chunk] | Callable[[], StreamType[Chunk]],
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        content_length: int | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoding: str = "utf-8",
        headers: Mapping[str, Any] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(
            background=background,
            content_length=content_length,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            is_head_response=is_head_response,
            media_type=media_type,
            status_code=status_code,
        )
        self.content_length = None if body_forbidden(self.status_code) else content_length
        self.iterator: Any = iterator
        self._convert: Convert = _chunk_to_bytes if encoding == "utf-8" else lambda c: _chunk_to_bytes(c, encoding)
        self._preamble = b""
        self.ping_interval: float | None = None
        self.ping_message = b""
        self.scope: Scope | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the response: the headers, the streamed body, then run the background tasks."""
        self.scope = scope
        await self.start_response(send)
        await self.send_body(send, receive)
        if self.background is not None:
            await self.after_response(scope)

    async def send_body(self, send: Send, receive: Receive) -> None:
        """Emit a stream of events correlating with the response body.

        Stops quietly when the client disconnects (an ``http.disconnect`` message, or ``OSError`` from ``send``),
        closing the iterator.

        Args:
            send: The ASGI send function.
            receive: The ASGI receive function.
        """
        if self.is_head_response or body_forbidden(self.status_code):
            await _close_iterator(_resolve_head_iterator(self.iterator))
            await send({"type": "http.response.body", "body": b""})
            return
        iterator, convert = _to_async_iterator(self.iterator, self._convert)
        loop = asyncio._get_running_loop()
        task = asyncio.current_task() if loop is not None else None
        if loop is not None and task is not None:
            await self._stream_asyncio(iterator, convert, send, receive, loop, task)
        else:
            await self._stream_anyio(iterator, convert, send, receive)

    async def _stream_asyncio(
        self,
        iterator: AsyncIterator[Any],
        convert: Convert,
        send: Send,
        receive: Receive,
        loop: asyncio.AbstractEventLoop,
        task: asyncio.Task[Any],
    ) -> None:
        sender = _AsyncioSender(loop, task, self.scope or {}, receive, send)
        if self.ping_interval is not None:
            sender.start_pings(self.ping_interval, self.ping_message)
        finished = False
        try:
            finished = await sender.run(iterator, convert, self._preamble)
        except asyncio.CancelledError:
            # A disconnect cancels this task (``fired``), or, when ``send`` failed while the iterator waited, is thrown
            # into the iterator as a cancellation (``gone``); any other cancellation is not ours to swallow.
            if sender.fired:
                if task.uncancel() > 0:
                    raise
            elif not sender.gone:
                raise
        except OSError:
            pass  # the client went away (ASGI 2.4: send raises OSError)
        finally:
            try:
                if sender.listener is not None or sender.ping_interval is not None:
                    await sender.stop()
            finally:
                if not finished:
                    await _close_iterator(iterator)

    async def _stream_anyio(self, iterator: AsyncIterator[Any], convert: Convert, send: Send, receive: Receive) -> None:
        """The same as ``_stream_asyncio`` for other event loops (trio), with an anyio task group."""
        sender = _LockedSender(send) if self.ping_interval is not None else None
        out = send if sender is None else sender.send
        scope = self.scope or {}
        error: Exception | None = None
        try:
            async with anyio.create_task_group() as tg:
                pending = not request_body_done(scope)
                if not pending:
                    tg.start_soon(_listen, receive, scope, tg.cancel_scope)
                if sender is not None and self.ping_interval is not None:
                    tg.start_soon(sender.ping, tg.cancel_scope, self.ping_interval, self.ping_message)
                try:
                    if self._preamble:
                        await out({"type": "http.response.body", "body": self._preamble, "more_body": True})
                    async for item in iterator:
                        await out({"type": "http.response.body", "body": convert(item), "more_body": True})
                        if pending and request_body_done(scope):
                            pending = False
                            tg.start_soon(_listen, receive, scope, tg.cancel_scope)
                    await out(_END)
                except OSError:
                    pass  # the client went away (ASGI 2.4: send raises OSError)
                except Exception as exc:
                    error = exc  # raised below as itself, not wrapped in an exception group
                tg.cancel_scope.cancel()
        finally:
            with anyio.CancelScope(shield=True):
                await _close_iterator(iterator)
        if error is not None:
            raise error


async def _wait_for_disconnect(receive: Receive, scope: Scope) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        _keep_body(scope, message)


async def _listen(receive: Receive, scope: Scope, cancel_scope: anyio.CancelScope) -> None:
    await _wait_for_disconnect(receive, scope)
    cancel_scope.cancel()


class _LockedSender:
    """Serialises the sends of a stream and of its keep-alive pings (anyio version)."""

    __slots__ = ("_send", "last_sent", "lock")

    def __init__(self, send: Send) -> None:
        self._send = send
        self.lock = anyio.Lock()
        self.last_sent = anyio.current_time()

    async def send(self, message: Message) -> None:
        async with self.lock:
            await self._send(message)
            self.last_sent = anyio.current_time()

    async def ping(self, scope: anyio.CancelScope, interval: float, message: bytes) -> None:
        while True:
            await anyio.sleep(self.last_sent + interval - anyio.current_time())
            if anyio.current_time() - self.last_sent >= interval:
                try:
                    await self.send({"type": "http.response.body", "body": message, "more_body": True})
                except OSError:
                    scope.cancel()
                    return


def _resolve_head_iterator(iterator: Any) -> Any:
    if callable(iterator) and not isinstance(iterator, Iterable | AsyncIterable | Iterator | AsyncIterator):
        return None  # never called: nothing to close
    if isinstance(iterator, Iterator) and not isinstance(iterator, list | tuple):
        return _ThreadedIterator(iterator, _as_bytes)
    return iterator


# -- the response ---------------------------------------------------------------------------------------------------


class Stream(
    Response[Iterable[str | bytes] | Iterator[str | bytes] | AsyncIterable[str | bytes] | AsyncIterator[str | bytes]]
):
    """An HTTP response that streams the response data as a series of ASGI ``http.response.body`` events.

    See the module documentation for how chunks are sent and how a client that leaves stops the iterator.

    Args:
        content: A sync or async iterator or iterable (a generator, a list, an iterator class's instance), or a
            callable returning one (a generator function, an iterator class). ``str`` chunks are encoded with
            ``encoding``; ``bytes`` chunks are sent as they are.
        background: A ``BackgroundTask`` instance or ``BackgroundTasks`` to execute after the response is finished.
        cookies: A list of ``Cookie`` instances to be set under the response ``Set-Cookie`` header.
        encoding: The encoding of ``str`` chunks (and of the charset of a text media type).
        headers: A string keyed dictionary of response headers. Header keys are insensitive.
        media_type: A value for the response ``Content-Type`` header.
        status_code: An HTTP status code.
    """

    __slots__ = ("iterator",)

    def __init__(
        self,
        content: StreamType[Chunk] | Callable[[], StreamType[Chunk]],
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(
            content,  # type: ignore[arg-type]
            background=background,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            media_type=media_type,
            status_code=status_code,
        )
        self.iterator = content

    def to_asgi_response(
        self,
        request: Request[Any, Any, Any] | None,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: Iterable[Cookie] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> ASGIResponse:
        """Create an ``ASGIStreamingResponse`` from this ``Stream``.

        Args:
            request: The request being answered.
            background: Background task(s) to be executed after the response is sent, used when the response has none.
            cookies: Cookies to be set on the response; the response's own win.
            headers: Additional headers to be merged with the response headers. Response headers take precedence.
            is_head_response: Whether the response is a HEAD response.
            media_type: Media type for the response, used when the response has none.
            status_code: Status code for the response, used when the response has none.
            type_encoders: Unused: stream chunks are already ``str`` or ``bytes``.

        Returns:
            An ``ASGIStreamingResponse`` instance.
        """
        response = ASGIStreamingResponse(
            iterator=self.iterator,
            background=self.background or background,
            cookies=merge_cookies(self.cookies, cookies),
            encoding=self.encoding,
            headers={**headers, **self.headers} if headers else self.headers,
            is_head_response=is_head_response,
            media_type=media_type_str(self.media_type or media_type or "application/json"),
            status_code=self.status_code or status_code,
        )
        return response
