"""SSE field values that could end their line are encoded, never refused: a stream that has started is not aborted.

``data`` and comments become one line per line of text (CRLF, CR and LF all count, as in WHATWG HTML "Parsing an
event stream"); CR, LF and NUL are removed from ``id`` and ``event``, with a warning on the ``outpour`` logger; a bad
``retry`` in an event is left out with a warning. Values given to ``ServerSentEvent`` itself are dealt with when it is
created, before the status line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncGenerator, Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outpour import get, post
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response import ServerSentEvent, ServerSentEventMessage
from outpour.testing import create_test_client

# -- an event stream parser, step by step as WHATWG HTML "Parsing an event stream" and "Interpreting an event stream" --

_END_OF_LINE = re.compile(r"\r\n|\r|\n")
_DIGITS = frozenset("0123456789")


@dataclass
class Event:
    type: str
    data: str
    last_event_id: str


@dataclass
class Received:
    events: list[Event] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # the name of every field line, in order
    reconnection_time: int | None = None


def parse_event_stream(stream: bytes) -> Received:
    """What an ``EventSource`` makes of ``stream``: the events it dispatches, the fields it saw, the retry it keeps."""
    text = stream.decode("utf-8", errors="replace").removeprefix("\ufeff")  # UTF-8 decode; one leading BOM is skipped
    *lines, _unfinished = _END_OF_LINE.split(text)  # at the end of the stream, a line without its break is dropped
    received = Received()
    data = event_type = last_event_id = last_event_id_buffer = ""
    for line in lines:
        if line == "":  # dispatch the event
            last_event_id = last_event_id_buffer
            if data == "":
                data = event_type = ""
                continue
            received.events.append(Event(event_type or "message", data.removesuffix("\n"), last_event_id))
            data = event_type = ""
            continue
        if line.startswith(":"):  # a comment
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        received.fields.append(name)
        if name == "event":
            event_type = value
        elif name == "data":
            data += value + "\n"
        elif name == "id":
            if "\x00" not in value:
                last_event_id_buffer = value
        elif name == "retry" and value and set(value) <= _DIGITS:
            received.reconnection_time = int(value)
    return received


def test_the_parser_follows_the_standard() -> None:
    """The parser itself, on the standard's own examples and corner cases."""
    stream = (
        b"\xef\xbb\xbf: a comment\r\ndata: YHOO\ndata: +2\rdata: 10\r\n\r\n"  # BOM, three kinds of line break
        b"id: 1\nevent: tick\ndata\n\n"  # a field without a colon has an empty value
        b"data:no space\nid: a\x00b\nretry: 12x\n\n"  # an id with NUL and a retry with a non-digit are ignored
        b"id\nretry: 300\n\n"  # no data: nothing is dispatched, but the id is reset and the retry kept
        b"data: unfinished\n"  # not ended by a blank line: dropped at the end of the stream
    )
    received = parse_event_stream(stream)
    assert received.events == [
        Event("message", "YHOO\n+2\n10", ""),
        Event("tick", "", "1"),
        Event("message", "no space", "1"),
    ]
    assert received.reconnection_time == 300
    assert " ".join(received.fields) == "data data data id event data data id retry id retry data"


# -- every field, every character that could end its line, through the client ----------------------------------------

WARNED = "outpour"


def outpour_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == WARNED and r.levelno == logging.WARNING]


@dataclass(frozen=True)
class Bad:
    """A value with characters that would end a line: what ``id``/``event`` become, and the lines it makes."""

    value: str
    without: str
    lines: list[str]


BAD_VALUES = [
    pytest.param(Bad("a\rb", "ab", ["a", "b"]), id="cr"),
    pytest.param(Bad("a\nb", "ab", ["a", "b"]), id="lf"),
    pytest.param(Bad("a\r\nb", "ab", ["a", "b"]), id="crlf"),
    pytest.param(Bad("a\x00b", "ab", ["a\x00b"]), id="nul"),
    # LF then CR is two line breaks, not one: an empty line between them.
    pytest.param(Bad("a\r\nb\rc\nd\x00e\n\rf\r", "abcdef", ["a", "b", "c", "d\x00e", "", "f", ""]), id="mix"),
]

