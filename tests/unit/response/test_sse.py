"""ServerSentEvent and ServerSentEventMessage: the WHATWG event stream format, validation, headers, pings."""

from __future__ import annotations

import asyncio
import re
import selectors
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outpour import Response, get
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response import ServerSentEvent, ServerSentEventMessage
from outpour.response.sse import ASGIStreamingSSEResponse
from outpour.testing import create_test_client
from outpour.types import Message

# -- a small WHATWG event stream parser and grammar check -------------------------------------------------------------

_EOL = r"(?:\r\n|\r|\n)"
_LINE = rf"(?::[^\r\n]*|[^\r\n:]+(?::[^\r\n]*)?){_EOL}"
_STREAM = re.compile(rf"\ufeff?(?:(?:{_LINE})*{_EOL})*")


def conforms(stream: bytes) -> bool:
    """Whether ``stream`` matches the event stream grammar and ends on a complete event."""
    return _STREAM.fullmatch(stream.decode("utf-8")) is not None


@dataclass
class Parsed:
    events: list[tuple[str, str, str]]  # (type, data, last event id)
    retries: list[int]
    fields: set[str]


def parse(stream: bytes) -> Parsed:
    """Interpret an event stream the way the WHATWG HTML standard tells a browser to."""
    text = stream.decode("utf-8")
    text = text.removeprefix("\ufeff")
    lines = re.split(_EOL, text)[:-1]  # what follows the last line break is an incomplete line: ignored
    events: list[tuple[str, str, str]] = []
    retries: list[int] = []
    fields: set[str] = set()
    data, event_type, last_id, last_id_buffer = "", "", "", ""
    for line in lines:
        if line == "":
            last_id = last_id_buffer
            if data == "":
                event_type = ""
                continue
            events.append((event_type or "message", data.removesuffix("\n"), last_id))
            data, event_type = "", ""
            continue
        if line.startswith(":"):
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        fields.add(name)
        if name == "event":
            event_type = value
        elif name == "data":
            data += value + "\n"
        elif name == "id":
            if "\x00" not in value:
                last_id_buffer = value
        elif name == "retry" and value.isascii() and value.isdigit():
            retries.append(int(value))
    return Parsed(events, retries, fields)


def normalise(text: str) -> str:
    return "\n".join(re.split(_EOL, text))


# -- harness ----------------------------------------------------------------------------------------------------------


class Peer:
    def __init__(self, fail_on: bytes | None = None) -> None:
        self.sent: list[Message] = []
        self.done = anyio.Event()
        self.fail_on = fail_on

    async def receive(self) -> Message:
        if not hasattr(self, "_gave_body"):
            self._gave_body = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.done.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.fail_on is not None and message.get("body") == self.fail_on:
            raise OSError("client gone")
        self.sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            self.done.set()

    @property
    def headers(self) -> list[tuple[bytes, bytes]]:
        return list(self.sent[0]["headers"])

    @property
    def chunks(self) -> list[bytes]:
        return [m["body"] for m in self.sent[1:]]

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)


SCOPE = {"type": "http", "method": "GET", "path": "/sse", "headers": [], "http_version": "1.1"}


async def send_sse(response: ServerSentEvent, peer: Peer | None = None, **kwargs: Any) -> Peer:
    peer = peer or Peer()
    with anyio.fail_after(5):
        await response.to_asgi_response(None, **kwargs)(dict(SCOPE), peer.receive, peer.send)
    return peer


async def agen(*items: Any) -> AsyncGenerator[Any, None]:
    for item in items:
        yield item


