"""What reaches the wire: every supported type by media type, type encoders and decoders by layer, charsets, content
negotiation, the unserializable 500, and HEAD responses."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import ipaddress
import logging
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

import attrs
import msgspec
import pydantic
import pydantic.dataclasses
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outpour import Controller, MediaType, Outpour, Request, Response, Router, get, post
from outpour.datastructures import Cookie
from outpour.testing import TestClient, create_test_client
from outpour.types import Message, Scope, TypeDecodersSequence, TypeEncodersMap

# -- the types the guide lists ----------------------------------------------------------------------------------------


@dataclasses.dataclass
class Point:
    x: int
    y: int


class Book(pydantic.BaseModel):
    title: str
    published: datetime.date
    isbn: uuid.UUID


@pydantic.dataclasses.dataclass
class Author:
    name: str
    born: int


class Tagged(msgspec.Struct):
    id: int
    tags: list[str]


@attrs.define
class Shelf:
    label: str
    size: int


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


UID = uuid.UUID("12345678-1234-5678-1234-567812345678")
MOMENT = datetime.datetime(2024, 5, 17, 13, 45, 30, 123456, tzinfo=datetime.UTC)
BOOK = Book(title="Dune", published=datetime.date(1965, 8, 1), isbn=UID)

# case id -> (the value a handler returns, the value msgspec encodes natively to the same bytes)
CASES: dict[str, tuple[Any, Any]] = {
    "dataclass": (Point(1, 2), Point(1, 2)),
    "pydantic-model": (BOOK, BOOK.model_dump(mode="json")),
    "pydantic-dataclass": (Author("Herbert", 1920), {"name": "Herbert", "born": 1920}),
    "msgspec-struct": (Tagged(1, ["a", "b"]), Tagged(1, ["a", "b"])),
    "attrs": (Shelf("top", 3), {"label": "top", "size": 3}),
    "uuid": (UID, UID),
    "datetime": (MOMENT, MOMENT),
    "naive-datetime": (datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.datetime(2024, 1, 2, 3, 4, 5)),
    "date": (datetime.date(2024, 2, 29), datetime.date(2024, 2, 29)),
    "time": (datetime.time(23, 59, 1), datetime.time(23, 59, 1)),
    "timedelta": (datetime.timedelta(days=1, seconds=3), datetime.timedelta(days=1, seconds=3)),
    "decimal": (decimal.Decimal("1.10"), decimal.Decimal("1.10")),
    "enum": (Color.RED, Color.RED),
    "int-enum": (Level.HIGH, Level.HIGH),
    "path": (Path("/srv/data/file.txt"), "/srv/data/file.txt"),
    "pure-path": (PurePosixPath("a/b"), "a/b"),
    "ipv4": (ipaddress.IPv4Address("192.0.2.1"), "192.0.2.1"),
    "ipv6": (ipaddress.IPv6Address("2001:db8::1"), "2001:db8::1"),
    "ipv4-network": (ipaddress.IPv4Network("192.0.2.0/24"), "192.0.2.0/24"),
    "ipv6-interface": (ipaddress.IPv6Interface("2001:db8::1/64"), "2001:db8::1/64"),
    "bytes-in-dict": ({"blob": b"\x00\xff\x10"}, {"blob": b"\x00\xff\x10"}),
    "bytes-in-list": ([b"a", b"\x80"], [b"a", b"\x80"]),
    "list-of-mixed": (
        [Point(0, 0), Tagged(2, []), UID, Color.RED, Path("x")],
        [Point(0, 0), Tagged(2, []), UID, Color.RED, "x"],
    ),
    "dict-of-models": (
        {"book": BOOK, "shelf": Shelf("low", 1)},
        {"book": BOOK.model_dump(mode="json"), "shelf": {"label": "low", "size": 1}},
    ),
    "tuple": ((1, "a", None, True, 1.5), (1, "a", None, True, 1.5)),
    "nested-containers": (
        {"a": [{"b": (decimal.Decimal("2"), datetime.date(2000, 1, 1))}], "ips": [ipaddress.IPv4Address("10.0.0.1")]},
        {"a": [{"b": (decimal.Decimal("2"), datetime.date(2000, 1, 1))}], "ips": ["10.0.0.1"]},
    ),
    "frozenset-one": (frozenset({7}), [7]),
    "none": (None, None),
}

MEDIA_TYPES: dict[str, Callable[[Any], bytes]] = {
    "application/json": msgspec.json.encode,
    "application/vnd.example.resource+json": msgspec.json.encode,
    "application/problem+json": msgspec.json.encode,
    "application/x-msgpack": msgspec.msgpack.encode,
    "application/vnd.msgpack": msgspec.msgpack.encode,
}


class PassThroughResponse(Response[Any]):
    """A custom response class that changes nothing: plain data goes through the response-class path."""


@cache
def value_app(media_type: str, kind: str) -> Outpour:
    """One route returning ``CASES[case]``: as a plain value, in a ``Response``, or wrapped by a response class."""

    if kind == "response":

        @get("/{case:str}", media_type=media_type)
        async def handler(case: str) -> Any:
            return Response(CASES[case][0])

    else:

        @get("/{case:str}", media_type=media_type)
        async def handler(case: str) -> Any:
            return CASES[case][0]

    return Outpour([handler], response_class=PassThroughResponse if kind == "response-class" else None)


@pytest.mark.parametrize("kind", [pytest.param(k, id=k) for k in ("plain", "response", "response-class")])
@pytest.mark.parametrize("media_type", [pytest.param(m, id=m.split("/")[1]) for m in MEDIA_TYPES])
@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in CASES])
def test_every_supported_type_matches_msgspec(case: str, media_type: str, kind: str) -> None:
    with TestClient(value_app(media_type, kind)) as client:
        response = client.get(f"/{case}")
    expected = MEDIA_TYPES[media_type](CASES[case][1])
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.headers["content-length"] == str(len(expected))
    assert response.content == expected


@pytest.mark.parametrize("media_type", [pytest.param(m, id=m.split("/")[1]) for m in MEDIA_TYPES])
@pytest.mark.parametrize(
    ("value", "body"),
    [
        pytest.param(b"\x00already-encoded", b"\x00already-encoded", id="bytes"),
        pytest.param('{"already": "json"}', b'{"already": "json"}', id="str"),
    ],
)
@pytest.mark.parametrize("kind", [pytest.param(k, id=k) for k in ("plain", "response")])
def test_top_level_str_and_bytes_are_sent_as_they_are(media_type: str, value: Any, body: bytes, kind: str) -> None:
    # As in Litestar: a str or bytes body is taken as already serialized, whatever the media type.
    @get("/", media_type=media_type)
    async def handler() -> Any:
        return Response(value) if kind == "response" else value

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert (response.headers["content-type"], response.content) == (media_type, body)


# -- type encoders by layer -------------------------------------------------------------------------------------------


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


def tag(label: str) -> TypeEncodersMap:
    return {Money: lambda money: f"{label}:{money.cents}"}


class MoneyResponse(Response[Any]):
    type_encoders: ClassVar[TypeEncodersMap | None] = tag("response-class")


def layered_app() -> Outpour:
    @get("/app-level")
    async def app_level() -> Money:
        return Money(1)

    @get("/handler-level", type_encoders=tag("handler"))
    async def handler_level() -> Money:
        return Money(2)

    @get("/router-level")
    async def router_level() -> Money:
        return Money(3)

    class Shop(Controller):
        path = "/controller"
        type_encoders = tag("controller")

        @get("/")
        async def controller_level(self) -> Money:
            return Money(4)

        @get("/handler", type_encoders=tag("handler"))
        async def handler_in_controller(self) -> Money:
            return Money(5)

        @get("/own-response")
        async def own_response(self) -> MoneyResponse:
            return MoneyResponse(Money(6))

        @get("/instance-encoders")
        async def instance_encoders(self) -> Response[Money]:
            return Response(Money(7), type_encoders=tag("instance"))

        @get("/msgpack", media_type=MediaType.MESSAGEPACK)
        async def msgpack_level(self) -> dict[str, Money]:
            return {"m": Money(8)}

    router = Router("/router", route_handlers=[router_level, Shop], type_encoders=tag("router"))
    return Outpour([app_level, handler_level, router], type_encoders=tag("app"))


@pytest.mark.parametrize(
    ("path", "body"),
    [
        pytest.param("/app-level", b'"app:1"', id="app"),
        pytest.param("/handler-level", b'"handler:2"', id="handler-over-app"),
        pytest.param("/router/router-level", b'"router:3"', id="router-over-app"),
        pytest.param("/router/controller", b'"controller:4"', id="controller-over-router"),
        pytest.param("/router/controller/handler", b'"handler:5"', id="handler-over-controller"),
        pytest.param("/router/controller/own-response", b'"response-class:6"', id="returned-subclass-over-layers"),
        pytest.param("/router/controller/instance-encoders", b'"instance:7"', id="response-argument-over-layers"),
        pytest.param(
            "/router/controller/msgpack", msgspec.msgpack.encode({"m": "controller:8"}), id="msgpack-uses-layers"
        ),
    ],
)
def test_type_encoders_closest_layer_wins(path: str, body: bytes) -> None:
    with TestClient(layered_app()) as client:
        response = client.get(path)
    assert (response.status_code, response.content) == (200, body)


def test_response_class_type_encoders_apply_to_plain_data() -> None:
    @get("/only-class")
    async def only_class() -> Money:
        return Money(1)

    @get("/layer-too", type_encoders=tag("handler"))
    async def layer_too() -> Money:
        return Money(2)

    with create_test_client([only_class, layer_too], response_class=MoneyResponse) as client:
        assert client.get("/only-class").content == b'"response-class:1"'
        # As in Litestar, plain data is wrapped with the layers' encoders passed in, which win over the class's.
        assert client.get("/layer-too").content == b'"handler:2"'


def test_type_encoders_match_subclasses_and_predicates() -> None:
    class Euro(Money):
        pass

    @get("/subclass", type_encoders=tag("base"))
    async def subclass() -> list[Money]:
        return [Euro(1), Money(2)]

    @get("/predicate", type_encoders={lambda tp: tp.__name__ == "Euro": lambda value: "by predicate"})
    async def predicate() -> Money:
        return Euro(3)

    with create_test_client([subclass, predicate]) as client:
        assert client.get("/subclass").content == b'["base:1","base:2"]'
        assert client.get("/predicate").content == b'"by predicate"'


# -- type decoders for request data -----------------------------------------------------------------------------------


class Celsius:
    def __init__(self, degrees: float) -> None:
        self.degrees = degrees


class Fahrenheit:
    def __init__(self, degrees: float) -> None:
        self.degrees = degrees


def decoder_for(tp: type, unit: str) -> TypeDecodersSequence:
    def decode(target: type, value: Any) -> Any:
        if not isinstance(value, str) or not value.endswith(unit):
            raise TypeError(f"Expected a string such as `20{unit}`")
        return target(float(value.removesuffix(unit)))

    return [(lambda target: target is tp, decode)]


@dataclasses.dataclass
class Reading:
    inside: Celsius
    outside: Fahrenheit


def test_type_decoders_from_every_layer_decode_request_data() -> None:
    @post("/handler", type_decoders=decoder_for(Fahrenheit, "F"))
    async def handler_level(data: Reading) -> dict[str, float]:
        return {"inside": data.inside.degrees, "outside": data.outside.degrees}

    class Station(Controller):
        path = "/controller"
        type_decoders = decoder_for(Fahrenheit, "F")

        @post("/")
        async def controller_level(self, data: Reading) -> dict[str, float]:
            return {"inside": data.inside.degrees, "outside": data.outside.degrees}

    router = Router("/router", route_handlers=[handler_level, Station])
    with create_test_client([router], type_decoders=decoder_for(Celsius, "C")) as client:
        payload = {"inside": "21.5C", "outside": "70F"}
        by_handler = client.post("/router/handler", json=payload)
        by_controller = client.post("/router/controller", json=payload)
        as_msgpack = client.post(
            "/router/handler",
            content=msgspec.msgpack.encode(payload),
            headers={"content-type": "application/vnd.msgpack"},
        )
        missing = client.post("/router/handler", json={"inside": 21.5, "outside": "70F"})
    assert by_handler.json() == by_controller.json() == as_msgpack.json() == {"inside": 21.5, "outside": 70.0}
    assert missing.status_code == 400
    assert "Expected a string such as `20C`" in missing.text


# -- text, charsets and other media types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("media_type", "encoding", "content_type", "body"),
    [
        pytest.param(MediaType.TEXT, "utf-8", "text/plain; charset=utf-8", "café ☕".encode(), id="text-utf8"),
        pytest.param(MediaType.TEXT, "latin-1", "text/plain; charset=latin-1", b"caf\xe9", id="text-latin1"),
        pytest.param(MediaType.HTML, "latin-1", "text/html; charset=latin-1", b"caf\xe9", id="html-latin1"),
        pytest.param("text/csv", "utf-16", "text/csv; charset=utf-16", "café".encode("utf-16"), id="csv-utf16"),
        pytest.param(
            "text/plain; charset=iso-8859-1",
            "latin-1",
            "text/plain; charset=iso-8859-1",
            b"caf\xe9",
            id="charset-given",
        ),
        pytest.param("application/xml", "latin-1", "application/xml", b"caf\xe9", id="non-text-no-charset"),
    ],
)
def test_text_with_an_encoding(media_type: str, encoding: str, content_type: str, body: bytes) -> None:
    text = "café ☕" if encoding == "utf-8" else "café"

    @get("/")
    async def handler() -> Response[str]:
        return Response(text, media_type=media_type, encoding=encoding)

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert (response.headers["content-type"], response.content) == (content_type, body)
    assert response.headers["content-length"] == str(len(body))


@pytest.mark.parametrize(
    ("media_type", "value", "body"),
    [
        pytest.param("application/xml", "<a>é</a>", "<a>é</a>".encode(), id="xml-str"),
        pytest.param("image/png", b"\x89PNG\r\n", b"\x89PNG\r\n", id="png-bytes"),
        pytest.param("application/octet-stream", b"\x00\x01", b"\x00\x01", id="octet-stream"),
        pytest.param("text/calendar", "BEGIN:VCALENDAR", b"BEGIN:VCALENDAR", id="calendar"),
        pytest.param("text/plain", None, b"", id="none-is-empty"),
    ],
)
@pytest.mark.parametrize("kind", [pytest.param("plain", id="plain"), pytest.param("response", id="response")])
def test_other_media_types_take_str_and_bytes_as_they_are(media_type: str, value: Any, body: bytes, kind: str) -> None:
    @get("/", media_type=media_type)
    async def handler() -> Any:
        return Response(value) if kind == "response" else value

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert (response.status_code, response.content) == (200, body)
    assert response.headers["content-type"].split(";")[0] == media_type


def test_structured_data_for_a_non_structured_media_type_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    @get("/", media_type="application/xml")
    async def handler() -> dict[str, int]:
        return {"a": 1}

    with caplog.at_level(logging.ERROR), create_test_client([handler]) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "Cannot render a `dict` as `application/xml`" in caplog.text


class Opaque:
    pass


@pytest.mark.parametrize(
    "media_type", [pytest.param(MediaType.JSON, id="json"), pytest.param(MediaType.MESSAGEPACK, id="msgpack")]
)
@pytest.mark.parametrize("kind", [pytest.param(k, id=k) for k in ("plain", "response", "response-class")])
def test_unserializable_value_is_a_500_naming_the_type(
    media_type: MediaType, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    @get("/", media_type=media_type)
    async def handler() -> Any:
        value = {"nested": [Opaque()]}
        return Response(value) if kind == "response" else value

    cls = PassThroughResponse if kind == "response-class" else None
    with caplog.at_level(logging.ERROR), create_test_client([handler], response_class=cls) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "Opaque" not in response.text  # details stay in the log, not in the response
    assert "Unsupported type: `Opaque`" in caplog.text
    assert "type_encoders" in caplog.text


# -- content negotiation ----------------------------------------------------------------------------------------------

OFFERED = [MediaType.JSON, MediaType.MESSAGEPACK, MediaType.TEXT, MediaType.HTML, "application/xml"]
PAYLOAD = {"greeting": "hello"}
BODIES: dict[str, bytes] = {
    MediaType.JSON: msgspec.json.encode(PAYLOAD),
    MediaType.MESSAGEPACK: msgspec.msgpack.encode(PAYLOAD),
    MediaType.TEXT: b"hello",
    MediaType.HTML: b"<b>hello</b>",
    "application/xml": b"<greeting>hello</greeting>",
}


@get("/negotiate")
async def negotiate(request: Request[Any, Any, Any]) -> Response[Any]:
    chosen = request.accept.best_match(OFFERED, default=MediaType.JSON)
    assert chosen is not None
    content: Any = PAYLOAD if chosen in (MediaType.JSON, MediaType.MESSAGEPACK) else BODIES[chosen]
    return Response(content, media_type=chosen)


NEGOTIATION_TABLE = [
    pytest.param(None, "application/json", id="no-header-default"),
    pytest.param("", "application/json", id="empty-header"),
    pytest.param("*/*", "application/json", id="any-first-offered"),
    pytest.param("application/vnd.msgpack", "application/vnd.msgpack", id="exact-msgpack"),
    pytest.param("text/html", "text/html", id="exact-html"),
    pytest.param("text/*", "text/plain", id="wildcard-subtype-first-offered"),
    pytest.param("text/*, text/html", "text/html", id="specific-beats-wildcard"),
    pytest.param("text/plain;q=0.2, text/html;q=0.8", "text/html", id="q-values"),
    pytest.param("application/json;q=0, */*", "application/vnd.msgpack", id="q0-excludes"),
    pytest.param("text/html;q=0.5, application/xml", "application/xml", id="default-q-is-1"),
    pytest.param("image/png", "application/json", id="nothing-acceptable-default"),
    pytest.param("*/*;q=0", "application/json", id="all-refused-default"),
    pytest.param("APPLICATION/XML", "application/xml", id="case-insensitive"),
    pytest.param("text/html;level=1;q=0.9, application/xml;q=0.8", "application/xml", id="parameters-must-match"),
    pytest.param("text/html;q=0.7, text/html;level=1;q=0.9, */*;q=0.1", "text/html", id="parameters-ignored-range"),
    pytest.param("garbage, ;;;, text/html", "text/html", id="malformed-entries-skipped"),
    pytest.param("text/plain;q=abc, application/xml", "application/xml", id="bad-q"),
]


@pytest.mark.parametrize(("accept", "chosen"), NEGOTIATION_TABLE)
def test_negotiation_table(accept: str | None, chosen: str) -> None:
    headers = {} if accept is None else {"accept": accept}
    with create_test_client([negotiate]) as client:
        response = client.get("/negotiate", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == chosen
    assert response.content == BODIES[chosen]


def test_documented_negotiation_example_as_written() -> None:
    # The guide's handler, with an unparametrized `Request` and `content` starting as None.
    @get("/resource", sync_to_thread=False)
    def retrieve_resource(request: Request) -> Response[bytes]:
        provided_types = [MediaType.TEXT, MediaType.HTML, "application/xml"]
        preferred_type = request.accept.best_match(provided_types, default=MediaType.TEXT)

        content = None
        if preferred_type == MediaType.TEXT:
            content = b"Hello World!"
        elif preferred_type == MediaType.HTML:
            content = b"<h1>Hello World!</h1>"
        elif preferred_type == "application/xml":
            content = b"<xml><msg>Hello World!</msg></xml>"
        return Response(content=content, media_type=preferred_type)  # type: ignore[arg-type]

    with create_test_client([retrieve_resource]) as client:
        text = client.get("/resource")
        html = client.get("/resource", headers={"accept": "text/html"})
        xml = client.get("/resource", headers={"accept": "application/xml"})
    assert (text.headers["content-type"], text.content) == ("text/plain; charset=utf-8", b"Hello World!")
    assert (html.headers["content-type"], html.content) == ("text/html; charset=utf-8", b"<h1>Hello World!</h1>")
    assert (xml.headers["content-type"], xml.content) == ("application/xml", b"<xml><msg>Hello World!</msg></xml>")


_HEADER_CHARS = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
_MEDIA_RANGE = st.one_of(
    st.sampled_from(["*/*", "text/*", "text/html", "application/json", "application/vnd.msgpack", "image/*", "x/y"]),
    st.text(_HEADER_CHARS, max_size=30),
)
_ACCEPT = st.one_of(
    st.text(_HEADER_CHARS, max_size=200),
    st.lists(
        st.tuples(
            _MEDIA_RANGE,
            st.one_of(st.none(), st.floats(-1, 2), st.text(_HEADER_CHARS, max_size=8)),
            st.text(_HEADER_CHARS, max_size=10),
        ),
        max_size=8,
    ).map(lambda items: ", ".join(f"{r}{'' if q is None else f';q={q}'}{';' + p if p else ''}" for r, q, p in items)),
)


def test_any_accept_header_gives_a_choice_or_the_default() -> None:
    with create_test_client([negotiate]) as client:

        @settings(max_examples=300, deadline=None)
        @given(accept=_ACCEPT)
        def check(accept: str) -> None:
            response = client.get("/negotiate", headers=[(b"accept", accept.strip(" \t").encode("latin-1"))])
            assert response.status_code == 200
            media_type = response.headers["content-type"].split(";")[0]
            assert media_type in OFFERED
            assert response.content == BODIES[media_type]

        check()


# -- HEAD -------------------------------------------------------------------------------------------------------------


class HeadedResponse(Response[Any]):
    def __init__(self, content: Any, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self.set_header("x-class", "headed")


@get("/plain-json")
async def plain_json() -> dict[str, list[int]]:
    return {"numbers": list(range(50))}


@get("/plain-text")
async def plain_text() -> str:
    return "some text"


@get("/plain-msgpack", media_type=MediaType.MESSAGEPACK, response_headers={"x-layer": "1"})
async def plain_msgpack() -> list[str]:
    return ["a", "b"]


@get("/response-object", response_cookies=[Cookie(key="layer", value="1")])
async def response_object() -> Response[dict[str, str]]:
    response = Response({"a": "b"}, status_code=203, headers={"x-own": "yes"}, cookies={"own": "1"})
    response.set_etag("v1")
    return response


@get("/custom-class", response_class=HeadedResponse)
async def custom_class() -> dict[str, int]:
    return {"n": 1}


@get("/returned-custom")
async def returned_custom() -> HeadedResponse:
    return HeadedResponse("x" * 10, media_type=MediaType.TEXT, status_code=202)


HEAD_PATHS = ["/plain-json", "/plain-text", "/plain-msgpack", "/response-object", "/custom-class", "/returned-custom"]


@pytest.mark.parametrize("path", [pytest.param(p, id=p.strip("/")) for p in HEAD_PATHS])
def test_head_gets_the_get_status_and_headers_without_a_body(path: str) -> None:
    handlers = [plain_json, plain_text, plain_msgpack, response_object, custom_class, returned_custom]
    with create_test_client(handlers) as client:
        got = client.get(path)
        head = client.head(path)
    assert got.status_code < 300
    assert head.status_code == got.status_code
    assert head.headers.multi_items() == got.headers.multi_items()
    assert head.headers["content-length"] == str(len(got.content)) != "0"
    assert head.content == b""


async def _call(app: Outpour, method: str, path: str) -> list[Message]:
    sent: list[Message] = []
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "state": {},
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


@pytest.mark.anyio
@pytest.mark.parametrize("path", [pytest.param(p, id=p.strip("/")) for p in HEAD_PATHS])
async def test_head_sends_an_empty_final_body_message(path: str) -> None:
    app = Outpour([plain_json, plain_text, plain_msgpack, response_object, custom_class, returned_custom])
    messages = await _call(app, "HEAD", path)
    assert [m["type"] for m in messages] == ["http.response.start", "http.response.body"]
    assert messages[1]["body"] == b""
    assert not messages[1].get("more_body", False)
