"""What a built-in facade gives the middleware for a streamed body: the compressor's own bound methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

__all__ = ["StreamCoder"]

StreamCoder: TypeAlias = tuple[Callable[[bytes], bytes], Callable[[], bytes], Callable[[], bytes]]
"""``(compress, flush, finish)``: ``compress(chunk) + flush()`` is the chunk, decodable on arrival, and
``compress(chunk) + finish()`` the last one, ending the compressed stream. All three are the compression library's
C functions (or ``functools.partial`` of them): a chunk costs no Python frame."""
