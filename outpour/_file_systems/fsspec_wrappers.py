"""fsspec file systems as ``BaseFileSystem``: ``FsspecSyncWrapper``, ``FsspecAsyncWrapper`` and their helpers."""

from __future__ import annotations

import math
import os
from collections.abc import AsyncGenerator, Mapping
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread

from outpour._file_systems.base import AnyFileSystem, BaseFileSystem, FileInfo, PathType
from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException

__all__ = [
    "FsspecAsyncWrapper",
    "FsspecSyncWrapper",
    "get_fsspec_mtime_equivalent",
    "maybe_wrap_fsspec_file_system",
]

_MTIME_KEYS = (
    # Litestar's keys, in its order,
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
    # then those of fsspec file systems it misses: s3fs (`LastModified`), gcsfs (`updated`, `timeCreated`), ...
    "LastModified",
    "modified",
    "updated",
    "timeCreated",
    "created",
)


def _to_timestamp(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    if isinstance(value, str):
        try:
            return _to_timestamp(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def get_fsspec_mtime_equivalent(info: Mapping[str, Any]) -> float | None:
    """Return the modification time in an fsspec ``info`` dict, whose key differs between file systems.

    The keys tried, in order: Litestar's (``mtime``, ``ctime``, ``Last-Modified``, ``updated_at``,
    ``modification_time``, ``last_changed``, ``change_time``, ``last_modified``, ``last_updated``, ``timestamp``),
    then ``LastModified``, ``modified``, ``updated``, ``timeCreated`` and ``created``. The first whose value is a
    number, a ``datetime`` or an ISO 8601 string is used (a naive ``datetime`` is taken as UTC); other values are
    skipped.

    Args:
        info: What an fsspec file system's ``info`` returned.

    Returns:
        Seconds since the epoch, or None when the dict has no usable time.
    """
    for key in _MTIME_KEYS:
        if key in info:
            value = _to_timestamp(info[key])
            if value is not None:
                return value
    return None


def _fsspec_info(path: str, raw: Mapping[str, Any]) -> FileInfo:
    kind = raw.get("type")
    info: FileInfo = {
        "name": str(raw.get("name", path)),
        "size": int(raw.get("size") or 0),
        "type": kind if kind in ("file", "directory") else "other",
        "is_symlink": raw.get("islink"),
    }
    mtime = get_fsspec_mtime_equivalent(raw)
    if mtime is not None:
        info["mtime"] = mtime
    return info


def _import_fsspec() -> Any:
    try:
        import fsspec
        import fsspec.asyn
    except ImportError as exc:
        raise MissingDependencyException("fsspec", extra="fsspec") from exc
    return fsspec


class FsspecSyncWrapper(BaseFileSystem):
    """A synchronous fsspec file system as a ``BaseFileSystem``; its blocking calls run in worker threads.

    Args:
        fs: The fsspec file system.
    """

    __slots__ = ("wrapped_fs",)

    def __init__(self, fs: Any) -> None:
        fsspec = _import_fsspec()
        if not isinstance(fs, fsspec.AbstractFileSystem):
            raise ImproperlyConfiguredException(
                f"`FsspecSyncWrapper` wraps an fsspec file system, got `{fs!r}`; subclass `BaseFileSystem` instead."
            )
        self.wrapped_fs = fs

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        """Describe ``path``.

        Args:
            path: The path.
            **kwargs: Passed to the fsspec ``info``.

        Returns:
            Its ``FileInfo``.
        """
        name = os.fspath(path)
        raw = await anyio.to_thread.run_sync(lambda: self.wrapped_fs.info(name, **kwargs))
        return _fsspec_info(name, raw)

    async def read_bytes(self, path: PathType, start: int = 0, end: int = -1) -> bytes:
        """Read bytes ``start`` to ``end`` (inclusive) of ``path``.

        Args:
            path: The file.
            start: The offset of the first byte.
            end: The offset of the last byte; ``-1`` for the end of the file.

        Returns:
            The bytes.
        """
        name = os.fspath(path)
        stop = None if end == -1 else end + 1
        data: bytes = await anyio.to_thread.run_sync(lambda: self.wrapped_fs.cat_file(name, start=start, end=stop))
        return data

    async def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        """Stream bytes ``start`` to ``end`` (inclusive) of ``path``: one ranged read per chunk.

        Args:
            path: The file.
            chunksize: The largest chunk to yield.
            start: The offset of the first byte.
            end: The offset of the last byte; ``-1`` for the end of the file.

        Yields:
            The chunks.
        """
        if end == -1:
            end = (await self.info(path))["size"] - 1
        offset = start
        while offset <= end:
            chunk = await self.read_bytes(path, offset, min(end, offset + chunksize - 1))
            if not chunk:
                return
            offset += len(chunk)
            yield chunk


class FsspecAsyncWrapper(BaseFileSystem):
    """An asynchronous fsspec file system (created with ``asynchronous=True``) as a ``BaseFileSystem``.

    Args:
        fs: The fsspec file system.
    """

    __slots__ = ("wrapped_fs",)

    def __init__(self, fs: Any) -> None:
        fsspec = _import_fsspec()
        if not isinstance(fs, fsspec.asyn.AsyncFileSystem):
            raise ImproperlyConfiguredException(
                f"`FsspecAsyncWrapper` wraps an asynchronous fsspec file system, got `{fs!r}`; use "
                "`FsspecSyncWrapper` for a synchronous one."
            )
        self.wrapped_fs = fs

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        """Describe ``path``.

        Args:
            path: The path.
            **kwargs: Passed to the fsspec ``_info``.

        Returns:
            Its ``FileInfo``.
        """
        name = os.fspath(path)
        return _fsspec_info(name, await self.wrapped_fs._info(name, **kwargs))

    async def read_bytes(self, path: PathType, start: int = 0, end: int = -1) -> bytes:
        """Read bytes ``start`` to ``end`` (inclusive) of ``path``.

        Args:
            path: The file.
            start: The offset of the first byte.
            end: The offset of the last byte; ``-1`` for the end of the file.

        Returns:
            The bytes.
        """
        data: bytes = await self.wrapped_fs._cat_file(os.fspath(path), start=start, end=None if end == -1 else end + 1)
        return data

    async def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        """Stream bytes ``start`` to ``end`` (inclusive) of ``path``: one ranged read per chunk.

        Args:
            path: The file.
            chunksize: The largest chunk to yield.
            start: The offset of the first byte.
            end: The offset of the last byte; ``-1`` for the end of the file.

        Yields:
            The chunks.
        """
        if end == -1:
            end = (await self.info(path))["size"] - 1
        offset = start
        while offset <= end:
            chunk = await self.read_bytes(path, offset, min(end, offset + chunksize - 1))
            if not chunk:
                return
            offset += len(chunk)
            yield chunk


def maybe_wrap_fsspec_file_system(file_system: AnyFileSystem) -> BaseFileSystem:
    """Return ``file_system`` as a ``BaseFileSystem``, wrapping an fsspec one.

    Args:
        file_system: A ``BaseFileSystem`` (returned as is) or an fsspec file system.

    Returns:
        The file system to use.

    Raises:
        MissingDependencyException: ``file_system`` is not a ``BaseFileSystem`` and fsspec is not installed.
        ImproperlyConfiguredException: ``file_system`` is neither kind of file system.
    """
    if isinstance(file_system, BaseFileSystem):
        return file_system
    fsspec = _import_fsspec()
    if isinstance(file_system, fsspec.asyn.AsyncFileSystem) and getattr(file_system, "asynchronous", False):
        return FsspecAsyncWrapper(file_system)
    if isinstance(file_system, fsspec.AbstractFileSystem):
        return FsspecSyncWrapper(file_system)
    raise ImproperlyConfiguredException(
        f"`{file_system!r}` is not a file system: pass a `BaseFileSystem` subclass instance, an fsspec file "
        "system, or the name of one registered in a `FileSystemRegistry`."
    )
