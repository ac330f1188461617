"""``MemoryStore``: the embedded default store, a dictionary in the worker process."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from outpour.stores.base import Store, seconds

if TYPE_CHECKING:
    from datetime import timedelta

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """A store in a dictionary of this process: the fastest, shared by nothing else (not across workers).

    Expired values are dropped when read, or all at once by ``delete_expired``. Expiry follows the wall clock
    (``time.time()``), as the other stores' does, so tests can move time forward with time-machine or freezegun.
    """

    def __init__(self) -> None:
        self._data: dict[str, tuple[bytes, float | None]] = {}
        """Key to (value, expiry as ``time.time()`` or ``None``)."""

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        """Store ``value`` under ``key`` (see ``Store.set``)."""
        if isinstance(value, str):
            value = value.encode()
        after = seconds(expires_in)
        self._data[key] = (value, time.time() + after if after is not None else None)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        """Return the value of ``key`` (see ``Store.get``)."""
        item = self._data.get(key)
        if item is None:
            return None
        value, expires_at = item
        if expires_at is not None:
            now = time.time()
            if now >= expires_at:
                del self._data[key]
                return None
            if renew_for is not None:
                self._data[key] = (value, now + (seconds(renew_for) or 0))
        return value

    async def delete(self, key: str) -> None:
        """Delete ``key``."""
        self._data.pop(key, None)

    async def delete_all(self) -> None:
        """Delete every value."""
        self._data.clear()

    async def delete_expired(self) -> None:
        """Delete every expired value."""
        now = time.time()
        for key in [key for key, (_, at) in self._data.items() if at is not None and now >= at]:
            del self._data[key]

    async def exists(self, key: str) -> bool:
        """Whether ``key`` holds a live value."""
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        """The seconds until ``key`` expires (see ``Store.expires_in``)."""
        if await self.get(key) is None:
            return None
        expires_at = self._data[key][1]
        return None if expires_at is None else max(0, round(expires_at - time.time()))
