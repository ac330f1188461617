"""Streaming responses: ``Stream``, and ``ASGIStreamingResponse`` which sends an iterator's chunks as they come.

How a stream is sent:

* Each chunk is one ``http.response.body`` message with ``more_body=True``, sent as soon as the iterator yields it;
  a last empty message has ``more_body=False``. ``str`` chunks are encoded with the response's ``encoding``,
  ``bytes`` go as they are. An iterator that never waits lets the event loop run once every 64 chunks.
* **Disconnects.** When the client goes away the iteration stops and the iterator is closed (an async generator's
  ``finally`` runs even while it awaits something: it is cancelled there). The disconnect is seen either by ``send``
  raising ``OSError`` (ASGI 2.4 servers) or by an ``http.disconnect`` message, or by the iterator itself when it reads
  the request body (``ClientDisconnected``). Servers of ASGI 2.3 (uvicorn, granian) drop what is sent after the client
  left without a word, so the message is the only sign: it is always listened for, but never while a ``Request`` is
  part-way through the body, so that a handler may stream ``request.stream()`` back to the client. A body nobody has
  begun to read, the listener reads and keeps (as ``Request.body()`` does), for the iterator to ask for later: an
  iterator must read the body through ``Request``, not through the raw ``receive``. On asyncio the listener task
  starts the first time the stream's task gives way to the event loop (one shared ``call_soon`` callback per loop):
  a stream sent without waiting costs no task and no ``receive``.
* **Sync iterators** (e.g. a plain generator, which may block) run in a worker thread. A thread fetches chunks ahead
  into a bounded buffer (64 chunks or 64 KiB), goes back to the pool when it is full, and is sent again once half of
  it is taken; it wakes the event loop only when that waits. So a fast iterator costs one thread hop per batch of
  chunks, not one per chunk. Measured for 1,000 chunks of 10 bytes (in-process, no server): ~2-5 µs per chunk,
  against ~60 µs per chunk with one ``anyio.to_thread.run_sync(next, ...)`` per chunk.
* A HEAD request (or a status code without a body) gets the headers and no body; the iterator is closed unread.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
import types
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

import anyio
import anyio.lowlevel

from outpour.connection.request import _COMPLETE, _STREAM_KEY, ClientDisconnected, read_body
from outpour.exceptions import OutpourException
from outpour.response._render import body_forbidden, content_type_header, media_type_str
from outpour.response.base import (
    ASGIResponse,
    Response,
    _encode_cookie,
    _encode_headers,
    _to_cookie_list,
    _to_header_dict,
    merge_cookies,
    merge_headers,
)

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

__all__ = [
    "ASGIStreamingResponse",
    "Stream",
    "is_stream_content",
    "send_stream",
    "send_stream_head",
    "stream_start",
    "stream_wire",
]

Chunk: TypeAlias = "str | bytes"
Convert: TypeAlias = "Callable[[Any], bytes]"

_MAX_BUFFERED_CHUNKS = 64
_MAX_BUFFERED_BYTES = 64 * 1024
_REFILL_CHUNKS = _MAX_BUFFERED_CHUNKS // 2
_END: Message = {"type": "http.response.body", "body": b"", "more_body": False}
_ASYNC_GENERATOR = types.AsyncGeneratorType
_get_running_loop = asyncio._get_running_loop
try:  # Python 3.12+: a C function
    from _asyncio import current_task as _current_task  # type: ignore[attr-defined]
except ImportError:  # Python 3.11: what asyncio.current_task(loop) does, without its Python frame
    _current_task = asyncio.tasks._current_tasks.get  # type: ignore[attr-defined]


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


def is_stream_content(content: Any) -> bool:
    """Whether ``content`` can be streamed: a sync or async iterator or iterable, or a callable returning one."""
    return callable(content) or isinstance(content, Iterable | AsyncIterable | Iterator | AsyncIterator)


def _resolve_content(content: Any) -> Any:
    """Call ``content`` if it is a callable that returns the iterator (a generator function, an iterator class)."""
    if callable(content) and not isinstance(content, Iterable | AsyncIterable | Iterator | AsyncIterator):
        return content()
    return content


async def _from_sequence(items: Iterable[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


def _iteration(content: Any, convert: Convert) -> tuple[Any, Iterable[Any] | None, Convert]:
    """Return how to iterate ``content``: an async iterator, or items held in memory, and how to convert its items.

    Sync generators and iterators go through a worker thread (``_ThreadedIterator``), which converts the items
    itself; lists, tuples and a single ``str``/``bytes`` are iterated in place (they cannot block).

    Raises:
        TypeError: If ``content`` cannot be iterated.
    """
    if type(content) is types.AsyncGeneratorType:
        return content, None, convert
    content = _resolve_content(content)
    if isinstance(content, str | bytes):
        return None, (content,), convert
    if isinstance(content, AsyncIterator):
        return content, None, convert
    if isinstance(content, AsyncIterable):
        return content.__aiter__(), None, convert
    if isinstance(content, list | tuple):
        return None, content, convert
    if isinstance(content, Iterable):
        return _ThreadedIterator(iter(content), convert), None, _as_bytes
    raise TypeError(
        f"A stream needs an iterator, an iterable, or a callable returning one; got `{content!r:.80}` "
        f"(a `{type(content).__name__}`)."
    )


def _to_async_iterator(content: Any, convert: Convert) -> tuple[AsyncIterator[Any], Convert]:
    """Return an async iterator over ``content`` and how to turn its items into bytes (for trio)."""
    iterator, items, convert = _iteration(content, convert)
    return (iterator if items is None else _from_sequence(items)), convert


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

    A fetch runs in a pooled thread while the buffer has room (64 chunks, 64 KiB), then returns the thread to the
    pool: a slow consumer holds no thread. Fetching starts again once half the buffer has been taken, so a fast
    iterator costs one trip to a thread per batch of chunks, and the thread wakes the event loop only when it waits.
    Items are converted to bytes in the thread; ``__anext__`` returns one chunk at a time.
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
                buffer = self._buffer
                if buffer:
                    chunk = buffer.popleft()
                    self._size -= len(chunk)
                    # Fetch again once half the buffer is sent: each trip to a thread brings a batch of chunks.
                    if not self._fetching and not self._exhausted and len(buffer) <= _REFILL_CHUNKS:
                        self._start_fetch()
                    return chunk
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


def receive_is_free(scope: Scope) -> bool:
    """Whether the response may call ``receive``: nobody is part-way through reading the request body.

    The ``Request`` records in the scope how far its body was read. Once the body is complete (or the client left),
    ``receive`` only reports the disconnect; a body that nobody has begun to read, the listener reads itself
    (``_wait_for_disconnect``).
    """
    state = scope.get(_STREAM_KEY)
    return state is None or bool(state >= _COMPLETE)


async def _wait_for_disconnect(receive: Receive, scope: Scope) -> None:
    """Return when ``receive`` reports the disconnect; call only when ``receive_is_free(scope)``."""
    if scope.get(_STREAM_KEY) is None:
        # Nobody has begun to read the request body: read it as `Request.body()` does, keeping it for a reader to
        # come (the iterator may ask for it later). Servers of ASGI < 2.4 (uvicorn, granian) drop what is sent after
        # the client left without a word: an unread body must not stop the listener from hearing the disconnect.
        try:
            await read_body(scope, receive)
        except ClientDisconnected:
            return
        except OutpourException:
            pass  # too large, or a bad `Content-Length`: nobody asked for it, the rest is dropped below
    while (await receive())["type"] != "http.disconnect":
        pass


# -- watching for a disconnect on asyncio -------------------------------------------------------------------------------

_YIELD_EVERY = 64
"""A stream whose iterator never waits lets the event loop run once every this many chunks."""
_POLL_SECONDS = 0.05
"""While the handler may still read the request body, how often to check whether listening can start."""
_STREAMING, _FIRED, _DONE = 0, 1, 2


class _Activator:
    """Starts the disconnect listeners of the streams of one event loop, the first time their tasks give way to it.

    One ``call_soon`` callback serves every stream registered since it last ran: a stream sent without ever waiting
    registers and unregisters itself (in ``send_stream``), and costs neither a callback of its own, nor a task, nor a
    ``receive``.
    """

    __slots__ = ("handle", "loop", "watches")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.watches: set[_Watch] = set()
        self.handle: asyncio.Handle | None = None

    def run(self) -> None:
        """Start the listeners of the streams registered since the last run (a ``call_soon`` callback)."""
        self.handle = None
        watches, self.watches = self.watches, set()
        for watch in watches:
            watch.start(self.loop)


_activator: _Activator | None = None
"""The activator of the event loop that last sent a stream (each loop gets its own)."""


def _get_activator(loop: asyncio.AbstractEventLoop) -> _Activator:
    global _activator
    activator = _activator
    if activator is None or activator.loop is not loop:
        activator = _activator = _Activator(loop)
    return activator


class _Watch:
    """The disconnect watch of one stream on asyncio: a listener task, started once the stream's task waits.

    The listener cancels the stream's task when ``http.disconnect`` comes; the cancellation is the stream's own only
    while it streams (``state``), and then becomes a quiet end of the response. While a ``Request`` is part-way
    through the body, listening is put off (checked every 50 ms), so that the response never takes its messages.
    """

    __slots__ = ("listener", "receive", "scope", "state", "task", "timer")

    def __init__(self, task: asyncio.Task[Any], scope: Scope, receive: Receive) -> None:
        self.task = task
        self.scope = scope
        self.receive = receive
        self.state = _STREAMING
        self.listener: asyncio.Task[None] | None = None
        self.timer: asyncio.TimerHandle | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start listening, or, while the request body is not complete, try again later."""
        self.timer = None
        if self.state != _STREAMING or self.listener is not None:
            return
        if receive_is_free(self.scope):
            self.listener = loop.create_task(self._listen())
        else:
            self.timer = loop.call_later(_POLL_SECONDS, self.start, loop)

    async def _listen(self) -> None:
        await _wait_for_disconnect(self.receive, self.scope)
        self.on_disconnect()

    def on_disconnect(self) -> None:
        """Cancel the stream's task, once, while it streams."""
        if self.state == _STREAMING:
            self.state = _FIRED
            self.task.cancel()

    async def stop(self) -> None:
        """Cancel and reap the timer and the listener."""
        self.state = _DONE
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.listener is not None:
            await _reap(self.listener, self.task)


