"""Name your file systems once in a ``FileSystemRegistry`` and refer to them by name in ``File``."""

from __future__ import annotations

from typing import Any

from outpour import Outpour, get
from outpour.file_system import FileSystemRegistry
from outpour.response import File


@get("/assets/{name:str}")
async def asset(name: str) -> File:
    # "assets" is looked up in the app's registry, at request time.
    return File(name, file_system="assets")


@get("/downloads/{name:str}")
async def download(name: str) -> File:
    # No file system named: the registry's default (the local disk unless `default=` says otherwise).
    return File(f"downloads/{name}")


def create_app(assets_fs: Any) -> Outpour:
    """``assets_fs`` is any file system: a ``BaseFileSystem`` or an fsspec one (S3, GCS, memory, ...)."""
    return Outpour([asset, download], plugins=[FileSystemRegistry({"assets": assets_fs})])
