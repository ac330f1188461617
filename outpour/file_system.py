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

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from outpour._file_systems.base import (
    AnyFileSystem,
    BaseFileSystem,
    FileInfo,
    PathType,
    SymlinkResolver,
)
from outpour._file_systems.base import names_no_file as names_no_file
from outpour._file_systems.fsspec_wrappers import (
    FsspecAsyncWrapper,
    FsspecSyncWrapper,
    get_fsspec_mtime_equivalent,
    maybe_wrap_fsspec_file_system,
)
from outpour._file_systems.local import BaseLocalFileSystem, LinkableFileSystem
from outpour.exceptions import ImproperlyConfiguredException

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
