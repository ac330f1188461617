"""Event emitters: ``BaseEventEmitterBackend``, what the app's ``emit`` calls, and ``SimpleEventEmitter``, the default.

The app creates its emitter from ``event_emitter_backend`` and ``listeners``, enters it (an async context manager)
when its lifespan starts and exits it when the lifespan ends. ``SimpleEventEmitter`` runs each listener call as a task
of a task group it holds open meanwhile, so ``emit`` only schedules and returns; on exit it waits for the calls still
running.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
from abc import ABC, abstractmethod
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

import anyio

from outpour._asyncio_internals import running_loop
from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from types import TracebackType

    from anyio.abc import TaskGroup
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

    from outpour.events.listener import EventListener

__all__ = ["BaseEventEmitterBackend", "SimpleEventEmitter"]

logger = logging.getLogger("outpour.events")

_Call = tuple["EventListener", tuple[Any, ...], dict[str, Any]]


class BaseEventEmitterBackend(AbstractAsyncContextManager["BaseEventEmitterBackend"], ABC):
    """The base of event emitters: subclasses implement ``emit``, ``__aenter__`` and ``__aexit__``.

    The app enters its emitter when its lifespan starts and exits it when the lifespan ends; ``app.emit`` calls the
    emitter's ``emit``, which must not wait for the listeners.
    """

    __slots__ = ("listeners",)

    listeners: defaultdict[str, set[EventListener]]
    """The listeners of each event id."""

    def __init__(self, listeners: Sequence[EventListener]) -> None:
        """Create an emitter of events to ``listeners``.

        Args:
            listeners: The listeners, each taking the events of its ``event_ids``.
        """
        self.listeners = defaultdict(set)
        for event_listener in listeners:
            for event_id in event_listener.event_ids:
                self.listeners[event_id].add(event_listener)

    @abstractmethod
    def emit(self, event_id: str, *args: Any, **kwargs: Any) -> None:
        """Have every listener of ``event_id`` called with ``*args`` and ``**kwargs``, without waiting for them.

        Args:
            event_id: The event's id, such as ``"user_created"``.
            *args: Positional arguments of the listeners.
            **kwargs: Keyword arguments of the listeners.
        """
        raise NotImplementedError


class SimpleEventEmitter(BaseEventEmitterBackend):
    """The default emitter: calls the listeners in the app's process, each call a task of its own.

    Listener calls run concurrently (a sync listener in a worker thread); one that raises is logged on the
    ``outpour.events`` logger and affects nothing else. ``emit`` may be called from the event loop or from any thread
    (a sync handler's worker thread, a test); exiting the emitter waits for the calls already emitted.
    """

    __slots__ = ("_call_soon", "_handed_over", "_lock", "_loop_thread", "_running", "_task_group", "_wake")

    def __init__(self, listeners: Sequence[EventListener]) -> None:
        """Create an emitter of events to ``listeners``.

        Args:
            listeners: The listeners, each taking the events of its ``event_ids``.
        """
        super().__init__(listeners)
        self._running = False
        self._task_group: TaskGroup | None = None
        self._loop_thread: int | None = None
        self._call_soon: Callable[[Callable[[], object]], object] | None = None
        # Calls emitted from other threads, waiting for the event loop: `_wake` tells `_start_handed_over` of them.
        self._handed_over: deque[_Call] = deque()
        self._wake: MemoryObjectSendStream[None] | None = None
        self._lock = threading.Lock()

    async def __aenter__(self) -> SimpleEventEmitter:
        """Start the emitter: ``emit`` works from now until exit.

        Raises:
            RuntimeError: The emitter is running already (an app's lifespan entered twice at once).
        """
        if self._running:
            raise RuntimeError(
                "This event emitter is running already: an app's lifespan can run only once at a time. Create "
                "another app to run it again concurrently."
            )
        if self.listeners:  # without listeners every `emit` raises: no task is needed
            task_group = anyio.create_task_group()
            await task_group.__aenter__()
            self._wake, woken = anyio.create_memory_object_stream[None](math.inf)
            task_group.start_soon(self._start_handed_over_when_woken, woken)
            self._task_group = task_group
            self._loop_thread = threading.get_ident()
            self._call_soon = _thread_safe_call_soon()
        self._running = True
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        """Stop the emitter: ``emit`` raises from now on; wait for the listener calls already emitted."""
        with self._lock:
            self._running = False
        self._start_handed_over()
        wake, task_group = self._wake, self._task_group
        self._wake = self._task_group = None
        if wake is not None:
            wake.close()
        if task_group is not None:
            await task_group.__aexit__(exc_type, exc_val, exc_tb)

    def emit(self, event_id: str, *args: Any, **kwargs: Any) -> None:
        """Start a call of every listener of ``event_id`` with ``*args`` and ``**kwargs``, and return at once.

        Args:
            event_id: The event's id, such as ``"user_created"``.
            *args: Positional arguments of the listeners.
            **kwargs: Keyword arguments of the listeners.

        Raises:
            RuntimeError: The emitter is not running: the app has not started, or has shut down.
            ImproperlyConfiguredException: No listener listens to ``event_id``.
        """
        if not self._running:
            raise RuntimeError(
                f"Cannot emit `{event_id}`: the event emitter is not running. Events can be emitted while the app "
                "runs: from its start-up to its shutdown (under a server, inside `async with app.lifespan():`, or "
                "inside `with TestClient(app):`)."
            )
        listeners = self.listeners.get(event_id)
        if not listeners:
            known = ", ".join(f"`{name}`" for name in sorted(self.listeners)) or "none"
            raise ImproperlyConfiguredException(
                f"No listener is registered for the event `{event_id}` (events listened to: {known}). Add a "
                f"`@listener({event_id!r})` function to the app's `listeners`, or fix the event id."
            )
        task_group = self._task_group
        if task_group is not None and threading.get_ident() == self._loop_thread:
            for event_listener in listeners:
                task_group.start_soon(_call_listener, event_listener, args, kwargs)
            return
        # Another thread: the task group may be used only from a task of its event loop.
        with self._lock:
            if not self._running:  # pragma: no cover - stopped between the check above and this one
                raise RuntimeError(f"Cannot emit `{event_id}`: the event emitter has stopped.")
            self._handed_over.extend((event_listener, args, kwargs) for event_listener in listeners)
        # The loop may have closed since the check above (the app stopped): the calls were started or dropped then.
        if self._call_soon is not None:
            with contextlib.suppress(RuntimeError):  # asyncio's closed loop; trio's `RunFinishedError`
                self._call_soon(self._wake_up)

    def _wake_up(self) -> None:
        """Tell the waiting task that calls were handed over (a callback on the event loop)."""
        wake = self._wake
        if wake is not None:
            wake.send_nowait(None)

    async def _start_handed_over_when_woken(self, woken: MemoryObjectReceiveStream[None]) -> None:
        async with woken:
            async for _ in woken:
                self._start_handed_over()

    def _start_handed_over(self) -> None:
        """Start the calls emitted from other threads (in a task of the event loop)."""
        handed_over, task_group = self._handed_over, self._task_group
        while handed_over and task_group is not None:
            event_listener, args, kwargs = handed_over.popleft()
            task_group.start_soon(_call_listener, event_listener, args, kwargs)


async def _call_listener(event_listener: EventListener, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Call one listener; what it raises is logged, never propagated to the emitter or the app."""
    try:
        await event_listener.fn(*args, **kwargs)
    except Exception:
        logger.exception("Event listener %r failed", event_listener)


def _thread_safe_call_soon() -> Callable[[Callable[[], object]], object]:
    """A function scheduling a callback on the running event loop (asyncio or trio) from any thread, not waiting."""
    loop = running_loop()
    if loop is not None:
        return loop.call_soon_threadsafe
    import trio

    return trio.lowlevel.current_trio_token().run_sync_soon
