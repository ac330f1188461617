"""``ZstdCompression``: Zstandard (RFC 8878), from the ``zstandard`` package (the ``zstd`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from outpour.exceptions import MissingDependencyException

if TYPE_CHECKING:
    from io import BytesIO

    from outpour.config.compression import CompressionConfig

__all__ = ["ZstdCompression"]


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError as exc:
        raise MissingDependencyException("zstandard", extra="zstd") from exc
    return zstandard


class ZstdCompression:
    """Compress with Zstandard, flushing each chunk (a block) so that it can be decoded on arrival.

    Args:
        buffer: Where the compressed bytes go.
        compression_level: The level; ``None`` or 0 for the library's default (3).
        config: The compression configuration (unused beyond the level).

    Raises:
        MissingDependencyException: The ``zstandard`` package is not installed (the ``zstd`` extra).
    """

    __slots__ = ("_block", "_buffer", "_compressor", "_end", "_finished")

    encoding: ClassVar[str] = "zstd"

    def __init__(self, buffer: BytesIO, compression_level: int | None, config: CompressionConfig) -> None:
        zstandard = _zstandard()
        self._buffer = buffer
        self._compressor = zstandard.ZstdCompressor(level=compression_level or 3).compressobj()
        self._block = zstandard.COMPRESSOBJ_FLUSH_BLOCK
        self._end = zstandard.COMPRESSOBJ_FLUSH_FINISH
        self._finished = False

    def write(self, body: bytes, final: bool = False) -> None:
        """Compress ``body`` into the buffer, flushed; ``final`` ends the frame."""
        compressor = self._compressor
        self._buffer.write(compressor.compress(body) + compressor.flush(self._end if final else self._block))
        self._finished = final

    def close(self) -> None:
        """End the frame, unless ``write(..., final=True)`` did."""
        if not self._finished:
            self.write(b"", final=True)
