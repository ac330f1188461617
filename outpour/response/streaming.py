"""Streaming responses: ``Stream``, and ``ASGIStreamingResponse`` which sends an iterator's chunks as they come.

How a stream is sent:

* Each chunk becomes one ``http.response.body`` message with ``more_body=True``; an empty message ends the body.
  ``str`` chunks are encoded with the response's ``encoding``, ``bytes`` go as they are.
* **Disconnects.** When the client goes away the iteration stops and the iterator is closed (an async generator's
  ``finally`` runs even while it awaits something). The disconnect is seen either by ``send`` raising ``OSError``
  (ASGI 2.4 servers) or by an ``http.disconnect`` message. That message is listened for only when nobody else can want
  ``receive``: once the request body is known to be complete, so that a handler may stream ``request.stream()`` back
  to the client. On asyncio the listener task is started lazily, at the first time the stream actually waits: a stream
  that is produced without waiting costs no extra task.
* **Sync iterators** (e.g. a plain generator, which may block) run in a worker thread. A thread fetches chunks ahead
  into a bounded buffer (64 chunks or 64 KiB) and wakes the event loop only when it is waiting, so the cost is one
  thread hop per batch instead of one per chunk; chunks already buffered are sent together.
* A HEAD request (or a status code without a body) gets the headers and no body; the iterator is closed unread.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
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


class _Watch:
    """Listens for ``http.disconnect`` while a stream is sent, and stops the stream when it comes.

    The stream's task is cancelled only while it is inside the streaming loop (``streaming``), so the cancellation
    always lands there, where it is turned into a quiet end of the response.
    """

    __slots__ = (
        "disconnected",
        "fired",
        "handle",
        "last_sent",
        "listener",
        "loop",
        "pending",
        "ping_handle",
        "ping_interval",
        "ping_message",
        "ping_task",
        "receive",
        "scope",
        "send",
        "send_lock",
        "streaming",
        "task",
    )

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        task: asyncio.Task[Any],
        scope: Scope,
        receive: Receive,
        send: Send,
        ping_interval: float | None,
        ping_message: bytes,
    ) -> None:
        self.loop = loop
        self.task = task
        self.receive = receive
        self.send = send
        self.scope = scope
        self.disconnected = False
        self.fired = False
        self.streaming = True
        self.pending = False
        self.listener: asyncio.Task[None] | None = None
        self.handle: asyncio.Handle | None = loop.call_soon(self.on_suspend)
        self.ping_interval = ping_interval
        self.ping_message = ping_message
        self.ping_task: asyncio.Task[None] | None = None
        self.ping_handle: asyncio.TimerHandle | None = None
        self.send_lock: asyncio.Lock | None = None
        self.last_sent = 0.0
        if ping_interval is not None:
            self.send_lock = asyncio.Lock()
            self.last_sent = loop.time()
            self.ping_handle = loop.call_later(ping_interval, self.on_ping_due)

    def on_suspend(self) -> None:
        """Runs at the first time the stream waits: start listening, or wait until the request body is complete."""
        self.handle = None
        if self.streaming:
            if request_body_done(self.scope):
                self.listener = self.loop.create_task(self.listen())
            else:
                self.pending = True

    def retry(self) -> None:
        """Called by the stream after a chunk while listening was put off: start once the body is complete."""
        if request_body_done(self.scope):
            self.pending = False
            self.listener = self.loop.create_task(self.listen())

    async def listen(self) -> None:
        await _wait_for_disconnect(self.receive, self.scope)
        self.on_disconnect()

    def on_disconnect(self) -> None:
        self.disconnected = True
        if self.streaming and not self.fired:
            self.fired = True
            self.task.cancel()

    async def locked_send(self, message: Message) -> None:
        async with self.send_lock:  # type: ignore[union-attr]
            await self.send(message)
            self.last_sent = self.loop.time()

    def on_ping_due(self) -> None:
        self.ping_handle = None
        if not self.streaming:
            return
        wait = self.last_sent + self.ping_interval - self.loop.time()  # type: ignore[operator]
        if wait > 0:
            self.ping_handle = self.loop.call_later(wait, self.on_ping_due)
        else:
            self.ping_task = self.loop.create_task(self.ping())

    async def ping(self) -> None:
        try:
            await self.locked_send({"type": "http.response.body", "body": self.ping_message, "more_body": True})
        except OSError:
            self.on_disconnect()
            return
        self.ping_task = None
        if self.streaming:
            self.ping_handle = self.loop.call_later(self.ping_interval, self.on_ping_due)  # type: ignore[arg-type]

    async def stop(self) -> None:
        """End the watch: no more cancellation of the stream; cancel and reap the helper tasks."""
        self.streaming = False
        if self.handle is not None:
            self.handle.cancel()
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
        watch = _Watch(loop, task, self.scope or {}, receive, send, self.ping_interval, self.ping_message)
        out = send if self.ping_interval is None else watch.locked_send
        try:
            try:
                if self._preamble:
                    await out({"type": "http.response.body", "body": self._preamble, "more_body": True})
                async for item in iterator:
                    await out({"type": "http.response.body", "body": convert(item), "more_body": True})
                    if watch.pending:
                        watch.retry()
                await out(_END)
            finally:
                watch.streaming = False
        except asyncio.CancelledError:
            if not watch.fired or task.uncancel() > 0:
                raise
        except OSError:
            pass  # the client went away (ASGI 2.4: send raises OSError)
        finally:
            try:
                await watch.stop()
            finally:
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
