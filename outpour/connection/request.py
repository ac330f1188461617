"""``Request``: an HTTP request, with its body read, decoded and parsed on demand and within the handler's limits."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, ClassVar

import anyio
import msgspec
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError

from outpour.connection.base import ASGIConnection, AuthT, StateT, UserT, empty_receive, empty_send
from outpour.datastructures.headers import Accept
from outpour.datastructures.multi_dicts import FormMultiDict
from outpour.datastructures.upload_file import ONE_MEGABYTE, UploadFile
from outpour.datastructures.url import parse_query_string
from outpour.exceptions import (
    ClientException,
    InternalServerException,
    MalformedBodyException,
    OutpourException,
    OutpourWarning,
    RequestEntityTooLarge,
    UnsupportedMediaTypeException,
)
from outpour.serialization import malformed_reason
from outpour.types import Empty

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

    from outpour.types import Receive, Scope, Send

__all__ = ["BodyConsumedError", "ClientDisconnected", "Request", "parse_content_header", "read_body"]

DEFAULT_MAX_BODY_SIZE = 10_000_000
"""The body limit when the route handler sets none (``request_max_body_size``)."""
DEFAULT_MULTIPART_PART_LIMIT = 1000
"""The app's ``multipart_form_part_limit`` when it is not given: the request class's ``form_max_fields`` applies."""

_BODY_KEY = "_outpour_body"
_FORM_KEY = "_outpour_form"
_STREAM_KEY = "_outpour_body_state"
_READER_DONE_KEY = "_outpour_body_reader_done"
# How far the body has been read (``_STREAM_KEY``); absent: nobody has begun. Below ``_COMPLETE``, a reader is at it.
_STARTED = 1
"""Being read without being kept (``stream()``), or consumed in part: it cannot be read again."""
_READING = 2
"""Being read and kept (``read_body``): another reader waits for it, then gets the kept body."""
_COMPLETE = 3
_DISCONNECTED = 4

_PARAM_RE = re.compile(r';[ \t]*([^\s=;]+)[ \t]*=[ \t]*("(?:[^"\\]|\\.)*"|[^;]*)', re.DOTALL)
_QUOTED_PAIR_RE = re.compile(r"\\(.)", re.DOTALL)


class ClientDisconnected(InternalServerException):
    """The client disconnected before the request body was complete; nothing can be answered.

    An ``InternalServerException``, what Litestar raises there, so that ``except`` clauses written for Litestar catch
    it; outpour answers it by ending the exchange, not with a 500, and logs nothing.
    """


class BodyConsumedError(InternalServerException, RuntimeError):
    """The request body was already consumed by ``stream()`` (or a streamed ``form()``) and was not kept.

    A server error (500), as Litestar's "stream consumed" ``InternalServerException``, which ``except`` clauses
    written for Litestar catch.
    """


def parse_content_header(value: str) -> tuple[str, dict[str, str]]:
    """Parse a header such as ``Content-Type`` or ``Content-Disposition`` into its value and parameters.

    The value is lowercased; parameter names are lowercased and the first of repeated names wins; quoted parameter
    values are unquoted and their backslash escapes decoded. Malformed parameters are skipped; parsing never raises.

    Args:
        value: The header's value, such as ``multipart/form-data; boundary="abc"``.

    Returns:
        The lowercased value and a dict of parameters.
    """
    main, separator, rest = value.partition(";")
    params: dict[str, str] = {}
    if separator:
        for match in _PARAM_RE.finditer(";" + rest):
            name = match.group(1).lower()
            if name in params:
                continue
            param = match.group(2).rstrip(" \t")
            if len(param) >= 2 and param[0] == '"' and param[-1] == '"':
                param = param[1:-1]
                if "\\" in param:
                    param = _QUOTED_PAIR_RE.sub(r"\1", param)
            params[name] = param
    return main.strip(" \t").lower(), params


def _body_limit(scope: Scope) -> tuple[int | None, bool]:
    """Return how many body bytes may arrive, and whether ``Content-Length`` set that number.

    A ``Content-Length`` that is invalid or over the configured limit is refused at once.
    """
    configured = getattr(scope.get("route_handler"), "request_max_body_size", DEFAULT_MAX_BODY_SIZE)
    # Empty: a handler that no HTTP plan resolved (an ASGI handler reading the body itself).
    limit: int | None = DEFAULT_MAX_BODY_SIZE if configured is Empty else configured
    declared: int | None = None
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            if not (value.isdigit() and (declared is None or int(value) == declared)):
                raise ClientException(
                    f"Invalid `Content-Length` header `{value.decode('latin-1')}`: send the body's size in bytes, "
                    "as a single non-negative integer."
                )
            declared = int(value)
    if declared is None:
        return limit, False
    if limit is not None and declared > limit:
        raise RequestEntityTooLarge(
            f"The request body of {declared} bytes (`Content-Length`) exceeds the limit of {limit} bytes; "
            "send a smaller body."
        )
    return declared, True


def _too_large(limit: int, declared: bool) -> ClientException:
    """The error for a body past ``limit``: longer than its ``Content-Length`` (400), or than the body limit (413)."""
    if declared:
        # More bytes than announced: a server should not pass them on (RFC 9112, section 6.3), but ASGI allows it.
        return ClientException(
            f"Malformed request: the body is longer than its `Content-Length` of {limit} bytes; send a "
            "`Content-Length` equal to the body's size in bytes."
        )
    return RequestEntityTooLarge(f"The request body exceeds the limit of {limit} bytes; send a smaller body.")


def _check_state(scope: Scope) -> None:
    state = scope.get(_STREAM_KEY)
    if state is None:
        return
    if state == _DISCONNECTED:
        raise ClientDisconnected("The client disconnected before sending the whole request body.")
    raise BodyConsumedError(
        "The request body was already consumed by `stream()` (or by `form()` for a multipart body) and was not "
        "kept: read it only once, or call `body()` first, which keeps it for later reads."
    )


async def _wait_for_reader(scope: Scope) -> None:
    """Wait until the ``read_body`` under way (state ``_READING``) has ended, one way or another."""
    event: anyio.Event | None = scope.get(_READER_DONE_KEY)
    if event is None:
        event = scope[_READER_DONE_KEY] = anyio.Event()
    await event.wait()


async def read_body(scope: Scope, receive: Receive) -> bytes:
    """Read the whole request body of ``scope`` and keep it in the scope for later reads (what ``Request.body()`` does).

    A second reader that comes while the body is being read waits for it and gets the kept body. The response's
    disconnect listener uses this to read a body that nobody has begun to read (see ``outpour.response.streaming``).

    Args:
        scope: The ASGI ``http`` scope.
        receive: The ASGI ``receive`` callable.

    Returns:
        The body; empty when there is none.

    Raises:
        ClientException: When the ``Content-Length`` header is not a non-negative integer, or the body is longer
            than it says (400).
        RequestEntityTooLarge: When the body is larger than the limit (413), before reading when ``Content-Length``
            says so.
        ClientDisconnected: When the client disconnects before the body is complete.
        BodyConsumedError: When ``stream()`` already consumed the body.
    """
    body: bytes | None = scope.get(_BODY_KEY)
    if body is not None:
        return body
    state = scope.get(_STREAM_KEY)
    if state is not None:
        if state == _READING:
            await _wait_for_reader(scope)
            return await read_body(scope, receive)
        _check_state(scope)
    limit, declared = _body_limit(scope)
    scope[_STREAM_KEY] = _READING
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            message = await receive()
            message_type = message["type"]
            if message_type == "http.request":
                chunk: bytes = message.get("body", b"")
                if chunk:
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise _too_large(limit, declared)
                    chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            elif message_type == "http.disconnect":
                scope[_STREAM_KEY] = _DISCONNECTED
                raise ClientDisconnected("The client disconnected before sending the whole request body.")
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        scope[_BODY_KEY] = body
        scope[_STREAM_KEY] = _COMPLETE
    finally:
        if scope[_STREAM_KEY] == _READING:  # too large, or cancelled: what was read is gone
            scope[_STREAM_KEY] = _STARTED
        waiting: anyio.Event | None = scope.pop(_READER_DONE_KEY, None)
        if waiting is not None:
            waiting.set()
    return body


def _decode_text(raw: bytes | bytearray) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


_PUSHED_HEADERS = (b"accept", b"accept-encoding", b"accept-language", b"cache-control", b"user-agent")
"""The request headers a push promise repeats: those that choose the representation of the pushed response."""


class Request(ASGIConnection[Any, UserT, AuthT, StateT]):
    """An HTTP request.

    Nothing is parsed when it is built. The body is read on demand, at most ``request_max_body_size`` bytes (from the
    route handler, 10 MB when it has none; ``None`` means no limit), and kept in the scope so that any ``Request`` over
    the same scope can read it again; ``stream()`` reads it without keeping it.

    Form limits, which a subclass may override: ``form_max_fields`` (fields and files together, default 1000) and
    ``form_max_field_size`` (bytes of one text field, default 1 MiB); uploaded files are kept in memory up to
    ``form_max_spool_size`` bytes, then on disk.

    Args:
        scope: The ASGI ``http`` scope.
        receive: The ASGI ``receive`` callable; by default one that reports a disconnect.
        send: The ASGI ``send`` callable; by default one that drops every message.
    """

    __slots__ = ("_accept", "_content_type", "_json", "_msgpack")

    form_max_fields: ClassVar[int] = 1000
    form_max_field_size: ClassVar[int] = ONE_MEGABYTE
    form_max_spool_size: ClassVar[int] = ONE_MEGABYTE

    def __init__(self, scope: Scope, receive: Receive = empty_receive, send: Send = empty_send) -> None:
        super().__init__(scope, receive, send)
        self._accept: Accept | None = None
        self._content_type: tuple[str, dict[str, str]] | None = None
        self._json: Any = _UNSET
        self._msgpack: Any = _UNSET

    @property
    def method(self) -> str:
        """The request method, such as ``GET``."""
        return str(self.scope["method"])

    @property
    def accept(self) -> Accept:
        """The parsed ``Accept`` header; a missing header accepts anything."""
        accept = self._accept
        if accept is None:
            accept = self._accept = Accept(self.headers.get("accept"))
        return accept

    @property
    def content_type(self) -> tuple[str, dict[str, str]]:
        """The media type of the body, lowercased (empty when there is no ``Content-Type``), and its parameters."""
        content_type = self._content_type
        if content_type is None:
            content_type = self._content_type = parse_content_header(self.headers.get("content-type", ""))
        return content_type

    @property
    def content_length(self) -> int | None:
        """The ``Content-Length`` header as a number of bytes, or ``None`` when the request has none.

        Raises:
            ClientException: When the header is not a non-negative integer (400), with Litestar's message.
        """
        value: str | None = self.headers.get("content-length")
        if value is None:
            return None
        if not (value.isascii() and value.isdigit()):
            raise ClientException(f"Invalid content-length: {value!r}")
        return int(value)

    @property
    def last_event_id(self) -> str | None:
        """The ``Last-Event-ID`` header, sent by a client resuming a server-sent event stream, or ``None``."""
        value: str | None = self.headers.get("last-event-id")
        return value

    async def send_push_promise(self, path: str, raise_if_unavailable: bool = False) -> None:
        """Ask the server to push ``path`` to the client (HTTP/2 server push), if it supports that.

        The push request carries this request's ``Accept``, ``Accept-Encoding``, ``Accept-Language``,
        ``Cache-Control`` and ``User-Agent`` headers, so that the pushed response is the one the client would get.
        A server offers push through the ASGI ``http.response.push`` extension; browsers have dropped HTTP/2 push, so
        most servers do not.

        Args:
            path: The path of the resource to push.
            raise_if_unavailable: Raise when the server does not support push; otherwise warn and do nothing.

        Raises:
            OutpourException: The server does not support push and ``raise_if_unavailable`` is true.
        """
        extensions = self.scope.get("extensions") or {}
        if "http.response.push" in extensions:
            headers = self.headers
            pushed = [
                (name, value.encode("latin-1"))
                for name in _PUSHED_HEADERS
                for value in headers.getall(name.decode("latin-1"), [])
            ]
            await self.send({"type": "http.response.push", "path": path, "headers": pushed})
            return
        message = (
            f"Attempted to send a push promise for `{path}`, but the server does not support HTTP/2 server push (the "
            "ASGI `http.response.push` extension)"
        )
        if raise_if_unavailable:
            raise OutpourException(f"{message}. Check `request.scope['extensions']` first, or link the resource.")
        warnings.warn(
            f"{message}, so nothing was pushed. Pass `raise_if_unavailable=True` to make this an error.",
            OutpourWarning,
            stacklevel=2,
        )

    # -- body --------------------------------------------------------------------------------------------------------

    async def body(self) -> bytes:
        """Read the whole request body and keep it (in ``scope``) for later reads.

        Returns:
            The body; empty when there is none.

        Raises:
            ClientException: When the ``Content-Length`` header is not a non-negative integer, or the body is longer
                than it says (400).
            RequestEntityTooLarge: When the body is larger than the limit (413), before reading when
                ``Content-Length`` says so.
            ClientDisconnected: When the client disconnects before the body is complete.
            BodyConsumedError: When ``stream()`` already consumed the body.
        """
        body: bytes | None = self.scope.get(_BODY_KEY)
        if body is not None:
            return body
        return await read_body(self.scope, self.receive)

    async def stream(self) -> AsyncGenerator[bytes, None]:
        """Yield the request body's chunks as they arrive, without keeping them.

        When the body was already read by ``body()``, it is yielded once (if not empty). The limits of ``body()``
        apply. The body can be streamed only once.

        Yields:
            The non-empty chunks of the body.

        Raises:
            ClientException: When the ``Content-Length`` header is not a non-negative integer, or the body is longer
                than it says (400).
            RequestEntityTooLarge: When the body is larger than the limit (413).
            ClientDisconnected: When the client disconnects before the body is complete.
            BodyConsumedError: When the body was already streamed, in full or in part.
        """
        scope = self.scope
        if scope.get(_STREAM_KEY) == _READING:  # ``body()`` is reading it: wait, then take what it kept
            await _wait_for_reader(scope)
        body: bytes | None = scope.get(_BODY_KEY)
        if body is not None:
            if body:
                yield body
            return
        _check_state(scope)
        limit, declared = _body_limit(scope)
        scope[_STREAM_KEY] = _STARTED
        receive = self.receive
        size = 0
        while True:
            message = await receive()
            message_type = message["type"]
            if message_type == "http.request":
                chunk: bytes = message.get("body", b"")
                more_body = message.get("more_body", False)
                if not more_body:
                    scope[_STREAM_KEY] = _COMPLETE
                if chunk:
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise _too_large(limit, declared)
                    yield chunk
                if not more_body:
                    return
            elif message_type == "http.disconnect":
                scope[_STREAM_KEY] = _DISCONNECTED
                raise ClientDisconnected("The client disconnected before sending the whole request body.")

    async def json(self) -> Any:
        """Decode the body as JSON; an empty body gives ``None``. The result is kept for later calls.

        Returns:
            The decoded value.

        Raises:
            MalformedBodyException: When the body is not valid JSON or is nested too deeply (400; also a
                ``SerializationException``), and as ``body()`` does.
        """
        value = self._json
        if value is _UNSET:
            body = await self.body()
            try:
                value = msgspec.json.decode(body) if body else None
            except (msgspec.DecodeError, RecursionError) as exc:
                reason = malformed_reason(body, exc, is_text=True)
                raise MalformedBodyException(f"Malformed JSON body: {reason}.") from exc
            self._json = value
        return value

    async def msgpack(self) -> Any:
        """Decode the body as MessagePack; an empty body gives ``None``. The result is kept for later calls.

        Returns:
            The decoded value.

        Raises:
            MalformedBodyException: When the body is not valid MessagePack or is nested too deeply (400; also a
                ``SerializationException``), and as ``body()`` does.
        """
        value = self._msgpack
        if value is _UNSET:
            body = await self.body()
            try:
                value = msgspec.msgpack.decode(body) if body else None
            except (msgspec.DecodeError, RecursionError, TypeError) as exc:
                reason = malformed_reason(body, exc, is_text=False)
                raise MalformedBodyException(f"Malformed MessagePack body: {reason}.") from exc
            self._msgpack = value
        return value

    async def form(self) -> FormMultiDict:
        """Parse an ``application/x-www-form-urlencoded`` or ``multipart/form-data`` body.

        Text fields are decoded as UTF-8 (bytes that are not become U+FFFD); files become ``UploadFile`` objects,
        which the caller should close (``FormMultiDict.close()``). The form is kept in the scope for later calls. A
        URL-encoded body is read with ``body()`` (and kept); a multipart body is streamed, so it is not kept for
        ``body()`` unless ``body()`` was called first. A request without ``Content-Type`` and without a body gives an
        empty form.

        Returns:
            The fields and files, in order.

        Raises:
            UnsupportedMediaTypeException: When the body has another media type (415).
            ClientException: When the body is malformed, a URL-encoded one has more than ``form_max_fields``
                fields (400), and as ``body()`` does.
            RequestEntityTooLarge: When a multipart body has more parts than the part limit (the app's
                ``multipart_form_part_limit`` when given, else ``form_max_fields``), a text field is larger than
                ``form_max_field_size``, or the body than the body limit (413).
        """
        return await self._read_form(None)

    async def _read_form(self, part_limit: int | None) -> FormMultiDict:
        """Parse (or return the kept) form, refusing a multipart body of more than ``part_limit`` parts.

        ``None`` takes the app's ``multipart_form_part_limit`` when it was given, else ``form_max_fields``.
        """
        scope = self.scope
        form: FormMultiDict | None = scope.get(_FORM_KEY)
        if form is not None:
            return form
        media_type, params = self.content_type
        if media_type == "application/x-www-form-urlencoded":
            form = self._parse_urlencoded(await self.body())
        elif media_type == "multipart/form-data":
            limit: int
            if part_limit is not None:
                limit = part_limit
            else:
                app_limit: int = getattr(scope.get("app"), "multipart_form_part_limit", DEFAULT_MULTIPART_PART_LIMIT)
                limit = self.form_max_fields if app_limit == DEFAULT_MULTIPART_PART_LIMIT else app_limit
            form = await _MultipartReader(self, params, limit).read()
        elif not media_type and not await self.body():
            form = FormMultiDict()
        else:
            raise UnsupportedMediaTypeException(
                f"Unsupported media type `{media_type}` for a form body: send `application/x-www-form-urlencoded` or "
                "`multipart/form-data`."
            )
        scope[_FORM_KEY] = form
        return form

    def _parse_urlencoded(self, body: bytes) -> FormMultiDict:
        pairs = parse_query_string(body)
        if len(pairs) > self.form_max_fields:
            raise ClientException(
                f"The form has {len(pairs)} fields, more than the limit of {self.form_max_fields}; send fewer fields."
            )
        max_size = self.form_max_field_size
        for name, value in pairs:
            # A character takes at most 4 bytes in UTF-8: only long values need encoding to be measured.
            if len(value) > max_size // 4 and len(value.encode("utf-8")) > max_size:
                raise RequestEntityTooLarge(
                    f"The form field `{name}` is larger than the limit of {max_size} bytes; send a smaller value."
                )
        items: list[tuple[str, str | UploadFile]] = [*pairs]
        return FormMultiDict._from_pairs(items)


_UNSET: Any = object()

_QUIET_LOGGER = logging.Logger("outpour.multipart")
"""Replaces ``python_multipart``'s logger, which warns about every malformed body: the client gets a 400 instead."""
_QUIET_LOGGER.disabled = True

