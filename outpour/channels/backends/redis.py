"""Redis channels backends (``pip install 'outpour[redis]'``): pub/sub, and streams with history.

``RedisChannelsPubSubBackend`` uses Redis ``PUBLISH``/``SUBSCRIBE``: the lowest latency, no history. Events published
while a worker is cut off from Redis are lost for its subscribers.

``RedisChannelsStreamBackend`` appends each event to a Redis stream per channel (``XADD``), trimmed to ``history``
events and to those younger than ``stream_ttl``, and reads the streams with ``XREAD`` from the last event it
delivered: after Redis or the network comes back, the events published meanwhile (and still kept) are delivered.

Both reconnect on their own: the event reader retries, waiting a little longer after each failure (up to 2 seconds),
and subscribes again to every channel it had.
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC
from collections.abc import AsyncGenerator, Iterable
from datetime import timedelta
from typing import Any

from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException

try:
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError as exc:  # pragma: no cover - the extra is installed in the test environment
    raise MissingDependencyException("redis", extra="redis") from exc

from outpour.channels.backends.base import ChannelsBackend

__all__ = ["RedisChannelsBackend", "RedisChannelsPubSubBackend", "RedisChannelsStreamBackend"]

_CONNECTION_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
_MAX_RETRY_SECONDS = 2.0

# Append the event to each channel's stream, trimmed by count (MAXLEN) and by age (MINID: ids start with the Redis
# server's time in milliseconds, so the cut-off is the new id's time minus the TTL); the key expires after the TTL.
_PUBLISH_SCRIPT = """
local data, maxlen, ttl, approx = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4] == "1"
for _, key in ipairs(KEYS) do
  local id
  if approx then
    id = redis.call("XADD", key, "MAXLEN", "~", maxlen, "*", "data", data)
  else
    id = redis.call("XADD", key, "MAXLEN", maxlen, "*", "data", data)
  end
  local cutoff = string.format("%d", tonumber(string.match(id, "^(%d+)")) - ttl)
  if approx then
    redis.call("XTRIM", key, "MINID", "~", cutoff)
  else
    redis.call("XTRIM", key, "MINID", cutoff)
  end
  redis.call("PEXPIRE", key, ttl)
end
"""


def _raise_if_cancelled() -> None:
    """Re-raise a cancellation redis-py swallowed (it may return from a command cancelled part-way)."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def _as_bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value


def _as_str(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisChannelsBackend(ChannelsBackend, ABC):
    """What both Redis backends share: the client, the key prefix and the wait while nothing is subscribed.

    Args:
        redis: A ``redis.asyncio.Redis`` client; the backend does not close it.
        key_prefix: Prefix of the Redis channel and stream names (``<prefix>_<channel>``).
        stream_sleep_no_subscriptions: The longest time, in milliseconds, the event reader waits before looking
            again while no channel is subscribed (a subscription wakes it at once).
    """

    def __init__(self, *, redis: Redis, key_prefix: str, stream_sleep_no_subscriptions: int) -> None:
        if not isinstance(redis, Redis):
            raise ImproperlyConfiguredException(
                f"The Redis channels backends take a `redis.asyncio.Redis` client as `redis`, got `{redis!r}`; create "
                "one with `redis.asyncio.Redis.from_url('redis://host:6379')`."
            )
        self._redis = redis
        self._key_prefix = key_prefix
        self._idle_wait = max(stream_sleep_no_subscriptions, 1) / 1000
        self._subscribed = asyncio.Event()

    def _make_key(self, channel: str) -> str:
        return f"{self._key_prefix}_{channel}"

    def _channel_of(self, key: bytes | str) -> str:
        return _as_str(key)[len(self._key_prefix) + 1 :]

    async def _wait_for_subscriptions(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), self._idle_wait)


