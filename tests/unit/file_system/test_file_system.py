"""File systems: the local disk, fsspec wrappers, the registry and how a file system is chosen."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fsspec.implementations.asyn_wrapper import AsyncFileSystemWrapper
from fsspec.implementations.local import LocalFileSystem
from fsspec.implementations.memory import MemoryFileSystem

from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException
from outpour.file_system import (
    DEFAULT_FILE_SYSTEM,
    BaseFileSystem,
    BaseLocalFileSystem,
    FileInfo,
    FileSystemRegistry,
    FsspecAsyncWrapper,
    FsspecSyncWrapper,
    LinkableFileSystem,
    PathType,
    get_fsspec_mtime_equivalent,
    maybe_wrap_fsspec_file_system,
    resolve_file_system,
)

CONTENT = bytes(range(256)) * 4


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(CONTENT)
    return path


@pytest.fixture
def memory() -> Any:
    fs = MemoryFileSystem()
    fs.pipe_file("/fs-tests/data.bin", CONTENT)
    yield fs
    fs.rm("/fs-tests", recursive=True)


async def collect(fs: BaseFileSystem, path: str, chunksize: int, start: int = 0, end: int = -1) -> list[bytes]:
    return [chunk async for chunk in fs.iter(path, chunksize, start, end)]


# -- local -------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("inline", [pytest.param(64 * 1024, id="inline"), pytest.param(0, id="threads")])
async def test_local_read_and_iter(data: Path, inline: int) -> None:
    fs = BaseLocalFileSystem(inline_read_size=inline)
    info = await fs.info(data)
    assert (info["name"], info["size"], info["type"], info["is_symlink"]) == (str(data), 1024, "file", False)
    assert info["mtime"] == data.stat().st_mtime
    assert await fs.read_bytes(data) == CONTENT
    assert await fs.read_bytes(data, 10, 19) == CONTENT[10:20]
    assert await fs.read_bytes(data, 1000, 5000) == CONTENT[1000:]
    assert await fs.read_bytes(data, 5, 4) == b""
    assert await collect(fs, str(data), 300) == [CONTENT[:300], CONTENT[300:600], CONTENT[600:900], CONTENT[900:]]
    assert await collect(fs, str(data), 100, 50, 149) == [CONTENT[50:150]]
    assert b"".join(await collect(fs, str(data), 7, 1000, 5000)) == CONTENT[1000:]


@pytest.mark.anyio
async def test_local_iter_closes_the_file_when_stopped_early(data: Path) -> None:
    fs = BaseLocalFileSystem()
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    chunks = fs.iter(data, 10)
    assert await anext(chunks) == CONTENT[:10]
    await chunks.aclose()
    after = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    assert after == before


@pytest.mark.anyio
async def test_local_kinds_and_links(tmp_path: Path, data: Path) -> None:
    fs = BaseLocalFileSystem()
    link = tmp_path / "link"
    link.symlink_to(data)
    info = await fs.info(link)
    assert (info["is_symlink"], info["size"], info["type"]) == (True, 1024, "file")
    assert (await fs.info(tmp_path))["type"] == "directory"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert (await fs.info(fifo))["type"] == "other"
    assert await fs.resolve_symlinks(link) == str(data.resolve())
    with pytest.raises(FileNotFoundError):
        await fs.info(tmp_path / "missing")
    with pytest.raises(FileNotFoundError):
        await fs.read_bytes(tmp_path / "missing")
    with pytest.raises(IsADirectoryError):
        await fs.read_bytes(tmp_path, 0, 10)


def test_local_rejects_negative_inline_size() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="inline_read_size"):
        BaseLocalFileSystem(inline_read_size=-1)


def test_abstract_file_systems_cannot_be_created() -> None:
    with pytest.raises(TypeError):
        BaseFileSystem()  # type: ignore[abstract]
    with pytest.raises(TypeError):
        LinkableFileSystem()  # type: ignore[abstract]


# -- symlink resolvers --------------------------------------------------------------------------------------------------


class NoLinksFileSystem(MemoryFileSystem):  # type: ignore[misc]  # fsspec is untyped
    """An fsspec file system registered as linkable by a test (a class of its own: the registry is global)."""


@pytest.fixture
def resolved_by_registry(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, str]]:
    """Register ``NoLinksFileSystem`` with a resolver recording its calls; the registry is restored afterwards."""
    calls: list[tuple[Any, str]] = []

    async def resolver(fs: Any, path: PathType) -> str:
        calls.append((fs, os.fspath(path)))
        return "/resolved" + os.fspath(path)

    monkeypatch.setattr(LinkableFileSystem, "_resolvers", dict(LinkableFileSystem._resolvers))
    LinkableFileSystem.register_as_linkable(NoLinksFileSystem, resolver)
    return calls


@pytest.mark.anyio
async def test_a_registered_type_and_its_subclasses_get_its_resolver(
    resolved_by_registry: list[tuple[Any, str]],
) -> None:
    class Sub(NoLinksFileSystem):
        pass

    for fs in (NoLinksFileSystem(), Sub()):
        resolver = LinkableFileSystem.get_symlink_resolver(fs)
        assert resolver is not None
        assert await resolver(fs, "/a") == "/resolved/a"
    assert [type(fs) for fs, _ in resolved_by_registry] == [NoLinksFileSystem, Sub]


@pytest.mark.anyio
async def test_a_wrapper_is_resolved_with_the_file_system_it_wraps(resolved_by_registry: list[tuple[Any, str]]) -> None:
    inner = NoLinksFileSystem()
    wrapper = FsspecSyncWrapper(inner)
    resolver = LinkableFileSystem.get_symlink_resolver(wrapper)
    assert resolver is not None
    assert await resolver(wrapper, "/b") == "/resolved/b"
    assert resolved_by_registry == [(inner, "/b")]


@pytest.mark.anyio
async def test_linkable_file_systems_resolve_their_own_links(tmp_path: Path, data: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(data)
    for fs in (BaseLocalFileSystem(), LocalFileSystem(), FsspecSyncWrapper(LocalFileSystem())):
        resolver = LinkableFileSystem.get_symlink_resolver(fs)
        assert resolver is not None, fs
        assert await resolver(fs, str(link)) == str(data.resolve())


def test_a_file_system_without_links_has_no_resolver() -> None:
    assert LinkableFileSystem.get_symlink_resolver(MemoryFileSystem()) is None
    assert LinkableFileSystem.get_symlink_resolver(FsspecSyncWrapper(MemoryFileSystem())) is None


# -- fsspec ------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_sync_wrapper_over_memory(memory: Any) -> None:
    fs = FsspecSyncWrapper(memory)
    info = await fs.info("/fs-tests/data.bin")
    assert (info["size"], info["type"]) == (1024, "file")
    assert "mtime" in info
    assert (await fs.info("/fs-tests"))["type"] == "directory"
    assert await fs.read_bytes("/fs-tests/data.bin", 5, 9) == CONTENT[5:10]
    assert await fs.read_bytes("/fs-tests/data.bin") == CONTENT
    assert b"".join(await collect(fs, "/fs-tests/data.bin", 100)) == CONTENT
    assert await collect(fs, "/fs-tests/data.bin", 100, 1000, 2000) == [CONTENT[1000:]]
    with pytest.raises(FileNotFoundError):
        await fs.info("/fs-tests/missing")


@pytest.mark.anyio
async def test_sync_wrapper_over_a_shrunk_file(memory: Any) -> None:
    fs = FsspecSyncWrapper(memory)
    memory.pipe_file("/fs-tests/data.bin", b"short")
    assert await collect(fs, "/fs-tests/data.bin", 2, 0, 99) == [b"sh", b"or", b"t"]


def test_wrapping(memory: Any) -> None:
    local = BaseLocalFileSystem()
    assert maybe_wrap_fsspec_file_system(local) is local
    assert isinstance(maybe_wrap_fsspec_file_system(memory), FsspecSyncWrapper)
    assert isinstance(maybe_wrap_fsspec_file_system(LocalFileSystem()), FsspecSyncWrapper)
    # An async-capable file system created without `asynchronous=True` is used through its sync API.
    assert isinstance(maybe_wrap_fsspec_file_system(AsyncFileSystemWrapper(memory)), FsspecSyncWrapper)
    with pytest.raises(ImproperlyConfiguredException, match="is not a file system"):
        maybe_wrap_fsspec_file_system(object())
    with pytest.raises(ImproperlyConfiguredException, match="FsspecSyncWrapper"):
        FsspecSyncWrapper(object())
    with pytest.raises(ImproperlyConfiguredException, match="FsspecAsyncWrapper"):
        FsspecAsyncWrapper(memory)


def test_missing_fsspec_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fsspec", None)
    with pytest.raises(MissingDependencyException, match=r"outpour\[fsspec\]"):
        maybe_wrap_fsspec_file_system(object())
    with pytest.raises(MissingDependencyException, match="fsspec"):
        FsspecSyncWrapper(object())


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        pytest.param({"mtime": 12.5}, 12.5, id="local-float"),
        pytest.param({"LastModified": datetime(2024, 1, 2, tzinfo=UTC)}, 1704153600.0, id="s3-datetime"),
        pytest.param({"last_modified": datetime(2024, 1, 2)}, 1704153600.0, id="naive-datetime-is-utc"),
        pytest.param({"updated": "2024-01-02T00:00:00Z"}, 1704153600.0, id="gcs-iso-string"),
        pytest.param({"created": 7}, 7.0, id="memory-created"),
        pytest.param({"mtime": "not a date", "created": 3}, 3.0, id="bad-value-skipped"),
        pytest.param({"mtime": float("nan")}, None, id="nan"),
        pytest.param({"mtime": True}, None, id="bool"),
        pytest.param({"mtime": [1]}, None, id="list"),
        pytest.param({}, None, id="none"),
    ],
)
def test_fsspec_mtime(info: dict[str, Any], expected: float | None) -> None:
    assert get_fsspec_mtime_equivalent(info) == expected


LITESTAR_MTIME_KEYS = [
    "mtime",
    "ctime",
    "Last-Modified",
    "updated_at",
    "modification_time",
    "last_changed",
    "change_time",
    "last_modified",
    "last_updated",
    "timestamp",
]


@pytest.mark.parametrize("key", LITESTAR_MTIME_KEYS)
def test_fsspec_mtime_reads_every_key_litestar_names(key: str) -> None:
    assert get_fsspec_mtime_equivalent({key: 5.0}) == 5.0
    assert get_fsspec_mtime_equivalent({key: "2024-01-02T00:00:00Z"}) == 1704153600.0


def test_fsspec_mtime_keys_in_litestar_order_first() -> None:
    """Each of Litestar's keys wins over the ones after it, and all of them over outpour's additions."""
    for position, key in enumerate(LITESTAR_MTIME_KEYS):
        info = {later: 99.0 for later in LITESTAR_MTIME_KEYS[position + 1 :]}
        info.update({"LastModified": 98.0, "created": 97.0, key: float(position)})
        assert get_fsspec_mtime_equivalent(info) == float(position)


# -- registry ----------------------------------------------------------------------------------------------------------


class DictFileSystem(BaseFileSystem):
    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        return {"name": str(path), "size": 0, "type": "file"}

    async def read_bytes(self, path: PathType, start: int = 0, end: int = -1) -> bytes:
        return b""

    async def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        yield b""


def test_registry(memory: Any) -> None:
    own = DictFileSystem()
    registry = FileSystemRegistry({"mem": memory, "own": own})
    assert registry.default is DEFAULT_FILE_SYSTEM
    assert isinstance(registry["mem"], FsspecSyncWrapper)
    assert registry.get("mem") is registry.get("mem")  # wrapped once
    assert registry.get("own") is own
    assert registry.get("nope") is None
    assert "own" in registry
    assert "nope" not in registry
    with pytest.raises(KeyError):
        registry["nope"]
    registry.register("own", memory)
    assert isinstance(registry["own"], FsspecSyncWrapper)
    assert set(registry.file_systems) == {"mem", "own"}
    assert "mem" in repr(registry)
    assert FileSystemRegistry(default=own).default is own


class App:
    def __init__(self, plugins: list[Any]) -> None:
        self.plugins = plugins


def test_resolve_file_system(memory: Any) -> None:
    own = DictFileSystem()
    registry = FileSystemRegistry({"own": own}, default=memory)
    app = App([object(), registry])
    assert resolve_file_system(app, "own") is own
    assert resolve_file_system(app, own) is own
    assert isinstance(resolve_file_system(app, None), FsspecSyncWrapper)
    assert resolve_file_system(App([]), None) is DEFAULT_FILE_SYSTEM
    assert resolve_file_system(None, None) is DEFAULT_FILE_SYSTEM
    with pytest.raises(ImproperlyConfiguredException, match="registered: `own`"):
        resolve_file_system(app, "s3")
    with pytest.raises(ImproperlyConfiguredException, match="no `FileSystemRegistry`"):
        resolve_file_system(App([]), "s3")


def probing(fs: BaseLocalFileSystem) -> bool:
    """Whether the file system still asks the page cache before reading."""
    return fs._nowait


# -- page cache --------------------------------------------------------------------------------------------------------


class ThreadCounter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import anyio.to_thread

        self.calls = 0
        original = anyio.to_thread.run_sync

        async def counting(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return await original(*args, **kwargs)

        monkeypatch.setattr(anyio.to_thread, "run_sync", counting)


@pytest.mark.anyio
async def test_cached_reads_stay_on_the_event_loop(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fs = BaseLocalFileSystem(inline_read_size=16)
    await fs.read_bytes(data)  # warm the page cache
    threads = ThreadCounter(monkeypatch)
    assert await fs.read_bytes(data, 0, 999) == CONTENT[:1000]
    assert b"".join(await collect(fs, str(data), 500)) == CONTENT
    expected = 0 if probing(fs) else 3
    assert threads.calls == expected


@pytest.mark.anyio
async def test_uncached_reads_go_to_a_thread(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import outpour._file_systems.local as module

    def not_cached(fd: int, size: int, offset: int) -> bool:
        raise BlockingIOError(11, "would block")

    monkeypatch.setattr(module, "_cached", not_cached)
    fs = BaseLocalFileSystem(inline_read_size=16)
    threads = ThreadCounter(monkeypatch)
    assert await fs.read_bytes(data, 0, 999) == CONTENT[:1000]
    assert await fs.read_bytes(data, 0, 9) == CONTENT[:10]  # small: read directly
    assert threads.calls == 1


@pytest.mark.anyio
async def test_evicted_file_is_read_correctly(data: Path) -> None:
    fd = os.open(data, os.O_RDONLY)
    try:
        os.fsync(fd)
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    fs = BaseLocalFileSystem()
    assert b"".join(await collect(fs, str(data), 300)) == CONTENT


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("error", "disabled"),
    [
        pytest.param(OSError(95, "Operation not supported"), True, id="unsupported-disables-probing"),
        pytest.param(OSError(5, "I/O error"), False, id="other-errors-raise"),
    ],
)
async def test_probe_errors(data: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, disabled: bool) -> None:
    fs = BaseLocalFileSystem()
    if not probing(fs):
        pytest.skip("this system cannot probe the page cache")

    def failing(*args: Any) -> int:
        raise error

    monkeypatch.setattr(os, "preadv", failing)
    if disabled:
        assert await fs.read_bytes(data, 0, 9) == CONTENT[:10]
        assert not probing(fs)
        assert await fs.read_bytes(data, 10, 19) == CONTENT[10:20]  # no more probing
    else:
        with pytest.raises(OSError, match="I/O error"):
            await fs.read_bytes(data, 0, 9)
