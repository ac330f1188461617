"""The disconnect watcher of every streamed body (``Stream``, ``ServerSentEvent``, ``File``): one policy, two loops.

A response that streams must stop when its client leaves. The disconnect is seen by ``send`` raising ``OSError``
(ASGI 2.4 servers), by the iterator reading the request body (``ClientDisconnected``), or by an ``http.disconnect``
message. Servers of ASGI 2.3 (uvicorn, granian) drop what is sent after the client left without a word, so the
message is the only sign: the watcher listens for it. Its policy:

* **It starts lazily**, the first time the sender's task gives way to the event loop (on asyncio, one shared
  ``call_soon`` callback per loop starts the watches registered since it last ran): a body sent without ever waiting
  costs no task and no ``receive``. On trio, which has no such hook, it starts with the body.
* **It never takes a message from a request body reader.** While a ``Request`` is part-way through the body (a
  handler streaming ``request.stream()`` back), listening is put off, checked every 50 ms. A body nobody has begun to
  read, the watcher reads and keeps through ``read_body`` (as ``Request.body()`` does), for a reader to come: an
  unread body must not stop it from hearing the disconnect.
* **On a disconnect it cancels the sender** (the body's ``async with`` block), which ends quietly; the iterator given
  is closed (``aclose``: an async generator's ``finally`` runs, cancelled where it waits), and so is every task of
  the watch: none is left behind, whatever way the body ends.
* With a ping interval (server-sent events), it also sends a keep-alive message after each interval of silence; the
  body's sends and the pings then take turns through ``watch.send``.

Usage::

    watch = watch_disconnect(scope, receive, send)
    try:
        async with watch:
            async for chunk in iterator:
                await watch.send(...)
                if watch.state:  # an iterator that swallowed the cancellation
                    await watch.halt()
    except (OSError, ClientDisconnected):
        pass  # the client left
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import TYPE_CHECKING, Any

import anyio
import anyio.lowlevel

from outpour._asyncio_internals import current_task, running_loop
from outpour.connection.request import _COMPLETE, _STREAM_KEY, ClientDisconnected, read_body
from outpour.exceptions import OutpourException

if TYPE_CHECKING:
    from outpour.types import Message, Receive, Scope, Send

__all__ = ["END", "DisconnectWatch", "close_iterator", "receive_is_free", "watch_disconnect"]

END: Message = {"type": "http.response.body", "body": b"", "more_body": False}
"""The last message of a streamed body; no ping follows it."""
POLL_SECONDS = 0.05
"""While a request body reader may still read, how often to check whether listening can start."""
STREAMING, FIRED, DONE = 0, 1, 2
"""The states of a watch: the body is being sent; the client left (the sender is cancelled); the watch has ended."""


def receive_is_free(scope: Scope) -> bool:
    """Whether the response may call ``receive``: nobody is part-way through reading the request body.

    The ``Request`` records in the scope how far its body was read. Once the body is complete (or the client left),
    ``receive`` only reports the disconnect; a body that nobody has begun to read, the watcher reads itself
    (``wait_for_disconnect``).
    """
    state = scope.get(_STREAM_KEY)
    return state is None or bool(state >= _COMPLETE)


async def wait_for_disconnect(receive: Receive, scope: Scope) -> None:
    """Return when ``receive`` reports the disconnect; call only when ``receive_is_free(scope)``."""
    if scope.get(_STREAM_KEY) is None:
        # Nobody has begun to read the request body: read it as `Request.body()` does, keeping it for a reader to
        # come (the iterator may ask for it later). Servers of ASGI < 2.4 (uvicorn, granian) drop what is sent after
        # the client left without a word: an unread body must not stop the watcher from hearing the disconnect.
        try:
            await read_body(scope, receive)
        except ClientDisconnected:
            return
        except OutpourException:
            pass  # too large, or a bad `Content-Length`: nobody asked for it, the rest is dropped below
    while (await receive())["type"] != "http.disconnect":
        pass


async def close_iterator(iterator: Any) -> None:
    """Close ``iterator``: ``aclose`` for an async one, ``close`` for a sync one, nothing for others."""
    aclose = getattr(iterator, "aclose", None)
    if aclose is not None:
        await aclose()
        return
    close = getattr(iterator, "close", None)
    if close is not None:  # pragma: no cover - a sync iterator is wrapped in ThreadedIterator, which has aclose
        close()


class DisconnectWatch:
    """The watch of one streamed body: an async context manager around the sending; see the module documentation.

    Attributes:
        iterator: What to close when the body does not finish (set once known); None for nothing.
        send: The send function the body must use (pings take turns with it).
        state: ``STREAMING`` (0) while the body is sent; non-zero once the client left or the watch ended.
    """

    __slots__ = ("iterator", "receive", "scope", "send", "state")

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self.receive = receive
        self.send = send
        self.iterator: Any = None
        self.state = STREAMING

    async def __aenter__(self) -> DisconnectWatch:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        raise NotImplementedError  # pragma: no cover - each loop's watch implements it

    async def halt(self) -> None:
        """Stop the body now: the client left, but the iterator swallowed the cancellation and went on."""
        raise NotImplementedError  # pragma: no cover - each loop's watch implements it

    def on_disconnect(self) -> None:
        """Stop the body as when the client leaves (a send failed because it left)."""
        raise NotImplementedError  # pragma: no cover - each loop's watch implements it

    async def pause(self) -> None:
        """Let the event loop run (a body that never waits does it now and then)."""
        await anyio.lowlevel.checkpoint()


def watch_disconnect(
    scope: Scope, receive: Receive, send: Send, ping_interval: float | None = None, ping_message: bytes = b""
) -> DisconnectWatch:
    """Return the disconnect watch of a body sent from the current task (see the module documentation).

    Args:
        scope: The ASGI scope.
        receive: The ASGI receive function.
        send: The ASGI send function.
        ping_interval: Seconds of silence after which ``ping_message`` is sent; None for no pings.
        ping_message: The keep-alive message.

    Returns:
        The watch, to be entered with ``async with``.
    """
    loop = running_loop()
    task = current_task(loop) if loop is not None else None
    if loop is None or task is None:
        return _GroupWatch(scope, receive, send, ping_interval, ping_message)
    if ping_interval is None:
        return _LoopWatch(loop, task, scope, receive, send)
    return _PingLoopWatch(loop, task, scope, receive, send, ping_interval, ping_message)


# -- asyncio: one coroutine, a listener task started on the first wait --------------------------------------------------


class _Activator:
    """Starts the listeners of the watches of one event loop, the first time their tasks give way to it.

    One ``call_soon`` callback serves every watch registered since it last ran: a body sent without ever waiting
    registers and unregisters its watch, and costs neither a callback of its own, nor a task, nor a ``receive``.
    """

    __slots__ = ("handle", "loop", "watches")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.watches: set[_LoopWatch] = set()
        self.handle: asyncio.Handle | None = None

    def run(self) -> None:
        """Start the listeners of the watches registered since the last run (a ``call_soon`` callback)."""
        self.handle = None
        watches, self.watches = self.watches, set()
        for watch in watches:
            watch.start()


_activator: _Activator | None = None
"""The activator of the event loop that last sent a body (each loop gets its own)."""


class _LoopWatch(DisconnectWatch):
    """The watch on asyncio: a listener task, started once the sender's task waits, that cancels that task.

    The cancellation is the watch's own only while the body is sent (``state``), and then becomes a quiet end.
    """

    __slots__ = ("activator", "listener", "loop", "task", "timer")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[Any], scope: Scope, receive: Receive, send: Send
    ) -> None:
        # What DisconnectWatch.__init__ does, inline: one call less per response on the hot path.
        self.scope = scope
        self.receive = receive
        self.send = send
        self.iterator: Any = None
        self.state = STREAMING
        self.loop = loop
        self.task = task
        self.listener: asyncio.Task[None] | None = None
        self.timer: asyncio.TimerHandle | None = None
        global _activator
        activator = _activator
        if activator is None or activator.loop is not loop:
            activator = _activator = _Activator(loop)
        self.activator = activator
        activator.watches.add(self)
        if activator.handle is None:
            activator.handle = loop.call_soon(activator.run)

    def start(self) -> None:
        """Start listening, or, while a request body reader may still read, try again later."""
        self.timer = None
        if self.state != STREAMING or self.listener is not None:
            return
        if receive_is_free(self.scope):
            self.listener = self.loop.create_task(self._listen())
        else:
            self.timer = self.loop.call_later(POLL_SECONDS, self.start)

    async def _listen(self) -> None:
        await wait_for_disconnect(self.receive, self.scope)
        self.on_disconnect()

    def on_disconnect(self) -> None:
        """Cancel the sender's task, once, while the body is sent."""
        if self.state == STREAMING:
            self.state = FIRED
            self.task.cancel()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        # A disconnect cancels the task (FIRED); any other cancellation is not ours to swallow.
        quiet = (
            exc_type is not None
            and issubclass(exc_type, asyncio.CancelledError)
            and self.state == FIRED
            and self.task.uncancel() == 0
        )
        try:
            self.activator.watches.discard(self)
            if self.listener is not None or self.timer is not None or type(self) is not _LoopWatch:
                await self.stop()
            else:
                self.state = DONE
        finally:
            if exc_type is not None and self.iterator is not None:
                await close_iterator(self.iterator)
        return quiet

    async def halt(self) -> None:
        """Stop the body now, as the cancellation it swallowed would have."""
        raise asyncio.CancelledError

    async def pause(self) -> None:
        """Let the event loop run."""
        await asyncio.sleep(0)

    async def stop(self) -> None:
        """Cancel and reap the timer and the listener."""
        self.state = DONE
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


