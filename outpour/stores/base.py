"""The store interface: ``Store``, ``NamespacedStore`` and the ``StorageObject`` that file stores keep on disk."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Self

__all__ = ["NamespacedStore", "StorageObject", "Store"]


def seconds(value: int | timedelta | None) -> int | None:
    """An expiry given as seconds or a ``timedelta``, in whole seconds (``None`` stays ``None``)."""
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    return value


class Store(ABC):
    """An asynchronous key/value store of bytes with optional expiry.

    Every store (``MemoryStore``, ``FileStore``, ``RedisStore``, ``ValkeyStore``) behaves the same through this
    interface; ``tests/unit/stores/test_contract.py`` runs one suite against each. Stores are async context managers:
    leaving one releases what it holds (``RedisStore.with_client`` closes its client).
    """

    @abstractmethod
    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        """Store ``value`` under ``key``, replacing what was there.

        Args:
            key: The key.
            value: The value; a ``str`` is stored UTF-8 encoded.
            expires_in: Seconds (or a ``timedelta``) after which the value is gone; ``None``: never.
        """

    @abstractmethod
    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        """Return the value of ``key``, or ``None`` when there is none or it expired.

        Args:
            key: The key.
            renew_for: When the value has an expiry, set it to this many seconds from now.
        """

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Delete ``key``; a missing key is not an error."""

    @abstractmethod
    async def delete_all(self) -> None:
        """Delete every value of the store (of its namespace and the namespaces below it, for namespaced stores)."""

    @abstractmethod
    async def exists(self, key: str) -> bool:
        """Whether ``key`` holds a value that has not expired."""

    @abstractmethod
    async def expires_in(self, key: str) -> int | None:
        """The seconds until ``key`` expires; ``None`` when it does not exist or never expires."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._shutdown()

    async def _shutdown(self) -> None:
        """Release what the store holds; called when the app shuts down. Nothing by default."""
        return


class NamespacedStore(Store):
    """A store whose ``with_namespace`` gives child stores: ``delete_all`` on one affects it and its children only.

    Args:
        namespace: This store's namespace (``None``: none).
    """

    def __init__(self, namespace: str | None) -> None:
        self.namespace = namespace

    @abstractmethod
    def with_namespace(self, namespace: str) -> Self:
        """Return a store of the child namespace ``namespace``, sharing this store's backend (connection, folder).

        Args:
            namespace: The child's name.
        """


class StorageObject(msgspec.Struct):
    """A stored value with its expiry time, as the file store keeps it.

    Attributes:
        expires_at: When the value expires (UTC), or ``None``.
        data: The value.
    """

    expires_at: datetime | None
    data: bytes

    @classmethod
    def new(cls, data: bytes, expires_in: int | timedelta | None) -> StorageObject:
        """Wrap ``data``, expiring ``expires_in`` seconds from now (never when ``None``)."""
        after = seconds(expires_in)
        expires_at = datetime.now(tz=UTC) + timedelta(seconds=after) if after is not None else None
        return cls(expires_at=expires_at, data=data)

    @property
    def expired(self) -> bool:
        """Whether the value has expired."""
        return self.expires_at is not None and datetime.now(tz=UTC) >= self.expires_at

    @property
    def expires_in(self) -> int:
        """Whole seconds until expiry (at least 0); ``-1`` when the value never expires."""
        if self.expires_at is None:
            return -1
        return max(0, int((self.expires_at - datetime.now(tz=UTC)).total_seconds()))

    def to_bytes(self) -> bytes:
        """Encode as msgpack."""
        return _encoder.encode(self)

    @classmethod
    def from_bytes(cls, raw: bytes) -> StorageObject:
        """Decode what ``to_bytes`` encoded.

        Raises:
            msgspec.DecodeError: ``raw`` is not a storage object.
        """
        return _decoder.decode(raw)


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(StorageObject)
