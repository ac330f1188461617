"""Streaming responses: ``Stream``, and ``ASGIStreamingResponse`` which sends an iterator's chunks as they come.

How a stream is sent:

* Chunks go out as ``http.response.body`` messages as soon as the iterator waits: the chunks an async iterator
  yields without waiting share one message (up to 64 KiB or 64 chunks, after which the event loop runs once), and
  the last of them ends the body (``more_body=False``); see ``outpour.response._batching``. ``str`` chunks are
  encoded with the response's ``encoding``, ``bytes`` go as they are.
* **Disconnects.** When the client goes away the iteration stops and the iterator is closed (an async generator's
  ``finally`` runs even while it awaits something: it is cancelled there). How the disconnect is seen, and when the
  watcher starts (not before the stream's task first waits), is the policy of ``outpour.response._disconnect``,
  shared with ``ServerSentEvent`` and ``File``. An iterator must read the request body through ``Request``, not
  through the raw ``receive``.
* **Sync iterators** (e.g. a plain generator, which may block) run in a worker thread, fetched ahead in batches of up
  to 64 chunks or 64 KiB (``outpour.response._threaded``).
* A HEAD request (or a status code without a body) gets the headers and no body; the iterator is closed unread.
"""

from __future__ import annotations

import types
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from outpour.connection.request import ClientDisconnected
from outpour.response._batching import send_batched, send_each
from outpour.response._disconnect import END, close_iterator, watch_disconnect
from outpour.response._disconnect import receive_is_free as receive_is_free  # re-exported for the tests
from outpour.response._render import body_forbidden, check_body_allowed, content_type_header, media_type_str
from outpour.response._threaded import ThreadedIterator
from outpour.response.base import (
    ASGIResponse,
    Response,
    _encode_cookie,
    _encode_headers,
    _to_cookie_list,
    _to_header_dict,
    merge_cookies,
    merge_headers,
)

if TYPE_CHECKING:
    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.connection import Request
    from outpour.datastructures.cookie import Cookie
    from outpour.enums import MediaType
    from outpour.types import (
        Message,
        Receive,
        ResponseCookies,
        ResponseHeaders,
        Scope,
        Send,
        StreamType,
        TypeEncodersMap,
    )

__all__ = [
    "ASGIStreamingResponse",
    "Stream",
    "is_stream_content",
    "send_stream",
    "send_stream_head",
    "stream_start",
    "stream_wire",
]

Chunk: TypeAlias = "str | bytes"
Convert: TypeAlias = "Callable[[Any], bytes]"

_ASYNC_GENERATOR = types.AsyncGeneratorType
_YIELD_EVERY = 64
"""A stream whose iterator never waits lets the event loop run once every this many chunks."""
_ThreadedIterator = ThreadedIterator
"""The old name of ``ThreadedIterator``, for the tests that count its fetches."""


# -- chunks -------------------------------------------------------------------------------------------------------------


def _chunk_to_bytes(chunk: Any, encoding: str = "utf-8") -> bytes:
    if type(chunk) is bytes:
        return chunk
    if isinstance(chunk, str):
        return chunk.encode(encoding)
    if isinstance(chunk, bytes | bytearray | memoryview):
        return bytes(chunk)
    raise TypeError(
        f"A stream yielded a `{type(chunk).__name__}` ({chunk!r:.80}): a `Stream` sends `str` or `bytes` chunks. "
        "Encode the value first (e.g. with `outpour.serialization.encode_json`), or use `ServerSentEvent`."
    )


def is_stream_content(content: Any) -> bool:
    """Whether ``content`` can be streamed: a sync or async iterator or iterable, or a callable returning one."""
    return (
        type(content) is _ASYNC_GENERATOR  # the usual case, without the ABCs' checks
        or callable(content)
        or isinstance(content, Iterable | AsyncIterable | Iterator | AsyncIterator)
    )


