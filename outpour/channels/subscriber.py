"""``Subscriber``: one event stream, the sum of the events of every channel it is subscribed to.

The plugin puts each event published to a channel into the backlog of every subscriber of that channel; the
subscriber hands them out through ``iter_events()`` or to a callback with ``run_in_background()``. A backlog is
bounded by ``max_backlog``: when it is full, ``"backoff"`` drops the incoming event and ``"dropleft"`` drops the oldest
one, so a slow client never costs more than ``max_backlog`` events of memory.

Closing the iterator ``iter_events()`` returned (a streamed response does so when its client disconnects), or
cancelling the task waiting on it, ends the subscription at once: the subscriber stops receiving events and the plugin
forgets it, even when the iterator was never started. Breaking out of an ``async for`` and calling ``iter_events()``
again keeps the subscription: only the latest iterator ends it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeAlias, TypeVar

if TYPE_CHECKING:
    from types import TracebackType

    from outpour.channels.plugin import ChannelsPlugin

__all__ = ["AsyncDeque", "BacklogStrategy", "EventCallback", "Subscriber"]

T = TypeVar("T")

BacklogStrategy: TypeAlias = Literal["backoff", "dropleft"]
"""What a full backlog does with a new event: drop it (``"backoff"``) or drop the oldest one (``"dropleft"``)."""
EventCallback: TypeAlias = Callable[[bytes], Awaitable[Any]]
"""An async callable ``run_in_background`` calls with each event."""


class AsyncDeque(asyncio.Queue[T], Generic[T]):
    """An ``asyncio.Queue`` that never blocks a producer: once ``maxsize`` items wait, adding one drops the oldest.

    Args:
        maxsize: How many items it keeps; ``None`` for no bound.
    """

    def __init__(self, maxsize: int | None) -> None:
        self._deque_maxlen = maxsize
        super().__init__()  # unbounded for asyncio.Queue: the deque itself drops the oldest item

    def _init(self, maxsize: int) -> None:
        self._queue: deque[T] = deque(maxlen=self._deque_maxlen)

    def _put(self, item: T) -> None:
        self._queue.append(item)

    def _get(self) -> T:
        return self._queue.popleft()


class _Backlog:
    """A subscriber's waiting events: what ``asyncio.Queue`` does for it, with a full backlog's strategy built in.

    One deque; ``put_nowait`` never waits (a full ``"backoff"`` backlog refuses the event, a ``"dropleft"`` one drops
    its oldest); readers wait in ``get``; ``put`` (history) waits for room. Its own class rather than an
    ``asyncio.Queue``: an event is put into every subscriber's backlog, so its few calls count once per delivery.
    """

    __slots__ = ("_bounded", "_getters", "_items", "_maxsize", "_putters")

    def __init__(self, maxsize: int | None, dropleft: bool) -> None:
        self._maxsize = maxsize or 0
        self._bounded = bool(maxsize) and not dropleft  # a "backoff" backlog refuses events once full
        self._items: deque[bytes | None] = deque(maxlen=maxsize if dropleft and maxsize else None)
        self._getters: deque[asyncio.Future[None]] = deque()
        self._putters: deque[asyncio.Future[None]] = deque()

    def qsize(self) -> int:
        return len(self._items)

    def empty(self) -> bool:
        return not self._items

    def full(self) -> bool:
        return self._bounded and len(self._items) >= self._maxsize

    def put_nowait(self, item: bytes | None) -> bool:
        """Add ``item`` unless a "backoff" backlog is full; wake a reader."""
        if self._bounded and len(self._items) >= self._maxsize:
            return False
        self._items.append(item)
        if self._getters:
            _wake_one(self._getters)
        return True

    def get_nowait(self) -> bytes | None:
        """Take the oldest item (there is one); wake a writer waiting for room."""
        item = self._items.popleft()
        if self._putters:
            _wake_one(self._putters)
        return item

    async def get(self) -> bytes | None:
        """Take the oldest item, waiting for one."""
        items = self._items
        while not items:
            getter = asyncio.get_running_loop().create_future()
            self._getters.append(getter)
            try:
                await getter
            except BaseException:
                getter.cancel()
                with contextlib.suppress(ValueError):
                    self._getters.remove(getter)
                if items and not getter.cancelled():  # it was woken, then cancelled: wake the next reader instead
                    _wake_one(self._getters)
                raise
        return self.get_nowait()

    async def put(self, item: bytes | None) -> None:
        """Add ``item``, waiting for room while a "backoff" backlog is full."""
        while self.full():
            putter = asyncio.get_running_loop().create_future()
            self._putters.append(putter)
            try:
                await putter
            except BaseException:
                putter.cancel()
                with contextlib.suppress(ValueError):
                    self._putters.remove(putter)
                if not self.full() and not putter.cancelled():
                    _wake_one(self._putters)
                raise
        self.put_nowait(item)


def _wake_one(waiters: deque[asyncio.Future[None]]) -> None:
    while waiters:
        waiter = waiters.popleft()
        if not waiter.done():
            waiter.set_result(None)
            return


class _EventIterator(AsyncGenerator[bytes, None]):
    """What ``Subscriber.iter_events`` returns: the subscriber's events; closing or cancelling it unsubscribes."""

    __slots__ = ("_done", "_subscriber")

    def __init__(self, subscriber: Subscriber) -> None:
        self._subscriber = subscriber
        self._done = False

    def __aiter__(self) -> _EventIterator:
        return self

    async def __anext__(self) -> bytes:
        if self._done:
            raise StopAsyncIteration
        backlog = self._subscriber._queue
        if backlog._items:  # an event waits: taken without another coroutine
            event = backlog.get_nowait()
        else:
            try:
                event = await self._subscriber._next_event()
            except asyncio.CancelledError:
                self._end()
                raise
        if event is None:
            self._done = True
            raise StopAsyncIteration
        return event

    async def asend(self, value: None) -> bytes:
        return await self.__anext__()

    async def athrow(
        self, typ: Any, val: Any = None, tb: TracebackType | None = None
    ) -> bytes:  # pragma: no cover - the streaming engine only closes
        self._end()
        if isinstance(typ, BaseException):
            raise typ
        raise typ(val) if val is not None else typ()

    async def aclose(self) -> None:
        self._end()

    def _end(self) -> None:
        if not self._done:
            self._done = True
            if self._subscriber._iterator is self:
                self._subscriber._plugin._drop_subscriber(self._subscriber)