_PART_BEGIN = 0
_HEADER_FIELD = 1
_HEADER_VALUE = 2
_HEADER_END = 3
_HEADERS_FINISHED = 4
_PART_DATA = 5
_PART_END = 6
_END = 7


class _MultipartReader:
    """Parse a streamed ``multipart/form-data`` body into a ``FormMultiDict``.

    ``python_multipart`` calls its callbacks synchronously while it parses a chunk; they only record events, which
    are then handled after each chunk, so that file data can be written asynchronously.
    """

    __slots__ = (
        "_boundary",
        "_buffer",
        "_events",
        "_field_name",
        "_file",
        "_files",
        "_header_name",
        "_header_value",
        "_headers",
        "_items",
        "_part_limit",
        "_parts",
        "_request",
        "ended",
    )

    def __init__(self, request: Request[Any, Any, Any], params: dict[str, str], part_limit: int) -> None:
        self._request = request
        self._part_limit = part_limit
        boundary = params.get("boundary", "")
        if not boundary or len(boundary) > 200 or not boundary.isascii():
            raise ClientException(
                f"Invalid or missing `boundary` parameter in the `multipart/form-data` Content-Type header: "
                f"`{boundary}`. Send a boundary of 1 to 70 ASCII characters."
            )
        self._boundary = boundary.encode("ascii")
        self._events: list[tuple[int, bytes]] = []
        self._items: list[tuple[str, str | UploadFile]] = []
        self._files: list[UploadFile] = []
        self._parts = 0
        self._headers: list[tuple[str, str]] = []
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._field_name = ""
        self._file: UploadFile | None = None
        self._buffer: bytearray | None = None
        self.ended = False

    def _callbacks(self) -> MultipartCallbacks:
        append = self._events.append

        def on_part_begin() -> None:
            append((_PART_BEGIN, b""))

        def on_header_field(data: bytes, start: int, end: int) -> None:
            append((_HEADER_FIELD, data[start:end]))

        def on_header_value(data: bytes, start: int, end: int) -> None:
            append((_HEADER_VALUE, data[start:end]))

        def on_header_end() -> None:
            append((_HEADER_END, b""))

        def on_headers_finished() -> None:
            append((_HEADERS_FINISHED, b""))

        def on_part_data(data: bytes, start: int, end: int) -> None:
            append((_PART_DATA, data[start:end]))

        def on_part_end() -> None:
            append((_PART_END, b""))

        def on_end() -> None:
            append((_END, b""))

        return {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_end": on_end,
        }

    async def read(self) -> FormMultiDict:
        """Stream the body through the parser.

        Returns:
            The form.
        """
        try:
            parser = MultipartParser(self._boundary, self._callbacks())
            parser.logger = _QUIET_LOGGER
            received = 0
            async with aclosing(self._request.stream()) as stream:
                async for chunk in stream:
                    received += len(chunk)
                    try:
                        parser.write(chunk)
                    except FormParserError as exc:
                        # The parser's own sentence is not shown: only where it stopped, in outpour's words.
                        offset = getattr(exc, "offset", -1)
                        where = f" at byte {received - len(chunk) + offset}" if offset >= 0 else ""
                        raise ClientException(
                            f"Malformed multipart body: the part structure is invalid{where}."
                        ) from exc
                    await self._handle_events()
            parser.finalize()
            if received and not self.ended:
                raise ClientException(
                    "Malformed multipart body: it ends before the closing boundary "
                    f"`--{self._boundary.decode('ascii')}--`."
                )
        except BaseException:
            for file in self._files:
                await file.close()
            raise
        return FormMultiDict._from_pairs(self._items)

    async def _handle_events(self) -> None:
        events = self._events
        for kind, data in events:
            if kind == _PART_DATA:
                await self._on_data(data)
            elif kind == _HEADER_FIELD:
                self._header_name += data
            elif kind == _HEADER_VALUE:
                self._header_value += data
            elif kind == _HEADER_END:
                self._headers.append((self._header_name.decode("latin-1").lower(), _decode_text(self._header_value)))
                self._header_name = bytearray()
                self._header_value = bytearray()
            elif kind == _HEADERS_FINISHED:
                self._start_part()
            elif kind == _PART_END:
                await self._end_part()
            elif kind == _PART_BEGIN:
                self._headers = []
            else:
                self.ended = True
        events.clear()

    def _start_part(self) -> None:
        request = self._request
        self._parts += 1
        if self._parts > self._part_limit:  # 413, as Litestar answers a multipart body past its part limit
            raise RequestEntityTooLarge(
                f"The form has more than the limit of {self._part_limit} fields and files; send fewer."
            )
        headers: dict[str, str] = {}
        for header_name, header_value in self._headers:  # in the order sent; the first of a repeated name wins
            headers.setdefault(header_name, header_value)
        disposition = headers.get("content-disposition")
        if disposition is None:
            raise ClientException(
                "Malformed multipart body: a part has no `Content-Disposition` header; send "
                '`Content-Disposition: form-data; name="..."` in every part.'
            )
        disposition_type, params = parse_content_header(disposition)
        name = params.get("name")
        if disposition_type != "form-data" or name is None:
            raise ClientException(
                f"Malformed multipart body: invalid `Content-Disposition` header `{disposition}`; send "
                '`form-data; name="..."`.'
            )
        self._field_name = name
        filename = params.get("filename")
        if filename is None:
            self._buffer = bytearray()
            self._file = None
        else:
            self._buffer = None
            self._file = UploadFile(
                content_type=headers.get("content-type", "text/plain"),
                filename=filename,
                headers=headers,
                max_spool_size=request.form_max_spool_size,
            )
            self._files.append(self._file)

    async def _on_data(self, data: bytes) -> None:
        if self._file is not None:
            await self._file.write(data)
            return
        buffer = self._buffer
        if buffer is not None:  # pragma: no branch -- python_multipart reports a part's headers before its data
            buffer += data
            max_size = self._request.form_max_field_size
            if len(buffer) > max_size:
                raise RequestEntityTooLarge(
                    f"The form field `{self._field_name}` is larger than the limit of {max_size} bytes; send a "
                    "smaller value."
                )

    async def _end_part(self) -> None:
        file = self._file
        if file is not None:
            await file.seek(0)
            self._items.append((self._field_name, file))
        elif self._buffer is not None:  # pragma: no branch -- as in _on_data
            self._items.append((self._field_name, self._buffer.decode("utf-8", "replace")))
        self._file = None
        self._buffer = None