async def _reap(helper: asyncio.Task[None], task: asyncio.Task[Any]) -> None:
    if helper.done():
        return
    helper.cancel()
    try:
        await helper
    except asyncio.CancelledError:
        if task.cancelling():
            raise


class _PingWatch(_Watch):
    """A ``_Watch`` that also sends a keep-alive message after each ``interval`` of silence; sends take a lock."""

    __slots__ = ("ended", "interval", "last_sent", "lock", "loop", "message", "ping_handle", "ping_task", "raw_send")

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        task: asyncio.Task[Any],
        scope: Scope,
        receive: Receive,
        send: Send,
        interval: float,
        message: bytes,
    ) -> None:
        super().__init__(task, scope, receive)
        self.loop = loop
        self.raw_send = send
        self.interval = interval
        self.message = message
        self.lock = asyncio.Lock()
        self.ended = False
        self.last_sent = loop.time()
        self.ping_task: asyncio.Task[None] | None = None
        self.ping_handle: asyncio.TimerHandle | None = loop.call_later(interval, self._on_ping_due)

    async def send(self, message: Message) -> None:
        """Send ``message``, never at the same time as a ping."""
        async with self.lock:
            if message is _END:
                self.ended = True  # no ping may follow the end of the body
            await self.raw_send(message)
            self.last_sent = self.loop.time()

    def _on_ping_due(self) -> None:
        self.ping_handle = None
        if self.state != _STREAMING:  # pragma: no cover - the timer is cancelled when the stream ends
            return
        wait = self.last_sent + self.interval - self.loop.time()
        if wait > 0:
            self.ping_handle = self.loop.call_later(wait, self._on_ping_due)
        else:
            self.ping_task = self.loop.create_task(self._ping())

    async def _ping(self) -> None:
        try:
            async with self.lock:
                if self.ended:
                    return
                await self.raw_send({"type": "http.response.body", "body": self.message, "more_body": True})
                self.last_sent = self.loop.time()
        except OSError:
            self.on_disconnect()  # the client left while the iterator waits: cancel it where it waits
            return
        self.ping_task = None
        if self.state == _STREAMING:
            self.ping_handle = self.loop.call_later(self.interval, self._on_ping_due)

    async def stop(self) -> None:
        """Cancel and reap the timers, the listener and a ping being sent."""
        self.state = _DONE
        if self.ping_handle is not None:
            self.ping_handle.cancel()
            self.ping_handle = None
        try:
            await super().stop()
        finally:
            if self.ping_task is not None:
                await _reap(self.ping_task, self.task)


