"""``ResponseCacheConfig``: where cached responses are kept, for how long, under which key and which ones.

Handlers opt in with ``cache=True`` (``default_expiration`` seconds), ``cache=<seconds>`` or
``cache=CACHE_FOREVER``; ``cache_key_builder`` on a handler overrides the config's ``key_builder``. How a cached
response is stored and replayed is described in ``docs/usage/caching.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlencode

from outpour.datastructures.url import parse_query_string

if TYPE_CHECKING:
    from outpour.connection import Request
    from outpour.stores.base import Store
    from outpour.types import CacheKeyBuilder, HTTPScope

__all__ = ["CACHE_FOREVER", "ResponseCacheConfig", "cache_key_of_scope", "default_cache_key_builder"]


class CACHE_FOREVER:  # Litestar's name: a sentinel class, given as `cache=CACHE_FOREVER`
    """Pass as ``cache=CACHE_FOREVER`` to keep a handler's responses until the store drops them."""


def cache_key_of_scope(scope: HTTPScope | dict[str, Any]) -> str:
    """The default cache key of a request's scope: its path, then its query parameters sorted by name."""
    path: str = scope["path"]
    query = scope.get("query_string")
    if not query:
        return path
    pairs = sorted(parse_query_string(query), key=lambda pair: pair[0])
    return f"{path}?{urlencode(pairs)}" if pairs else path


def default_cache_key_builder(request: Request[Any, Any, Any]) -> str:
    """Build the cache key of ``request``: its method, its path and its query parameters sorted by name.

    ``GET /items?b=2&a=1`` and ``GET /items?a=1&b=2`` share the entry ``GET/items?a=1&b=2``; a ``HEAD`` request reads
    the entry of the ``GET`` it stands for.

    Args:
        request: The request.

    Returns:
        The key.
    """
    method: str = request.scope["method"]
    return ("GET" if method == "HEAD" else method) + cache_key_of_scope(request.scope)


def default_do_cache_predicate(_: HTTPScope, status_code: int) -> bool:
    """Cache successful responses and permanent redirects (2xx, 301, 308): the default ``cache_response_filter``.

    A temporary redirect (302, 303, 307), such as one to a login page, is not kept for the next client.
    """
    return 200 <= status_code < 300 or status_code in (301, 308)


@dataclass
class ResponseCacheConfig:
    """How the app caches the responses of handlers declared with ``cache``.

    Args:
        default_expiration: Seconds a response of a ``cache=True`` handler is kept; ``None``: until the store drops it.
        key_builder: Builds the key of a request (see ``default_cache_key_builder``); a handler's
            ``cache_key_builder`` takes precedence.
        store: The name of the store in the app's ``stores`` (a ``MemoryStore`` unless one is registered).
        cache_response_filter: Called with the scope and the status code: whether to keep that response.
    """

    default_expiration: int | None = 60
    key_builder: CacheKeyBuilder = field(default=default_cache_key_builder)
    store: str = "response_cache"
    cache_response_filter: Callable[[HTTPScope, int], bool] = field(default=default_do_cache_predicate)

    def get_store_from_app(self, app: Any) -> Store:
        """Return the store named ``store`` from ``app.stores``.

        Args:
            app: The application.

        Returns:
            The store.
        """
        store: Store = app.stores.get(self.store)
        return store


CACHE_KEY_SEPARATOR: Final = "\x1f"
"""Separates the parts of derived keys (a response's variants by its ``Vary`` headers, other methods than GET)."""
