"""Stores: bytes in, bytes out, with expiry and namespaces."""

from __future__ import annotations

from pathlib import Path

from outpour.stores.file import FileStore
from outpour.stores.memory import MemoryStore


async def basics() -> dict[str, object]:
    store = MemoryStore()
    await store.set("greeting", "hello")  # a str is stored UTF-8 encoded
    await store.set("token", b"abc", expires_in=60)  # gone after a minute
    return {
        "greeting": await store.get("greeting"),  # b"hello"
        "missing": await store.get("nothing"),  # None
        "token_expires_in": await store.expires_in("token"),  # 60 (or just under)
        "renewed": await store.get("token", renew_for=3600),  # read, and keep it for another hour
    }


async def namespaces(folder: Path) -> dict[str, object]:
    root = FileStore(folder, create_directories=True)
    cache = root.with_namespace("cache")
    sessions = root.with_namespace("sessions")
    await cache.set("key", b"cached")
    await sessions.set("key", b"session")
    await cache.delete_all()  # only the cache's values
    return {"cache": await cache.get("key"), "sessions": await sessions.get("key")}