# -- sending the body ---------------------------------------------------------------------------------------------------


async def send_stream(
    scope: Scope,
    receive: Receive,
    send: Send,
    start: Message | None,
    content: Any,
    convert: Convert,
    preamble: bytes,
    ping_interval: float | None,
    ping_message: bytes,
) -> None:
    """Send ``start`` (if given), then ``content`` as ``http.response.body`` messages, one per chunk, then the end.

    On asyncio this is one coroutine, with the disconnect watch of the module documentation; elsewhere (trio) it is
    ``_stream_anyio``, with a task group. Stops quietly when the client disconnects, closing the iterator.

    Args:
        scope: The ASGI scope.
        receive: The ASGI receive function.
        send: The ASGI send function.
        start: The ``http.response.start`` message (see ``stream_start``), or None when it was sent already.
        content: The stream's content (``Stream.iterator``).
        convert: Turns an item of ``content`` into bytes (see ``stream_wire``).
        preamble: Bytes sent before the first item.
        ping_interval: Seconds of silence after which ``ping_message`` is sent; None for no pings.
        ping_message: The keep-alive message.
    """
    if start is not None:
        await send(start)
    loop = _get_running_loop()
    task = _current_task(loop) if loop is not None else None
    if loop is None or task is None:
        aiterator, convert = _to_async_iterator(content, convert)
        await _stream_anyio(scope, receive, send, aiterator, convert, preamble, ping_interval, ping_message)
        return
    watch: _Watch
    if ping_interval is None:
        watch = _Watch(task, scope, receive)
    else:
        watch = _PingWatch(loop, task, scope, receive, send, ping_interval, ping_message)
        send = watch.send
    activator = _activator
    if activator is None or activator.loop is not loop:
        activator = _get_activator(loop)
    activator.watches.add(watch)
    if activator.handle is None:
        activator.handle = loop.call_soon(activator.run)
    iterator: Any = None
    finished = False
    try:
        if type(content) is _ASYNC_GENERATOR:
            iterator, items = content, None
        else:
            iterator, items, convert = _iteration(content, convert)
        if preamble:
            await send({"type": "http.response.body", "body": preamble, "more_body": True})
        budget = _YIELD_EVERY
        if items is not None:
            for item in items:
                await send({"type": "http.response.body", "body": convert(item), "more_body": True})
                budget -= 1
                if not budget:
                    budget = _YIELD_EVERY
                    await asyncio.sleep(0)
        elif convert is _chunk_to_bytes or convert is _as_bytes:  # bytes go as they are, without a call
            async for item in iterator:
                await send(
                    {
                        "type": "http.response.body",
                        "body": item if type(item) is bytes else convert(item),
                        "more_body": True,
                    }
                )
                if watch.state:  # the iterator swallowed the cancellation and went on: stop it here
                    raise asyncio.CancelledError
                budget -= 1
                if not budget:  # an iterator that never waits: let the server and the listener run now and then
                    budget = _YIELD_EVERY
                    await asyncio.sleep(0)
        else:
            async for item in iterator:
                await send({"type": "http.response.body", "body": convert(item), "more_body": True})
                if watch.state:
                    raise asyncio.CancelledError
                budget -= 1
                if not budget:
                    budget = _YIELD_EVERY
                    await asyncio.sleep(0)
        await send(_END)
        finished = True
    except asyncio.CancelledError:
        # A disconnect cancels this task (``_FIRED``); any other cancellation is not ours to swallow.
        if watch.state != _FIRED or task.uncancel() > 0:
            raise
    except (OSError, ClientDisconnected):
        pass  # the client went away: ASGI 2.4 servers raise OSError from send; a read body reports it too
    finally:
        try:
            activator.watches.discard(watch)
            if watch.listener is not None or watch.timer is not None or ping_interval is not None:
                await watch.stop()
            else:
                watch.state = _DONE
        finally:
            if not finished and iterator is not None:
                await _close_iterator(iterator)


