"""``CompressionFacade``: what the compression middleware needs of a compression library."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from io import BytesIO

    from outpour.config.compression import CompressionConfig

__all__ = ["CompressionFacade"]


class CompressionFacade(Protocol):
    """A compressor writing one response's compressed bytes into a buffer.

    ``write`` is called once per body chunk; each call leaves in the buffer everything needed to decode the data
    written so far (a flush), so that a stream's chunk reaches the client when it is sent, not when a buffer fills.

    Args:
        buffer: Where the compressed bytes go; the middleware empties it after each ``write``.
        compression_level: The level (or quality) to compress at, ``None`` for the library's default.
        config: The compression configuration, for backend-specific settings.
    """

    encoding: ClassVar[str]
    """The ``Content-Encoding`` token of the compressed body, such as ``gzip``."""

    def __init__(self, buffer: BytesIO, compression_level: int | None, config: CompressionConfig) -> None: ...

    def write(self, body: bytes, final: bool = False) -> None:
        """Compress ``body`` into the buffer, flushed; ``final`` ends the compressed stream."""
        ...

    def close(self) -> None:
        """End the compressed stream if ``write`` has not (``final``)."""
        ...