# -- encoding ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param(ServerSentEventMessage(), b"data: \r\n\r\n", id="empty-data"),
        pytest.param(ServerSentEventMessage(data="hi"), b"data: hi\r\n\r\n", id="str"),
        pytest.param(ServerSentEventMessage(data=5), b"data: 5\r\n\r\n", id="int"),
        pytest.param(ServerSentEventMessage(data=b"raw"), b"data: raw\r\n\r\n", id="bytes"),
        pytest.param(ServerSentEventMessage(data=None, retry=10), b"retry: 10\r\n\r\n", id="no-data"),
        pytest.param(
            ServerSentEventMessage(data="a\nb\r\nc\rd"),
            b"data: a\r\ndata: b\r\ndata: c\r\ndata: d\r\n\r\n",
            id="multi-line",
        ),
        pytest.param(ServerSentEventMessage(data=" lead"), b"data:  lead\r\n\r\n", id="leading-space-kept"),
        pytest.param(
            ServerSentEventMessage(data="x", event="tick", id=7, retry=1000, comment="one\ntwo"),
            b": one\r\n: two\r\nid: 7\r\nevent: tick\r\ndata: x\r\nretry: 1000\r\n\r\n",
            id="all-fields",
        ),
        pytest.param(ServerSentEventMessage(data="x", sep="\n"), b"data: x\n\n", id="lf-separator"),
        pytest.param(ServerSentEventMessage(data="é"), "data: é\r\n\r\n".encode(), id="utf-8"),
    ],
)
def test_message_encoding(message: ServerSentEventMessage, expected: bytes) -> None:
    assert message.encode() == expected
    assert conforms(message.encode())


def test_non_scalar_data_is_json() -> None:
    assert ServerSentEventMessage(data={"a": [1, 2]}).encode() == b'data: {"a":[1,2]}\r\n\r\n'  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"event": 3}, "must be a `str`", id="event-not-str"),
        pytest.param({"id": 1.5}, "`str` or an `int`", id="id-float"),
        pytest.param({"id": True}, "`str` or an `int`", id="id-bool"),
        pytest.param({"comment": 5}, "comment", id="comment-not-str"),
        pytest.param({"sep": "\r\n\r\n"}, "separator", id="bad-sep"),
    ],
)
def test_message_refuses_fields_of_the_wrong_type(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        ServerSentEventMessage(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"event_type": 3}, "event type must be a `str`", id="event_type"),
        pytest.param({"event_id": 1.5}, "event id must be a `str` or an `int`", id="event_id"),
        pytest.param({"comment_message": b"x"}, "comment must be a `str`", id="comment_message"),
        pytest.param({"retry_duration": -5}, "retry duration must be a non-negative `int`", id="retry_duration"),
        pytest.param({"retry_duration": "5"}, "retry duration must be a non-negative `int`", id="retry_duration-str"),
        pytest.param({"retry_duration": True}, "retry duration must be a non-negative `int`", id="retry_duration-bool"),
        pytest.param({"ping_interval": 0}, "ping_interval", id="ping-zero"),
        pytest.param({"ping_interval": -1.0}, "ping_interval", id="ping-negative"),
        pytest.param({"ping_interval": True}, "ping_interval", id="ping-bool"),
        pytest.param({"ping_interval": "5"}, "ping_interval", id="ping-str"),
    ],
)
def test_server_sent_event_refuses_bad_arguments(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        ServerSentEvent(agen(), **kwargs)


# -- responses --------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_yield_kinds_follow_the_guide() -> None:
    items = [
        1,
        "two",
        b"three",
        {"data": 4, "event": "event2", "retry": 10},
        {"data": "five", "event_type": "typed", "id": "5"},
        ServerSentEventMessage(event="something-with-comment", retry=1000, comment="some comment"),
        ServerSentEventMessage(data=None, id=6),
        [1, 2],
    ]
    peer = await send_sse(ServerSentEvent(agen(*items)))
    assert peer.body == b"".join(
        [
            b"data: 1\r\n\r\n",
            b"data: two\r\n\r\n",
            b"data: three\r\n\r\n",
            b"event: event2\r\ndata: 4\r\nretry: 10\r\n\r\n",
            b"id: 5\r\nevent: typed\r\ndata: five\r\n\r\n",
            b": some comment\r\nevent: something-with-comment\r\ndata: \r\nretry: 1000\r\n\r\n",
            b"id: 6\r\n\r\n",
            b"data: [1,2]\r\n\r\n",
        ]
    )
    assert conforms(peer.body)
    parsed = parse(peer.body)
    assert parsed.events == [
        ("message", "1", ""),
        ("message", "two", ""),
        ("message", "three", ""),
        ("event2", "4", ""),
        ("typed", "five", "5"),
        ("something-with-comment", "", "5"),
        ("message", "[1,2]", "6"),
    ]
    assert parsed.retries == [10, 1000]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("event_type", "expected"),
    [
        pytest.param(None, b"data: a\r\n\r\n\r\ndata: b\r\n\r\n", id="plain"),
        pytest.param(
            "tick", b"event: tick\r\ndata: a\r\n\r\nevent: tick\r\n\r\nevent: tick\r\ndata: b\r\n\r\n", id="typed"
        ),
    ],
)
async def test_a_yielded_none_is_an_event_without_data_and_the_stream_goes_on(
    event_type: str | None, expected: bytes
) -> None:
    peer = await send_sse(ServerSentEvent(agen("a", None, "b"), event_type=event_type))
    assert peer.body == expected
    assert conforms(peer.body)
    assert [data for _, data, _ in parse(peer.body).events] == ["a", "b"]


