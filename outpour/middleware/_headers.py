"""Header edits shared by the built-in middleware: merging a ``Vary`` value, reading one request header."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["add_vary", "first_header"]


def first_header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    """The value of the first header called ``name`` (lower case), or ``None``."""
    for key, value in headers:
        if key == name:
            return value
    return None


def add_vary(headers: list[tuple[bytes, bytes]], field: bytes) -> list[tuple[bytes, bytes]]:
    """Return ``headers`` with ``field`` listed in ``Vary``, the handler's own values kept (RFC 9110, section 12.5.5).

    ``Vary: *`` already covers every field and is left alone.
    """
    wanted = field.lower()
    for index, (key, value) in enumerate(headers):
        if key.lower() != b"vary":
            continue
        tokens = [token.strip().lower() for token in value.split(b",")]
        if b"*" in tokens or wanted in tokens:
            return headers
        merged = list(headers)
        merged[index] = (b"vary", value + b", " + field if value.strip() else field)
        return merged
    return [*headers, (b"vary", field)]
