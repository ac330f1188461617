"""``RedisStore``: a store on a Redis server through redis-py's asyncio client (the ``redis`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outpour.stores._redis_like import RedisLikeStore, client_from_url
from outpour.types import Empty

try:
    from redis.asyncio import Redis
except ImportError as error:  # pragma: no cover - the extra is installed in every test environment
    from outpour.exceptions import MissingDependencyException

    raise MissingDependencyException("redis", extra="redis") from error

if TYPE_CHECKING:
    from outpour.types import EmptyType

__all__ = ["RedisStore"]


class RedisStore(RedisLikeStore):
    """A store on a Redis server, shared by every worker and host that uses it.

    Keys are prefixed with the namespace (``OUTPOUR`` by default, ``None`` for no prefix); ``with_namespace`` gives
    child stores on the same client and connection pool.

    Args:
        redis: A ``redis.asyncio.Redis`` client.
        namespace: The key prefix; ``None``: none (then ``delete_all`` is refused).
        handle_client_shutdown: Close the client when the app shuts down (``with_client`` sets it).
    """

    def __init__(
        self, redis: Redis, namespace: str | EmptyType | None = Empty, handle_client_shutdown: bool = False
    ) -> None:
        super().__init__(redis, namespace=namespace, handle_client_shutdown=handle_client_shutdown)
        self._redis = redis

    @classmethod
    def with_client(
        cls,
        url: str = "redis://localhost:6379",
        *,
        db: int | None = None,
        port: int | None = None,
        username: str | None = None,
        password: str | None = None,
        namespace: str | EmptyType | None = Empty,
    ) -> RedisStore:
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
        client = client_from_url(Redis.from_url, url, db=db, port=port, username=username, password=password)
        return cls(client, namespace=namespace, handle_client_shutdown=True)
