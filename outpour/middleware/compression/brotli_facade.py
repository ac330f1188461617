"""``BrotliCompression``: brotli (RFC 7932), from the ``brotli`` package (the ``brotli`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from outpour.exceptions import MissingDependencyException

if TYPE_CHECKING:
    from io import BytesIO

    from outpour.config.compression import CompressionConfig

__all__ = ["BrotliCompression"]


def _brotli() -> Any:
    try:
        import brotli  # type: ignore[import-untyped]  # ships no type information
    except ImportError as exc:
        raise MissingDependencyException("brotli", extra="brotli") from exc
    return brotli


class BrotliCompression:
    """Compress with brotli, flushing each chunk so that it can be decoded on arrival.

    Args:
        buffer: Where the compressed bytes go.
        compression_level: The quality, 0 (fastest) to 11 (smallest); ``None`` for ``config.brotli_quality``.
        config: The compression configuration: ``brotli_mode``, ``brotli_lgwin`` and ``brotli_lgblock``.

    Raises:
        MissingDependencyException: The ``brotli`` package is not installed (the ``brotli`` extra).
    """

    __slots__ = ("_buffer", "_compressor", "_finished")

    encoding: ClassVar[str] = "br"

    def __init__(self, buffer: BytesIO, compression_level: int | None, config: CompressionConfig) -> None:
        brotli = _brotli()
        modes = {"generic": brotli.MODE_GENERIC, "text": brotli.MODE_TEXT, "font": brotli.MODE_FONT}
        self._buffer = buffer
        self._compressor = brotli.Compressor(
            quality=config.brotli_quality if compression_level is None else compression_level,
            mode=modes[config.brotli_mode],
            lgwin=config.brotli_lgwin,
            lgblock=config.brotli_lgblock,
        )
        self._finished = False

    def write(self, body: bytes, final: bool = False) -> None:
        """Compress ``body`` into the buffer, flushed; ``final`` ends the brotli stream."""
        compressor = self._compressor
        self._buffer.write(compressor.process(body) + (compressor.finish() if final else compressor.flush()))
        self._finished = final

    def close(self) -> None:
        """End the brotli stream, unless ``write(..., final=True)`` did."""
        if not self._finished:
            self.write(b"", final=True)