class RedisChannelsPubSubBackend(RedisChannelsBackend):
    """Channels over Redis pub/sub: low latency, no history.

    Args:
        redis: A ``redis.asyncio.Redis`` client; the backend does not close it.
        stream_sleep_no_subscriptions: The longest time, in milliseconds, the event reader waits before looking
            again while no channel is subscribed.
        key_prefix: Prefix of the Redis channel names.
    """

    def __init__(
        self, *, redis: Redis, stream_sleep_no_subscriptions: int = 1, key_prefix: str = "LITESTAR_CHANNELS"
    ) -> None:
        super().__init__(
            redis=redis, key_prefix=key_prefix, stream_sleep_no_subscriptions=stream_sleep_no_subscriptions
        )
        self._pubsub: PubSub | None = None
        self._channels: set[str] = set()

    async def on_startup(self) -> None:
        """Create the pub/sub connection object (it connects on the first subscription)."""
        self._pubsub = self._redis.pubsub()

    async def on_shutdown(self) -> None:
        """Close the pub/sub connection."""
        pubsub, self._pubsub = self._pubsub, None
        self._channels.clear()
        self._subscribed.clear()
        if pubsub is not None:
            await pubsub.aclose()

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """``PUBLISH`` the event to each channel, in one round trip.

        Args:
            data: The event.
            channels: The channels.
        """
        async with self._redis.pipeline(transaction=False) as pipeline:
            for channel in channels:
                pipeline.publish(self._make_key(channel), data)
            await pipeline.execute()

    async def subscribe(self, channels: Iterable[str]) -> None:
        """``SUBSCRIBE`` to channels; while Redis cannot be reached, the reader subscribes once it reconnects.

        Args:
            channels: The channels.
        """
        new = set(channels) - self._channels
        if not new:
            return
        self._channels |= new
        self._subscribed.set()
        if self._pubsub is not None:
            # While Redis is unreachable the reader reconnects and subscribes to every channel.
            with contextlib.suppress(*_CONNECTION_ERRORS):
                await self._pubsub.subscribe(*(self._make_key(channel) for channel in new))

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """``UNSUBSCRIBE`` from channels.

        Args:
            channels: The channels.
        """
        gone = self._channels & set(channels)
        if not gone:
            return
        self._channels -= gone
        if not self._channels:
            self._subscribed.clear()
        if self._pubsub is not None:
            # A new connection only subscribes to the channels still wanted.
            with contextlib.suppress(*_CONNECTION_ERRORS):
                await self._pubsub.unsubscribe(*(self._make_key(channel) for channel in gone))

    async def _reconnect(self) -> None:
        old, self._pubsub = self._pubsub, self._redis.pubsub()
        if old is not None:
            with contextlib.suppress(*_CONNECTION_ERRORS):
                await old.aclose()
        if self._channels:
            await self._pubsub.subscribe(*(self._make_key(channel) for channel in self._channels))

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        """Yield ``(channel, event)`` for each message of a subscribed channel; reconnect when the connection breaks.

        Yields:
            The channel and the event.
        """
        retry = 0.0
        while self._pubsub is not None:
            pubsub = self._pubsub
            try:
                if retry:
                    await asyncio.sleep(retry)
                    await self._reconnect()
                    retry = 0.0
                    continue
                if not self._channels:
                    await self._wait_for_subscriptions()
                    continue
                if not pubsub.subscribed:  # a subscription failed while Redis was unreachable
                    await pubsub.subscribe(*(self._make_key(channel) for channel in self._channels))
                # No timeout: a read waiting without a timer costs a third less per message; shutdown closes the
                # connection or cancels this task, and a broken connection raises.
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
                _raise_if_cancelled()
            except _CONNECTION_ERRORS:
                retry = min(max(retry * 2, 0.05), _MAX_RETRY_SECONDS)
                continue
            if message is not None and message["type"] == "message":
                channel = self._channel_of(message["channel"])
                if channel in self._channels:
                    yield channel, _as_bytes(message["data"])

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        """Return nothing: pub/sub keeps no history (use ``RedisChannelsStreamBackend`` for it).

        Args:
            channel: The channel.
            limit: Ignored.

        Returns:
            An empty list.
        """
        return []


