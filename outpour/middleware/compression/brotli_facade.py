"""``BrotliCompression``: brotli (RFC 7932), from the ``brotli`` package (the ``brotli`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from outpour.exceptions import MissingDependencyException

if TYPE_CHECKING:
    from io import BytesIO

    from outpour.config.compression import CompressionConfig
    from outpour.middleware.compression._stream import StreamCoder

__all__ = ["BrotliCompression"]

# A stream keeps its compressor as long as the response lasts, so it gets a 4 KiB window (``lgwin`` 12) however large
# `brotli_lgwin` is; a whole body gets `brotli_lgwin`. Measured with the defaults (quality 5, text mode; RSS over
# 1,000 open compressors fed 100 KB each): 0.7 MB per stream instead of 1.5 MB; 200 JSON events (27 KB) compress to
# 6.5 KB instead of 6.6 KB and a 100 KB JSON array in 4 KiB chunks to 4.7 KB instead of 5.1 KB. Up to ``lgwin`` 16 the
# encoder uses the same small-window match finder (the same memory); above it, quality 5's 1 MB hash table. What is
# left is the quality's own: quality 3 holds ~0.33 MB, quality 1 ~27 KB.
_STREAM_LGWIN = 12


def _brotli() -> Any:
    try:
        import brotli  # type: ignore[import-untyped]  # ships no type information
    except ImportError as exc:
        raise MissingDependencyException("brotli", extra="brotli") from exc
    return brotli


def _compressor(compression_level: int | None, config: CompressionConfig, lgwin: int) -> Any:
    brotli = _brotli()
    modes = {"generic": brotli.MODE_GENERIC, "text": brotli.MODE_TEXT, "font": brotli.MODE_FONT}
    return brotli.Compressor(
        quality=config.brotli_quality if compression_level is None else compression_level,
        mode=modes[config.brotli_mode],
        lgwin=lgwin,
        lgblock=config.brotli_lgblock,
    )


class BrotliCompression:
    """Compress with brotli, flushing each chunk so that it can be decoded on arrival.

    The compressor is made by the first ``write``: a whole body (``final=True``) gets the window of
    ``config.brotli_lgwin``, a stream one of at most 4 KiB (``lgwin`` 12), so that an open stream holds less.

    Args:
        buffer: Where the compressed bytes go.
        compression_level: The quality, 0 (fastest) to 11 (smallest); ``None`` for ``config.brotli_quality``.
        config: The compression configuration: ``brotli_mode``, ``brotli_lgwin`` and ``brotli_lgblock``.

    Raises:
        MissingDependencyException: The ``brotli`` package is not installed (the ``brotli`` extra).
    """

    __slots__ = ("_buffer", "_coder", "_config", "_finished", "_level")

    encoding: ClassVar[str] = "br"

    def __init__(self, buffer: BytesIO, compression_level: int | None, config: CompressionConfig) -> None:
        _brotli()
        self._buffer = buffer
        self._level = compression_level
        self._config = config
        self._coder: StreamCoder | None = None
        self._finished = False

    @staticmethod
    def _open_stream(compression_level: int | None, config: CompressionConfig) -> StreamCoder:
        """The compressor of a streamed body (a window of at most 4 KiB)."""
        compressor = _compressor(compression_level, config, min(config.brotli_lgwin, _STREAM_LGWIN))
        return compressor.process, compressor.flush, compressor.finish

    def write(self, body: bytes, final: bool = False) -> None:
        """Compress ``body`` into the buffer, flushed; ``final`` ends the brotli stream."""
        coder = self._coder
        if coder is None:
            if final:  # the whole body at once
                compressor = _compressor(self._level, self._config, self._config.brotli_lgwin)
                self._buffer.write(compressor.process(body) + compressor.finish())
                self._finished = True
                return
            coder = self._coder = self._open_stream(self._level, self._config)
        compress, flush, finish = coder
        self._buffer.write(compress(body) + (finish() if final else flush()))
        self._finished = final

    def close(self) -> None:
        """End the brotli stream, unless ``write(..., final=True)`` did."""
        if not self._finished:
            self.write(b"", final=True)
