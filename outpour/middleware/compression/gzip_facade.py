"""``GzipCompression``: gzip (RFC 1952) through the standard library's ``zlib``."""

from __future__ import annotations

import zlib
from functools import partial
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from io import BytesIO

    from outpour.config.compression import CompressionConfig
    from outpour.middleware.compression._stream import StreamCoder

__all__ = ["GzipCompression"]

_GZIP = 16  # added to the window bits: a gzip header and trailer around the deflate stream
# A whole body gets zlib's largest state (32 KiB window, memLevel 8), the best ratio, for the time of one call. A
# stream keeps its compressor as long as the response lasts, so it gets a 4 KiB window and memLevel 4. Measured on
# Python 3.11 (level 9, a flush per chunk, RSS over 1,000 open compressors fed 100 KB each): 26 KB per stream instead
# of 204 KB, and creating one no longer maps fresh pages; 200 JSON events (27 KB) compress to 7.0 KB instead of
# 6.4 KB; a 100 KB JSON array sent in 4 KiB chunks to 9.2 KB instead of 10.2 KB (level 9 searches less far with the
# smaller hash table); a chunk costs ~1.8 us instead of ~3.5 us. A 1-2 KiB window saves another 12-18 KB, but loses
# the matches between events larger than itself.
_STREAM_WBITS = 12
_STREAM_MEMLEVEL = 4


def _whole_body_state(size: int) -> tuple[int, int]:
    """The window bits and memLevel for a whole body of ``size`` bytes: no larger than the body needs.

    A window covering the body (plus zlib's 262-byte lookahead) finds every match a 32 KiB one would; the hash table
    shrinks with it (memLevel = window bits - 6, at most zlib's default 8). A 750-byte body then needs about 10 KB of
    state instead of 270 KB, which zlib allocates and clears on every response.
    """
    window_bits = max(9, min(zlib.MAX_WBITS, (size + 262).bit_length()))
    return window_bits, min(8, window_bits - 6)


def _level(compression_level: int | None) -> int:
    return zlib.Z_DEFAULT_COMPRESSION if compression_level is None else compression_level


class GzipCompression:
    """Compress with gzip, flushing each chunk (``Z_SYNC_FLUSH``) so that it can be decoded on arrival.

    The compressor is made by the first ``write``: a whole body (``final=True``) gets zlib's 32 KiB window, a stream a
    4 KiB one, so that an open stream holds about 26 KB instead of 200 KB.

    Args:
        buffer: Where the compressed bytes go.
        compression_level: 0 (none) to 9 (smallest); ``None`` for zlib's default (6).
        config: The compression configuration (unused: gzip has only its level).
    """

    __slots__ = ("_buffer", "_coder", "_config", "_finished", "_level")

    encoding: ClassVar[str] = "gzip"

    def __init__(self, buffer: BytesIO, compression_level: int | None, config: CompressionConfig) -> None:
        self._buffer = buffer
        self._level = _level(compression_level)
        self._config = config
        self._coder: StreamCoder | None = None
        self._finished = False

    @staticmethod
    def _open_stream(compression_level: int | None, config: CompressionConfig) -> StreamCoder:
        """The compressor of a streamed body (a 4 KiB window)."""
        compressor = zlib.compressobj(_level(compression_level), zlib.DEFLATED, _GZIP + _STREAM_WBITS, _STREAM_MEMLEVEL)
        return compressor.compress, partial(compressor.flush, zlib.Z_SYNC_FLUSH), compressor.flush

    def write(self, body: bytes, final: bool = False) -> None:
        """Compress ``body`` into the buffer, flushed; ``final`` writes the gzip trailer."""
        coder = self._coder
        if coder is None:
            if final:  # the whole body at once
                window_bits, mem_level = _whole_body_state(len(body))
                compressor = zlib.compressobj(self._level, zlib.DEFLATED, _GZIP + window_bits, mem_level)
                self._buffer.write(compressor.compress(body) + compressor.flush())
                self._finished = True
                return
            coder = self._coder = self._open_stream(self._level, self._config)
        compress, flush, finish = coder
        self._buffer.write(compress(body) + (finish() if final else flush()))
        self._finished = final

    def close(self) -> None:
        """Write the gzip trailer, unless ``write(..., final=True)`` did."""
        if not self._finished:
            self.write(b"", final=True)