class _PingLoopWatch(_LoopWatch):
    """A ``_LoopWatch`` that also sends a keep-alive message after each ``interval`` of silence; sends take a lock."""

    __slots__ = ("ended", "interval", "last_sent", "lock", "message", "ping_handle", "ping_task", "raw_send")

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
        super().__init__(loop, task, scope, receive, send)
        self.send = self._locked_send
        self.raw_send = send
        self.interval = interval
        self.message = message
        self.lock = asyncio.Lock()
        self.ended = False
        self.last_sent = loop.time()
        self.ping_task: asyncio.Task[None] | None = None
        self.ping_handle: asyncio.TimerHandle | None = loop.call_later(interval, self._on_ping_due)

    async def _locked_send(self, message: Message) -> None:
        """Send ``message``, never at the same time as a ping."""
        async with self.lock:
            if not message.get("more_body", False):
                self.ended = True  # no ping may follow the end of the body
            await self.raw_send(message)
            self.last_sent = self.loop.time()

    def _on_ping_due(self) -> None:
        self.ping_handle = None
        if self.state != STREAMING:  # pragma: no cover - the timer is cancelled when the body ends
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
        if self.state == STREAMING:
            self.ping_handle = self.loop.call_later(self.interval, self._on_ping_due)

    async def stop(self) -> None:
        """Cancel and reap the timers, the listener and a ping being sent."""
        self.state = DONE
        if self.ping_handle is not None:
            self.ping_handle.cancel()
            self.ping_handle = None
        try:
            await super().stop()
        finally:
            if self.ping_task is not None:
                await _reap(self.ping_task, self.task)


