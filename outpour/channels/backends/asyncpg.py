"""``AsyncPgChannelsBackend``: channels over PostgreSQL ``LISTEN``/``NOTIFY`` with asyncpg (``outpour[asyncpg]``).

One connection listens and publishes. NOTIFY carries text under 8,000 bytes: events that are not UTF-8 travel as
base64, and a larger event is refused with ``ChannelsException`` when published. PostgreSQL keeps no history. When
the connection is lost (the server restarted), the backend connects again, waiting a little longer after each failed
attempt (up to 2 seconds), and listens to every channel again; events published meanwhile are lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import Any

from outpour.channels.backends._notify import check_channels, decode_payload, encode_payload, next_retry
from outpour.channels.backends.base import ChannelsBackend
from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException

try:
    import asyncpg
except ImportError as exc:  # pragma: no cover - the extra is installed in the test environment
    raise MissingDependencyException("asyncpg", extra="asyncpg") from exc

__all__ = ["AsyncPgChannelsBackend"]

_HEALTH_CHECK_SECONDS = 1.0
"""While no notification arrives, how often the reader checks that its connection is still open."""
_LOST = ("", b"")
"""Put in the event queue when the connection is lost: the reader reconnects."""


class AsyncPgChannelsBackend(ChannelsBackend):
    """Channels over PostgreSQL ``LISTEN``/``NOTIFY``, through asyncpg.

    Args:
        dsn: The PostgreSQL URL (``postgresql://user@host:5432/db``).
        make_connection: An async callable returning a new ``asyncpg.Connection``, instead of ``dsn``.

    Raises:
        ImproperlyConfiguredException: Neither or both of ``dsn`` and ``make_connection``.
    """

    def __init__(
        self, dsn: str | None = None, *, make_connection: Callable[[], Awaitable[asyncpg.Connection]] | None = None
    ) -> None:
        if (dsn is None) == (make_connection is None):
            raise ImproperlyConfiguredException(
                "`AsyncPgChannelsBackend` takes either `dsn` (a PostgreSQL URL) or `make_connection` (an async "
                "callable returning an `asyncpg.Connection`), and only one of them."
            )
        self._dsn = dsn
        self._make_connection = make_connection
        self._connection: asyncpg.Connection | None = None
        self._lock: asyncio.Lock | None = None
        self._queue: asyncio.Queue[tuple[str, bytes]] | None = None
        self._channels: set[str] = set()

    async def _connect(self) -> asyncpg.Connection:
        if self._make_connection is not None:
            connection = await self._make_connection()
        else:
            connection = await asyncpg.connect(self._dsn)
        connection.add_termination_listener(self._on_lost)
        for channel in self._channels:
            await connection.add_listener(channel, self._on_notify)
        return connection

    def _on_notify(self, connection: Any, pid: int, channel: str, payload: object) -> None:
        if self._queue is not None:
            self._queue.put_nowait((channel, decode_payload(str(payload))))

    def _on_lost(self, connection: Any) -> None:
        if self._queue is not None and connection is self._connection:
            self._queue.put_nowait(_LOST)

    async def on_startup(self) -> None:
        """Connect to PostgreSQL."""
        self._queue = asyncio.Queue()
        self._lock = asyncio.Lock()
        self._connection = await self._connect()

    async def on_shutdown(self) -> None:
        """Close the connection and end ``stream_events``."""
        connection, self._connection = self._connection, None
        queue, self._queue = self._queue, None
        self._channels.clear()
        if queue is not None:
            queue.put_nowait(_LOST)
        if connection is not None:
            await connection.close()

    def _check_publishable(self, data: bytes) -> None:
        encode_payload(data)

    def _live(self) -> asyncpg.Connection:
        if self._connection is None or self._lock is None:
            raise RuntimeError("`AsyncPgChannelsBackend` is not started: it starts with the app's lifespan.")
        return self._connection

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """``NOTIFY`` each channel of the event, in one statement.

        Args:
            data: The event.
            channels: The channels.

        Raises:
            ChannelsException: The event is too large for NOTIFY, or a channel name is over 63 bytes.
        """
        payload = encode_payload(data)
        names = check_channels(list(channels))
        connection = self._live()
        async with self._lock:  # type: ignore[union-attr]  # set together with the connection
            await connection.execute("SELECT pg_notify(c, $2) FROM unnest($1::text[]) AS c", names, payload)

    async def subscribe(self, channels: Iterable[str]) -> None:
        """``LISTEN`` to channels; while the server cannot be reached, the reader listens once it reconnects.

        Args:
            channels: The channels.

        Raises:
            ChannelsException: A channel name is over 63 bytes.
        """
        new = set(check_channels(list(channels))) - self._channels
        self._channels |= new
        connection = self._live()
        async with self._lock:  # type: ignore[union-attr]
            for channel in new:
                try:
                    await connection.add_listener(channel, self._on_notify)
                except (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError):
                    return  # the connection is lost: the reader reconnects and listens to every channel

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """``UNLISTEN`` channels.

        Args:
            channels: The channels.
        """
        gone = self._channels & set(channels)
        self._channels -= gone
        connection = self._live()
        async with self._lock:  # type: ignore[union-attr]
            for channel in gone:
                try:
                    await connection.remove_listener(channel, self._on_notify)
                except (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError):
                    return  # a new connection only listens to the channels still wanted

    async def _reconnect(self) -> None:
        retry = 0.0
        while self._queue is not None:
            retry = next_retry(retry)
            await asyncio.sleep(retry)
            try:
                connection = await self._connect()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                continue
            old, self._connection = self._connection, connection
            if old is not None:
                old.terminate()
            return

    async def stream_events(self) -> AsyncGenerator[tuple[str, bytes], None]:
        """Yield ``(channel, event)`` for each notification of a listened channel, reconnecting when the link is lost.

        Yields:
            The channel and the event.

        Raises:
            RuntimeError: The backend was not started.
        """
        if self._lock is None:  # set by the first `on_startup`, kept after shutdown (which ends the stream)
            raise RuntimeError(
                "`AsyncPgChannelsBackend.stream_events()` was called before `on_startup()`: the backend starts with "
                "the app's lifespan (or `async with ChannelsPlugin(...)`)."
            )
        while (queue := self._queue) is not None:
            try:
                item = await asyncio.wait_for(queue.get(), _HEALTH_CHECK_SECONDS)
            except TimeoutError:
                # asyncpg may learn of a lost connection without calling the termination listener
                if self._connection is None or not self._connection.is_closed():
                    continue
                item = _LOST
            if item is _LOST:
                async with self._lock:
                    await self._reconnect()
                continue
            if item[0] in self._channels:
                yield item

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        """Return nothing: NOTIFY keeps no history.

        Args:
            channel: The channel.
            limit: Ignored.

        Returns:
            An empty list.
        """
        return []