@pytest.mark.anyio
async def test_one_bytes_event_sent_to_many_streams_gets_each_streams_own_event_type_and_encoding() -> None:
    """A channel puts one bytes object into every subscriber's stream: each stream encodes it by its own settings."""
    event = "café\nsecond line".encode()
    plain = await send_sse(ServerSentEvent(agen(event)))
    typed = await send_sse(ServerSentEvent(agen(event, event), event_type="news"))
    # bytes are read in the response's encoding
    latin = await send_sse(ServerSentEvent(agen(event), encoding="latin-1"))
    again = await send_sse(ServerSentEvent(agen(event)))
    assert plain.body == again.body == "data: café\r\ndata: second line\r\n\r\n".encode()
    assert typed.body == 2 * "event: news\r\ndata: café\r\ndata: second line\r\n\r\n".encode()
    assert latin.body == "data: cafÃ©\r\ndata: second line\r\n\r\n".encode()  # the event stream itself is UTF-8


@pytest.mark.anyio
async def test_the_response_fields_apply_to_every_plain_value_and_the_comment_opens_the_first_event() -> None:
    """``event_id``, ``event_type`` and ``retry_duration`` go with each plain value, as in Litestar; a dict or message
    event has only its own fields; ``comment_message`` is sent once."""
    response = ServerSentEvent(
        agen("a", {"data": "b"}, "c"),
        event_type="tick",
        event_id=9,
        retry_duration=500,
        comment_message="hello\nworld",
    )
    peer = await send_sse(response)
    assert peer.body == (
        b": hello\r\n: world\r\nid: 9\r\nevent: tick\r\ndata: a\r\nretry: 500\r\n\r\n"
        b"data: b\r\n\r\n"
        b"id: 9\r\nevent: tick\r\ndata: c\r\nretry: 500\r\n\r\n"
    )
    parsed = parse(peer.body)
    assert (parsed.events, parsed.retries) == (
        [("tick", "a", "9"), ("message", "b", "9"), ("tick", "c", "9")],
        [500, 500],
    )


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("first", "expected_id"),
    [
        pytest.param(ServerSentEventMessage(data="a", id="own"), "own", id="message"),
        pytest.param({"data": "a", "id": 7}, "7", id="dict"),
        pytest.param("a", "1", id="plain"),
    ],
)
async def test_an_event_with_its_own_id_keeps_it_and_plain_values_get_event_id(first: Any, expected_id: str) -> None:
    peer = await send_sse(ServerSentEvent(agen(first, "b"), event_id=1))
    assert [event[2] for event in parse(peer.body).events] == [expected_id, "1"]
    assert peer.body.count(b"\r\n\r\n") == 2  # two blocks: no block of its own for `event_id`


@pytest.mark.anyio
async def test_the_comment_is_sent_once_and_nothing_for_an_empty_stream() -> None:
    response = ServerSentEvent(agen(), event_id=1, retry_duration=10, comment_message="c")
    assert (await send_sse(response)).body == b""
    again = await send_sse(ServerSentEvent(["x", "y"], event_id=1, comment_message="c"))
    assert again.body == b": c\r\nid: 1\r\ndata: x\r\n\r\nid: 1\r\ndata: y\r\n\r\n"


