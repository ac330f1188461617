"""File systems with symbolic links (``LinkableFileSystem``) and the local disk (``BaseLocalFileSystem``)."""

from __future__ import annotations

import abc
import errno
import os
import stat
import sys
from collections.abc import AsyncGenerator
from typing import Any, ClassVar, cast

import anyio.to_thread

from outpour._file_systems.base import AnyFileSystem, BaseFileSystem, FileInfo, PathType, SymlinkResolver, _unnameable
from outpour._file_systems.fsspec_wrappers import FsspecAsyncWrapper, FsspecSyncWrapper
from outpour.exceptions import ImproperlyConfiguredException

__all__ = ["BaseLocalFileSystem", "LinkableFileSystem"]


class LinkableFileSystem(BaseFileSystem, abc.ABC):
    """A file system with symbolic links, which can tell where a path really leads.

    A file system class you cannot make a subclass of (an fsspec one, say) is made linkable by registering a resolver
    for it with ``register_as_linkable``; fsspec's ``LocalFileSystem`` is registered already. The static files router
    asks ``get_symlink_resolver`` whether a file system has links, to keep requests inside its directories.
    """

    _resolvers: ClassVar[dict[type[Any], SymlinkResolver]] = {}

    @abc.abstractmethod
    async def resolve_symlinks(self, path: PathType) -> str:
        """Return ``path`` with every symbolic link in it resolved.

        Args:
            path: The path.

        Returns:
            The resolved, absolute path.
        """

    @classmethod
    def register_as_linkable(cls, fs_type: type[AnyFileSystem], resolver: SymlinkResolver) -> None:
        """Declare that file systems of ``fs_type`` (and its subclasses) have symbolic links, resolved by ``resolver``.

        Args:
            fs_type: A file system class, such as ``fsspec.implementations.local.LocalFileSystem``.
            resolver: ``async def resolver(fs, path) -> str``: the path with its links resolved, on ``fs``.
        """
        LinkableFileSystem._resolvers[fs_type] = resolver

    @classmethod
    def get_symlink_resolver(cls, fs: AnyFileSystem) -> SymlinkResolver | None:
        """Return how to resolve the symbolic links of a path on ``fs``, or ``None`` when it has no links.

        Args:
            fs: A file system: a ``LinkableFileSystem`` (its ``resolve_symlinks``), one of a type registered with
                ``register_as_linkable`` (its resolver), or an fsspec wrapper around one of those.

        Returns:
            The resolver, to call as ``await resolver(fs, path)`` with this same ``fs``; ``None`` when ``fs`` has no
            links.
        """
        if isinstance(fs, LinkableFileSystem):
            return _resolve_own_links
        local = _fsspec_local_file_system()
        if local is not None:
            LinkableFileSystem._resolvers.setdefault(local, _resolve_local_links)
        if not isinstance(fs, FsspecSyncWrapper | FsspecAsyncWrapper):
            return _registered(fs)
        found = _registered(fs.wrapped_fs)
        if found is None:
            return None
        inner = found

        async def resolve_wrapped(fs: AnyFileSystem, path: PathType) -> str:
            return await inner(cast("FsspecSyncWrapper | FsspecAsyncWrapper", fs).wrapped_fs, path)

        return resolve_wrapped


def _registered(fs: AnyFileSystem) -> SymlinkResolver | None:
    """The resolver registered for the class of ``fs`` or the closest of its bases."""
    resolvers = LinkableFileSystem._resolvers
    return next((resolvers[k] for k in type(fs).__mro__ if k in resolvers), None)


async def _resolve_own_links(fs: AnyFileSystem, path: PathType) -> str:
    return await cast("LinkableFileSystem", fs).resolve_symlinks(path)


async def _resolve_local_links(fs: AnyFileSystem, path: PathType) -> str:
    """Resolve the links of a path on the local disk (fsspec's ``LocalFileSystem``)."""
    try:
        return os.path.realpath(path)
    except ValueError as exc:
        raise _unnameable(os.fspath(path), exc) from None


def _fsspec_local_file_system() -> type[Any] | None:
    """The class of fsspec's ``LocalFileSystem``, when fsspec imported it (no instance exists otherwise)."""
    module = sys.modules.get("fsspec.implementations.local")
    local: type[Any] | None = getattr(module, "LocalFileSystem", None)
    return local


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "directory"
    return "other"


