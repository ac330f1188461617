"""``StoreRegistry``: the app's stores by name (``app.stores``), each created on first use when not configured."""

from __future__ import annotations

from collections.abc import Callable

from outpour.stores.base import Store
from outpour.stores.memory import MemoryStore

__all__ = ["StoreRegistry", "default_default_factory"]


def default_default_factory(name: str) -> Store:
    """Create a new ``MemoryStore`` for ``name``: the registry's default factory."""
    return MemoryStore()


class StoreRegistry:
    """The stores of an app by name, each created by ``default_factory`` on first use when not configured.

    Response caching asks for ``response_cache``, rate limiting for ``rate_limit`` and server-side sessions for
    ``sessions`` (each name configurable); any code may ask for its own.

    Args:
        stores: The initial stores, by name.
        default_factory: Called with a name that has no store yet; its store is registered under that name.
    """

    __slots__ = ("_default_factory", "_stores")

    def __init__(
        self, stores: dict[str, Store] | None = None, default_factory: Callable[[str], Store] = default_default_factory
    ) -> None:
        self._stores: dict[str, Store] = dict(stores or {})
        self._default_factory = default_factory

    def register(self, name: str, store: Store, allow_override: bool = False) -> None:
        """Register ``store`` under ``name``.

        Args:
            name: The name.
            store: The store.
            allow_override: Replace a store already registered under ``name``.

        Raises:
            ValueError: ``name`` has a store and ``allow_override`` is false.
        """
        if name in self._stores and not allow_override:
            raise ValueError(
                f"A store is already registered under `{name}`: pass `allow_override=True` to replace it, or choose "
                "another name."
            )
        self._stores[name] = store

    def get(self, name: str) -> Store:
        """Return the store named ``name``, created by the default factory and registered if there is none.

        Args:
            name: The name.
        """
        store = self._stores.get(name)
        if store is None:
            store = self._stores[name] = self._default_factory(name)
        return store

    def __contains__(self, name: object) -> bool:
        return name in self._stores

    async def _shutdown(self) -> None:
        """Release every registered store's resources (``RedisStore.with_client`` closes its client)."""
        for store in list(self._stores.values()):
            await store._shutdown()
