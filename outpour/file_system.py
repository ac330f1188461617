"""File systems that ``File`` and the static files router read from: the local disk, your own, and fsspec ones.

A file system is any subclass of ``BaseFileSystem``: it describes a path (``info``), reads a byte range
(``read_bytes``) and streams one in chunks (``iter``). ``BaseLocalFileSystem`` reads the local disk and is the default.
fsspec file systems (S3, GCS, memory, ...; the ``outpour[fsspec]`` extra) are accepted wherever a file system is, and
are wrapped in ``FsspecSyncWrapper`` or ``FsspecAsyncWrapper``. A ``FileSystemRegistry`` passed in the app's
``plugins`` names file systems, so that ``File(path, file_system="assets")`` looks one up, and sets the default.

::

    from outpour import Outpour
    from outpour.file_system import FileSystemRegistry

    app = Outpour([...], plugins=[FileSystemRegistry({"assets": assets_fs}, default=local_fs)])
"""

from __future__ import annotations

import abc
import errno
import math
import os
import stat
import sys
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, NotRequired, TypeAlias, TypedDict, cast

import anyio.to_thread

from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "AnyFileSystem",
    "BaseFileSystem",
    "BaseLocalFileSystem",
    "FileInfo",
    "FileSystemRegistry",
    "FsspecAsyncWrapper",
    "FsspecSyncWrapper",
    "LinkableFileSystem",
    "PathType",
    "SymlinkResolver",
    "get_fsspec_mtime_equivalent",
    "maybe_wrap_fsspec_file_system",
]

PathType: TypeAlias = "str | os.PathLike[str]"
"""A path: a string or a path-like object."""

AnyFileSystem: TypeAlias = "BaseFileSystem | Any"
"""A ``BaseFileSystem``, or an fsspec file system (sync or async), which is wrapped on use."""


class FileInfo(TypedDict):
    """What a file system knows about a path.

    Attributes:
        name: The path.
        size: The size in bytes.
        type: ``"file"``, ``"directory"``, or another kind (``"other"``: devices, FIFOs, sockets), never sent.
        mtime: The time of the last modification, in seconds since the epoch, when known.
        is_symlink: Whether the path is a symbolic link; None when the file system has no links.
    """

    name: str
    size: int
    type: str
    mtime: NotRequired[float]
    is_symlink: NotRequired[bool | None]


class BaseFileSystem(abc.ABC):
    """The interface of a file system: subclass it and implement ``info``, ``read_bytes`` and ``iter``.

    Offsets are in bytes; ``end`` is inclusive and ``-1`` means "up to the end of the file". An implementation must
    never return bytes past ``end``, and raises ``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError`` or
    another ``OSError`` as the standard library does; a path it cannot name (too long, holding NUL) raises an
    ``OSError`` too, such as ``ENAMETOOLONG`` or ``EINVAL``, never ``ValueError``.
    """

    @abc.abstractmethod
    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        """Describe ``path``.

        Args:
            path: The path.
            **kwargs: Options for the implementation.

        Returns:
            Its ``FileInfo``.
        """

    @abc.abstractmethod
    async def read_bytes(self, path: PathType, start: int = 0, end: int = -1) -> bytes:
        """Read bytes ``start`` to ``end`` (inclusive) of ``path``.

        Args:
            path: The file.
            start: The offset of the first byte.
            end: The offset of the last byte; ``-1`` for the end of the file.

        Returns:
            The bytes; fewer than asked when the file is shorter.
        """

    @abc.abstractmethod
    def iter(self, path: PathType, chunksize: int, start: int = 0, end: int = -1) -> AsyncGenerator[bytes, None]:
        """Stream bytes ``start`` to ``end`` (inclusive) of ``path`` in chunks of at most ``chunksize`` bytes.

        Args:
            path: The file.
            chunksize: The largest chunk to yield.
            start: The offset of the first byte.
            end: The offset of the last byte; ``-1`` for the end of the file.

        Returns:
            An async generator of chunks.
        """


SymlinkResolver: TypeAlias = "Callable[[AnyFileSystem, PathType], Awaitable[str]]"
"""An async function resolving the symbolic links of a path on a file system: ``await resolver(fs, path)``."""


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


# What the operating system answers for a path that names no file it could send: missing, through a file, too long
# (ENAMETOOLONG: a segment past NAME_MAX or the whole past PATH_MAX), looping links, or characters the file system
# refuses (EINVAL, EILSEQ; also what Windows reports for an invalid name).
_NO_SUCH_FILE_ERRNOS = frozenset(
    {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG, errno.ELOOP, errno.EINVAL, errno.EILSEQ}
)