@pytest.mark.anyio
@pytest.mark.parametrize(
    "first",
    [
        pytest.param({"data": "a", "event": "one"}, id="dict"),
        pytest.param(ServerSentEventMessage(data="a", event="one"), id="message"),
    ],
)
async def test_a_stream_of_dicts_or_messages_still_sets_the_last_event_id_and_the_reconnection_time(first: Any) -> None:
    """``event_id`` and ``retry_duration`` open the first event's block when that event is a dict or a message
    without an ``id`` / ``retry`` of its own: the client's last event id and reconnection time are the response's."""
    response = ServerSentEvent(
        agen(first, {"data": "b", "event": "two"}), event_type="tick", event_id=9, retry_duration=500
    )
    peer = await send_sse(response)
    assert peer.body == b"id: 9\r\nretry: 500\r\nevent: one\r\ndata: a\r\n\r\nevent: two\r\ndata: b\r\n\r\n"
    parsed = parse(peer.body)
    assert (parsed.events, parsed.retries) == ([("one", "a", "9"), ("two", "b", "9")], [500])


@pytest.mark.anyio
async def test_the_first_events_own_id_and_retry_win_over_the_responses() -> None:
    first = ServerSentEventMessage(data="a", id="own", retry=10)
    peer = await send_sse(ServerSentEvent(agen(first), event_id=9, retry_duration=500, comment_message="hi"))
    assert peer.body == b": hi\r\nid: own\r\ndata: a\r\nretry: 10\r\n\r\n"


def test_leading_fields_through_the_client() -> None:
    @get("/plain")
    async def plain() -> ServerSentEvent:
        return ServerSentEvent(["x"], event_id=3, retry_duration=5)

    @get("/any")
    async def any_response() -> Response[Any]:
        return ServerSentEvent(["x"], event_id=3, retry_duration=5)

    with create_test_client([plain, any_response]) as client:
        bodies = {client.get("/plain").content, client.get("/any").content}
    assert bodies == {b"id: 3\r\ndata: x\r\nretry: 5\r\n\r\n"}


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(1, id="int"),
        pytest.param(object(), id="object"),
        pytest.param(None, id="none"),
        pytest.param(1.5, id="float"),
    ],
)
def test_unsupported_content_is_refused_at_construction(content: Any) -> None:
    with pytest.raises(
        ImproperlyConfiguredException, match=r"A `ServerSentEvent` needs `str` or `bytes` \(one event\)"
    ):
        ServerSentEvent(content)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("single\nevent", [("message", "single\nevent", "")], id="str"),
        pytest.param(b"bytes event", [("message", "bytes event", "")], id="bytes"),
        pytest.param(["a", "b"], [("message", "a", ""), ("message", "b", "")], id="list"),
        pytest.param(lambda: agen("c"), [("message", "c", "")], id="callable"),
    ],
)
async def test_content_kinds(content: Any, expected: list[tuple[str, str, str]]) -> None:
    peer = await send_sse(ServerSentEvent(content))
    assert parse(peer.body).events == expected


@pytest.mark.anyio
async def test_sync_generators_are_encoded_in_the_worker_thread() -> None:
    def events() -> Generator[Any, None, None]:
        yield "a"
        yield {"data": "b", "id": 2}

    peer = await send_sse(ServerSentEvent(events()))
    assert parse(peer.body).events == [("message", "a", ""), ("message", "b", "2")]


@pytest.mark.anyio
async def test_bytes_data_is_decoded_with_the_encoding() -> None:
    peer = await send_sse(ServerSentEvent(agen("é".encode("latin-1")), encoding="latin-1"))
    assert parse(peer.body).events == [("message", "é", "")]