async def _stream_anyio(
    scope: Scope,
    receive: Receive,
    send: Send,
    iterator: AsyncIterator[Any],
    convert: Convert,
    preamble: bytes,
    ping_interval: float | None,
    ping_message: bytes,
) -> None:
    """What ``send_stream`` does on asyncio, for other event loops (trio), with an anyio task group."""
    sender = _LockedSender(send) if ping_interval is not None else None
    out = send if sender is None else sender.send
    error: Exception | None = None
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(_listen, receive, scope, tg.cancel_scope)
            if sender is not None and ping_interval is not None:
                tg.start_soon(sender.ping, tg.cancel_scope, ping_interval, ping_message)
            try:
                if preamble:
                    await out({"type": "http.response.body", "body": preamble, "more_body": True})
                budget = _YIELD_EVERY
                async for item in iterator:
                    await out({"type": "http.response.body", "body": convert(item), "more_body": True})
                    budget -= 1
                    if not budget:
                        budget = _YIELD_EVERY
                        await anyio.lowlevel.checkpoint()
                await out(_END)
            except (OSError, ClientDisconnected):
                pass  # the client went away (ASGI 2.4: send raises OSError)
            except Exception as exc:
                error = exc  # raised below as itself, not wrapped in an exception group
            tg.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await _close_iterator(iterator)
    if error is not None:
        raise error


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
        self._convert: Convert = _chunk_to_bytes if encoding == "utf-8" else partial(_chunk_to_bytes, encoding=encoding)
        self._preamble = b""
        self.ping_interval: float | None = None
        self.ping_message = b""
        self.scope: Scope | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the response: the headers, the streamed body, then run the background tasks."""
        self.scope = scope
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.encode_headers()})
        await self.send_body(send, receive)
        if self.background is not None:
            await self.after_response()

    async def send_body(self, send: Send, receive: Receive) -> None:
        """Emit a stream of events correlating with the response body.

        Each chunk is one ``http.response.body`` message, sent as soon as the iterator yields it. Stops quietly when
        the client disconnects (an ``http.disconnect`` message, or ``OSError`` from ``send``), closing the iterator.

        Args:
            send: The ASGI send function.
            receive: The ASGI receive function.
        """
        if self.is_head_response or body_forbidden(self.status_code):
            await _close_iterator(_resolve_head_iterator(self.iterator))
            await send({"type": "http.response.body", "body": b""})
            return
        await send_stream(
            self.scope or {},
            receive,
            send,
            None,
            self.iterator,
            self._convert,
            self._preamble,
            self.ping_interval,
            self.ping_message,
        )


async def _listen(receive: Receive, scope: Scope, cancel_scope: anyio.CancelScope) -> None:
    while not receive_is_free(scope):  # the iterator is reading the body: wait until it is complete
        await anyio.sleep(_POLL_SECONDS)
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

    Raises:
        TypeError: When ``content`` is neither iterable nor callable (what a callable returns is checked when the
            response is sent).
    """

    __slots__ = ("iterator",)

    _wire_headers: ClassVar[tuple[tuple[bytes, bytes], ...]] = ()
    """Headers the class itself sends, encoded; over the layered ones, under the response's own."""
    _wire_header_names: ClassVar[frozenset[bytes]] = frozenset()
    """The names of ``_wire_headers``."""

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
        if not is_stream_content(content):
            raise TypeError(
                f"A `{type(self).__name__}` needs an iterator, an iterable, or a callable returning one (a generator "
                f"function, say); got `{content!r:.80}` (a `{type(content).__name__}`). Wrap a single value in a list, "
                "or return the generator instead of the value it produces."
            )
        # What Response.__init__ does, without its type encoders (chunks are str or bytes already).
        self.content = content  # type: ignore[assignment]
        self.iterator = content
        self.background = background
        self.cookies = _to_cookie_list(cookies) if cookies else []
        self.encoding = encoding
        self.headers = (dict(headers) if type(headers) is dict else _to_header_dict(headers)) if headers else {}
        self.media_type = media_type
        self.status_code = status_code
        self.response_type_encoders = type(self).type_encoders

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
        chosen = self.media_type or media_type or "application/json"
        return _streaming_response(
            self.iterator,
            self.background or background,
            merge_cookies(self.cookies, cookies) if cookies else self.cookies,
            self.encoding,
            merge_headers(self.headers, headers),
            is_head_response,
            chosen if type(chosen) is str else media_type_str(chosen),
            self.status_code or status_code or 200,
        )

    def _wire(self, type_encoders: TypeEncodersMap | None) -> Wire:
        """Return how the body is sent: the chunk converter, a preamble, the ping interval and ping message."""
        encoding = self.encoding
        return (_chunk_to_bytes if encoding == "utf-8" else partial(_chunk_to_bytes, encoding=encoding)), b"", None, b""