BEFORE = "data: before\r\n\r\n"
AFTER = "data: after\r\n\r\n"


async def events(*items: Any) -> AsyncGenerator[Any, None]:
    for item in items:
        yield item


def around(item: Any) -> Callable[[], AsyncGenerator[Any, None]]:
    """A generator function: a valid event, ``item``, and another valid event."""
    return lambda: events("before", item, "after")


def lines(prefix: str, parts: list[str], sep: str = "\r\n") -> str:
    return "".join(f"{prefix}{part}{sep}" for part in parts)


def before_and_after() -> AsyncGenerator[Any, None]:
    return events("before", "after")


@dataclass(frozen=True)
class Carrier:
    """How a value reaches the stream, the bytes expected on the wire, and the field a warning names (if any)."""

    respond: Callable[[str], ServerSentEvent]
    expect: Callable[[Bad], str]
    warns_about: str | None


CARRIERS = [
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around(ServerSentEventMessage(data="x", id=v))),
            lambda b: f"{BEFORE}id: {b.without}\r\ndata: x\r\n\r\n{AFTER}",
            "id",
        ),
        id="message-id",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around(ServerSentEventMessage(data="x", event=v))),
            lambda b: f"{BEFORE}event: {b.without}\r\ndata: x\r\n\r\n{AFTER}",
            "event",
        ),
        id="message-event",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around(ServerSentEventMessage(data="x", comment=v))),
            lambda b: f"{BEFORE}{lines(': ', b.lines)}data: x\r\n\r\n{AFTER}",
            None,
        ),
        id="message-comment",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around(ServerSentEventMessage(data=v))),
            lambda b: f"{BEFORE}{lines('data: ', b.lines)}\r\n{AFTER}",
            None,
        ),
        id="message-data",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around(ServerSentEventMessage(data=v.encode(), sep="\n"))),
            lambda b: f"{BEFORE}{lines('data: ', b.lines, sep=chr(10))}\n{AFTER}",
            None,
        ),
        id="message-bytes-data-lf-separator",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around({"data": "x", "id": v})),
            lambda b: f"{BEFORE}id: {b.without}\r\ndata: x\r\n\r\n{AFTER}",
            "id",
        ),
        id="dict-id",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around({"data": "x", "event": v})),
            lambda b: f"{BEFORE}event: {b.without}\r\ndata: x\r\n\r\n{AFTER}",
            "event",
        ),
        id="dict-event",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around({"data": "x", "event_type": v})),
            lambda b: f"{BEFORE}event: {b.without}\r\ndata: x\r\n\r\n{AFTER}",
            "event",
        ),
        id="dict-event_type",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around({"data": "x", "comment": v})),
            lambda b: f"{BEFORE}{lines(': ', b.lines)}data: x\r\n\r\n{AFTER}",
            None,
        ),
        id="dict-comment",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around({"data": v})),
            lambda b: f"{BEFORE}{lines('data: ', b.lines)}\r\n{AFTER}",
            None,
        ),
        id="dict-data",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(around(v)),
            lambda b: f"{BEFORE}{lines('data: ', b.lines)}\r\n{AFTER}",
            None,
        ),
        id="plain-str",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(before_and_after, event_id=v),
            lambda b: f"id: {b.without}\r\n{BEFORE}id: {b.without}\r\n{AFTER}",
            "id",
        ),
        id="event_id",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(before_and_after, event_type=v),
            lambda b: f"event: {b.without}\r\n{BEFORE}event: {b.without}\r\n{AFTER}",
            "event",
        ),
        id="event_type",
    ),
    pytest.param(
        Carrier(
            lambda v: ServerSentEvent(before_and_after, comment_message=v),
            lambda b: f"{lines(': ', b.lines)}{BEFORE}{AFTER}",
            None,
        ),
        id="comment_message",
    ),
]


