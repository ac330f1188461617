"""One suite, every store: Memory, File, Redis and Valkey (both on the real Redis server) behave the same.

Redis and Valkey run on asyncio only (their clients are asyncio clients); each test has a namespace of its own on
the shared server, deleted afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import anyio
import pytest

from outpour.stores.base import NamespacedStore, Store
from outpour.stores.file import FileStore
from outpour.stores.memory import MemoryStore
from outpour.stores.redis import RedisStore
from outpour.stores.valkey import ValkeyStore
from tests._services import redis_url

pytestmark = pytest.mark.anyio

KINDS = ["memory", "file", "redis", "valkey"]


@pytest.fixture(params=[pytest.param(kind, id=kind) for kind in KINDS])
async def store(request: pytest.FixtureRequest, anyio_backend: str, tmp_path: Path) -> AsyncIterator[Store]:
    kind = request.param
    if kind == "memory":
        yield MemoryStore()
    elif kind == "file":
        yield FileStore(tmp_path / "store", create_directories=True)
    else:
        if anyio_backend != "asyncio":
            pytest.skip(f"the {kind} client runs on asyncio only")
        namespace = f"outpour-test-{uuid.uuid4().hex}"
        with redis_url() as url:
            factory = RedisStore if kind == "redis" else ValkeyStore
            server_store = factory.with_client(url.replace("redis://", "valkey://") if kind == "valkey" else url)
            async with server_store.with_namespace(namespace) as namespaced, server_store:
                yield namespaced
                await namespaced.delete_all()


async def test_set_then_get_returns_bytes(store: Store) -> None:
    await store.set("text", "héllo")
    await store.set("raw", b"\x00\xff")
    assert (await store.get("text"), await store.get("raw")) == ("héllo".encode(), b"\x00\xff")


async def test_missing_key_is_none(store: Store) -> None:
    assert (await store.get("nothing"), await store.exists("nothing"), await store.expires_in("nothing")) == (
        None,
        False,
        None,
    )


async def test_set_replaces(store: Store) -> None:
    await store.set("key", b"one")
    await store.set("key", b"two")
    assert await store.get("key") == b"two"


async def test_delete(store: Store) -> None:
    await store.set("key", b"value")
    await store.delete("key")
    await store.delete("never-set")  # not an error
    assert (await store.get("key"), await store.exists("key")) == (None, False)


async def test_delete_all(store: Store) -> None:
    await store.set("a", b"1")
    await store.set("b", b"2", expires_in=60)
    await store.delete_all()
    assert [await store.exists("a"), await store.exists("b")] == [False, False]


async def test_value_without_expiry_has_none(store: Store) -> None:
    await store.set("key", b"value")
    assert (await store.exists("key"), await store.expires_in("key")) == (True, None)


@pytest.mark.parametrize("expires_in", [pytest.param(60, id="int"), pytest.param(timedelta(minutes=1), id="timedelta")])
async def test_expires_in_counts_down(store: Store, expires_in: int | timedelta) -> None:
    await store.set("key", b"value", expires_in=expires_in)
    remaining = await store.expires_in("key")
    assert remaining is not None
    assert 58 <= remaining <= 60


async def test_expired_value_is_gone(store: Store) -> None:
    await store.set("key", b"value", expires_in=1)
    assert await store.get("key") == b"value"
    await anyio.sleep(1.1)
    assert (await store.get("key"), await store.exists("key"), await store.expires_in("key")) == (None, False, None)


async def test_renew_for_extends_expiry(store: Store) -> None:
    await store.set("key", b"value", expires_in=10)
    assert await store.get("key", renew_for=100) == b"value"
    remaining = await store.expires_in("key")
    assert remaining is not None
    assert remaining > 10


async def test_renew_for_leaves_a_value_without_expiry_alone(store: Store) -> None:
    await store.set("key", b"value")
    assert await store.get("key", renew_for=100) == b"value"
    assert await store.expires_in("key") is None


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("../../etc/passwd", id="dot-dot"),
        pytest.param("/absolute", id="absolute"),
        pytest.param("a\x00b", id="nul"),
        pytest.param("k" * 5000, id="long"),
        pytest.param("spaces and ünïcode ✓", id="unicode"),
        pytest.param("", id="empty"),
    ],
)
async def test_odd_keys_round_trip(store: Store, key: str) -> None:
    await store.set(key, b"value")
    assert await store.get(key) == b"value"
    await store.delete(key)
    assert await store.get(key) is None


async def test_namespaces_are_isolated(store: Store) -> None:
    if not isinstance(store, NamespacedStore):
        pytest.skip("MemoryStore has no namespaces")
    first, second = store.with_namespace("first"), store.with_namespace("second")
    await first.set("key", b"first")
    await second.set("key", b"second")
    await store.set("key", b"parent")
    await first.delete_all()
    assert [await first.get("key"), await second.get("key"), await store.get("key")] == [None, b"second", b"parent"]


async def test_delete_all_reaches_child_namespaces(store: Store) -> None:
    if not isinstance(store, NamespacedStore):
        pytest.skip("MemoryStore has no namespaces")
    child = store.with_namespace("child").with_namespace("grandchild")
    await child.set("key", b"value")
    await store.delete_all()
    assert await child.get("key") is None


async def test_sibling_namespace_with_a_common_prefix_survives(store: Store) -> None:
    if not isinstance(store, NamespacedStore):
        pytest.skip("MemoryStore has no namespaces")
    short, longer = store.with_namespace("app"), store.with_namespace("apple")
    await longer.set("key", b"kept")
    await short.delete_all()
    assert await longer.get("key") == b"kept"