Wire: TypeAlias = "tuple[Convert, bytes, float | None, bytes]"


_UTF8_WIRE: Wire = (_chunk_to_bytes, b"", None, b"")
"""How a ``Stream`` in UTF-8 sends its body."""


def stream_wire(stream: Stream, type_encoders: TypeEncodersMap | None) -> Wire:
    """Return how ``stream`` sends its body (see ``Stream._wire``).

    Args:
        stream: The response.
        type_encoders: The layers' type encoders (for JSON event data).

    Returns:
        The chunk converter, a preamble, the ping interval and the ping message.
    """
    if type(stream) is Stream and stream.encoding == "utf-8":
        return _UTF8_WIRE
    return stream._wire(type_encoders)


def stream_start(
    stream: Stream,
    layered_headers: list[tuple[bytes, bytes]],
    layered_cookies: list[Cookie],
    encoded_cookies: list[tuple[bytes, bytes]],
    media_type: str,
    status_code: int,
) -> tuple[int, list[tuple[bytes, bytes]]]:
    """Work out the start line of a returned ``Stream`` (or ``ServerSentEvent``), without building its ASGI response.

    What ``stream.to_asgi_response(...)`` and the ``ASGIStreamingResponse`` would send: the fast path of a handler
    returning exactly one of these classes (a subclass may override ``to_asgi_response``: use that). A stream without
    headers or cookies of its own gets the same start line every time: the caller may keep it.

    Args:
        stream: The response.
        layered_headers: The layers' headers, encoded, names in lower case.
        layered_cookies: The layers' cookies, merged under the response's own when it has some.
        encoded_cookies: ``layered_cookies`` encoded, sent as they are when the response has no cookies.
        media_type: The handler's media type, used when the response has none.
        status_code: The handler's status code, used when the response has none.

    Returns:
        The status and the start-line headers.

    Raises:
        ValueError: When a header would corrupt the response.
    """
    status = stream.status_code or status_code
    own = stream.headers
    fixed = stream._wire_headers
    names: Any
    if own or (fixed and layered_headers):
        top = _encode_headers(own) if own else []
        names = {name for name, _ in top}
        if fixed:
            top = [pair for pair in fixed if pair[0] not in names] + top
            names.update(stream._wire_header_names)
        headers = [pair for pair in layered_headers if pair[0] not in names] + top
        names.update(name for name, _ in layered_headers)
    elif fixed:
        headers = list(fixed)
        names = stream._wire_header_names
    else:
        headers = list(layered_headers)
        names = {name for name, _ in headers} if headers else ()
    if b"content-type" not in names and not body_forbidden(status):
        chosen = stream.media_type or media_type
        headers.append(
            (
                b"content-type",
                content_type_header(chosen if type(chosen) is str else media_type_str(chosen), stream.encoding),
            )
        )
    if stream.cookies:
        cookies = merge_cookies(stream.cookies, layered_cookies)
        headers.extend([_encode_cookie(cookie) for cookie in cookies if not cookie.documentation_only])
    elif encoded_cookies:
        headers.extend(encoded_cookies)
    return status, headers