@pytest.mark.parametrize("bad", BAD_VALUES)
@pytest.mark.parametrize("carrier", CARRIERS)
def test_a_field_with_line_breaks_or_nul_is_encoded_and_the_stream_goes_on(
    carrier: Carrier, bad: Bad, anyio_backend: Literal["asyncio", "trio"], caplog: pytest.LogCaptureFixture
) -> None:
    @get("/events")
    async def handler() -> ServerSentEvent:
        return carrier.respond(bad.value)

    caplog.set_level(logging.WARNING, logger=WARNED)
    with create_test_client([handler], backend=anyio_backend) as client:
        response = client.get("/events")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.content == carrier.expect(bad).encode()
    assert response.content.endswith(AFTER.encode())  # the stream ended normally, after the last event
    assert set(parse_event_stream(response.content).fields) <= {"data", "event", "id"}  # nothing injected
    warnings = outpour_warnings(caplog)
    if carrier.warns_about is None or bad.value == bad.without:
        assert warnings == []
    else:
        assert warnings == [
            f"SSE field `{carrier.warns_about}` changed: the value {bad.value!r} contains CR, LF or NUL and is sent as "
            f"{bad.without!r}, without them, since a line break would end the `{carrier.warns_about}:` line early and "
            + (
                "inject other fields, and browsers ignore an id that contains NUL. Remove these characters from event "
                "ids."
                if carrier.warns_about == "id"
                else "inject other fields. Remove these characters from event types."
            )
        ]


def test_the_events_a_browser_sees_when_fields_had_line_breaks() -> None:
    """An id or event type with a line break cannot start a field of its own: the browser gets the events intended."""

    @get("/events")
    async def handler() -> ServerSentEvent:
        return ServerSentEvent(
            lambda: events(
                ServerSentEventMessage(data="one", id="1\nretry: 1", event="tick\r\ndata: injected"),
                {"data": "two\r\nlines", "id": "2\x00", "event": "tock\revent: other"},
            ),
            event_id="0\ndata: injected",
        )

    with create_test_client([handler]) as client:
        received = parse_event_stream(client.get("/events").content)
    assert received.events == [
        Event("tickdata: injected", "one", "1retry: 1"),
        Event("tockevent: other", "two\nlines", "2"),
    ]
    assert received.reconnection_time is None
    assert received.fields == ["id", "event", "data", "id", "event", "data", "data"]  # no plain value: no event_id


@pytest.mark.parametrize(
    ("make_item", "expected"),
    [
        pytest.param(
            lambda: ServerSentEventMessage(data="x", id="1\n2", event="a\rb"), "id: 12\r\nevent: ab\r\n", id="message"
        ),
        pytest.param(lambda: {"data": "x", "id": "1\n2", "event": "a\rb"}, "id: 12\r\nevent: ab\r\n", id="dict"),
    ],
)
def test_bad_fields_in_a_sync_generator_lose_no_event(
    make_item: Callable[[], Any],
    expected: str,
    anyio_backend: Literal["asyncio", "trio"],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A sync generator's events are encoded in batches in a worker thread: none is lost, one warning per value."""

    def many() -> Generator[Any, None, None]:
        for i in range(200):
            yield make_item() if i % 50 == 25 else str(i)

    @get("/events")
    async def handler() -> ServerSentEvent:
        return ServerSentEvent(many())

    caplog.set_level(logging.WARNING, logger=WARNED)
    with create_test_client([handler], backend=anyio_backend) as client:
        response = client.get("/events")

    assert response.status_code == 200
    bad_block = f"{expected}data: x\r\n\r\n"
    assert response.content.decode() == "".join(bad_block if i % 50 == 25 else f"data: {i}\r\n\r\n" for i in range(200))
    warnings = outpour_warnings(caplog)
    assert len(warnings) == 8  # 4 events, each with one changed id and one changed event type
    assert sum(w.startswith("SSE field `id` changed: the value '1\\n2'") for w in warnings) == 4
    assert sum(w.startswith("SSE field `event` changed: the value 'a\\rb'") for w in warnings) == 4


# -- retry -------------------------------------------------------------------------------------------------------------


class _Name(str):
    """A ``str`` subclass: sent as the text it holds."""


def _edited(message: ServerSentEventMessage, **fields: Any) -> ServerSentEventMessage:
    """A message with fields changed after it was built (the dataclass is not frozen)."""
    for name, value in fields.items():
        setattr(message, name, value)
    return message


BAD_RETRIES = [
    pytest.param(-1, id="negative"),
    pytest.param("10", id="str"),
    pytest.param(1.5, id="float"),
    pytest.param(True, id="bool"),
]


@pytest.mark.parametrize("retry", BAD_RETRIES)
def test_a_bad_retry_in_a_message_is_refused_when_it_is_built(retry: Any) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="retry duration must be a non-negative `int`"):
        ServerSentEventMessage(data="x", retry=retry)