def names_no_file(exc: OSError) -> bool:
    """Tell whether ``exc``, raised by a file system for a path, means that the path names no file to send.

    Missing paths, paths through a file, names too long for the file system, looping symbolic links and names with
    characters the file system refuses all qualify; a refused permission or a failing disk does not.

    Args:
        exc: The error.

    Returns:
        Whether the path names no file.
    """
    return isinstance(exc, FileNotFoundError | NotADirectoryError | IsADirectoryError) or exc.errno in (
        _NO_SUCH_FILE_ERRNOS
    )


def _unnameable(path: str, exc: ValueError) -> OSError:
    """The ``OSError`` for a path the operating system cannot even be given (a NUL, an unencodable character)."""
    return OSError(errno.EINVAL, f"No file can have this name ({exc})", path)


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


# -- fsspec ------------------------------------------------------------------------------------------------------------

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


class FileSystemRegistry:
    """Named file systems and the default one, for ``File`` and the static files router; pass it in ``plugins``.

    fsspec file systems are wrapped once, when registered.

    Args:
        file_systems: File systems by name.
        default: The file system used when none is named; ``BaseLocalFileSystem()`` when not given.
    """

    __slots__ = ("_default", "_file_systems")

    def __init__(
        self, file_systems: Mapping[str, AnyFileSystem] | None = None, default: AnyFileSystem | None = None
    ) -> None:
        self._file_systems: dict[str, BaseFileSystem] = {}
        for name, fs in (file_systems or {}).items():
            self.register(name, fs)
        self._default = maybe_wrap_fsspec_file_system(default) if default is not None else DEFAULT_FILE_SYSTEM

    @property
    def default(self) -> BaseFileSystem:
        """The file system used when none is named."""
        return self._default

    @property
    def file_systems(self) -> Mapping[str, BaseFileSystem]:
        """The registered file systems, by name."""
        return dict(self._file_systems)

    def register(self, name: str, fs: AnyFileSystem) -> None:
        """Register ``fs`` under ``name``, replacing any file system of that name.

        Args:
            name: The name.
            fs: The file system.
        """
        self._file_systems[name] = maybe_wrap_fsspec_file_system(fs)

    def get(self, name: str) -> BaseFileSystem | None:
        """Return the file system registered as ``name``, or None.

        Args:
            name: The name.

        Returns:
            The file system, or None.
        """
        return self._file_systems.get(name)

    def __getitem__(self, name: str) -> BaseFileSystem:
        return self._file_systems[name]

    def __contains__(self, name: object) -> bool:
        return name in self._file_systems

    def __repr__(self) -> str:
        return f"FileSystemRegistry({sorted(self._file_systems)!r}, default={self._default!r})"


DEFAULT_FILE_SYSTEM: BaseFileSystem = BaseLocalFileSystem()
"""The file system used when neither the response nor a registry names one."""


def find_registry(plugins: Iterable[Any] | None) -> FileSystemRegistry | None:
    """Return the first ``FileSystemRegistry`` among an app's plugins, or None."""
    for plugin in plugins or ():
        if isinstance(plugin, FileSystemRegistry):
            return plugin
    return None


def resolve_file_system(app: Any, file_system: AnyFileSystem | str | None) -> BaseFileSystem:
    """Return the file system to use: the one given, the one of that name in the app's registry, or the default.

    Args:
        app: The application, whose ``plugins`` may hold a ``FileSystemRegistry``.
        file_system: A file system, the name of a registered one, or None for the default.

    Returns:
        The file system.

    Raises:
        ImproperlyConfiguredException: No file system is registered under the name.
    """
    if file_system is not None and not isinstance(file_system, str):
        return maybe_wrap_fsspec_file_system(file_system)
    registry = find_registry(getattr(app, "plugins", None))
    if file_system is None:
        return registry.default if registry is not None else DEFAULT_FILE_SYSTEM
    found = registry.get(file_system) if registry is not None else None
    if found is None:
        known = ", ".join(f"`{n}`" for n in sorted(registry.file_systems)) if registry is not None else ""
        raise ImproperlyConfiguredException(
            f"No file system is registered under the name `{file_system}`"
            + (f"; registered: {known}." if known else "; the app has no `FileSystemRegistry` in its `plugins`.")
            + " Register it with `FileSystemRegistry({...})` in `plugins`, or pass the file system itself."
        )
    return found