async def send_stream_head(send: Send, start: Message, content: Any) -> None:
    """Send a stream's start message and no body (a HEAD request, or a status without a body); close ``content``.

    Args:
        send: The ASGI send function.
        start: The ``http.response.start`` message.
        content: The stream's content (``Stream.iterator``), closed unread.
    """
    await send(start)
    await _close_iterator(_resolve_head_iterator(content))
    await send({"type": "http.response.body", "body": b""})


def _streaming_response(
    iterator: Any,
    background: BackgroundTask[Any] | BackgroundTasks | None,
    cookies: list[Cookie],
    encoding: str,
    headers: Mapping[str, Any],
    is_head_response: bool,
    media_type: str,
    status_code: int,
) -> ASGIStreamingResponse:
    """Build what ``ASGIStreamingResponse(...)`` builds from values a ``to_asgi_response`` already checked."""
    response = object.__new__(ASGIStreamingResponse)
    response.status_code = status_code
    response.body = b""
    response.background = background
    response.encoding = encoding
    response.is_head_response = is_head_response
    response.media_type = media_type
    response.cookies = [c for c in cookies if not c.documentation_only] if cookies else []
    if headers:
        response.headers = dict(headers)
        response.encoded_headers = _encode_headers(headers)
    else:
        response.headers = {}
        response.encoded_headers = []
    response.content_length = None
    response.iterator = iterator
    response._convert = _chunk_to_bytes if encoding == "utf-8" else partial(_chunk_to_bytes, encoding=encoding)
    response._preamble = b""
    response.ping_interval = None
    response.ping_message = b""
    response.scope = None
    return response
