"""``ValkeyStore``: a store on a Valkey (or Redis) server through valkey-py's asyncio client (the ``valkey`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outpour.stores._redis_like import RedisLikeStore, client_from_url
from outpour.types import Empty

try:
    from valkey.asyncio import Valkey
except ImportError as error:  # pragma: no cover - the extra is installed in every test environment
    from outpour.exceptions import MissingDependencyException

    raise MissingDependencyException("valkey", extra="valkey") from error

if TYPE_CHECKING:
    from outpour.types import EmptyType

__all__ = ["ValkeyStore"]


class ValkeyStore(RedisLikeStore):
    """A store on a Valkey (or Redis) server, shared by every worker and host that uses it.

    Keys are prefixed with the namespace (``OUTPOUR`` by default, ``None`` for no prefix); ``with_namespace`` gives
    child stores on the same client and connection pool.

    Args:
        valkey: A ``valkey.asyncio.Valkey`` client.
        namespace: The key prefix; ``None``: none (then ``delete_all`` is refused).
        handle_client_shutdown: Close the client when the app shuts down (``with_client`` sets it).
    """

    def __init__(
        self, valkey: Valkey, namespace: str | EmptyType | None = Empty, handle_client_shutdown: bool = False
    ) -> None:
        super().__init__(valkey, namespace=namespace, handle_client_shutdown=handle_client_shutdown)
        self._valkey = valkey

    @classmethod
    def with_client(
        cls,
        url: str = "valkey://localhost:6379",
        *,
        db: int | None = None,
        port: int | None = None,
        username: str | None = None,
        password: str | None = None,
        namespace: str | EmptyType | None = Empty,
    ) -> ValkeyStore:
        """Create a store with its own client (one connection pool), closed when the app shuts down.

        Args:
            url: The server's URL.
            db: The database number, overriding the URL's.
            port: The port, overriding the URL's.
            username: The user name, overriding the URL's.
            password: The password, overriding the URL's.
            namespace: The key prefix (see the class).

        Returns:
            The store.
        """
        client = client_from_url(Valkey.from_url, url, db=db, port=port, username=username, password=password)
        return cls(client, namespace=namespace, handle_client_shutdown=True)
