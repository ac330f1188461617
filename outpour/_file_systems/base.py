"""The file-system interface (``BaseFileSystem``), what it says about a path (``FileInfo``), and path errors."""

from __future__ import annotations

import abc
import errno
import os
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any, NotRequired, TypeAlias, TypedDict

__all__ = ["AnyFileSystem", "BaseFileSystem", "FileInfo", "PathType", "SymlinkResolver", "names_no_file"]

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