class Subscriber:
    """One event stream: the events of every channel it is subscribed to, in the order they arrived.

    Subscribers are made by ``ChannelsPlugin.subscribe`` / ``start_subscription``, which pass the plugin's backlog
    settings.

    Args:
        plugin: The plugin delivering the events.
        max_backlog: How many events may wait to be consumed; ``None`` for no bound.
        backlog_strategy: What a full backlog does with a new event: ``"backoff"`` drops it, ``"dropleft"`` drops the
            oldest waiting event.
    """

    __slots__ = ("_closed", "_draining", "_iterator", "_plugin", "_queue", "_task", "channels")

    def __init__(
        self, plugin: ChannelsPlugin, max_backlog: int | None = None, backlog_strategy: BacklogStrategy = "backoff"
    ) -> None:
        self._plugin = plugin
        self._queue = _Backlog(max_backlog, dropleft=backlog_strategy == "dropleft")
        self._task: asyncio.Task[None] | None = None
        self._iterator: _EventIterator | None = None
        self._closed = False
        self._draining = False
        self.channels: set[str] = set()
        """The channels it is subscribed to."""

    @property
    def qsize(self) -> int:
        """How many events wait in the backlog."""
        return self._queue.qsize()

    @property
    def is_running(self) -> bool:
        """Whether a ``run_in_background`` task is consuming the events."""
        return self._task is not None

    def put_nowait(self, item: bytes | None) -> bool:
        """Add an event to the backlog without waiting, as the backlog strategy allows.

        Args:
            item: The event; ``None`` ends the stream once the events before it are consumed.

        Returns:
            Whether it was added (``False``: the backlog was full and the strategy is ``"backoff"``).
        """
        if item is None:
            self._closed = True
            if self._queue.empty():  # wake a waiting reader; otherwise the stream ends once the backlog is read
                self._queue.put_nowait(None)
            return True
        if self._closed:
            return False
        return self._queue.put_nowait(item)

    async def put(self, item: bytes | None) -> None:
        """Add an event to the backlog, waiting for room when it is full (``"dropleft"`` never waits).

        Args:
            item: The event; ``None`` ends the stream once the events before it are consumed.
        """
        if item is None:
            self.put_nowait(None)
            return
        await self._queue.put(item)

    async def _next_event(self) -> bytes | None:
        """The next event, waiting for it; ``None`` once the stream has ended."""
        if self._closed and self._queue.empty():
            return None
        return await self._queue.get()

    def iter_events(self) -> AsyncGenerator[bytes, None]:
        """Iterate over the events, waiting for each; the iteration ends when the subscriber is stopped.

        Closing the returned iterator (``aclose()``, as a streamed response does when its client leaves) or cancelling
        the task waiting on it ends the subscription: the plugin unsubscribes the subscriber from every channel.

        Returns:
            An async iterator of the events, as bytes.
        """
        iterator = _EventIterator(self)
        self._iterator = iterator
        return iterator

    async def _consume(self, on_event: EventCallback) -> None:
        while not (self._draining and self._queue.empty()) and (event := await self._next_event()) is not None:
            await on_event(event)

    @asynccontextmanager
    async def run_in_background(self, on_event: EventCallback, join: bool = True) -> AsyncGenerator[None, None]:
        """Call ``on_event`` with each event in a task running while the context is open.

        On a normal exit, with ``join``, the events already in the backlog are handled before the task ends; without
        it, or when the context exits with an exception, the task is cancelled.

        Args:
            on_event: An async callable taking the event's bytes.
            join: Wait for the backlog to be handled on exit.

        Yields:
            While the task runs.

        Raises:
            RuntimeError: A task is already running for this subscriber.
        """
        if self._task is not None:
            raise RuntimeError("This `Subscriber` already runs a background task; leave its context first.")
        self._task = asyncio.create_task(self._consume(on_event))
        try:
            yield
        except BaseException:
            await self.stop(join=False)
            raise
        await self.stop(join=join)

    async def stop(self, join: bool = False) -> None:
        """Stop the background task started by ``run_in_background``.

        Args:
            join: Let it handle the events in the backlog first; otherwise it is cancelled.
        """
        task, self._task = self._task, None
        if task is None:
            return
        if join:
            self._draining = True
            if self._queue.empty():  # wake the task waiting for an event; it stops at the `None`
                self._queue.put_nowait(None)
            try:
                await task
            finally:
                self._draining = False
            return
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            if (current := asyncio.current_task()) is not None and current.cancelling():
                raise
