"""``MemoryChannelsBackend``: channels inside one process, the default; nothing to install, nothing shared."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Iterable
from typing import Any

from outpour.channels.backends.base import ChannelsBackend

__all__ = ["MemoryChannelsBackend"]


class MemoryChannelsBackend(ChannelsBackend):
    """A backend whose broker is the process itself: the fastest, but events never reach another worker or host.

    Args:
        history: How many events to keep per channel for ``get_history`` (0: none).
    """

    def __init__(self, history: int = 0) -> None:
        self._max_history = history
        self._history: dict[str, deque[bytes]] = {}
        self._channels: set[str] = set()
        self._queue: asyncio.Queue[tuple[str, bytes] | None] | None = None

    async def on_startup(self) -> None:
        """Create the event queue (on the running loop)."""
        self._queue = asyncio.Queue()

    async def on_shutdown(self) -> None:
        """End ``stream_events`` and forget the subscriptions."""
        if self._queue is not None:
            self._queue.put_nowait(None)
        self._channels.clear()

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """Keep the event in each channel's history and pass it to ``stream_events`` for the subscribed ones.

        Args:
            data: The event.
            channels: The channels to publish it to.

        Raises:
            RuntimeError: The backend was not started (the app's lifespan did not run).
        """
        if self._queue is None:
            raise RuntimeError(
                "`MemoryChannelsBackend` is not started: run the app with its lifespan (a server, or the test "
                "client as a context manager: `with create_test_client(...) as client:`)."
            )
        for channel in channels:
            if self._max_history:
                self._history.setdefault(channel, deque(maxlen=self._max_history)).append(data)
            if channel in self._channels:
                self._queue.put_nowait((channel, data))

    async def subscribe(self, channels: Iterable[str]) -> None:
        """Receive the events of ``channels`` from now on.

        Args:
            channels: The channels.
        """
        self._channels.update(channels)

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """Stop receiving the events of ``channels``.

        Args:
            channels: The channels.
        """
        self._channels.difference_update(channels)

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        """Yield ``(channel, event)`` for each event published to a subscribed channel, until shutdown.

        Yields:
            The channel and the event.

        Raises:
            RuntimeError: The backend was not started.
        """
        queue = self._queue
        if queue is None:
            raise RuntimeError(
                "`MemoryChannelsBackend.stream_events()` was called before `on_startup()`: the backend starts with "
                "the app's lifespan (or `async with ChannelsPlugin(...)`)."
            )
        while (item := await queue.get()) is not None:
            if item[0] in self._channels:  # unsubscribed since it was queued
                yield item

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        """Return the events kept for ``channel``, oldest first.

        Args:
            channel: The channel.
            limit: The most recent ``limit`` events only; all kept ones when ``None``.

        Returns:
            The events.
        """
        events = list(self._history.get(channel, ()))
        return events[-limit:] if limit else events