@pytest.mark.anyio
async def test_json_data_uses_the_type_encoders() -> None:
    class Point:
        def __init__(self, x: int) -> None:
            self.x = x

    response = ServerSentEvent(agen({"data": Point(3)}, [Point(4)]))
    peer = await send_sse(response, type_encoders={Point: lambda p: {"x": p.x}})
    assert [data for _, data, _ in parse(peer.body).events] == ['{"x":3}', '[{"x":4}]']


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("item", "match"),
    [
        pytest.param({"date": 1}, "unknown keys", id="unknown-key"),
    ],
)
async def test_bad_dicts_raise(item: dict[str, Any], match: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        await send_sse(ServerSentEvent(agen(item)))


@pytest.mark.anyio
async def test_headers() -> None:
    peer = await send_sse(ServerSentEvent(agen("x")), headers={"cache-control": "max-age=60", "x-app": "1"})
    headers = peer.headers
    names = [name for name, _ in headers]
    assert (b"content-type", b"text/event-stream; charset=utf-8") in headers
    assert (b"cache-control", b"no-cache") in headers
    assert (b"x-accel-buffering", b"no") in headers
    assert (b"x-app", b"1") in headers
    assert b"connection" not in names
    assert b"content-length" not in names
    assert len(names) == len(set(names))
    assert peer.sent[0]["status"] == 200


@pytest.mark.anyio
async def test_own_headers_override_the_sse_defaults_case_insensitively() -> None:
    response = ServerSentEvent(agen("x"), headers={"Cache-Control": "no-store"}, status_code=201)
    peer = await send_sse(response, status_code=200)
    assert (b"cache-control", b"no-store") in peer.headers
    assert [n for n, _ in peer.headers].count(b"cache-control") == 1
    assert peer.sent[0]["status"] == 201


@pytest.mark.anyio
async def test_head_sends_headers_only() -> None:
    peer = await send_sse(ServerSentEvent(agen("x"), event_id=1), is_head_response=True)
    assert peer.chunks == [b""]
    assert (b"content-type", b"text/event-stream; charset=utf-8") in peer.headers


# -- pings, on a virtual clock ---------------------------------------------------------------------------------------


class _JumpingSelector:
    """A selector that, when the loop would wait for a timer and no I/O is ready, moves the loop's clock instead."""

    def __init__(self, loop: VirtualClockLoop) -> None:
        self.loop = loop
        self.inner = selectors.DefaultSelector()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = self.inner.select(0)
        if ready or (timeout is not None and timeout <= 0):
            return ready
        if timeout is None:  # no timer at all: only I/O can wake the loop
            return self.inner.select(None)
        self.loop.now += timeout  # the next timer is due now
        return []


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An asyncio event loop whose time moves only when every task waits: it jumps to the next timer at once.

    What trio's ``MockClock(autojump_threshold=0)`` does, so that a test of pings depends on no real durations.
    """

    def __init__(self) -> None:
        self.now = 0.0
        super().__init__(_JumpingSelector(self))  # type: ignore[arg-type]

    def time(self) -> float:
        return self.now


class TestPings:
    """Pings are timed by the event loop's clock: these tests run on a virtual one, so they are deterministic."""

    @pytest.fixture(params=[pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")])
    def anyio_backend(self, request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
        if request.param == "asyncio":
            return "asyncio", {"loop_factory": VirtualClockLoop}
        from trio.testing import MockClock

        return "trio", {"clock": MockClock(autojump_threshold=0)}

    @pytest.mark.anyio
    async def test_the_clock_is_virtual(self) -> None:
        before = anyio.current_time()
        await anyio.sleep(3600)
        assert anyio.current_time() - before == pytest.approx(3600)

    @pytest.mark.anyio
    async def test_ping_comments_fill_silences(self) -> None:
        async def slow() -> AsyncGenerator[str, None]:
            yield "a"
            await anyio.sleep(0.35)  # three intervals of silence, and a half
            yield "b"

        peer = await send_sse(ServerSentEvent(slow(), ping_interval=0.1))
        assert peer.chunks == [
            b"data: a\r\n\r\n",
            b": ping\r\n\r\n",
            b": ping\r\n\r\n",
            b": ping\r\n\r\n",
            b"data: b\r\n\r\n",  # it came after a wait: sent at once
            b"",
        ]
        assert conforms(peer.body)
        assert parse(peer.body).events == [("message", "a", ""), ("message", "b", "")]

    @pytest.mark.anyio
    async def test_asgi_streaming_sse_response_pings_by_itself(self) -> None:
        async def slow() -> AsyncGenerator[bytes, None]:
            yield b"data: a\r\n\r\n"
            await anyio.sleep(0.25)

        response = ASGIStreamingSSEResponse(iterator=slow(), media_type="text/event-stream", ping_interval=0.1)
        peer = Peer()
        with anyio.fail_after(5):
            await response(dict(SCOPE), peer.receive, peer.send)
        assert peer.chunks == [b"data: a\r\n\r\n", b": ping\r\n\r\n", b": ping\r\n\r\n", b""]

    @pytest.mark.anyio
    async def test_no_ping_while_events_flow(self) -> None:
        async def steady() -> AsyncGenerator[str, None]:
            for i in range(6):
                await anyio.sleep(0.05)  # half the interval: never a silence long enough for a ping
                yield str(i)

        peer = await send_sse(ServerSentEvent(steady(), ping_interval=0.1))
        assert b": ping" not in peer.body
        assert parse(peer.body).events == [("message", str(i), "") for i in range(6)]

    @pytest.mark.anyio
    async def test_the_silence_is_counted_from_the_last_event(self) -> None:
        async def late() -> AsyncGenerator[str, None]:
            await anyio.sleep(0.09)
            yield "a"  # just before the first ping was due: the next is due 0.1 after this event
            await anyio.sleep(0.15)
            yield "b"

        peer = await send_sse(ServerSentEvent(late(), ping_interval=0.1))
        assert peer.chunks == [b"data: a\r\n\r\n", b": ping\r\n\r\n", b"data: b\r\n\r\n", b""]

    @pytest.mark.anyio
    async def test_a_failing_ping_is_a_disconnect(self) -> None:
        events: list[str] = []

        async def idle() -> AsyncGenerator[str, None]:
            try:
                yield "a"
                await anyio.sleep_forever()
                yield "never"  # pragma: no cover
            finally:
                events.append("finally")

        peer = await send_sse(ServerSentEvent(idle(), ping_interval=0.05), Peer(fail_on=b": ping\r\n\r\n"))
        assert events == ["finally"]
        assert peer.chunks == [b"data: a\r\n\r\n"]


# -- Hypothesis: the encoded stream parses back to the same events ----------------------------------------------------

_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
_line = st.text(st.characters(exclude_categories=["Cs"]), max_size=15)  # CR, LF and NUL included: they are removed
_id = st.one_of(_line, st.integers(0, 10**9))
_data = st.one_of(st.none(), _text, st.integers(-(10**6), 10**6), _text.map(str.encode))

_messages = st.builds(
    ServerSentEventMessage,
    data=_data,
    event=st.none() | _line,
    id=st.none() | _id,
    retry=st.none() | st.integers(0, 10**9),
    comment=st.none() | _text,
    sep=st.sampled_from(["\r\n", "\n", "\r"]),
)


_NO_BREAKS = str.maketrans("", "", "\r\n\x00")


def expected_events(messages: list[ServerSentEventMessage]) -> tuple[list[tuple[str, str, str]], list[int]]:
    events: list[tuple[str, str, str]] = []
    retries: list[int] = []
    last_id = ""
    for message in messages:
        if message.id is not None:
            last_id = str(message.id).translate(_NO_BREAKS)
        if message.retry is not None and message.retry >= 0:
            retries.append(message.retry)
        if message.data is None:
            continue
        data = message.data.decode() if isinstance(message.data, bytes) else str(message.data)
        events.append(((message.event or "").translate(_NO_BREAKS) or "message", normalise(data), last_id))
    return events, retries


@given(st.lists(_messages, max_size=8))
@settings(max_examples=300, deadline=None)
def test_messages_round_trip(messages: list[ServerSentEventMessage]) -> None:
    stream = b"".join(message.encode() for message in messages)
    assert conforms(stream)
    parsed = parse(stream)
    assert (parsed.events, parsed.retries) == expected_events(messages)
    assert parsed.fields <= {"data", "event", "id", "retry"}


_plain = st.one_of(_text, st.integers(-(10**6), 10**6), _text.map(str.encode))
_items = st.lists(st.one_of(_plain, _messages), max_size=8)


@given(_items, st.none() | _line)
@settings(max_examples=100, deadline=None)
def test_responses_round_trip(items: list[Any], event_type: str | None) -> None:
    async def main() -> Peer:
        return await send_sse(ServerSentEvent(list(items), event_type=event_type))

    peer = anyio.run(main)
    assert conforms(peer.body)
    as_messages = [
        item if isinstance(item, ServerSentEventMessage) else ServerSentEventMessage(data=item, event=event_type)
        for item in items
    ]
    assert (parse(peer.body).events, parse(peer.body).retries) == expected_events(as_messages)


@given(st.binary(max_size=200))
@settings(max_examples=200, deadline=None)
def test_hostile_event_fields_never_raise_and_make_one_event(raw: bytes) -> None:
    text = raw.decode("latin-1")
    for kwargs in ({"event": text}, {"id": text}, {"comment": text}, {"data": text}):
        encoded = ServerSentEventMessage(**kwargs).encode()  # type: ignore[arg-type]
        assert conforms(encoded)
        assert len(parse(encoded).events) == 1


class Label(str):
    pass


class Fields(dict[str, Any]):
    pass


class Custom(ServerSentEventMessage):
    pass


@pytest.mark.anyio
async def test_less_common_values() -> None:
    items = [
        1.5,
        Label("labelled"),
        {"data": None, "id": 3},
        Fields(data="from a dict subclass"),
        Custom(data="from a message subclass"),
    ]
    peer = await send_sse(ServerSentEvent(agen(*items)))
    assert parse(peer.body).events == [
        ("message", "1.5", ""),
        ("message", "labelled", ""),
        ("message", "from a dict subclass", "3"),
        ("message", "from a message subclass", "3"),
    ]


@pytest.mark.anyio
async def test_a_numeric_dict_comment_is_sent_as_text() -> None:
    peer = await send_sse(ServerSentEvent(agen({"comment": 5, "data": "x"})))
    assert peer.body == b": 5\r\ndata: x\r\n\r\n"


@pytest.mark.anyio
async def test_response_type_encoders_win() -> None:
    class Point:
        x = 1

    response = ServerSentEvent(agen([Point()]))
    response.response_type_encoders = {Point: lambda p: {"mine": p.x}}
    peer = await send_sse(response, type_encoders={Point: lambda p: {"layer": p.x}})
    assert parse(peer.body).events == [("message", '[{"mine":1}]', "")]


class _Point:
    """Not a type msgspec encodes by itself: only a route's `type_encoders` can send it."""

    def __init__(self, x: int) -> None:
        self.x = x


async def _points(custom: bool = False) -> AsyncGenerator[Any, None]:
    yield "é".encode()  # bytes are decoded with the response's `encoding`; the stream itself is UTF-8
    yield _Point(1) if custom else [1]


def test_plain_responses_one_after_another_keep_their_own_type_encoding_and_encoders() -> None:
    @get("/typed", sync_to_thread=False)
    def typed() -> ServerSentEvent:
        return ServerSentEvent(_points(), event_type="tick")

    @get("/plain", sync_to_thread=False)
    def plain() -> ServerSentEvent:
        return ServerSentEvent(_points())

    @get("/latin", sync_to_thread=False)
    def latin() -> ServerSentEvent:
        return ServerSentEvent(_points(), encoding="latin-1")

    @get("/encoded", sync_to_thread=False, type_encoders={_Point: lambda point: f"P{point.x}"})
    def encoded() -> ServerSentEvent:
        return ServerSentEvent(_points(custom=True))

    with create_test_client([typed, plain, latin, encoded]) as client:
        bodies = [client.get(path).content for path in ("/typed", "/plain", "/typed", "/latin", "/encoded", "/plain")]
    typed_body = "event: tick\r\ndata: é\r\n\r\nevent: tick\r\ndata: [1]\r\n\r\n".encode()
    plain_body = "data: é\r\n\r\ndata: [1]\r\n\r\n".encode()
    assert bodies == [
        typed_body,
        plain_body,
        typed_body,
        "data: Ã©\r\n\r\ndata: [1]\r\n\r\n".encode(),
        'data: é\r\n\r\ndata: "P1"\r\n\r\n'.encode(),
        plain_body,
    ]
