"""The store over a Redis-protocol server, shared by ``RedisStore`` (redis-py) and ``ValkeyStore`` (valkey-py).

Both clients have the same asyncio API; each public class names its client. Expiry is the server's own (``SET EX``,
``TTL``); renewing on read and reading the expiry are single round trips (a Lua script, ``TTL``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from outpour.exceptions import ImproperlyConfiguredException
from outpour.stores.base import NamespacedStore, seconds
from outpour.types import Empty

if TYPE_CHECKING:
    from datetime import timedelta
    from typing import Self

    from outpour.types import EmptyType

__all__ = ["DEFAULT_NAMESPACE", "RedisLikeStore"]

DEFAULT_NAMESPACE = "OUTPOUR"
"""The namespace of a store created without one: every key it writes starts with ``OUTPOUR:``."""

# GET, and when the value has an expiry, move it to ARGV[1] seconds from now: one round trip, atomic.
_GET_AND_RENEW = """
local value = redis.call('GET', KEYS[1])
if value and redis.call('TTL', KEYS[1]) > 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return value
"""

# The rate limiter's sliding window in one atomic step: drop the times that left the window, count, add `now` when
# under the limit, write back with the window as expiry. Workers on one server never both take the last request.
_WINDOW_HIT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local history = {}
local raw = redis.call('GET', KEYS[1])
if raw then
    local ok, stored = pcall(cjson.decode, raw)
    if ok and type(stored) == 'table' and type(stored['history']) == 'table' then
        for _, at in ipairs(stored['history']) do
            if type(at) == 'number' and at > now - window then table.insert(history, at) end
        end
    end
end
local allowed = #history < limit
if allowed then
    table.insert(history, 1, now)
    local reset = history[#history] + window
    redis.call('SET', KEYS[1], cjson.encode({history = history, reset = reset}), 'EX', window)
end
return {allowed and 1 or 0, (history[#history] or now) + window, #history}
"""

_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


def client_from_url(from_url: Any, url: str, **overrides: Any) -> Any:
    """A client made by ``from_url(url)`` (one connection pool), with the overrides given (not None) applied.

    redis-py and valkey-py let the URL's own values win over ``from_url``'s keywords: the overrides are applied to the
    pool's connection arguments afterwards.
    """
    client = from_url(url)
    client.connection_pool.connection_kwargs.update({k: v for k, v in overrides.items() if v is not None})
    return client


class RedisLikeStore(NamespacedStore):
    """A namespaced store over a redis-py or valkey-py asyncio client (see ``RedisStore``)."""

    _client_name = "client"

    def __init__(self, client: Any, namespace: str | EmptyType | None = Empty, handle_client_shutdown: bool = False):
        super().__init__(DEFAULT_NAMESPACE if namespace is Empty else namespace)
        self._client = client
        self.handle_client_shutdown = handle_client_shutdown
        self._get_and_renew = client.register_script(_GET_AND_RENEW)
        self._window_hit = client.register_script(_WINDOW_HIT)
        self._prefix = f"{self.namespace}:" if self.namespace is not None else ""

    def with_namespace(self, namespace: str) -> Self:
        """Return the store of the child namespace ``namespace`` (``parent:namespace``), on the same client.

        The child never closes the client: its parent's owner does.

        Args:
            namespace: The child namespace.
        """
        full = f"{self.namespace}:{namespace}" if self.namespace is not None else namespace
        return type(self)(self._client, namespace=full, handle_client_shutdown=False)

    def _key(self, key: str) -> str:
        return self._prefix + key

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None, keep_ttl: bool = False
    ) -> None:
        """Store ``value`` under ``key`` (see ``Store.set``).

        Args:
            key: The key.
            value: The value; a ``str`` is stored UTF-8 encoded.
            expires_in: Seconds (or a ``timedelta``) after which the value is gone; ``None``: never.
            keep_ttl: Keep the key's current expiry (when ``expires_in`` is not given).
        """
        after = seconds(expires_in)
        if after is not None and after <= 0:  # Redis refuses `EX 0`: an expired value is no value
            await self.delete(key)
            return
        await self._client.set(self._key(key), value, ex=after, keepttl=keep_ttl and after is None)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        """Return the value of ``key`` (see ``Store.get``)."""
        if renew_for is None:
            value = await self._client.get(self._key(key))
        else:
            value = await self._get_and_renew(keys=[self._key(key)], args=[seconds(renew_for)])
        return bytes(value) if value is not None else None

    async def delete(self, key: str) -> None:
        """Delete ``key``."""
        await self._client.delete(self._key(key))

    async def delete_all(self) -> None:
        """Delete every key of this namespace and of the namespaces below it.

        Raises:
            ImproperlyConfiguredException: The store has no namespace: deleting everything on the server is refused.
        """
        if self.namespace is None:
            raise ImproperlyConfiguredException(
                f"`{type(self).__name__}.delete_all()` needs a namespace: this store was created with "
                "`namespace=None`, and deleting every key of the server is refused. Create it with a namespace."
            )
        pattern = _GLOB_SPECIAL.sub(r"\\\1", self._prefix) + "*"
        batch: list[Any] = []
        async for name in self._client.scan_iter(match=pattern, count=500):
            batch.append(name)
            if len(batch) >= 500:
                await self._client.unlink(*batch)
                batch.clear()
        if batch:
            await self._client.unlink(*batch)

    async def exists(self, key: str) -> bool:
        """Whether ``key`` holds a live value."""
        return bool(await self._client.exists(self._key(key)))

    async def expires_in(self, key: str) -> int | None:
        """The seconds until ``key`` expires (see ``Store.expires_in``)."""
        ttl = int(await self._client.ttl(self._key(key)))
        return ttl if ttl >= 0 else None

    async def _count_in_window(self, key: str, now: int, window: int, limit: int) -> tuple[bool, int, int]:
        """Count a request in a sliding window atomically on the server (the rate limiter's hook).

        Returns:
            Whether it is allowed, when the oldest request leaves the window, and the requests in the window.
        """
        allowed, reset, count = await self._window_hit(keys=[self._key(key)], args=[now, window, limit])
        return bool(allowed), int(reset), int(count)

    async def _shutdown(self) -> None:
        if self.handle_client_shutdown:
            await self._client.aclose()
