"""What the apps of the streaming, file and template endpoints share: the files on disk, the chunks, the events.

Importing this module creates the two files of ``GET /file-small`` and ``GET /file-large`` (deterministic content, in a
per-user directory under the system temp dir) unless they already exist with the right size; they are written to a
temporary name and renamed, so servers started at the same time never see half a file.
"""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "FILES_DIR",
    "FILE_MEDIA_TYPE",
    "HTML_CONTEXT",
    "LARGE_FILE",
    "LARGE_FILE_SIZE",
    "SMALL_FILE",
    "SMALL_FILE_SIZE",
    "SSE_DATA",
    "STREAM_CHUNKS",
    "TEMPLATES_DIR",
    "TEMPLATE_NAME",
    "file_content",
    "file_sha256",
]

SMALL_FILE_SIZE = 4 * 1024
"""Bytes of ``GET /file-small``."""

LARGE_FILE_SIZE = 8 * 1024 * 1024
"""Bytes of ``GET /file-large``."""

FILE_MEDIA_TYPE = "application/octet-stream"
"""The content type of both files (``.bin``)."""

FILES_DIR = Path(tempfile.gettempdir()) / f"outpour-bench-files-{os.getuid() if hasattr(os, 'getuid') else 0}"
"""Where the files live."""

SMALL_FILE = FILES_DIR / "small.bin"
"""The file of ``GET /file-small``."""

LARGE_FILE = FILES_DIR / "large.bin"
"""The file of ``GET /file-large``."""

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
"""The template directory of ``GET /html``."""

TEMPLATE_NAME = "page.html.jinja"
"""The template of ``GET /html`` (``.html`` gives the media type, ``.jinja`` is what BlackSheep's renderer wants)."""

HTML_CONTEXT: dict[str, Any] = {
    "title": "Benchmark page",
    "items": [{"id": i, "name": f"item-{i}", "price": i * 1.25} for i in range(20)],
}
"""The context of ``GET /html`` (a title and 20 items rendered in a loop)."""

STREAM_CHUNKS: tuple[bytes, ...] = tuple(f"chunk {i:02d}: {'x' * 20}\n".encode() for i in range(10))
"""The 10 chunks of ``GET /stream``."""

SSE_DATA: tuple[str, ...] = tuple(f"event {i}" for i in range(10))
"""The data of the 10 events of ``GET /sse``."""


def file_content(size: int) -> bytes:
    """Return the deterministic content of a benchmark file of ``size`` bytes (seeded pseudo-random bytes)."""
    return random.Random(size).randbytes(size)


def file_sha256(size: int) -> str:
    """Return the hex SHA-256 of :func:`file_content` of ``size`` bytes."""
    return hashlib.sha256(file_content(size)).hexdigest()


def _ensure(path: Path, size: int) -> None:
    try:
        if path.stat().st_size == size:
            return
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(file_content(size))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_ensure(SMALL_FILE, SMALL_FILE_SIZE)
_ensure(LARGE_FILE, LARGE_FILE_SIZE)
