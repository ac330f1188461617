"""``CompressionConfig``: compressing responses with gzip, brotli or zstd (``Outpour(compression_config=...)``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.compression.brotli_facade import BrotliCompression
from outpour.middleware.compression.facade import CompressionFacade
from outpour.middleware.compression.gzip_facade import GzipCompression
from outpour.middleware.compression.middleware import CompressionMiddleware
from outpour.middleware.compression.zstd_facade import ZstdCompression

__all__ = ["CompressionConfig"]

_BUILTIN: dict[str, type[CompressionFacade]] = {
    "gzip": GzipCompression,
    "brotli": BrotliCompression,
    "zstd": ZstdCompression,
}


@dataclass
class CompressionConfig:
    """Which responses are compressed, and how.

    The encoding is negotiated from the request's ``Accept-Encoding``: ``backend`` when the client accepts it, else
    gzip when the fallback allows it, else none. Responses smaller than ``minimum_size``, partial (206), not modified
    (304), already encoded or of an already compressed media type (images but SVG, audio, video, archives, WOFF fonts)
    are sent as they are; streams and server-sent events are compressed chunk by chunk, each flushed when sent.

    Args:
        backend: ``"gzip"`` (standard library), ``"brotli"`` (the ``brotli`` extra), ``"zstd"`` (the ``zstd``
            extra), or the encoding of ``compression_facade``.
        minimum_size: Responses with a smaller body are not compressed (bytes, at least 1).
        gzip_compress_level: gzip's level, 0 to 9.
        zstd_compress_level: zstd's level; 0 for the library's default (3).
        brotli_quality: brotli's quality, 0 to 11.
        brotli_mode: brotli's mode: ``"generic"``, ``"text"`` or ``"font"``.
        brotli_lgwin: brotli's window size (base-2 logarithm, 10 to 24) for whole bodies; a stream uses at most 12 (4 KiB),
            which bounds the memory each open stream holds.
        brotli_lgblock: brotli's input block size (base-2 logarithm, 16 to 24; 0 to let the quality decide).
        brotli_gzip_fallback: With ``backend="brotli"``, use gzip for clients that do not accept brotli.
        middleware_class: The middleware class the app builds with this configuration.
        exclude: Regular expressions of paths whose responses are not compressed.
        exclude_opt_key: Responses of routes whose ``opt`` has this key set to a true value are not compressed.
        compression_facade: The compressor of a ``backend`` other than the three built-in ones.
        backend_config: Settings for a custom ``compression_facade`` (outpour's facades do not read it).
        zstd_gzip_fallback: With ``backend="zstd"``, use gzip for clients that do not accept zstd.
        gzip_fallback: Use gzip for clients that do not accept a custom backend.

    Raises:
        ImproperlyConfiguredException: A level is out of range, ``minimum_size`` is below 1, or a custom ``backend``
            has no facade of its encoding.
        MissingDependencyException: ``backend="brotli"`` or ``"zstd"`` without its package installed.
    """

    backend: Literal["gzip", "brotli", "zstd"] | str
    minimum_size: int = 500
    gzip_compress_level: int = 9
    zstd_compress_level: int = 0
    brotli_quality: int = 5
    brotli_mode: Literal["generic", "text", "font"] = "text"
    brotli_lgwin: int = 22
    brotli_lgblock: Literal[0, 16, 17, 18, 19, 20, 21, 22, 23, 24] = 0
    brotli_gzip_fallback: bool = True
    middleware_class: type[CompressionMiddleware] = CompressionMiddleware
    exclude: str | list[str] | None = None
    exclude_opt_key: str | None = None
    compression_facade: type[CompressionFacade] = GzipCompression
    backend_config: Any = None
    zstd_gzip_fallback: bool = True
    gzip_fallback: bool = True

    def __post_init__(self) -> None:
        checks = (
            ("gzip_compress_level", self.gzip_compress_level, 0, 9),
            ("zstd_compress_level", self.zstd_compress_level, 0, 22),
            ("brotli_quality", self.brotli_quality, 0, 11),
            ("brotli_lgwin", self.brotli_lgwin, 10, 24),
        )
        for name, value, low, high in checks:
            if not low <= value <= high:
                raise ImproperlyConfiguredException(
                    f"`CompressionConfig({name}={value})` is out of range: give a value from {low} to {high}."
                )
        if self.brotli_mode not in ("generic", "text", "font"):
            raise ImproperlyConfiguredException(
                f"`CompressionConfig(brotli_mode={self.brotli_mode!r})` is not a brotli mode: give `'generic'`, "
                "`'text'` or `'font'`."
            )
        if self.minimum_size < 1:
            raise ImproperlyConfiguredException(
                f"`CompressionConfig(minimum_size={self.minimum_size})` is below 1: give a size in bytes (1 "
                "compresses every response with a body)."
            )
        facade = self.facade
        if self.backend not in _BUILTIN and facade.encoding != self.backend:
            raise ImproperlyConfiguredException(
                f"`CompressionConfig(backend={self.backend!r})` is not `'gzip'`, `'brotli'` or `'zstd'`, and "
                f"`compression_facade` ({facade.__name__}) has the encoding `{facade.encoding}`: give a "
                f"`compression_facade` whose `encoding` is `{self.backend!r}`."
            )
        if self.backend == "brotli":
            from outpour.middleware.compression.brotli_facade import _brotli

            _brotli()
        elif self.backend == "zstd":
            from outpour.middleware.compression.zstd_facade import _zstandard

            _zstandard()

    @property
    def facade(self) -> type[CompressionFacade]:
        """The compressor of ``backend``."""
        return _BUILTIN.get(self.backend, self.compression_facade)

    @property
    def compression_level(self) -> int | None:
        """The level ``backend``'s compressor is given (``None`` for a custom backend: its default)."""
        levels = {"gzip": self.gzip_compress_level, "brotli": self.brotli_quality, "zstd": self.zstd_compress_level}
        return levels.get(self.backend)

    @property
    def uses_gzip_fallback(self) -> bool:
        """Whether clients that do not accept ``backend`` get gzip."""
        if self.backend == "gzip":
            return False
        if self.backend == "brotli":
            return self.brotli_gzip_fallback
        if self.backend == "zstd":
            return self.zstd_gzip_fallback
        return self.gzip_fallback
