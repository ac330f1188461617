"""``PsycoPgChannelsBackend``: channels over PostgreSQL ``LISTEN``/``NOTIFY`` with psycopg 3 (``outpour[psycopg]``).

Two connections: one listens (reading notifications in short rounds, between which ``LISTEN``/``UNLISTEN`` run), one
publishes. NOTIFY carries text under 8,000 bytes: events that are not UTF-8 travel as base64, and a larger event is
refused with ``ChannelsException`` when published. PostgreSQL keeps no history. When a connection is lost (the server
restarted), the backend connects again, waiting a little longer after each failed attempt (up to 2 seconds), and
listens to every channel again; events published meanwhile are lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterable
from typing import Literal

from outpour.channels.backends._notify import check_channels, decode_payload, encode_payload, next_retry
from outpour.channels.backends.base import ChannelsBackend
from outpour.exceptions import MissingDependencyException

try:
    import psycopg
    from psycopg import sql
except ImportError as exc:  # pragma: no cover - the extra is installed in the test environment
    raise MissingDependencyException("psycopg", install_package="'psycopg[binary]'", extra="psycopg") from exc

__all__ = ["PsycoPgChannelsBackend"]

_ROUND_SECONDS = 0.1
"""How long the listening connection waits for notifications before (un)subscriptions may use it."""


class PsycoPgChannelsBackend(ChannelsBackend):
    """Channels over PostgreSQL ``LISTEN``/``NOTIFY``, through psycopg 3's async connections.

    Args:
        pg_dsn: The PostgreSQL connection string or URL.
    """

    def __init__(self, pg_dsn: str) -> None:
        self._pg_dsn = pg_dsn
        self._listener: psycopg.AsyncConnection | None = None
        self._publisher: psycopg.AsyncConnection | None = None
        self._channels: set[str] = set()
        self._running = False

    async def _connect(self) -> psycopg.AsyncConnection:
        return await psycopg.AsyncConnection.connect(self._pg_dsn, autocommit=True)

    async def on_startup(self) -> None:
        """Open the listening and the publishing connections."""
        self._listener = await self._connect()
        self._publisher = await self._connect()
        self._running = True

    async def on_shutdown(self) -> None:
        """Close both connections and end ``stream_events``."""
        self._running = False
        self._channels.clear()
        for connection in (self._listener, self._publisher):
            if connection is not None:
                await connection.close()
        self._listener = self._publisher = None

    def _check_publishable(self, data: bytes) -> None:
        encode_payload(data)

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """``NOTIFY`` each channel of the event, in one statement; reconnect first when the connection was lost.

        Args:
            data: The event.
            channels: The channels.

        Raises:
            ChannelsException: The event is too large for NOTIFY, or a channel name is over 63 bytes.
            RuntimeError: The backend is not started.
        """
        payload = encode_payload(data)
        names = check_channels(list(channels))
        if self._publisher is None:
            raise RuntimeError("`PsycoPgChannelsBackend` is not started: it starts with the app's lifespan.")
        if self._publisher.closed:
            self._publisher = await self._connect()
        await self._publisher.execute("SELECT pg_notify(c, %s) FROM unnest(%s::text[]) AS c", (payload, names))

    async def _listen(self, verb: Literal["LISTEN", "UNLISTEN"], channels: Iterable[str]) -> None:
        listener = self._listener
        if listener is None or listener.closed:
            return  # the reader reconnects and listens to every channel
        try:
            for channel in channels:
                statement = sql.SQL("LISTEN {}") if verb == "LISTEN" else sql.SQL("UNLISTEN {}")
                await listener.execute(statement.format(sql.Identifier(channel)))
        except psycopg.OperationalError:
            return

    async def subscribe(self, channels: Iterable[str]) -> None:
        """``LISTEN`` to channels (within about 100 ms: the listening connection is shared with the reader).

        Args:
            channels: The channels.

        Raises:
            ChannelsException: A channel name is over 63 bytes.
        """
        new = set(check_channels(list(channels))) - self._channels
        self._channels |= new
        await self._listen("LISTEN", new)

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """``UNLISTEN`` channels.

        Args:
            channels: The channels.
        """
        gone = self._channels & set(channels)
        self._channels -= gone
        await self._listen("UNLISTEN", gone)

    async def _reconnect(self) -> None:
        retry = 0.0
        while self._running:
            retry = next_retry(retry)
            await asyncio.sleep(retry)
            try:
                listener = await self._connect()
                for channel in self._channels:
                    await listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            except psycopg.OperationalError:
                continue
            self._listener = listener
            return

    async def stream_events(self) -> AsyncGenerator[tuple[str, bytes], None]:
        """Yield ``(channel, event)`` for each notification of a listened channel, reconnecting when the link is lost.

        Yields:
            The channel and the event.
        """
        while self._running and (listener := self._listener) is not None:
            if listener.closed:
                await self._reconnect()
                continue
            # The notifications are yielded once ``notifies`` has returned: it holds the connection's lock, which a
            # consumer pausing between events would otherwise keep from (UN)LISTEN.
            received: list[tuple[str, bytes]] = []
            try:
                async for notify in listener.notifies(timeout=_ROUND_SECONDS, stop_after=1):
                    if notify.channel in self._channels:
                        received.append((notify.channel, decode_payload(notify.payload)))
            except psycopg.OperationalError:
                if self._running:
                    await self._reconnect()
            for item in received:
                yield item
            # let (un)subscriptions waiting for the connection run before the next round
            await asyncio.sleep(0)

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        """Return nothing: NOTIFY keeps no history.

        Args:
            channel: The channel.
            limit: Ignored.

        Returns:
            An empty list.
        """
        return []
