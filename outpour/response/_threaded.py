"""Sync iterators streamed from a worker thread: ``ThreadedIterator``, an async iterator fetched ahead in batches.

A sync iterator (a plain generator, say) may block, so it never runs in the event loop. A pooled thread fetches its
chunks ahead into a bounded buffer (64 chunks or 64 KiB), goes back to the pool when the buffer is full, and is sent
again once half of it is taken; it wakes the event loop only when that waits. So a fast iterator costs one thread hop
per batch of chunks, not one per chunk. Measured for 1,000 chunks of 10 bytes (in-process, no server): ~2-5 µs per
chunk, against ~60 µs per chunk with one ``anyio.to_thread.run_sync(next, ...)`` per chunk.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeAlias

import anyio

from outpour._asyncio_internals import running_loop

__all__ = ["MAX_BUFFERED_BYTES", "MAX_BUFFERED_CHUNKS", "ThreadedIterator", "close_sync"]

Convert: TypeAlias = "Callable[[Any], bytes]"

MAX_BUFFERED_CHUNKS = 64
MAX_BUFFERED_BYTES = 64 * 1024
_REFILL_CHUNKS = MAX_BUFFERED_CHUNKS // 2

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
        self._loop = running_loop()
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


class ThreadedIterator:
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

    def __aiter__(self) -> ThreadedIterator:
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
                stop = done or self._closed or len(buffer) >= MAX_BUFFERED_CHUNKS or self._size >= MAX_BUFFERED_BYTES
                close = stop and self._closed and not done
                if stop:
                    self._fetching = False
                wake = self._waiting and (stop or bool(buffer))
                if wake:
                    self._waiting = False
            if wake:
                self._waker.wake_from_thread()  # type: ignore[union-attr]
            if close:
                close_sync(iterator)
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
            await anyio.to_thread.run_sync(close_sync, self._iterator)


def close_sync(iterator: Any) -> None:
    """Close a sync iterator that has ``close`` (a generator); others have nothing to close."""
    close = getattr(iterator, "close", None)
    if close is not None:
        close()