def _resolve_content(content: Any) -> Any:
    """Call ``content`` if it is a callable that returns the iterator (a generator function, an iterator class)."""
    if callable(content) and not isinstance(content, Iterable | AsyncIterable | Iterator | AsyncIterator):
        return content()
    return content


def _iteration(content: Any, convert: Convert) -> tuple[Any, Iterable[Any] | None, Convert]:
    """Return how to iterate ``content``: an async iterator, or items held in memory, and how to convert its items.

    Sync generators and iterators go through a worker thread (``ThreadedIterator``), which converts the items
    itself; lists, tuples and a single ``str``/``bytes`` are iterated in place (they cannot block).

    Raises:
        TypeError: If ``content`` cannot be iterated.
    """
    if type(content) is types.AsyncGeneratorType:
        return content, None, convert
    content = _resolve_content(content)
    if isinstance(content, str | bytes):
        return None, (content,), convert
    if isinstance(content, AsyncIterator):
        return content, None, convert
    if isinstance(content, AsyncIterable):
        return content.__aiter__(), None, convert
    if isinstance(content, list | tuple):
        return None, content, convert
    if isinstance(content, Iterable):
        return ThreadedIterator(iter(content), convert), None, _as_bytes
    raise TypeError(
        f"A stream needs an iterator, an iterable, or a callable returning one; got `{content!r:.80}` "
        f"(a `{type(content).__name__}`)."
    )


def _as_bytes(chunk: bytes) -> bytes:
    return chunk


# -- sending the body ---------------------------------------------------------------------------------------------------


async def send_stream(
    scope: Scope,
    receive: Receive,
    send: Send,
    start: Message | None,
    content: Any,
    convert: Convert,
    preamble: bytes,
    ping_interval: float | None,
    ping_message: bytes,
) -> None:
    """Send ``start`` (if given), then ``content`` as ``http.response.body`` messages as it is produced, then the end.

    The sending runs under the disconnect watch of ``outpour.response._disconnect``. Stops quietly when the client
    disconnects, closing the iterator.

    Args:
        scope: The ASGI scope.
        receive: The ASGI receive function.
        send: The ASGI send function.
        start: The ``http.response.start`` message (see ``stream_start``), or None when it was sent already.
        content: The stream's content (``Stream.iterator``).
        convert: Turns an item of ``content`` into bytes (see ``stream_wire``).
        preamble: Bytes sent before the first item.
        ping_interval: Seconds of silence after which ``ping_message`` is sent; None for no pings.
        ping_message: The keep-alive message.
    """
    if start is not None:
        await send(start)
    watch = watch_disconnect(scope, receive, send, ping_interval, ping_message)
    send = watch.send
    try:
        async with watch:
            if type(content) is _ASYNC_GENERATOR:
                iterator, items = content, None
            else:
                iterator, items, convert = _iteration(content, convert)
            watch.iterator = iterator
            if items is None:
                raw = convert is _chunk_to_bytes or convert is _as_bytes  # bytes go as they are, without a call
                loop = getattr(watch, "loop", None)  # an asyncio watch's loop: chunks ready together go together
                if loop is not None:
                    await send_batched(iterator, convert, raw, send, watch, preamble, loop)
                else:
                    await send_each(iterator, convert, raw, send, watch, preamble)
                return
            if preamble:
                await send({"type": "http.response.body", "body": preamble, "more_body": True})
            budget = _YIELD_EVERY
            for item in items:
                await send({"type": "http.response.body", "body": convert(item), "more_body": True})
                budget -= 1
                if not budget:
                    budget = _YIELD_EVERY
                    await watch.pause()
            await send(END)
    except (OSError, ClientDisconnected):
        pass  # the client went away: ASGI 2.4 servers raise OSError from send; a read body reports it too


# -- the ASGI response --------------------------------------------------------------------------------------------------


