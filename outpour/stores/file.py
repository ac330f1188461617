"""``FileStore``: one file per key in a folder; namespaces are sub-folders.

File names are digests of the keys, so no key (``../etc/passwd``, a NUL, 10,000 characters) names a path outside
the store's folder; values are written to a temporary file and renamed over the old one, so a reader never sees half
a value. The blocking calls run in a worker thread (``anyio.to_thread``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import anyio.to_thread
import msgspec

from outpour.exceptions import ImproperlyConfiguredException
from outpour.stores.base import NamespacedStore, StorageObject

if TYPE_CHECKING:
    from datetime import timedelta
    from os import PathLike

__all__ = ["FileStore"]

_SUFFIX = ".value"
_PLAIN_NAMESPACE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _file_name(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest() + _SUFFIX


def _folder_name(namespace: str) -> str:
    """A namespace's folder: its name when plain (letters, digits, ``_``, ``-``), otherwise a digest of it."""
    if _PLAIN_NAMESPACE.fullmatch(namespace):
        return namespace
    return "ns-" + hashlib.blake2b(namespace.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


class FileStore(NamespacedStore):
    """A store keeping each value in a file under ``path``.

    Expired values are deleted when read, or all at once by ``delete_expired`` (call it at start-up or now and then).

    Args:
        path: The folder of the values.
        create_directories: Create ``path`` (and namespace folders) when missing. Without it, ``path`` must exist.
    """

    def __init__(self, path: PathLike[str] | str, *, create_directories: bool = False) -> None:
        super().__init__(namespace=None)
        self.path = Path(path)
        self.create_directories = create_directories
        self._is_child = False

    def with_namespace(self, namespace: str) -> FileStore:
        """Return the store of the sub-folder for ``namespace`` (created on first write).

        Args:
            namespace: The child namespace.
        """
        child = type(self)(self.path / _folder_name(namespace), create_directories=self.create_directories)
        child.namespace = namespace
        child._is_child = True
        return child

    def _path_of(self, key: str) -> Path:
        return self.path / _file_name(key)

    def _write(self, target: Path, raw: bytes) -> None:
        if self.create_directories or self._is_child:
            self.path.mkdir(parents=True, exist_ok=True)
        elif not self.path.is_dir():
            raise ImproperlyConfiguredException(
                f"The `FileStore` folder `{self.path}` does not exist: create it, or pass `create_directories=True`."
            )
        fd, temporary = tempfile.mkstemp(dir=self.path, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(raw)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _read(self, target: Path) -> StorageObject | None:
        try:
            raw = target.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            stored = StorageObject.from_bytes(raw)
        except msgspec.DecodeError:  # not written by a FileStore: treated as absent
            return None
        if stored.expired:
            target.unlink(missing_ok=True)
            return None
        return stored

    def _get(self, key: str, renew_for: int | timedelta | None) -> bytes | None:
        target = self._path_of(key)
        stored = self._read(target)
        if stored is None:
            return None
        if renew_for is not None and stored.expires_at is not None:
            self._write(target, StorageObject.new(stored.data, renew_for).to_bytes())
        return stored.data

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        """Store ``value`` under ``key`` (see ``Store.set``).

        Raises:
            ImproperlyConfiguredException: The folder does not exist and ``create_directories`` is off.
        """
        data = value.encode() if isinstance(value, str) else value
        raw = StorageObject.new(data, expires_in).to_bytes()
        await anyio.to_thread.run_sync(self._write, self._path_of(key), raw)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        """Return the value of ``key`` (see ``Store.get``)."""
        return await anyio.to_thread.run_sync(self._get, key, renew_for)

    async def delete(self, key: str) -> None:
        """Delete ``key``."""
        await anyio.to_thread.run_sync(self._path_of(key).unlink, True)

    def _delete_all(self) -> None:
        if not self.path.is_dir():
            return
        for entry in self.path.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    async def delete_all(self) -> None:
        """Delete every value of this store and of its namespaces (the folder itself stays)."""
        await anyio.to_thread.run_sync(self._delete_all)

    def _delete_expired(self) -> None:
        if not self.path.is_dir():
            return
        for entry in self.path.rglob(f"*{_SUFFIX}"):
            self._read(entry)  # deletes it when expired

    async def delete_expired(self) -> None:
        """Delete every expired value, in this store's folder and its namespaces'."""
        await anyio.to_thread.run_sync(self._delete_expired)

    async def exists(self, key: str) -> bool:
        """Whether ``key`` holds a live value."""
        return await anyio.to_thread.run_sync(self._read, self._path_of(key)) is not None

    async def expires_in(self, key: str) -> int | None:
        """The seconds until ``key`` expires (see ``Store.expires_in``)."""
        stored = await anyio.to_thread.run_sync(self._read, self._path_of(key))
        if stored is None or stored.expires_at is None:
            return None
        return stored.expires_in