@pytest.mark.parametrize("retry", BAD_RETRIES)
@pytest.mark.parametrize(
    "make_item",
    [
        pytest.param(lambda r: {"data": "x", "retry": r}, id="dict"),
        pytest.param(lambda r: _edited(ServerSentEventMessage(data="x"), retry=r), id="edited-message"),
    ],
)
def test_a_bad_retry_in_an_event_is_left_out_with_a_warning(
    make_item: Callable[[Any], Any],
    retry: Any,
    anyio_backend: Literal["asyncio", "trio"],
    caplog: pytest.LogCaptureFixture,
) -> None:
    @get("/events")
    async def handler() -> ServerSentEvent:
        return ServerSentEvent(around(make_item(retry)))

    caplog.set_level(logging.WARNING, logger=WARNED)
    with create_test_client([handler], backend=anyio_backend) as client:
        response = client.get("/events")

    assert response.status_code == 200
    assert response.content == f"{BEFORE}data: x\r\n\r\n{AFTER}".encode()
    assert outpour_warnings(caplog) == [
        f"SSE field `retry` dropped: the value {retry!r} is not a non-negative `int` of milliseconds, so the event is "
        "sent without its `retry:` line. Give `retry` a whole number of milliseconds, 0 or more."
    ]


@pytest.mark.parametrize("retry", BAD_RETRIES)
def test_a_bad_retry_duration_is_refused_before_the_response_starts(retry: Any) -> None:
    @get("/events")
    async def handler() -> ServerSentEvent:
        return ServerSentEvent(around("x"), retry_duration=retry)

    with pytest.raises(ImproperlyConfiguredException, match="retry duration must be a non-negative `int`"):
        ServerSentEvent(around("x"), retry_duration=retry)
    with create_test_client([handler], raise_server_exceptions=False) as client:
        response = client.get("/events")
    assert response.status_code == 500  # an error response, not a 200 cut short
    assert not response.headers["content-type"].startswith("text/event-stream")


# -- fields of the wrong type: refused when built, never an abort once the stream started ------------------------------

WRONG_TYPES = [
    pytest.param({"event_type": 3}, "event type must be a `str`, got `3` \\(a `int`\\)", id="event_type-int"),
    pytest.param({"event_type": b"up"}, "event type must be a `str`", id="event_type-bytes"),
    pytest.param({"event_id": object()}, "event id must be a `str` or an `int`", id="event_id-object"),
    pytest.param({"event_id": 1.5}, "event id must be a `str` or an `int`", id="event_id-float"),
    pytest.param({"event_id": True}, "event id must be a `str` or an `int`", id="event_id-bool"),
    pytest.param({"retry_duration": "x"}, "retry duration must be a non-negative `int`", id="retry_duration-str"),
    pytest.param({"comment_message": 3}, "comment must be a `str`", id="comment_message-int"),
    pytest.param({"ping_interval": "x"}, "`ping_interval` must be a positive number", id="ping_interval-str"),
]