class BaseLocalFileSystem(LinkableFileSystem):
    """The local disk: the default file system.

    Reads do not wait for the disk on the event loop: a range in the page cache (its first and last pages probed
    with Linux's ``RWF_NOWAIT``) is read directly, at memory speed; one that must come from the disk is read in a
    worker thread. Where the page cache cannot be asked (other systems, some file systems), reads of at most
    ``inline_read_size`` bytes run directly and larger ones in a worker thread. ``stat`` and ``open`` run directly, as the kernel caches what they
    need, unless ``inline_read_size`` is 0 (for slow network mounts), which sends every call to a worker thread.

    Args:
        inline_read_size: The largest blocking read, in bytes, done without a worker thread.
    """

    __slots__ = ("_nowait", "inline_read_size")

    def __init__(self, inline_read_size: int = 64 * 1024) -> None:
        if inline_read_size < 0:
            raise ImproperlyConfiguredException(
                f"`inline_read_size` must be 0 or more bytes, got `{inline_read_size}`."
            )
        self.inline_read_size = inline_read_size
        self._nowait = _RWF_NOWAIT is not None

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        """Describe ``path``, following symbolic links (``is_symlink`` tells whether it is one).

        Args:
            path: The path.
            **kwargs: Unused.

        Returns:
            Its ``FileInfo``.
        """
        if self.inline_read_size:
            return _local_info(os.fspath(path))
        return await anyio.to_thread.run_sync(_local_info, os.fspath(path))

    async def _open(self, path: PathType) -> int:
        if self.inline_read_size:
            return _open(os.fspath(path))
        return await anyio.to_thread.run_sync(_open, os.fspath(path))

    async def _read_at(self, fd: int, size: int, offset: int) -> bytes:
        """Read ``size`` bytes at ``offset`` (fewer only at the end of the file), directly if cached."""
        if self._nowait:
            try:
                if _cached(fd, size, offset):
                    return _pread(fd, size, offset)
            except BlockingIOError:
                pass  # not in the page cache
            except OSError as exc:
                if exc.errno not in _NOWAIT_UNSUPPORTED:
                    raise
                self._nowait = False
        if size <= self.inline_read_size:
            return _pread(fd, size, offset)
        return await anyio.to_thread.run_sync(_pread, fd, size, offset)

    async def read_bytes(self, path: PathType, start: int = 0, end: int = -1) -> bytes:
        """Read bytes ``start`` to ``end`` (inclusive) of ``path``.

        Args:
            path: The file.
            start: The offset of the first byte.
            end: The offset of the last byte; ``-1`` for the end of the file.

        Returns:
            The bytes; fewer than asked when the file is shorter.
        """
        fd = await self._open(path)
        try:
            if end == -1:
                end = os.fstat(fd).st_size - 1
            return await self._read_at(fd, end - start + 1, start) if end >= start else b""
        finally:
            os.close(fd)

    async def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        """Stream bytes ``start`` to ``end`` (inclusive) of ``path`` in chunks of at most ``chunksize`` bytes.

        Args:
            path: The file.
            chunksize: The largest chunk to yield.
            start: The offset of the first byte.
            end: The offset of the last byte; ``-1`` for the end of the file.

        Yields:
            The chunks; the stream stops early when the file is shorter.
        """
        fd = await self._open(path)
        try:
            if end == -1:
                end = os.fstat(fd).st_size - 1
            offset = start
            while offset <= end:
                chunk = await self._read_at(fd, min(chunksize, end - offset + 1), offset)
                if not chunk:
                    return
                offset += len(chunk)
                yield chunk
        finally:
            os.close(fd)

    async def resolve_symlinks(self, path: PathType) -> str:
        """Return the absolute ``path`` with every symbolic link in it resolved.

        Args:
            path: The path.

        Returns:
            The resolved path.
        """
        return await _resolve_local_links(self, path)


_RWF_NOWAIT: int | None = getattr(os, "RWF_NOWAIT", None) if hasattr(os, "preadv") else None
# Errors meaning "this kernel or file system cannot read without waiting": stop asking.
_NOWAIT_UNSUPPORTED = frozenset({errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS})


def _local_info(path: str) -> FileInfo:
    try:
        result = os.lstat(path)
    except ValueError as exc:
        raise _unnameable(path, exc) from None
    is_link = stat.S_ISLNK(result.st_mode)
    if is_link:
        result = os.stat(path)
    return {
        "name": path,
        "size": result.st_size,
        "type": _kind(result.st_mode),
        "mtime": result.st_mtime,
        "is_symlink": is_link,
    }


def _open(path: str) -> int:
    try:
        return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except ValueError as exc:
        raise _unnameable(path, exc) from None


def _pread(fd: int, size: int, offset: int) -> bytes:
    """Read up to ``size`` bytes at ``offset``, retrying short reads; fewer only at the end of the file."""
    parts: list[bytes] = []
    while size > 0:
        chunk = os.pread(fd, size, offset)
        if not chunk:
            break
        parts.append(chunk)
        size -= len(chunk)
        offset += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


_PROBE = 4096


def _cached(fd: int, size: int, offset: int) -> bool:
    """Whether the page cache holds the first and last pages of a range: a read of it will not wait for the disk.

    Two small ``RWF_NOWAIT`` reads probe it (raising ``BlockingIOError`` when a page is missing); the pages between
    are assumed cached too, as the kernel reads ahead and evicts whole files' pages together.
    """
    probe = bytearray(min(size, _PROBE))
    length = len(probe)
    if os.preadv(fd, [probe], offset, _RWF_NOWAIT or 0) < length:
        return False
    return size <= length or os.preadv(fd, [probe], offset + size - length, _RWF_NOWAIT or 0) == length
