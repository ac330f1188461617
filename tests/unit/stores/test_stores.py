"""What each store does beyond the contract: files on disk, Redis namespaces and clients, the registry, the app."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from outpour import Outpour, get
from outpour.exceptions import ImproperlyConfiguredException
from outpour.stores import FileStore, MemoryStore, StorageObject, StoreRegistry
from outpour.stores.base import Store
from outpour.stores.redis import RedisStore
from outpour.stores.registry import default_default_factory
from outpour.stores.valkey import ValkeyStore
from outpour.testing import create_async_test_client
from tests._services import redis_url

pytestmark = pytest.mark.anyio

ASYNCIO_ONLY = pytest.mark.parametrize("anyio_backend", [pytest.param("asyncio", id="asyncio")])


# -- FileStore ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["../escape", "../../../../tmp/x", "/etc/passwd", "a/b/c", "..", "."])
async def test_file_store_keeps_every_key_inside_its_folder(tmp_path: Path, key: str) -> None:
    folder = tmp_path / "store"
    store = FileStore(folder, create_directories=True)
    await store.set(key, b"value")
    assert [p.parent for p in tmp_path.rglob("*") if p.is_file()] == [folder]
    assert await store.get(key) == b"value"


async def test_file_store_namespaces_are_sub_folders_with_safe_names(tmp_path: Path) -> None:
    store = FileStore(tmp_path, create_directories=True)
    await store.with_namespace("plain").set("k", b"1")
    await store.with_namespace("../up").set("k", b"2")
    folders = sorted(p.name for p in tmp_path.iterdir())
    assert folders[1] == "plain"
    assert folders[0].startswith("ns-")
    assert not (tmp_path.parent / "up").exists()


async def test_file_store_without_its_folder_says_what_to_do(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "missing")
    with pytest.raises(ImproperlyConfiguredException, match=r"does not exist: create it, or pass `create_directories"):
        await store.set("k", b"v")
    assert await store.get("k") is None
    await store.delete_all()  # nothing to delete: not an error
    await store.delete_expired()


async def test_file_store_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    for n in range(5):
        await store.set("key", str(n))
    assert len(list(tmp_path.iterdir())) == 1
    assert await store.get("key") == b"4"


async def test_file_store_ignores_files_it_did_not_write(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    await store.set("key", b"value")
    [path] = tmp_path.iterdir()
    path.write_bytes(b"\xc1 not msgpack")
    assert (await store.get("key"), await store.exists("key")) == (None, False)


async def test_file_store_delete_expired_removes_only_expired_values(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    await store.set("gone", b"x", expires_in=1)
    await store.with_namespace("child").set("gone-too", b"x", expires_in=1)
    await store.set("kept", b"y", expires_in=60)
    for path in tmp_path.rglob("*.value"):  # age every value with an expiry by a minute and a half
        stored = StorageObject.from_bytes(path.read_bytes())
        assert stored.expires_at is not None
        path.write_bytes(StorageObject(stored.expires_at - timedelta(seconds=90), stored.data).to_bytes())
    await store.delete_expired()
    assert len(list(tmp_path.rglob("*.value"))) == 0
    await store.set("kept", b"y", expires_in=60)
    await store.delete_expired()
    assert len(list(tmp_path.rglob("*.value"))) == 1


# -- MemoryStore and StorageObject -------------------------------------------------------------------------------------


async def test_memory_store_delete_expired() -> None:
    store = MemoryStore()
    await store.set("gone", b"x", expires_in=-1)
    await store.set("kept", b"y")
    await store.delete_expired()
    assert (await store.exists("gone"), await store.exists("kept")) == (False, True)


def test_storage_object_round_trips_and_reports_expiry() -> None:
    forever = StorageObject.new(b"data", None)
    soon = StorageObject.new(b"data", timedelta(seconds=30))
    assert StorageObject.from_bytes(soon.to_bytes()) == soon
    assert (forever.expired, forever.expires_in, soon.expired) == (False, -1, False)
    assert 28 <= soon.expires_in <= 30


# -- StoreRegistry -----------------------------------------------------------------------------------------------------


def test_registry_creates_and_keeps_a_store_per_name() -> None:
    registry = StoreRegistry()
    first = registry.get("cache")
    assert registry.get("cache") is first
    assert registry.get("other") is not first
    assert isinstance(first, MemoryStore)
    assert "cache" in registry
    assert isinstance(default_default_factory("x"), MemoryStore)


def test_registry_register_refuses_to_replace_silently() -> None:
    registry = StoreRegistry({"sessions": MemoryStore()})
    replacement = MemoryStore()
    with pytest.raises(ValueError, match=r"already registered under `sessions`: pass `allow_override=True`"):
        registry.register("sessions", replacement)
    registry.register("sessions", replacement, allow_override=True)
    assert registry.get("sessions") is replacement


def test_registry_default_factory_is_called_with_the_name(tmp_path: Path) -> None:
    root = FileStore(tmp_path)
    registry = StoreRegistry(default_factory=root.with_namespace)
    store = registry.get("sessions")
    assert isinstance(store, FileStore)
    assert store.namespace == "sessions"


def test_app_stores_is_the_registry() -> None:
    registry = StoreRegistry()
    assert Outpour([], stores=registry).stores is registry
    given = MemoryStore()
    app = Outpour([], stores={"mine": given})
    assert app.stores.get("mine") is given


# -- RedisStore and ValkeyStore ----------------------------------------------------------------------------------------


@ASYNCIO_ONLY
@pytest.mark.parametrize("kind", [pytest.param(RedisStore, id="redis"), pytest.param(ValkeyStore, id="valkey")])
async def test_server_store_refuses_delete_all_without_a_namespace(kind: type[RedisStore] | type[ValkeyStore]) -> None:
    with redis_url() as url:
        async with kind.with_client(url, namespace=None) as store:
            with pytest.raises(ImproperlyConfiguredException, match=r"Store\.delete_all\(\)` needs a namespace"):
                await store.delete_all()


@ASYNCIO_ONLY
async def test_redis_store_prefixes_keys_with_its_namespaces() -> None:
    namespace = f"outpour-test-{uuid.uuid4().hex}"
    with redis_url() as url:
        async with RedisStore.with_client(url, namespace=namespace) as store:
            child = store.with_namespace("child")
            await child.set("key", b"v")
            await child.set("old", b"v", expires_in=-1)  # an expired value is no value
            async with RedisStore.with_client(url, namespace=None) as raw:
                assert await raw.get(f"{namespace}:child:key") == b"v"
                assert await raw.exists(f"{namespace}:child:old") is False
            await store.delete_all()
            assert await child.get("key") is None


@ASYNCIO_ONLY
async def test_redis_store_keep_ttl() -> None:
    with redis_url() as url:
        async with RedisStore.with_client(url, namespace=f"outpour-test-{uuid.uuid4().hex}") as store:
            await store.set("key", b"one", expires_in=60)
            await store.set("key", b"two", keep_ttl=True)
            remaining = await store.expires_in("key")
            await store.delete_all()
    assert remaining is not None
    assert 55 <= remaining <= 60


@ASYNCIO_ONLY
async def test_with_client_options_override_the_url() -> None:
    """``db`` selects another database: a value set there is not in database 0."""
    namespace = f"outpour-test-{uuid.uuid4().hex}"
    with redis_url() as url:
        async with (
            RedisStore.with_client(url, db=3, namespace=namespace) as db3,
            RedisStore.with_client(url, db=0, namespace=namespace) as db0,
        ):
            await db3.set("key", b"v")
            found = (await db3.get("key"), await db0.get("key"))
            await db3.delete_all()
    assert found == (b"v", None)


@ASYNCIO_ONLY
async def test_app_shutdown_closes_the_clients_with_client_opened() -> None:
    closed: list[str] = []

    class Recording(RedisStore):
        async def _shutdown(self) -> None:
            closed.append("closed" if self.handle_client_shutdown else "kept")
            await super()._shutdown()

    @get("/")
    async def home() -> str:
        return "ok"

    with redis_url() as url:
        owned = Recording.with_client(url)
        shared = Recording(owned._redis)
        async with create_async_test_client([home], stores={"a": owned, "b": shared}) as client:
            assert (await client.get("/")).text == "ok"
    assert closed == ["closed", "kept"]


def test_a_store_is_abstract() -> None:
    with pytest.raises(TypeError):
        Store()  # type: ignore[abstract]


async def test_file_store_cleans_up_after_a_failed_write(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    await store.set("key", b"v")
    [path] = tmp_path.iterdir()
    path.unlink()
    path.mkdir()  # the value's file is now a folder: the rename fails
    with pytest.raises(OSError):  # noqa: PT011 - IsADirectoryError or PermissionError, by platform
        await store.set("key", b"w")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@ASYNCIO_ONLY
async def test_redis_delete_all_deletes_in_batches() -> None:
    with redis_url() as url:
        async with RedisStore.with_client(url, namespace=f"outpour-test-{uuid.uuid4().hex}") as store:
            for n in range(1100):
                await store.set(str(n), b"v")
            await store.delete_all()
            assert [await store.exists(str(n)) for n in (0, 599, 1099)] == [False, False, False]
