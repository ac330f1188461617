"""Stores: asynchronous key/value storage with expiry, behind one interface (``outpour.stores.base.Store``).

``MemoryStore`` (``outpour.stores.memory``, the default), ``FileStore`` (``outpour.stores.file``), ``RedisStore``
(``outpour.stores.redis``, the ``redis`` extra) and ``ValkeyStore`` (``outpour.stores.valkey``, the ``valkey``
extra); the app's ``StoreRegistry`` (``outpour.stores.registry``, ``app.stores``) names them. Import the Redis and
Valkey stores from their modules: this package imports neither client.
"""

from __future__ import annotations

from outpour.stores.base import NamespacedStore, StorageObject, Store
from outpour.stores.file import FileStore
from outpour.stores.memory import MemoryStore
from outpour.stores.registry import StoreRegistry

__all__ = ["FileStore", "MemoryStore", "NamespacedStore", "StorageObject", "Store", "StoreRegistry"]