# -- other loops (trio): an anyio task group ----------------------------------------------------------------------------


class _GroupWatch(DisconnectWatch):
    """The watch elsewhere than on an asyncio task: the listener (and pinger) in a task group around the body."""

    __slots__ = ("ended", "group", "interval", "last_sent", "lock", "message", "raw_send")

    def __init__(self, scope: Scope, receive: Receive, send: Send, interval: float | None, message: bytes) -> None:
        super().__init__(scope, receive, send)
        self.group = anyio.create_task_group()
        self.interval = interval
        self.message = message
        self.raw_send = send
        self.ended = False
        self.lock = anyio.Lock()
        self.last_sent = 0.0
        if interval is not None:
            self.send = self._locked_send

    async def __aenter__(self) -> DisconnectWatch:
        await self.group.__aenter__()
        self.group.start_soon(self._listen)
        if self.interval is not None:
            self.last_sent = anyio.current_time()
            self.group.start_soon(self._ping, self.interval)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        self.group.cancel_scope.cancel()
        try:
            if exc_type is not None and issubclass(exc_type, anyio.get_cancelled_exc_class()):
                quiet = bool(await self.group.__aexit__(exc_type, exc, tb))  # swallowed only if the watch cancelled
            else:
                # Any other error is raised as itself, not wrapped in an exception group by the task group.
                await self.group.__aexit__(None, None, None)
                quiet = False
        finally:
            self.state = DONE
            if exc_type is not None and self.iterator is not None:
                with anyio.CancelScope(shield=True):
                    await close_iterator(self.iterator)
        return quiet

    async def halt(self) -> None:
        """Stop the body now: the group is cancelled, so the next checkpoint raises."""
        await anyio.lowlevel.checkpoint()

    def on_disconnect(self) -> None:
        """Cancel the body's task group, once, while the body is sent."""
        if self.state == STREAMING:
            self.state = FIRED
            self.group.cancel_scope.cancel()

    async def _listen(self) -> None:
        while not receive_is_free(self.scope):  # a reader is part-way through the body: wait until it is complete
            await anyio.sleep(POLL_SECONDS)
        await wait_for_disconnect(self.receive, self.scope)
        self.on_disconnect()

    async def _locked_send(self, message: Message) -> None:
        async with self.lock:
            if not message.get("more_body", False):
                self.ended = True
            await self.raw_send(message)
            self.last_sent = anyio.current_time()

    async def _ping(self, interval: float) -> None:
        while True:
            await anyio.sleep(self.last_sent + interval - anyio.current_time())
            if anyio.current_time() - self.last_sent >= interval:
                try:
                    async with self.lock:
                        if self.ended:
                            return
                        await self.raw_send({"type": "http.response.body", "body": self.message, "more_body": True})
                        self.last_sent = anyio.current_time()
                except OSError:
                    self.on_disconnect()
                    return