class ASGIStreamingResponse(ASGIResponse):
    """A streaming response: sends the iterator's chunks as ``http.response.body`` messages, as they are produced.

    Args:
        iterator: A sync or async iterator or iterable of ``str`` or ``bytes`` chunks.
        background: A background task or a list of background tasks to be executed after the response is sent.
        content_length: The response content length, when it is known in advance; otherwise the server uses chunked
            transfer encoding.
        cookies: The response cookies.
        encoding: The encoding of ``str`` chunks.
        headers: The response headers.
        is_head_response: A boolean indicating if the response is a HEAD response: only headers are sent.
        media_type: The response media type.
        status_code: The response status code.

    Raises:
        ImproperlyConfiguredException: When ``status_code`` forbids a body (1xx, 204, 304).
    """

    __slots__ = ("_convert", "_preamble", "iterator", "ping_interval", "ping_message", "scope")

    def __init__(
        self,
        *,
        iterator: StreamType[Chunk] | Callable[[], StreamType[Chunk]],
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        content_length: int | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoding: str = "utf-8",
        headers: Mapping[str, Any] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        check_body_allowed(status_code, type(self).__name__)
        super().__init__(
            background=background,
            content_length=content_length,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            is_head_response=is_head_response,
            media_type=media_type,
            status_code=status_code,
        )
        self.content_length = None if body_forbidden(self.status_code) else content_length
        self.iterator: Any = iterator
        self._convert: Convert = _chunk_to_bytes if encoding == "utf-8" else partial(_chunk_to_bytes, encoding=encoding)
        self._preamble = b""
        self.ping_interval: float | None = None
        self.ping_message = b""
        self.scope: Scope | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the response: the headers, the streamed body, then run the background tasks."""
        self.scope = scope
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.encode_headers()})
        await self.send_body(send, receive)
        if self.background is not None:
            await self.after_response()

    async def send_body(self, send: Send, receive: Receive) -> None:
        """Emit a stream of events correlating with the response body.

        Each chunk is one ``http.response.body`` message, sent as soon as the iterator yields it. Stops quietly when
        the client disconnects (an ``http.disconnect`` message, or ``OSError`` from ``send``), closing the iterator.

        Args:
            send: The ASGI send function.
            receive: The ASGI receive function.
        """
        if self.is_head_response or body_forbidden(self.status_code):
            await close_iterator(_resolve_head_iterator(self.iterator))
            await send({"type": "http.response.body", "body": b""})
            return
        await send_stream(
            self.scope or {},
            receive,
            send,
            None,
            self.iterator,
            self._convert,
            self._preamble,
            self.ping_interval,
            self.ping_message,
        )


def _resolve_head_iterator(iterator: Any) -> Any:
    if callable(iterator) and not isinstance(iterator, Iterable | AsyncIterable | Iterator | AsyncIterator):
        return None  # never called: nothing to close
    if isinstance(iterator, Iterator) and not isinstance(iterator, list | tuple):
        return ThreadedIterator(iterator, _as_bytes)
    return iterator


# -- the response ---------------------------------------------------------------------------------------------------


class Stream(
    Response[Iterable[str | bytes] | Iterator[str | bytes] | AsyncIterable[str | bytes] | AsyncIterator[str | bytes]]
):
    """An HTTP response that streams the response data as a series of ASGI ``http.response.body`` events.

    See the module documentation for how chunks are sent and how a client that leaves stops the iterator.

    Args:
        content: A sync or async iterator or iterable (a generator, a list, an iterator class's instance), or a
            callable returning one (a generator function, an iterator class). ``str`` chunks are encoded with
            ``encoding``; ``bytes`` chunks are sent as they are.
        background: A ``BackgroundTask`` instance or ``BackgroundTasks`` to execute after the response is finished.
        cookies: A list of ``Cookie`` instances to be set under the response ``Set-Cookie`` header.
        encoding: The encoding of ``str`` chunks (and of the charset of a text media type).
        headers: A string keyed dictionary of response headers. Header keys are insensitive.
        media_type: A value for the response ``Content-Type`` header.
        status_code: An HTTP status code.

    Raises:
        TypeError: When ``content`` is neither iterable nor callable (what a callable returns is checked when the
            response is sent).
        ImproperlyConfiguredException: When ``status_code`` forbids a body (1xx, 204, 304): a stream always has one.
    """

    __slots__ = ("iterator",)

    _wire_headers: ClassVar[tuple[tuple[bytes, bytes], ...]] = ()
    """Headers the class itself sends, encoded; over the layered ones, under the response's own."""
    _wire_header_names: ClassVar[frozenset[bytes]] = frozenset()
    """The names of ``_wire_headers``."""

    def __init__(
        self,
        content: StreamType[Chunk] | Callable[[], StreamType[Chunk]],
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        if type(content) is not _ASYNC_GENERATOR and not is_stream_content(content):
            raise TypeError(
                f"A `{type(self).__name__}` needs an iterator, an iterable, or a callable returning one (a generator "
                f"function, say); got `{content!r:.80}` (a `{type(content).__name__}`). Wrap a single value in a list, "
                "or return the generator instead of the value it produces."
            )
        if status_code is not None:
            check_body_allowed(status_code, type(self).__name__)
        # What Response.__init__ does, without its type encoders (chunks are str or bytes already).
        self.content = content  # type: ignore[assignment]
        self.iterator = content
        self.background = background
        self.cookies = _to_cookie_list(cookies) if cookies else []
        self.encoding = encoding
        self.headers = (dict(headers) if type(headers) is dict else _to_header_dict(headers)) if headers else {}
        self.media_type = media_type
        self.status_code = status_code
        self.response_type_encoders = type(self).type_encoders

    def to_asgi_response(
        self,
        request: Request[Any, Any, Any] | None,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: Iterable[Cookie] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> ASGIResponse:
        """Create an ``ASGIStreamingResponse`` from this ``Stream``.

        Args:
            request: The request being answered.
            background: Background task(s) to be executed after the response is sent, used when the response has none.
            cookies: Cookies to be set on the response; the response's own win.
            headers: Additional headers to be merged with the response headers. Response headers take precedence.
            is_head_response: Whether the response is a HEAD response.
            media_type: Media type for the response, used when the response has none.
            status_code: Status code for the response, used when the response has none.
            type_encoders: Unused: stream chunks are already ``str`` or ``bytes``.

        Returns:
            An ``ASGIStreamingResponse`` instance.

        Raises:
            ImproperlyConfiguredException: When the status code forbids a body (1xx, 204, 304).
        """
        chosen = self.media_type or media_type or "application/json"
        status = self.status_code or status_code or 200
        check_body_allowed(status, type(self).__name__)
        return _streaming_response(
            self.iterator,
            self.background or background,
            merge_cookies(self.cookies, cookies) if cookies else self.cookies,
            self.encoding,
            merge_headers(self.headers, headers),
            is_head_response,
            chosen if type(chosen) is str else media_type_str(chosen),
            status,
        )

    def _wire(self, type_encoders: TypeEncodersMap | None) -> Wire:
        """Return how the body is sent: the chunk converter, a preamble, the ping interval and ping message."""
        encoding = self.encoding
        return (_chunk_to_bytes if encoding == "utf-8" else partial(_chunk_to_bytes, encoding=encoding)), b"", None, b""


Wire: TypeAlias = "tuple[Convert, bytes, float | None, bytes]"


_UTF8_WIRE: Wire = (_chunk_to_bytes, b"", None, b"")
"""How a ``Stream`` in UTF-8 sends its body."""


def stream_wire(stream: Stream, type_encoders: TypeEncodersMap | None) -> Wire:
    """Return how ``stream`` sends its body (see ``Stream._wire``).

    Args:
        stream: The response.
        type_encoders: The layers' type encoders (for JSON event data).

    Returns:
        The chunk converter, a preamble, the ping interval and the ping message.
    """
    if type(stream) is Stream and stream.encoding == "utf-8":
        return _UTF8_WIRE
    return stream._wire(type_encoders)


def stream_start(
    stream: Stream,
    layered_headers: list[tuple[bytes, bytes]],
    layered_cookies: list[Cookie],
    encoded_cookies: list[tuple[bytes, bytes]],
    media_type: str,
    status_code: int,
) -> tuple[int, list[tuple[bytes, bytes]]]:
    """Work out the start line of a returned ``Stream`` (or ``ServerSentEvent``), without building its ASGI response.

    What ``stream.to_asgi_response(...)`` and the ``ASGIStreamingResponse`` would send: the fast path of a handler
    returning exactly one of these classes (a subclass may override ``to_asgi_response``: use that). A stream without
    headers or cookies of its own gets the same start line every time: the caller may keep it.

    Args:
        stream: The response.
        layered_headers: The layers' headers, encoded, names in lower case.
        layered_cookies: The layers' cookies, merged under the response's own when it has some.
        encoded_cookies: ``layered_cookies`` encoded, sent as they are when the response has no cookies.
        media_type: The handler's media type, used when the response has none.
        status_code: The handler's status code, used when the response has none.

    Returns:
        The status and the start-line headers.

    Raises:
        ValueError: When a header would corrupt the response.
        ImproperlyConfiguredException: When the status code forbids a body (1xx, 204, 304).
    """
    status = stream.status_code or status_code
    check_body_allowed(status, type(stream).__name__)
    own = stream.headers
    fixed = stream._wire_headers
    names: Any
    if own or (fixed and layered_headers):
        top = _encode_headers(own) if own else []
        names = {name for name, _ in top}
        if fixed:
            top = [pair for pair in fixed if pair[0] not in names] + top
            names.update(stream._wire_header_names)
        headers = [pair for pair in layered_headers if pair[0] not in names] + top
        names.update(name for name, _ in layered_headers)
    elif fixed:
        headers = list(fixed)
        names = stream._wire_header_names
    else:
        headers = list(layered_headers)
        names = {name for name, _ in headers} if headers else ()
    if b"content-type" not in names and not body_forbidden(status):
        chosen = stream.media_type or media_type
        headers.append(
            (
                b"content-type",
                content_type_header(chosen if type(chosen) is str else media_type_str(chosen), stream.encoding),
            )
        )
    if stream.cookies:
        cookies = merge_cookies(stream.cookies, layered_cookies)
        headers.extend([_encode_cookie(cookie) for cookie in cookies if not cookie.documentation_only])
    elif encoded_cookies:
        headers.extend(encoded_cookies)
    return status, headers


async def send_stream_head(send: Send, start: Message, content: Any) -> None:
    """Send a stream's start message and no body (a HEAD request, or a status without a body); close ``content``.

    Args:
        send: The ASGI send function.
        start: The ``http.response.start`` message.
        content: The stream's content (``Stream.iterator``), closed unread.
    """
    await send(start)
    await close_iterator(_resolve_head_iterator(content))
    await send({"type": "http.response.body", "body": b""})


def _streaming_response(
    iterator: Any,
    background: BackgroundTask[Any] | BackgroundTasks | None,
    cookies: list[Cookie],
    encoding: str,
    headers: Mapping[str, Any],
    is_head_response: bool,
    media_type: str,
    status_code: int,
) -> ASGIStreamingResponse:
    """Build what ``ASGIStreamingResponse(...)`` builds from values a ``to_asgi_response`` already checked."""
    response = object.__new__(ASGIStreamingResponse)
    response.status_code = status_code
    response.body = b""
    response.background = background
    response.encoding = encoding
    response.is_head_response = is_head_response
    response.media_type = media_type
    response.cookies = [c for c in cookies if not c.documentation_only] if cookies else []
    if headers:
        response.headers = dict(headers)
        response.encoded_headers = _encode_headers(headers)
    else:
        response.headers = {}
        response.encoded_headers = []
    response.content_length = None
    response.iterator = iterator
    response._convert = _chunk_to_bytes if encoding == "utf-8" else partial(_chunk_to_bytes, encoding=encoding)
    response._preamble = b""
    response.ping_interval = None
    response.ping_message = b""
    response.scope = None
    return response
