"""``GzipCompression``: gzip (RFC 1952) through the standard library's ``zlib``."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from io import BytesIO

    from outpour.config.compression import CompressionConfig

__all__ = ["GzipCompression"]

_GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer around the deflate stream


class GzipCompression:
    """Compress with gzip, flushing each chunk (``Z_SYNC_FLUSH``) so that it can be decoded on arrival.

    Args:
        buffer: Where the compressed bytes go.
        compression_level: 0 (none) to 9 (smallest); ``None`` for zlib's default (6).
        config: The compression configuration (unused: gzip has only its level).
    """

    __slots__ = ("_buffer", "_compressor", "_finished")

    encoding: ClassVar[str] = "gzip"

    def __init__(self, buffer: BytesIO, compression_level: int | None, config: CompressionConfig) -> None:
        self._buffer = buffer
        level = zlib.Z_DEFAULT_COMPRESSION if compression_level is None else compression_level
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, _GZIP_WBITS)
        self._finished = False

    def write(self, body: bytes, final: bool = False) -> None:
        """Compress ``body`` into the buffer, flushed; ``final`` writes the gzip trailer."""
        compressor = self._compressor
        self._buffer.write(compressor.compress(body) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH))
        self._finished = final

    def close(self) -> None:
        """Write the gzip trailer, unless ``write(..., final=True)`` did."""
        if not self._finished:
            self.write(b"", final=True)
