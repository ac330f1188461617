"""``CompressionMiddleware``: compresses response bodies in the coding negotiated with the client."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from outpour.middleware._headers import add_vary, first_header
from outpour.middleware.base import AbstractMiddleware
from outpour.middleware.compression._accept_encoding import MAX_LENGTH, choose_encoding, parse_accept_encoding
from outpour.middleware.compression.brotli_facade import BrotliCompression
from outpour.middleware.compression.gzip_facade import GzipCompression
from outpour.middleware.compression.zstd_facade import ZstdCompression

if TYPE_CHECKING:
    from collections.abc import Callable

    from outpour.config.compression import CompressionConfig
    from outpour.middleware.compression._stream import StreamCoder
    from outpour.middleware.compression.facade import CompressionFacade
    from outpour.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CompressionMiddleware"]

# Statuses whose body must not be re-encoded: 206 ranges address the identity body (RFC 9110, section 14.1.2), and
# 204/304 have no body.
_UNTOUCHED_STATUSES = frozenset({204, 206, 304})
# Media types whose bodies are already compressed: compressing them again costs time and saves nothing.
_COMPRESSED_TYPES = (
    b"image/",
    b"audio/",
    b"video/",
    b"font/woff",
    b"application/zip",
    b"application/gzip",
    b"application/x-gzip",
    b"application/zstd",
    b"application/x-7z-compressed",
    b"application/x-bzip2",
    b"application/x-xz",
    b"application/x-rar-compressed",
)
_COMPRESSIBLE_IMAGES = (b"image/svg+xml",)
_PATHSEND = "http.response.pathsend"
_CHOICES_KEPT = 64
# The facades whose streams the middleware drives through their compressor's own functions, and how each opens one.
# Exactly these classes: a subclass may override ``write``, so it keeps the buffer protocol like any custom facade.
_STREAM_OPENERS: dict[type[CompressionFacade], Callable[[int | None, CompressionConfig], StreamCoder]] = {
    GzipCompression: GzipCompression._open_stream,
    BrotliCompression: BrotliCompression._open_stream,
    ZstdCompression: ZstdCompression._open_stream,
}


def _is_compressible(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a response with these headers may be compressed: not already encoded, not of a compressed type."""
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"content-encoding" and value.strip().lower() not in (b"", b"identity"):
            return False
        if lowered == b"content-type":
            media_type = value.lower().lstrip()
            if media_type.startswith(_COMPRESSED_TYPES) and not media_type.startswith(_COMPRESSIBLE_IMAGES):
                return False
        if lowered == b"content-range":
            return False
    return True


def _encoded_headers(
    headers: list[tuple[bytes, bytes]], encoding: bytes, length: int | None
) -> list[tuple[bytes, bytes]]:
    """The headers of the compressed response: ``Content-Encoding``, the new length (or none) and a weak ETag."""
    out: list[tuple[bytes, bytes]] = []
    for name, value in headers:
        lowered = name.lower()
        if lowered in (b"content-length", b"content-encoding"):
            continue
        if lowered == b"etag" and not value.startswith(b"W/"):
            value = b"W/" + value  # the compressed bytes differ from the identity ones (RFC 9110, section 8.8.1)
        out.append((name, value))
    out.append((b"content-encoding", encoding))
    if length is not None:
        out.append((b"content-length", str(length).encode()))
    return add_vary(out, b"Accept-Encoding")