@pytest.mark.parametrize(("fields", "match"), WRONG_TYPES)
def test_a_server_sent_event_with_a_field_of_the_wrong_type_raises_when_built(
    fields: dict[str, Any], match: str
) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        ServerSentEvent(around("x"), **fields)


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        pytest.param({"event": 3}, "event type must be a `str`", id="event-int"),
        pytest.param({"id": object()}, "event id must be a `str` or an `int`", id="id-object"),
        pytest.param({"retry": "x"}, "retry duration must be a non-negative `int`", id="retry-str"),
        pytest.param({"comment": ["a"]}, "comment must be a `str`", id="comment-list"),
    ],
)
def test_a_message_with_a_field_of_the_wrong_type_raises_when_built(fields: dict[str, Any], match: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        ServerSentEventMessage(data="x", **fields)


@pytest.mark.parametrize(
    ("item", "block", "warned"),
    [
        pytest.param({"data": "x", "event": 3}, "event: 3\r\ndata: x\r\n\r\n", [], id="dict-event-int"),
        pytest.param({"data": "x", "id": 1.5}, "id: 1.5\r\ndata: x\r\n\r\n", [], id="dict-id-float"),
        pytest.param({"data": "x", "comment": 7}, ": 7\r\ndata: x\r\n\r\n", [], id="dict-comment-int"),
        pytest.param(
            {"data": "x", "event": _Name("up")}, "event: up\r\ndata: x\r\n\r\n", [], id="dict-event-str-subclass"
        ),
        pytest.param({"data": "x", "event": ["a"]}, "data: x\r\n\r\n", ["event"], id="dict-event-list"),
        pytest.param({"data": "x", "id": object()}, "data: x\r\n\r\n", ["id"], id="dict-id-object"),
        pytest.param({"data": "x", "comment": True}, "data: x\r\n\r\n", ["comment"], id="dict-comment-bool"),
        pytest.param(
            lambda: _edited(ServerSentEventMessage(data="x"), event=4, comment=5),
            ": 5\r\nevent: 4\r\ndata: x\r\n\r\n",
            [],
            id="edited-message-numbers",
        ),
        pytest.param(
            lambda: _edited(ServerSentEventMessage(data="x"), event=None, id={}, comment=b"c"),
            "data: x\r\n\r\n",
            ["comment", "id"],
            id="edited-message-others",
        ),
    ],
)
def test_a_streamed_field_of_the_wrong_type_never_aborts_the_stream(
    item: Any, block: str, warned: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    @get("/events")
    async def handler() -> ServerSentEvent:
        return ServerSentEvent(around(item() if callable(item) else item))

    caplog.set_level(logging.WARNING, logger=WARNED)
    with create_test_client([handler]) as client:
        response = client.get("/events")

    assert response.status_code == 200
    assert response.content == f"{BEFORE}{block}{AFTER}".encode()
    warnings = outpour_warnings(caplog)
    assert [w.split(":")[0] for w in warnings] == [f"SSE field `{field}` dropped" for field in warned]
    assert all("so the event is sent without it" in w for w in warnings)


def test_retry_zero_and_int_subclasses_are_sent() -> None:
    class Milliseconds(int):
        pass

    assert ServerSentEventMessage(data=None, retry=0).encode() == b"retry: 0\r\n\r\n"
    assert ServerSentEventMessage(data=None, retry=Milliseconds(5)).encode() == b"retry: 5\r\n\r\n"


# -- constructor values: dealt with when the response is created --------------------------------------------------------


def test_constructor_values_are_made_safe_when_the_response_is_created(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=WARNED)
    response = ServerSentEvent(["x"], event_id="7\x00", event_type="up\r\ndate", comment_message="a\rb")
    assert (response.event_id, response.event_type, response.comment_message) == ("7", "update", "a\rb")
    warnings = outpour_warnings(caplog)
    assert [w.split(":")[0] for w in warnings] == ["SSE field `event` changed", "SSE field `id` changed"]

    @get("/events")
    async def handler() -> ServerSentEvent:
        return response

    caplog.clear()
    with create_test_client([handler]) as client:
        body = client.get("/events").content
    assert body == b": a\r\n: b\r\nid: 7\r\nevent: update\r\ndata: x\r\n\r\n"
    assert outpour_warnings(caplog) == []  # warned once, when created; not again for every request


def test_an_int_event_id_stays_an_int() -> None:
    response = ServerSentEvent(["x"], event_id=3)
    assert response.event_id == 3


# -- the common case: nothing changes, nothing is logged ----------------------------------------------------------------


def test_clean_values_are_sent_as_they_are_without_warnings(caplog: pytest.LogCaptureFixture) -> None:
    @get("/events")
    async def handler() -> ServerSentEvent:
        return ServerSentEvent(
            lambda: events(
                "plain",
                ServerSentEventMessage(data="m", event="e", id="i", retry=5, comment="c"),
                {"data": "d", "event": "f", "id": 9, "retry": 0, "comment": " spaced: \u2028\x85\x0b"},
            ),
            event_type="t",
            event_id="start",
            retry_duration=100,
            comment_message="hi",
        )

    caplog.set_level(logging.WARNING, logger=WARNED)
    with create_test_client([handler]) as client:
        body = client.get("/events").content
    assert body == (
        b": hi\r\nid: start\r\nevent: t\r\ndata: plain\r\nretry: 100\r\n\r\n"
        b": c\r\nid: i\r\nevent: e\r\ndata: m\r\nretry: 5\r\n\r\n"
        + ":  spaced: \u2028\x85\x0b\r\nid: 9\r\nevent: f\r\ndata: d\r\nretry: 0\r\n\r\n".encode()
    )
    assert outpour_warnings(caplog) == []


# -- Hypothesis: any text in any field, read back by a spec-conformant parser -------------------------------------------

_field_text = st.text(
    st.one_of(
        st.sampled_from(["\r", "\n", "\x00", ":", " ", "\ufeff", "\u2028", "\x85", "\x0b"]),
        st.characters(exclude_categories=["Cs"]),  # lone surrogates cannot be sent as UTF-8 at all
    ),
    max_size=20,
)
_NO_BREAKS = str.maketrans("", "", "\r\n\x00")


def normalised(text: str) -> str:
    return _END_OF_LINE.sub("\n", text)


@post("/echo", status_code=200)
async def echo(data: dict[str, str]) -> ServerSentEvent:
    """The same fields three ways: the response's own, a ``ServerSentEventMessage`` and a dict."""

    def items() -> Iterator[Any]:
        yield data["data"]
        yield ServerSentEventMessage(data=data["data"], event=data["event"], id=data["id"], comment=data["comment"])
        yield {"data": data["data"], "event": data["event"], "id": data["id"], "comment": data["comment"]}

    return ServerSentEvent(items(), event_type=data["event"], event_id=data["id"], comment_message=data["comment"])


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_any_field_text_reaches_the_browser_as_the_standard_says(
    backend: Literal["asyncio", "trio"], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=WARNED)
    with create_test_client([echo], backend=backend) as client:

        @given(data=_field_text, event=_field_text, event_id=_field_text, comment=_field_text)
        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
        def check(data: str, event: str, event_id: str, comment: str) -> None:
            caplog.clear()
            response = client.post("/echo", json={"data": data, "event": event, "id": event_id, "comment": comment})
            assert response.status_code == 200
            received = parse_event_stream(response.content)
            expected = Event(event.translate(_NO_BREAKS) or "message", normalised(data), event_id.translate(_NO_BREAKS))
            assert received.events == [expected, expected, expected]
            assert set(received.fields) <= {"data", "event", "id"}
            assert received.reconnection_time is None
            # One warning per changed value: the response's own (when created), the message's and the dict's.
            warnings = outpour_warnings(caplog)
            assert sum(w.startswith("SSE field `id` changed") for w in warnings) == (
                3 if event_id != event_id.translate(_NO_BREAKS) else 0
            )
            assert sum(w.startswith("SSE field `event` changed") for w in warnings) == (
                3 if event != event.translate(_NO_BREAKS) else 0
            )
            assert len(warnings) == sum(w.startswith(("SSE field `id`", "SSE field `event`")) for w in warnings)

        check()
