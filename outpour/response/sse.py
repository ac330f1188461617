r"""Server-sent events: ``ServerSentEvent`` (a ``text/event-stream`` response) and ``ServerSentEventMessage``.

The wire format follows the WHATWG HTML standard ("Server-sent events", the event stream grammar): each event is a block
of ``field: value`` lines ended by a blank line; data with line breaks becomes several ``data:`` lines (the client joins
them with ``\n``); comments are lines starting with ``:``. The stream is always UTF-8.

No field value can end its line early and inject other fields, and none aborts a stream that has started: CRLF, CR and
LF (the standard's three line breaks) split ``data`` and comments into one line each; CR, LF and NUL are removed from
``id`` and ``event`` (a browser ignores an id that contains NUL), with a warning on the ``outpour`` logger. Fields of the
wrong type raise when a ``ServerSentEvent`` or a ``ServerSentEventMessage`` is created, before anything is sent; in a
dict the iterator yields (or a message edited after it was built) they are sent as text when they are numbers and are
otherwise left out, as is a ``retry`` that is not a non-negative integer, with a warning: a started stream is never
aborted for a field.

A client that reconnects sends the id of the last event it got in the ``Last-Event-ID`` request header; give events
ids and read that header to resume where the client left off.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from outpour.exceptions import ImproperlyConfiguredException
from outpour.response._render import check_body_allowed
from outpour.response.base import merge_cookies
from outpour.response.streaming import _ASYNC_GENERATOR, ASGIStreamingResponse, Stream, Wire, is_stream_content
from outpour.serialization import get_json_encoder

if TYPE_CHECKING:
    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.connection import Request
    from outpour.datastructures.cookie import Cookie
    from outpour.enums import MediaType
    from outpour.response.base import ASGIResponse
    from outpour.types import ResponseCookies, ResponseHeaders, SSEData, StreamType, TypeEncodersMap

__all__ = ["ASGIStreamingSSEResponse", "ServerSentEvent", "ServerSentEventMessage"]

logger = logging.getLogger("outpour")

# The standard's line breaks (WHATWG HTML, "Parsing an event stream": end-of-line = CRLF / CR / LF), and only those:
# U+2028, U+0085 and the like are ordinary characters in an event stream, so ``str.splitlines`` would be wrong here.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NOT_IN_A_FIELD = str.maketrans("", "", "\r\n\x00")
_CRLF = "\r\n"
_SEPARATORS = (_CRLF, "\n", "\r")
_DICT_KEYS = frozenset({"data", "event", "event_type", "id", "retry", "comment"})
PING_MESSAGE = b": ping\r\n\r\n"
SSE_HEADERS = {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
}
_SSE_ENCODED_HEADERS = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in SSE_HEADERS.items()]
_WHY_REMOVED = {
    "id": (
        "a line break would end the `id:` line early and inject other fields, and browsers ignore an id that contains "
        "NUL. Remove these characters from event ids"
    ),
    "event": (
        "a line break would end the `event:` line early and inject other fields. Remove these characters from event "
        "types"
    ),
}


def _shown(value: Any) -> str:
    """``repr`` of a field value, cut short so that a huge value does not flood the log."""
    text = repr(value)
    return text if len(text) <= 100 else f"{text[:100]}..."


def _without_breaks(field: str, text: str) -> str:
    """Return ``text`` without CR, LF and NUL, logging a warning that the ``field`` value was changed."""
    cleaned = text.translate(_NOT_IN_A_FIELD)
    logger.warning(
        "SSE field `%s` changed: the value %s contains CR, LF or NUL and is sent as %s, without them, since %s.",
        field,
        _shown(text),
        _shown(cleaned),
        _WHY_REMOVED[field],
    )
    return cleaned


def _check_event(event: Any) -> None:
    if type(event) is not str and not isinstance(event, str):
        raise ImproperlyConfiguredException(
            f"An SSE event type must be a `str`, got `{event!r}` (a `{type(event).__name__}`). Give the name as a "
            "string, such as `str(value)`."
        )


def _event_text(event: str) -> str:
    if "\n" in event or "\r" in event or "\x00" in event:
        return _without_breaks("event", event)
    return event


def _check_id(event_id: Any) -> None:
    if isinstance(event_id, bool) or not isinstance(event_id, str | int):
        raise ImproperlyConfiguredException(
            f"An SSE event id must be a `str` or an `int`, got `{event_id!r}` (a `{type(event_id).__name__}`). Give "
            "the id as a string or an integer."
        )


def _id_text(event_id: int | str) -> str:
    text = event_id if type(event_id) is str else str(event_id)
    if "\n" in text or "\r" in text or "\x00" in text:
        return _without_breaks("id", text)
    return text


def _check_retry(retry: Any) -> None:
    if isinstance(retry, bool) or not isinstance(retry, int) or retry < 0:
        raise ImproperlyConfiguredException(
            f"An SSE retry duration must be a non-negative `int` of milliseconds, got `{retry!r}` (a "
            f"`{type(retry).__name__}`). Give a whole number of milliseconds, such as `3000`."
        )


def _retry_line(retry: Any, sep: str) -> str:
    """The ``retry:`` line, or none for a value that is not a non-negative ``int``: the event is sent without it."""
    if type(retry) is int and retry >= 0:
        return f"retry: {retry}{sep}"
    if isinstance(retry, int) and not isinstance(retry, bool) and retry >= 0:
        return f"retry: {int(retry)}{sep}"
    logger.warning(
        "SSE field `retry` dropped: the value %s is not a non-negative `int` of milliseconds, so the event is sent "
        "without its `retry:` line. Give `retry` a whole number of milliseconds, 0 or more.",
        _shown(retry),
    )
    return ""


def _check_comment(comment: Any) -> None:
    if not isinstance(comment, str):
        raise ImproperlyConfiguredException(
            f"An SSE comment must be a `str`, got `{comment!r}` (a `{type(comment).__name__}`). Give the comment as "
            "a string."
        )


def _streamed_field(field: str, value: Any) -> str | None:
    """The text of a field met while a stream is being sent, or None (the field is left out, with a warning).

    A stream that has started is not aborted for a field of the wrong type: a number is sent as its decimal text
    (as an f-string would), any other value is left out of the event.
    """
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    logger.warning(
        "SSE field `%s` dropped: the value %s (a `%s`) is neither a `str` nor a number, so the event is sent "
        "without it. Give `%s` as a string.",
        field,
        _shown(value),
        type(value).__name__,
        field,
    )
    return None


def _comment_lines(comment: str, sep: str) -> str:
    if "\n" not in comment and "\r" not in comment:
        return f": {comment}{sep}"
    return "".join(f": {line}{sep}" for line in _LINE_BREAK.split(comment))


def _data_lines(text: str, sep: str) -> str:
    if "\n" not in text and "\r" not in text:
        return f"data: {text}{sep}"
    return "".join(f"data: {line}{sep}" for line in _LINE_BREAK.split(text))


def _data_text(data: Any, encoding: str, encode_json: Callable[[Any], bytes] | None) -> str | None:
    kind = type(data)
    if kind is str:
        return data  # type: ignore[no-any-return]
    if kind is int:
        return str(data)
    if data is None:
        return None
    if isinstance(data, str):
        return str(data)
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data).decode(encoding)
    if isinstance(data, int | float) and not isinstance(data, bool):
        return str(data)
    if encode_json is None:
        encode_json = get_json_encoder(None).encode
    return encode_json(data).decode("utf-8")


def _encode_event(
    data: Any,
    event: str | None,
    event_id: int | str | None,
    retry: int | None,
    comment: str | None,
    sep: str,
    encoding: str,
    json_encoder: Callable[[Any], bytes] | None,
) -> bytes:
    parts: list[str] = []
    if comment is not None and type(comment) is not str:  # a message whose field was changed after it was built
        comment = _streamed_field("comment", comment)
    if comment is not None:
        parts.append(_comment_lines(comment, sep))
    if event_id is not None and type(event_id) is not str and type(event_id) is not int:
        event_id = _streamed_field("id", event_id)
    if event_id is not None:  # the checks of ``_id_text`` and ``_event_text``, inlined: this runs for every event
        id_text = event_id if type(event_id) is str else str(event_id)
        if "\n" in id_text or "\r" in id_text or "\x00" in id_text:
            id_text = _without_breaks("id", id_text)
        parts.append(f"id: {id_text}{sep}")
    if event is not None and type(event) is not str:
        event = _streamed_field("event", event)
    if event is not None:
        if "\n" in event or "\r" in event or "\x00" in event:
            event = _without_breaks("event", event)
        parts.append(f"event: {event}{sep}")
    text = _data_text(data, encoding, json_encoder)
    if text is not None:
        parts.append(_data_lines(text, sep))
    if retry is not None:
        parts.append(_retry_line(retry, sep))
    parts.append(sep)
    return "".join(parts).encode("utf-8")


@dataclass
class ServerSentEventMessage:
    r"""One server-sent event.

    No field value can break the stream: line breaks in ``data`` and ``comment`` make several lines, and CR, LF and
    NUL are removed from ``event`` and ``id``, with a warning on the ``outpour`` logger. Fields of the wrong type are
    refused when the message is built; one changed to the wrong type afterwards is left out when the event is sent
    (a number is sent as its text), with a warning.

    Args:
        data: The event's data: ``str``, ``int``, ``bytes`` (decoded as UTF-8), or another value sent as JSON;
            ``None`` sends no ``data:`` line, so that the block only sets the id or retry, or carries a comment.
            Line breaks (CRLF, CR, LF) split it into several ``data:`` lines, which the client joins with LF.
        event: The event type (the name a browser listens to with ``addEventListener``); ``message`` when not given.
            Sent without any CR, LF or NUL.
        id: The event id, which the client sends back in ``Last-Event-ID`` when it reconnects. Sent without any CR,
            LF or NUL.
        retry: The client's reconnection delay, in milliseconds: a non-negative ``int``.
        comment: A comment, ignored by clients (useful as a keep-alive); line breaks make several comment lines.
        sep: The line separator: ``"\r\n"`` (the default), ``"\n"`` or ``"\r"``.

    Raises:
        ImproperlyConfiguredException: If ``event`` or ``comment`` is not a ``str``, ``id`` is not a ``str`` or an
            ``int``, ``retry`` is not a non-negative ``int``, or ``sep`` is not a line break.
    """

    data: str | int | bytes | None = ""
    event: str | None = None
    id: int | str | None = None
    retry: int | None = None
    comment: str | None = None
    sep: str = "\r\n"

    def __post_init__(self) -> None:
        if self.event is not None:
            _check_event(self.event)
        if self.id is not None:
            _check_id(self.id)
        if self.retry is not None:
            _check_retry(self.retry)
        if self.comment is not None:
            _check_comment(self.comment)
        if self.sep not in _SEPARATORS:
            raise ImproperlyConfiguredException(
                f"The SSE line separator must be `\\r\\n`, `\\n` or `\\r`, got `{self.sep!r}`."
            )

    def encode(self) -> bytes:
        """Return the event in the event stream format, ended by a blank line.

        ``bytes`` data is decoded as UTF-8, and data that is not ``str``, ``int`` or ``bytes`` is sent as JSON (a
        ``ServerSentEvent`` uses its ``encoding`` and its layers' ``type_encoders`` instead).

        Returns:
            The UTF-8 bytes of the event.
        """
        return _encode_message(self, "utf-8", None)


def _encode_message(
    message: ServerSentEventMessage, encoding: str, json_encoder: Callable[[Any], bytes] | None
) -> bytes:
    return _encode_event(
        message.data, message.event, message.id, message.retry, message.comment, message.sep, encoding, json_encoder
    )


def _encode_dict(value: Mapping[str, Any], encoding: str, json_encoder: Callable[[Any], bytes]) -> bytes:
    """Encode a dict of event fields as ``ServerSentEventMessage`` does; a field of the wrong type is left out."""
    if not value.keys() <= _DICT_KEYS:
        raise ImproperlyConfiguredException(
            f"An SSE event dict has unknown keys {sorted(set(value) - _DICT_KEYS)}: use `data`, `event` (or "
            "`event_type`), `id`, `retry` and `comment`."
        )
    get = value.get
    text = ""
    comment = get("comment")
    if comment is not None and type(comment) is not str:
        comment = _streamed_field("comment", comment)
    if comment is not None:
        text = _comment_lines(comment, _CRLF)
    event_id = get("id")
    if event_id is not None and type(event_id) is not str:
        event_id = _streamed_field("id", event_id)
    if event_id is not None:
        if "\n" in event_id or "\r" in event_id or "\x00" in event_id:
            event_id = _without_breaks("id", event_id)
        text += f"id: {event_id}\r\n"
    event = get("event")
    if event is None:
        event = get("event_type")
    if event is not None and type(event) is not str:
        event = _streamed_field("event", event)
    if event is not None:
        if "\n" in event or "\r" in event or "\x00" in event:
            event = _without_breaks("event", event)
        text += f"event: {event}\r\n"
    data = get("data")
    if data is not None:
        text += _data_lines(_data_text(data, encoding, json_encoder), _CRLF)  # type: ignore[arg-type]
    retry = get("retry")
    if retry is not None:
        text += _retry_line(retry, _CRLF)
    return f"{text}\r\n".encode()


class _EventEncoder:
    """Turns what an SSE iterator yields into event stream bytes.

    A plain value (text, bytes, a number, an object sent as JSON) gets the response's ``id``, ``event`` and ``retry``
    lines, as Litestar sends them: ``prefix`` holds the id and event lines, ``suffix`` the retry line. ``leading``
    (the ``ServerSentEvent``'s ``comment_message`` lines) goes out once, in the first event's block: one encoder per
    response sent. A first event that is a dict or a message also gets the ``id`` / ``retry`` lines it does not set
    itself (``id_line``, ``suffix``), so that the client's last event id and reconnection time are the response's.
    """

    __slots__ = ("encoding", "fields", "id_line", "json_encoder", "leading", "pending", "prefix", "suffix")

    def __init__(
        self,
        event_type: str | None,
        encoding: str,
        json_encoder: Callable[[Any], bytes],
        leading: bytes = b"",
        event_id: str | int | None = None,
        retry: int | None = None,
    ) -> None:
        self.id_line = _id_lines(event_id) if event_id is not None else ""
        self.prefix = self.id_line + (f"event: {event_type}\r\n" if event_type is not None else "")
        self.suffix = _retry_line(retry, _CRLF) if retry is not None else ""
        self.fields = self.prefix + "\x00" + self.suffix  # what a plain event's bytes depend on, besides the value
        self.encoding = encoding
        self.json_encoder = json_encoder
        self.leading = leading
        self.pending = bool(leading or self.id_line or self.suffix)

    def __call__(self, item: Any) -> bytes:
        if self.pending:
            self.pending = False
            return self._opening(item) + self._encode(item)
        return self._encode(item)

    def _opening(self, item: Any) -> bytes:
        """The lines that open the first event's block, before its own."""
        if isinstance(item, Mapping):
            own_id, own_retry = item.get("id"), item.get("retry")
        elif isinstance(item, ServerSentEventMessage):
            own_id, own_retry = item.id, item.retry
        else:  # a plain value carries the id and retry lines itself
            return self.leading
        lines = (self.id_line if own_id is None else "") + (self.suffix if own_retry is None else "")
        return self.leading + lines.encode() if lines else self.leading

    def _encode(self, item: Any) -> bytes:
        kind = type(item)
        if kind is bytes:
            # A channel's event is one bytes object put into every subscriber's backlog: encoded once, not once per
            # subscriber (the last bytes event is remembered with what its encoding depends on).
            last = _last_bytes_event
            if last[0] is item and last[1] == self.fields and last[2] == self.encoding:
                return last[3]
            encoded = self._encode_text(item.decode(self.encoding))
            _remember_bytes_event(item, self.fields, self.encoding, encoded)
            return encoded
        if kind is str:
            if "\n" not in item and "\r" not in item:
                return f"{self.prefix}data: {item}\r\n{self.suffix}\r\n".encode()
            text = item
        elif kind is dict:
            return _encode_dict(item, self.encoding, self.json_encoder)
        elif kind is ServerSentEventMessage or isinstance(item, ServerSentEventMessage):
            return _encode_message(item, self.encoding, self.json_encoder)
        elif isinstance(item, Mapping):
            return _encode_dict(item, self.encoding, self.json_encoder)
        else:
            data = _data_text(item, self.encoding, self.json_encoder)
            if data is None:  # an event without data: its fields and the blank line only (browsers dispatch nothing)
                return f"{self.prefix}{self.suffix}\r\n".encode()
            text = data
        return f"{self.prefix}{_data_lines(text, _CRLF)}{self.suffix}\r\n".encode()

    def _encode_text(self, text: str) -> bytes:
        return f"{self.prefix}{_data_lines(text, _CRLF)}{self.suffix}\r\n".encode()


_last_plain_encoder: tuple[Any, str | None, str, Callable[[Any], bytes]] = (None, None, "", bytes)
"""The last encoder made for a response without ``event_id``, ``retry_duration`` or ``comment_message``: the JSON
encoder, the event type and the encoding it was made for, and its ``_encode`` (see ``ServerSentEvent._wire``)."""
_last_bytes_event: tuple[bytes | None, str, str, bytes] = (None, "", "", b"")
"""The last ``bytes`` item encoded: the item, the fields (``_EventEncoder.fields``) and the encoding it was encoded
with, and its bytes."""


def _remember_bytes_event(item: bytes, fields: str, encoding: str, encoded: bytes) -> None:
    global _last_bytes_event
    _last_bytes_event = (item, fields, encoding, encoded)


def _id_lines(event_id: str | int) -> str:
    """The ``id:`` line of a response's ``event_id`` (checked when the response was made)."""
    return _encode_event(None, None, event_id, None, None, _CRLF, "utf-8", None)[: -len(_CRLF)].decode()


def _check_ping_interval(ping_interval: Any) -> None:
    if ping_interval is not None and (
        isinstance(ping_interval, bool) or not isinstance(ping_interval, int | float) or not ping_interval > 0
    ):
        raise ImproperlyConfiguredException(
            f"`ping_interval` must be a positive number of seconds, or None for no pings; got `{ping_interval!r}`."
        )


class ASGIStreamingSSEResponse(ASGIStreamingResponse):
    """The low-level ``text/event-stream`` response: sends each chunk as it comes, and pings during silences.

    After ``ping_interval`` seconds without a chunk, a ``: ping`` comment goes out (clients ignore comments), so that
    proxies and clients keep an idle connection open. Sending stops quietly when the client disconnects.

    Args:
        ping_interval: Seconds of silence before a ping; ``None`` sends no pings.
        **kwargs: The arguments of ``ASGIStreamingResponse``: ``iterator`` (of encoded events), ``headers``, ...

    Raises:
        ImproperlyConfiguredException: ``ping_interval`` is not a positive number.
    """

    __slots__ = ()

    def __init__(self, *, ping_interval: float | None = None, **kwargs: Any) -> None:
        _check_ping_interval(ping_interval)
        super().__init__(**kwargs)
        self.ping_interval = float(ping_interval) if ping_interval is not None else None
        self.ping_message = PING_MESSAGE if ping_interval is not None else b""


class ServerSentEvent(Stream):
    """A ``text/event-stream`` response: each value the iterator yields is sent as one event.

    The iterator may yield ``int``, ``str`` or ``bytes`` (the data of an event of type ``event_type``), a dict with the
    keys ``data``, ``event`` (or ``event_type``), ``id``, ``retry`` and ``comment``, or a ``ServerSentEventMessage``.
    ``event_id``, ``retry_duration`` and ``comment_message`` belong to the first event: their lines open its block,
    before its own fields (so that an ``id`` the first event has itself wins); a stream that yields nothing sends
    none of them. They are checked and made safe when the response is created, before anything is sent, the way
    ``ServerSentEventMessage`` fields are: CR, LF and NUL are removed from ``event_type`` and ``event_id`` (with a
    warning), and ``comment_message`` is split into lines. The headers are
    ``Content-Type: text/event-stream; charset=utf-8``, ``Cache-Control: no-cache`` and ``X-Accel-Buffering: no`` (so
    that proxies do not buffer events); no ``Connection: keep-alive``, a hop-by-hop header that HTTP/2 forbids.

    Args:
        content: ``str`` or ``bytes`` (one event), or a sync or async iterator or iterable of event values, or a
            callable returning one.
        background: A ``BackgroundTask`` instance or ``BackgroundTasks`` to execute after the response is finished.
        cookies: A list of ``Cookie`` instances to be set under the response ``Set-Cookie`` header.
        encoding: The encoding of ``bytes`` data; the stream itself is always UTF-8.
        headers: A string keyed dictionary of response headers. Header keys are insensitive.
        event_type: The type of plain (``int``, ``str``, ``bytes``) events; ``message`` when not given. Sent without
            any CR, LF or NUL.
        event_id: The id of the first event (unless it has its own), sent without any CR, LF or NUL.
        retry_duration: The client's reconnection delay in milliseconds, sent with the first event.
        comment_message: A comment sent with the first event; line breaks make several comment lines.
        status_code: The response status code. Defaults to 200.
        ping_interval: Seconds of silence after which a ``: ping`` comment is sent, so that proxies and clients keep
            an idle connection open; ``None`` sends no pings.

    Raises:
        ImproperlyConfiguredException: If ``content`` is neither ``str``, ``bytes``, iterable nor callable,
            ``event_type`` or ``comment_message`` is not a ``str``, ``event_id`` is not a ``str`` or an ``int``,
            ``retry_duration`` is not a non-negative integer, ``ping_interval`` is not positive, or
            ``status_code`` forbids a body (1xx, 204, 304).
    """

    __slots__ = ("comment_message", "event_id", "event_type", "ping_interval", "retry_duration")

    def __init__(
        self,
        content: str | bytes | StreamType[SSEData] | Callable[[], StreamType[SSEData]],
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        event_type: str | None = None,
        event_id: int | str | None = None,
        retry_duration: int | None = None,
        comment_message: str | None = None,
        status_code: int | None = None,
        ping_interval: float | None = None,
    ) -> None:
        if type(content) is not _ASYNC_GENERATOR and not is_stream_content(content):
            raise ImproperlyConfiguredException(
                f"A `ServerSentEvent` needs `str` or `bytes` (one event), an iterator or iterable of events, or a "
                f"callable returning one (a generator function, say); got `{content!r:.80}` (a "
                f"`{type(content).__name__}`). Wrap a single value in a list."
            )
        # Made safe now, before the response starts: nothing about them can fail once the status line is sent.
        if event_type is not None:
            _check_event(event_type)
            event_type = _event_text(event_type)
        if event_id is not None:
            _check_id(event_id)
            if type(event_id) is not int:
                event_id = _id_text(event_id)
        if retry_duration is not None:
            _check_retry(retry_duration)
        if comment_message is not None:
            _check_comment(comment_message)
        if ping_interval is not None:
            _check_ping_interval(ping_interval)
        super().__init__(
            content,  # type: ignore[arg-type]
            background=background,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            media_type="text/event-stream",
            status_code=status_code,
        )
        self.event_type = event_type
        self.event_id = event_id
        self.retry_duration = retry_duration
        self.comment_message = comment_message
        self.ping_interval = ping_interval

    def _leading_lines(self) -> bytes:
        """The comment lines of ``comment_message``, unterminated (the first event's lines follow them)."""
        if self.comment_message is None:
            return b""
        block = _encode_event(None, None, None, None, self.comment_message, _CRLF, "utf-8", None)
        return block[: -len(_CRLF)]  # without the blank line that would end the block: the first event's lines follow

    _wire_headers = tuple(_SSE_ENCODED_HEADERS)
    _wire_header_names = frozenset(name for name, _ in _SSE_ENCODED_HEADERS)

    def _wire(self, type_encoders: TypeEncodersMap | None) -> Wire:
        encoders = type_encoders
        if self.response_type_encoders:
            encoders = {**(type_encoders or {}), **self.response_type_encoders}
        json_encoder = get_json_encoder(encoders)
        ping = float(self.ping_interval) if self.ping_interval is not None else None
        ping_message = PING_MESSAGE if ping is not None else b""
        if self.event_id is None and self.retry_duration is None and self.comment_message is None:
            # Nothing opens the first event (the usual case): the encoder keeps no state, and the last one made for
            # the same event type, encoding and JSON encoder serves again. Each event is then encoded with one call.
            global _last_plain_encoder
            last = _last_plain_encoder
            if last[0] is not json_encoder or last[1] != self.event_type or last[2] != self.encoding:
                encode = _EventEncoder(self.event_type, self.encoding, json_encoder.encode)._encode
                last = _last_plain_encoder = (json_encoder, self.event_type, self.encoding, encode)
            return last[3], b"", ping, ping_message
        convert = _EventEncoder(
            self.event_type,
            self.encoding,
            json_encoder.encode,
            self._leading_lines(),
            self.event_id,
            self.retry_duration,
        )
        return convert, b"", ping, ping_message

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
        """Create the ``ASGIStreamingSSEResponse`` that sends the events.

        Args:
            request: The request being answered.
            background: Background task(s) to be executed after the response is sent, used when the response has none.
            cookies: Cookies to be set on the response; the response's own win.
            headers: Additional headers; the SSE headers and then the response's own headers take precedence.
            is_head_response: Whether the response is a HEAD response.
            media_type: Ignored: the media type is ``text/event-stream``.
            status_code: Status code for the response, used when the response has none.
            type_encoders: Encoders for event data sent as JSON; the response's own win.

        Returns:
            An ``ASGIStreamingSSEResponse`` instance.

        Raises:
            ImproperlyConfiguredException: When the status code forbids a body (1xx, 204, 304).
        """
        check_body_allowed(self.status_code or status_code, type(self).__name__)
        plain = not headers and not self.headers
        merged: dict[str, Any] = {}
        if not plain:
            merged = {k.lower(): v for k, v in headers.items()} if headers else {}
            merged.update(SSE_HEADERS)
            merged.update((k.lower(), v) for k, v in self.headers.items())
        response = ASGIStreamingSSEResponse(
            iterator=self.iterator,
            background=self.background or background,
            cookies=merge_cookies(self.cookies, cookies) if cookies else self.cookies,
            encoding=self.encoding,
            headers=merged,
            is_head_response=is_head_response,
            media_type="text/event-stream",
            status_code=self.status_code or status_code or 200,
            ping_interval=self.ping_interval,
        )
        if plain:  # the usual case: the SSE headers, encoded once
            response.headers = dict(SSE_HEADERS)
            response.encoded_headers = list(_SSE_ENCODED_HEADERS)
        response._convert, response._preamble, _, _ = self._wire(type_encoders)
        return response