class CompressionMiddleware(AbstractMiddleware):
    """Compress response bodies in the coding the client accepts, chunk by chunk for streams.

    Args:
        app: The next ASGI app.
        config: The compression configuration.
    """

    scopes = {"http"}  # noqa: RUF012

    def __init__(self, app: ASGIApp, config: CompressionConfig) -> None:
        super().__init__(app, exclude=config.exclude, exclude_opt_key=config.exclude_opt_key, scopes={"http"})
        self.config = config
        self._facade: type[CompressionFacade] = config.facade
        self._preferred = self._facade.encoding
        self._fallback = GzipCompression.encoding if config.uses_gzip_fallback else None
        self._level = config.compression_level
        self._minimum_size = config.minimum_size
        # The coding chosen for each ``Accept-Encoding`` value seen (its first MAX_LENGTH bytes), for the first
        # _CHOICES_KEPT values: clients send a handful of values, and parsing one costs ~2 us, more than the rest of
        # the negotiation. At most 64 KiB are kept, whatever the clients send.
        self._choices: dict[bytes, str | None] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the next app, compressing its response when the client accepts a configured coding."""
        if scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        raw = (first_header(scope["headers"], b"accept-encoding") or b"")[:MAX_LENGTH]  # all the parser reads
        choices = self._choices
        if raw in choices:
            encoding = choices[raw]
        else:
            accepted = parse_accept_encoding(raw.decode("latin-1")) if raw else {}
            encoding = choose_encoding(accepted, self._preferred, self._fallback) if accepted else None
            if len(choices) < _CHOICES_KEPT:
                choices[raw] = encoding
        if encoding is not None:
            extensions = scope.get("extensions")
            if extensions and _PATHSEND in extensions:  # the server would send the file itself, uncompressed
                scope = {**scope, "extensions": {k: v for k, v in extensions.items() if k != _PATHSEND}}
        await self.app(scope, receive, self._send_wrapper(send, encoding))

    def create_compression_send_wrapper(self, send: Send, compression_encoding: str, scope: Scope) -> Send:
        """Wrap ``send`` to compress the response it sends in ``compression_encoding``.

        The wrapper holds the start message until the first body chunk: a whole body smaller than ``minimum_size``
        goes out as it is; a stream is compressed chunk by chunk, each chunk flushed when sent.

        Args:
            send: The ``send`` to wrap.
            compression_encoding: The coding negotiated with the client: the configured backend's, or ``"gzip"``
                for the fallback.
            scope: The connection's scope (unused: the negotiation is done).

        Returns:
            The wrapped ``send``.
        """
        return self._send_wrapper(send, str(compression_encoding))

    def _send_wrapper(self, send: Send, encoding: str | None) -> Send:
        facade_class = self._facade if encoding == self._preferred else GzipCompression
        minimum_size = self._minimum_size
        level = self._level if encoding == self._preferred else self.config.gzip_compress_level
        config = self.config
        open_stream = _STREAM_OPENERS.get(facade_class)
        held: Message | None = None
        passthrough = False
        buffer: BytesIO | None = None
        facade: CompressionFacade | None = None
        # A built-in facade's stream: its compressor's own functions, called here without a buffer in between.
        compress: Callable[[bytes], bytes] | None = None
        flush: Callable[[], bytes] = bytes
        finish: Callable[[], bytes] = bytes

        async def compressing_send(message: Message) -> None:
            nonlocal held, passthrough, buffer, facade, compress, flush, finish
            if passthrough:
                await send(message)
                return
            if compress is not None:  # a built-in facade's stream, after its first chunk
                if message["type"] == "http.response.body":
                    chunk = message.get("body", b"")
                    if message.get("more_body", False):
                        if chunk:
                            await send(
                                {"type": "http.response.body", "body": compress(chunk) + flush(), "more_body": True}
                            )
                        return
                    await send({"type": "http.response.body", "body": compress(chunk) + finish(), "more_body": False})
                    return
                passthrough = True  # another extension's message after the body started: sent as it is
                await send(message)
                return
            if facade is not None and buffer is not None:  # a custom facade's stream: the buffer protocol
                if message["type"] != "http.response.body":
                    passthrough = True
                    await send(message)
                    return
                more = message.get("more_body", False)
                chunk = message.get("body", b"")
                if more and not chunk:
                    return
                buffer.seek(0)
                buffer.truncate()
                facade.write(chunk, final=not more)
                await send({"type": "http.response.body", "body": buffer.getvalue(), "more_body": more})
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                if message["status"] in _UNTOUCHED_STATUSES or message["status"] < 200 or not _is_compressible(headers):
                    passthrough = True
                    await send(message)
                    return
                held = message
                return
            if held is None or message["type"] != "http.response.body":
                passthrough = True  # another extension's message (such as a file sent by the server)
                if held is not None:
                    await send(held)
                await send(message)
                return
            start, held_headers = held, list(held.get("headers", ()))
            body: bytes = message.get("body", b"")
            more_body = message.get("more_body", False)
            if not more_body and len(body) < minimum_size:
                passthrough = True
                await send(start)
                await send(message)
                return
            if encoding is None:
                passthrough = True
                start["headers"] = add_vary(held_headers, b"Accept-Encoding")
                await send(start)
                await send(message)
                return
            if more_body and open_stream is not None:
                compress, flush, finish = open_stream(level, config)
                compressed = compress(body) + flush()
            else:
                buffer = BytesIO()
                facade = facade_class(buffer, level, config)
                facade.write(body, final=not more_body)
                compressed = buffer.getvalue()
            start["headers"] = _encoded_headers(
                held_headers, encoding.encode("latin-1"), None if more_body else len(compressed)
            )
            await send(start)
            await send({"type": "http.response.body", "body": compressed, "more_body": more_body})

        return compressing_send