class RedisChannelsStreamBackend(RedisChannelsBackend):
    """Channels over Redis streams: each channel keeps its last events, which new subscribers may receive first.

    Args:
        history: How many events each channel's stream keeps (at least 1).
        redis: A ``redis.asyncio.Redis`` client; the backend does not close it.
        stream_sleep_no_subscriptions: The longest time, in milliseconds, the event reader waits before looking
            again while no channel is subscribed.
        cap_streams_approximate: Trim the streams approximately (``MAXLEN ~``), which Redis does much faster; a
            stream may then briefly hold more than ``history`` events (``get_history`` still returns at most that).
        stream_ttl: How long events are kept: older ones are trimmed at the next publish, and a stream nobody
            publishes to expires after it.
        key_prefix: Prefix of the stream keys.

    Raises:
        ImproperlyConfiguredException: ``history`` under 1, or ``stream_ttl`` under 1 millisecond.
    """

    def __init__(
        self,
        history: int,
        *,
        redis: Redis,
        stream_sleep_no_subscriptions: int = 1,
        cap_streams_approximate: bool = True,
        stream_ttl: int | timedelta = timedelta(seconds=60),
        key_prefix: str = "LITESTAR_CHANNELS",
    ) -> None:
        super().__init__(
            redis=redis, key_prefix=key_prefix, stream_sleep_no_subscriptions=stream_sleep_no_subscriptions
        )
        if isinstance(history, bool) or not isinstance(history, int) or history < 1:
            raise ImproperlyConfiguredException(
                f"`RedisChannelsStreamBackend(history=...)` is how many events each stream keeps, at least 1; got "
                f"`{history!r}`. Use `RedisChannelsPubSubBackend` for channels without history."
            )
        ttl_ms = int(stream_ttl.total_seconds() * 1000) if isinstance(stream_ttl, timedelta) else int(stream_ttl)
        if ttl_ms < 1:
            raise ImproperlyConfiguredException(
                f"`stream_ttl` is how long events are kept (milliseconds, or a `timedelta`), got `{stream_ttl!r}`."
            )
        self._history = history
        self._ttl_ms = ttl_ms
        self._approximate = cap_streams_approximate
        self._offsets: dict[str, bytes | str] = {}
        self._publish_script = redis.register_script(_PUBLISH_SCRIPT)
        self._running = False

    async def on_startup(self) -> None:
        """Nothing to connect: the client's pool connects on the first command."""
        self._running = True

    async def on_shutdown(self) -> None:
        """Forget the subscriptions; the streams stay in Redis until they expire."""
        self._running = False
        self._offsets.clear()
        self._subscribed.clear()

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """Append the event to each channel's stream, trimming it by count and age, in one round trip.

        Args:
            data: The event.
            channels: The channels.
        """
        keys = [self._make_key(channel) for channel in channels]
        if keys:
            await self._publish_script(
                keys=keys, args=[data, self._history, self._ttl_ms, "1" if self._approximate else "0"]
            )

    async def subscribe(self, channels: Iterable[str]) -> None:
        """Read the channels' streams from their current end on.

        Args:
            channels: The channels.
        """
        for channel in set(channels) - self._offsets.keys():
            last: Any = await self._redis.xrevrange(self._make_key(channel), count=1)
            self._offsets[channel] = last[0][0] if last else b"0-0"
        if self._offsets:
            self._subscribed.set()

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """Stop reading the channels' streams.

        Args:
            channels: The channels.
        """
        for channel in channels:
            self._offsets.pop(channel, None)
        if not self._offsets:
            self._subscribed.clear()

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        """Yield ``(channel, event)`` for each event appended to a subscribed stream, from where reading left off.

        Yields:
            The channel and the event.
        """
        retry = 0.0
        while self._running:
            if not self._offsets:
                await self._wait_for_subscriptions()
                continue
            streams = {self._make_key(channel): offset for channel, offset in self._offsets.items()}
            try:
                if retry:
                    await asyncio.sleep(retry)
                # A short block: a channel subscribed meanwhile is read from the next call on, from its own offset.
                result: Any = await self._redis.xread(streams, block=100)  # type: ignore[arg-type]
                _raise_if_cancelled()
            except _CONNECTION_ERRORS:
                retry = min(max(retry * 2, 0.05), _MAX_RETRY_SECONDS)
                continue
            retry = 0.0
            for key, entries in result or ():
                channel = self._channel_of(key)
                for entry_id, fields in entries:
                    if channel not in self._offsets:
                        break
                    self._offsets[channel] = entry_id
                    yield channel, _as_bytes(fields.get(b"data", fields.get("data", b"")))

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        """Return the channel's kept events, oldest first.

        Args:
            channel: The channel.
            limit: The most recent ``limit`` events only; all kept ones (at most ``history``) when ``None``.

        Returns:
            The events.
        """
        count = min(limit, self._history) if limit else self._history
        entries: Any = await self._redis.xrevrange(self._make_key(channel), count=count)
        return [_as_bytes(fields.get(b"data", fields.get("data", b""))) for _, fields in reversed(entries)]

    async def flush_all(self) -> int:
        """Delete every stream of this backend's key prefix from Redis.

        Returns:
            How many streams were deleted.
        """
        deleted = 0
        async for key in self._redis.scan_iter(match=f"{self._key_prefix}_*", _type="STREAM"):
            deleted += await self._redis.delete(key)
        return deleted
