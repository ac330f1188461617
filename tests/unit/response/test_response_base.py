"""The ``Response`` API (headers, cookies, ETag, render, ``to_asgi_response``) and the low-level ``ASGIResponse``."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, ClassVar

import msgspec
import pytest

from outpour import MediaType, Response, get
from outpour.background_tasks import BackgroundTask, BackgroundTasks
from outpour.datastructures import Cookie, ETag, ResponseHeader
from outpour.exceptions import ImproperlyConfiguredException
from outpour.response import File
from outpour.response.base import ASGIResponse, merge_headers, response_parts
from outpour.serialization import default_serializer, get_serializer
from outpour.testing import create_test_client
from outpour.types import Empty, Message, Scope, TypeEncodersMap


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


def encoders(label: str) -> TypeEncodersMap:
    return {Money: lambda money: f"{label}:{money.cents}"}


async def run(response: ASGIResponse, method: str = "GET") -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": method, "path": "/", "headers": []}
    await response(scope, receive, send)
    return sent


def header_map(headers: list[tuple[bytes, bytes]]) -> dict[bytes, list[bytes]]:
    out: dict[bytes, list[bytes]] = {}
    for name, value in headers:
        out.setdefault(name, []).append(value)
    return out


# -- Response: construction -------------------------------------------------------------------------------------------


def test_constructor_defaults() -> None:
    response = Response({"a": 1})
    assert response.content == {"a": 1}
    assert (response.status_code, response.media_type, response.background) == (None, None, None)
    assert (response.headers, response.cookies, response.encoding) == ({}, [], "utf-8")
    assert response.response_type_encoders is None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({"X-A": "1"}, {"X-A": "1"}, id="dict"),
        pytest.param(MappingProxyType({"X-A": "1"}), {"X-A": "1"}, id="other-mapping"),
        pytest.param(
            [ResponseHeader(name="x-a", value="1"), ResponseHeader(name="x-doc", documentation_only=True)],
            {"x-a": "1"},
            id="response-headers-doc-only-dropped",
        ),
        pytest.param(None, {}, id="none"),
    ],
)
def test_constructor_headers(headers: Any, expected: dict[str, str]) -> None:
    assert Response(None, headers=headers).headers == expected


@pytest.mark.parametrize(
    ("cookies", "expected"),
    [
        pytest.param({"a": "1"}, [Cookie(key="a", value="1")], id="mapping"),
        pytest.param(
            [Cookie(key="a", value="1"), Cookie(key="doc", documentation_only=True)],
            [Cookie(key="a", value="1")],
            id="cookies-doc-only-dropped",
        ),
        pytest.param(None, [], id="none"),
    ],
)
def test_constructor_cookies(cookies: Any, expected: list[Cookie]) -> None:
    assert Response(None, cookies=cookies).cookies == expected


class MoneyResponse(Response[Any]):
    type_encoders: ClassVar[TypeEncodersMap | None] = encoders("class")


def test_type_encoders_class_attribute_and_argument_merge() -> None:
    assert MoneyResponse(None).response_type_encoders is MoneyResponse.type_encoders
    merged = MoneyResponse(None, type_encoders={int: str, **encoders("instance")}).response_type_encoders
    assert merged is not None
    assert set(merged) == {Money, int}
    assert merged[Money](Money(1)) == "instance:1"


# -- Response: headers, cookies, ETag ---------------------------------------------------------------------------------


def test_set_header_adds_and_replaces_case_insensitively() -> None:
    response = Response(None, headers={"X-Count": "1", "x-other": "o"})
    response.set_header("x-count", 2)
    response.set_header("X-New", "n")
    assert response.headers == {"x-other": "o", "x-count": 2, "X-New": "n"}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        pytest.param("x-a", "1\r\nx-injected: 1", "control character", id="crlf-value"),
        pytest.param("x a", "1", "not a valid RFC 9110 token", id="space-in-name"),
        pytest.param("x-a", "nul\x00", "control character", id="nul"),
    ],
)
def test_set_header_refuses_what_would_corrupt_the_response(key: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Response(None).set_header(key, value)


def test_set_cookie_with_fields() -> None:
    response = Response(None)
    response.set_cookie(
        "session",
        "abc",
        max_age=60,
        path="/app",
        domain="example.com",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    assert response.cookies == [Cookie(key="session", value="abc", path="/app", domain="example.com")]
    header = response.cookies[0].to_header()
    for part in ("session=abc", "Max-Age=60", "Path=/app", "Domain=example.com", "Secure", "HttpOnly"):
        assert part in header
    assert "SameSite=strict" in header
    assert "Partitioned" not in header


def test_set_cookie_with_a_cookie_replaces_the_same_key_path_and_domain() -> None:
    response = Response(None, cookies=[Cookie(key="a", value="old"), Cookie(key="a", value="other", path="/x")])
    response.set_cookie(Cookie(key="a", value="new"))
    assert [(c.value, c.path) for c in response.cookies] == [("other", "/x"), ("new", "/")]


def test_set_cookie_with_expires_is_dated() -> None:
    response = Response(None)
    response.set_cookie("t", "1", expires=3600)
    assert "expires=" in response.cookies[0].to_header().lower()


def test_delete_cookie() -> None:
    response = Response(None)
    response.set_cookie("sid", "1", secure=True, httponly=True, path="/p")
    response.delete_cookie("sid", path="/p")
    response.delete_cookie("__Host-token")
    deleted, host = response.cookies
    assert (deleted.key, deleted.value, deleted.max_age, deleted.path) == ("sid", "", 0, "/p")
    assert (deleted.secure, deleted.httponly) == (True, True)
    assert host.secure is True
    assert "Max-Age=0" in deleted.to_header()


@pytest.mark.parametrize(
    ("etag", "header"),
    [
        pytest.param("abc", '"abc"', id="bare"),
        pytest.param('"abc"', '"abc"', id="quoted"),
        pytest.param('W/"abc"', 'W/"abc"', id="weak-string"),
        pytest.param(ETag(value="abc"), '"abc"', id="etag"),
        pytest.param(ETag(value="abc", weak=True), 'W/"abc"', id="weak-etag"),
    ],
)
def test_set_etag(etag: str | ETag, header: str) -> None:
    response = Response(None, headers={"ETag": "stale"})
    response.set_etag(etag)
    assert response.headers == {"etag": header}


def test_set_etag_refuses_an_invalid_tag() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="ETag"):
        Response(None).set_etag('a "quoted" tag')


# -- Response: render --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "media_type", "body"),
    [
        pytest.param({"a": [1]}, "application/json", b'{"a":[1]}', id="json"),
        pytest.param({"a": [1]}, "application/vnd.x+json", b'{"a":[1]}', id="json-suffix"),
        pytest.param({"a": [1]}, "application/vnd.msgpack", msgspec.msgpack.encode({"a": [1]}), id="msgpack"),
        pytest.param("é", "text/plain", "é".encode(), id="text"),
        pytest.param(b"\xff", "image/png", b"\xff", id="bytes"),
        pytest.param(None, "text/html", b"", id="none-as-text"),
        pytest.param(0, "text/plain", b"", id="zero-as-text"),
        pytest.param([], "text/html", b"", id="empty-list-as-text"),
        pytest.param(False, "text/csv", b"", id="false-as-text"),
        pytest.param(0, "application/json", b"0", id="zero-as-json"),
        pytest.param(None, "application/json", b"null", id="none-as-json"),
    ],
)
def test_render(content: Any, media_type: str, body: bytes) -> None:
    assert Response(content).render(content, media_type) == body


def test_render_uses_the_response_encoding_for_text() -> None:
    assert Response("é", encoding="latin-1").render("é", "text/plain") == b"\xe9"


def test_render_uses_the_response_type_encoders_by_default_and_an_enc_hook_when_given() -> None:
    response = MoneyResponse(None)
    assert response.render([Money(1)], "application/json") == b'["class:1"]'
    assert response.render([Money(1)], "application/json", lambda value: "hook") == b'["hook"]'
    assert response.render([Money(1)], "application/vnd.msgpack", lambda value: "hook") == msgspec.msgpack.encode(
        ["hook"]
    )


@pytest.mark.parametrize(
    "enc_hook",
    [
        pytest.param(default_serializer, id="default_serializer"),
        pytest.param(get_serializer(), id="get_serializer()"),
        pytest.param(get_serializer({}), id="get_serializer-empty"),
    ],
)
def test_render_with_the_default_serializer_applies_the_response_type_encoders(enc_hook: Any) -> None:
    assert get_serializer() is default_serializer
    assert MoneyResponse(None).render({"m": Money(2)}, "application/json", enc_hook) == b'{"m":"class:2"}'


def test_render_refuses_what_cannot_be_serialized() -> None:
    with pytest.raises(TypeError, match=r"Unsupported type: `Money`.*type_encoders"):
        Response(None).render({"m": Money(1)}, "application/json")
    with pytest.raises(ImproperlyConfiguredException, match="Cannot render a `dict` as `text/plain`"):
        Response(None).render({"a": 1}, "text/plain")
    with pytest.raises(ImproperlyConfiguredException, match="Cannot render a `int` as `application/xml`"):
        Response(None).render(0, "application/xml")  # falsy values are an empty body for `text/*` types only


def test_to_asgi_response_calls_an_overridden_render() -> None:
    class Upper(Response[str]):
        def render(self, content: Any, media_type: str, enc_hook: Any = None) -> bytes:
            return str(content).upper().encode()

    @get("/")
    async def handler() -> Upper:
        return Upper("shout", media_type=MediaType.TEXT)

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert (response.text, response.headers["content-length"]) == ("SHOUT", "5")


# -- Response: to_asgi_response ----------------------------------------------------------------------------------------


def test_to_asgi_response_defaults() -> None:
    asgi = Response({"a": 1}).to_asgi_response(None)
    assert (asgi.status_code, asgi.media_type, asgi.body, asgi.content_length) == (
        200,
        "application/json",
        b'{"a":1}',
        7,
    )
    assert (asgi.is_head_response, asgi.background, asgi.cookies, asgi.encoding) == (False, None, [], "utf-8")


def test_to_asgi_response_uses_the_keywords_when_the_response_sets_nothing() -> None:
    task = BackgroundTask(print)
    asgi = Response([Money(1)]).to_asgi_response(
        None,
        background=task,
        cookies=[Cookie(key="layer", value="1")],
        headers={"x-layer": "1"},
        is_head_response=True,
        media_type=MediaType.MESSAGEPACK,
        status_code=202,
        type_encoders=encoders("layer"),
    )
    assert asgi.background is task
    assert asgi.cookies == [Cookie(key="layer", value="1")]
    assert asgi.headers == {"x-layer": "1"}
    assert asgi.is_head_response is True
    assert (asgi.media_type, asgi.status_code) == ("application/vnd.msgpack", 202)
    # a HEAD response carries no body, only the length of the one a GET would get
    assert (asgi.body, asgi.content_length) == (b"", len(msgspec.msgpack.encode(["layer:1"])))


def test_to_asgi_response_own_values_win() -> None:
    own_task = BackgroundTask(print)
    response = Response(
        [Money(1)],
        background=own_task,
        cookies=[Cookie(key="shared", value="own")],
        headers={"X-Shared": "own"},
        media_type="application/vnd.own+json",
        status_code=203,
        type_encoders=encoders("own"),
    )
    asgi = response.to_asgi_response(
        None,
        background=BackgroundTask(print),
        cookies=[Cookie(key="shared", value="layer"), Cookie(key="extra", value="layer")],
        headers={"x-shared": "layer", "x-extra": "layer"},
        media_type=MediaType.TEXT,
        status_code=202,
        type_encoders={**encoders("layer"), int: str},
    )
    assert asgi.background is own_task
    assert [(c.key, c.value) for c in asgi.cookies] == [("shared", "own"), ("extra", "layer")]
    assert header_map(asgi.encoded_headers) == {b"x-extra": [b"layer"], b"x-shared": [b"own"]}
    assert (asgi.media_type, asgi.status_code, asgi.body) == ("application/vnd.own+json", 203, b'["own:1"]')


@pytest.mark.parametrize("status", [pytest.param(s, id=str(s)) for s in (101, 204, 304)])
@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        pytest.param(None, MediaType.JSON, id="none"),
        pytest.param(b"", MediaType.JSON, id="empty-bytes"),
        pytest.param("", MediaType.TEXT, id="empty-str"),
        pytest.param(0, MediaType.TEXT, id="falsy-as-text"),
    ],
)
def test_to_asgi_response_with_a_bodyless_status_and_no_content(status: int, content: Any, media_type: str) -> None:
    asgi = Response(content, media_type=media_type).to_asgi_response(None, status_code=status)
    assert (asgi.status_code, asgi.body, asgi.content_length) == (status, b"", None)


@pytest.mark.parametrize("status", [pytest.param(s, id=str(s)) for s in (101, 204, 304)])
@pytest.mark.parametrize(
    "content",
    [
        pytest.param({"a": 1}, id="json"),
        pytest.param("text", id="str"),
        pytest.param(Money(1), id="not-serializable"),
    ],
)
def test_to_asgi_response_refuses_content_with_a_bodyless_status(status: int, content: Any) -> None:
    with pytest.raises(
        ImproperlyConfiguredException,
        match=rf"A `Response` has status code {status}, which forbids a response body .* Give `None` as the content",
    ):
        Response(content, status_code=status).to_asgi_response(None)


def test_content_with_a_bodyless_status_is_a_500_through_the_client(caplog: pytest.LogCaptureFixture) -> None:
    @get("/plain")
    async def plain() -> Response[dict[str, int]]:
        return Response({"a": 1}, status_code=204)

    class Own(Response[Any]):
        pass

    @get("/subclass")
    async def subclass() -> Own:
        return Own("x", status_code=304)

    @get("/none")
    async def none() -> Response[None]:
        return Response(None, status_code=204)

    with create_test_client([plain, subclass, none]) as client:
        assert client.get("/plain").status_code == 500
        assert client.get("/subclass").status_code == 500
        assert client.get("/none").status_code == 204
    assert "status code 204, which forbids a response body" in caplog.text
    assert "status code 304, which forbids a response body" in caplog.text


def test_to_asgi_response_for_head_keeps_the_length_of_the_body() -> None:
    asgi = Response("hello", media_type=MediaType.TEXT).to_asgi_response(None, is_head_response=True)
    assert (asgi.body, asgi.content_length, asgi.is_head_response) == (b"", 5, True)
    assert (b"content-length", b"5") in asgi.encode_headers()


def test_empty_sentinel_is_refused_as_content() -> None:
    for media_type in (MediaType.JSON, MediaType.TEXT, MediaType.MESSAGEPACK, "application/xml"):
        with pytest.raises(ImproperlyConfiguredException, match=r"The `Empty` sentinel .* Return `None`"):
            Response(Empty).render(Empty, media_type)


@pytest.mark.parametrize("media_type", [pytest.param(None, id="json"), pytest.param(MediaType.TEXT, id="text")])
def test_returning_the_empty_sentinel_is_a_500(media_type: str | None, caplog: pytest.LogCaptureFixture) -> None:
    @get("/plain", media_type=media_type)
    async def plain() -> Any:
        return Empty

    @get("/response")
    async def response() -> Response[Any]:
        return Response(Empty)

    with create_test_client([plain, response]) as client:
        assert client.get("/plain").status_code == 500
        assert client.get("/response").status_code == 500
    refused = [r for r in caplog.records if "The `Empty` sentinel (`outpour.types.Empty`)" in r.getMessage()]
    assert [r.getMessage().split(":", 1)[0] for r in refused] == [
        "Exception in GET /plain",
        "Exception in GET /response",
    ]


def test_to_asgi_response_text_encoding() -> None:
    asgi = Response("é", media_type=MediaType.TEXT, encoding="latin-1").to_asgi_response(None)
    assert asgi.body == b"\xe9"
    assert (b"content-type", b"text/plain; charset=latin-1") in asgi.encode_headers()


@pytest.mark.parametrize(
    ("own", "layered", "expected"),
    [
        pytest.param({"A": "1"}, None, {"A": "1"}, id="own-only"),
        pytest.param({}, {"a": "2"}, {"a": "2"}, id="layered-only"),
        pytest.param({"A": "1"}, {"a": "2", "b": "3"}, {"b": "3", "A": "1"}, id="own-wins-any-case"),
    ],
)
def test_merge_headers(own: dict[str, str], layered: dict[str, str] | None, expected: dict[str, str]) -> None:
    assert merge_headers(own, layered) == expected


# -- ASGIResponse ---------------------------------------------------------------------------------------------------------


def test_asgi_response_defaults() -> None:
    asgi = ASGIResponse()
    assert (asgi.status_code, asgi.body, asgi.content_length, asgi.media_type) == (200, b"", 0, None)
    assert (asgi.cookies, asgi.headers, asgi.encoded_headers, asgi.encoding) == ([], {}, [], "utf-8")
    assert (asgi.is_head_response, asgi.background) == (False, None)
    assert asgi.encode_headers() == [(b"content-length", b"0")]


def test_asgi_response_attributes_and_headers() -> None:
    asgi = ASGIResponse(
        body="café",
        encoding="latin-1",
        media_type=MediaType.HTML,
        status_code=201,
        headers=[("Link", "</a>"), ("Link", "</b>")],
        cookies=[Cookie(key="a", value="1"), Cookie(key="doc", documentation_only=True)],
    )
    asgi.encoded_headers.insert(0, (b"x-raw", b"1"))  # as outpour's fast paths add pre-encoded headers
    assert (asgi.body, asgi.content_length, asgi.media_type, asgi.status_code) == (b"caf\xe9", 4, "text/html", 201)
    assert asgi.headers == {"Link": "</b>"}
    assert asgi.cookies == [Cookie(key="a", value="1")]
    assert asgi.encode_headers() == [
        (b"x-raw", b"1"),
        (b"link", b"</a>"),
        (b"link", b"</b>"),
        (b"content-type", b"text/html; charset=latin-1"),
        (b"content-length", b"4"),
        (b"set-cookie", b"a=1; Path=/; SameSite=lax"),
    ]


def test_asgi_response_given_framing_headers_win() -> None:
    asgi = ASGIResponse(
        body=b"{}",
        media_type=MediaType.JSON,
        content_length=99,
        headers={"Content-Type": "application/vnd.api+json"},
    )
    assert asgi.content_length == 99
    assert asgi.encode_headers() == [(b"content-type", b"application/vnd.api+json"), (b"content-length", b"99")]


@pytest.mark.parametrize("status", [pytest.param(s, id=str(s)) for s in (101, 204, 304)])
def test_asgi_response_bodyless_status_sends_no_framing(status: int) -> None:
    asgi = ASGIResponse(media_type=MediaType.JSON, status_code=status)
    assert (asgi.body, asgi.content_length, asgi.encode_headers()) == (b"", None, [])


@pytest.mark.parametrize("status", [pytest.param(s, id=str(s)) for s in (101, 204, 304)])
def test_asgi_response_refuses_a_body_with_a_bodyless_status(status: int) -> None:
    with pytest.raises(
        ImproperlyConfiguredException,
        match=rf"status code {status} was given a body, which that status forbids .* Give `body=b\"\"`",
    ):
        ASGIResponse(body=b"not allowed", media_type=MediaType.JSON, status_code=status)


def test_asgi_response_refuses_bad_headers() -> None:
    with pytest.raises(ValueError, match="header `x-a` contains the control character"):
        ASGIResponse(headers={"x-a": "1\r\nx-b: 2"})


@pytest.mark.anyio
async def test_asgi_response_call_sends_start_body_then_background() -> None:
    order: list[str] = []
    asgi = ASGIResponse(
        body=b"hello",
        media_type=MediaType.TEXT,
        background=BackgroundTasks([BackgroundTask(order.append, "one"), BackgroundTask(order.append, "two")]),
    )
    messages = await run(asgi)
    assert messages == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"5")],
        },
        {"type": "http.response.body", "body": b"hello"},
    ]
    assert order == ["one", "two"]


def test_asgi_response_refuses_a_body_for_head() -> None:
    with pytest.raises(ImproperlyConfiguredException, match=r"to a HEAD request was given a body.*`content_length`"):
        ASGIResponse(body=b"hello", media_type=MediaType.TEXT, is_head_response=True)


@pytest.mark.anyio
async def test_asgi_response_head_keeps_content_length_and_sends_no_body() -> None:
    asgi = ASGIResponse(content_length=5, media_type=MediaType.TEXT, is_head_response=True)
    start, body = await run(asgi, "HEAD")
    assert header_map(start["headers"])[b"content-length"] == [b"5"]
    assert body == {"type": "http.response.body", "body": b""}


@pytest.mark.anyio
async def test_asgi_response_parts_can_be_called_alone() -> None:
    ran: list[int] = []
    asgi = ASGIResponse(body=b"x", background=BackgroundTask(ran.append, 1))
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    await asgi.start_response(send)
    await asgi.send_body(send, receive)
    assert ran == []
    await asgi.after_response()
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["headers"] == [(b"content-length", b"1")]
    assert ran == [1]


@pytest.mark.anyio
async def test_asgi_response_without_background_after_response_does_nothing() -> None:
    response = ASGIResponse()
    await response.after_response()
    assert response.scope is None


def test_render_with_many_distinct_enc_hooks_stays_correct() -> None:
    response = Response(None)

    def hook_for(label: str) -> Any:
        return lambda value: label

    for index in range(300):
        body = response.render([Money(1)], "application/json", hook_for(str(index)))
        assert body == f'["{index}"]'.encode()


# -- response_parts: the plan's fast path for a returned plain Response -----------------------------------------------

LAYERED_COOKIES = [Cookie(key="layer", value="1"), Cookie(key="shared", value="layer")]


@pytest.mark.parametrize(
    ("response", "layered"),
    [
        pytest.param(Response({"a": 1}), {}, id="bare"),
        pytest.param(
            Response({"a": 1}, headers={"X-A": "own"}), {"x-a": "layer", "x-b": "layer"}, id="own-header-wins"
        ),
        pytest.param(Response("<a/>", headers={"Content-Type": "application/xml"}), {}, id="own-content-type"),
        pytest.param(Response({"a": 1}), {"content-type": "application/vnd.layer+json"}, id="layered-content-type"),
        pytest.param(Response([Money(2)], type_encoders=encoders("own")), {}, id="own-encoders-win"),
        pytest.param(Response([Money(2)]), {}, id="layered-encoders"),
        pytest.param(Response("é", media_type=MediaType.TEXT, encoding="latin-1"), {}, id="text-encoding"),
        pytest.param(Response(None, status_code=204, headers={"x-a": "1"}), {}, id="bodyless"),
        pytest.param(Response({"a": 1}, cookies=[Cookie(key="shared", value="own")]), {}, id="own-cookies-merge"),
        pytest.param(
            Response({"a": 1}, status_code=201, media_type="application/vnd.msgpack"), {}, id="own-status-type"
        ),
        pytest.param(Response(b"abc", headers={"Content-Length": "3"}), {}, id="own-content-length"),
    ],
)
def test_response_parts_send_what_to_asgi_response_sends(response: Response[Any], layered: dict[str, str]) -> None:
    layered_pairs = [(name.encode(), value.encode()) for name, value in layered.items()]
    parts = response_parts(
        response,
        layered_pairs,
        LAYERED_COOKIES,
        [cookie.to_encoded_header() for cookie in LAYERED_COOKIES],
        "application/json",
        200,
        encoders("layer"),
    )
    asgi = response.to_asgi_response(
        None,
        cookies=LAYERED_COOKIES,
        headers=layered,
        media_type="application/json",
        status_code=200,
        type_encoders=encoders("layer"),
    )
    assert parts is not None
    status, headers, body = parts
    assert (status, body) == (asgi.status_code, asgi.body)
    assert sorted(headers) == sorted(asgi.encode_headers())


@pytest.mark.parametrize("name", [pytest.param("ETag", id="etag"), pytest.param("Last-Modified", id="last-modified")])
def test_response_parts_leave_validators_to_the_general_path(name: str) -> None:
    response = Response({"a": 1}, headers={name: '"x"'})
    assert response_parts(response, [], [], [], "application/json", 200, None) is None


def test_response_parts_refuse_a_bad_header() -> None:
    response = Response({"a": 1})
    response.headers["x-bad"] = "a\r\nb"  # bypasses set_header's check
    with pytest.raises(ValueError, match="control character"):
        response_parts(response, [], [], [], "application/json", 200, None)


def test_response_parts_without_any_cookie() -> None:
    parts = response_parts(Response([1]), [], [], [], "application/json", 200, None)
    assert parts == (200, [(b"content-type", b"application/json"), (b"content-length", b"3")], b"[1]")


def test_header_values_of_any_type_are_sent_as_their_str() -> None:
    first = ASGIResponse(headers={"x-int": 7, "x-list": ["a"]})
    again = ASGIResponse(headers={"x-int": 7, "x-list": ["a"]})
    assert first.encoded_headers == again.encoded_headers == [(b"x-int", b"7"), (b"x-list", b"['a']")]


def test_many_distinct_headers_are_all_encoded() -> None:
    for index in range(1100):
        assert ASGIResponse(headers={"x-id": str(index)}).encoded_headers == [(b"x-id", str(index).encode())]


def test_render_errors_say_what_to_do_instead() -> None:
    """The whole of each message, so that a change to its advice is seen."""
    with pytest.raises(ImproperlyConfiguredException) as bodyless:
        Response("x", status_code=204).to_asgi_response(None)
    assert str(bodyless.value).endswith(
        "but it has content: `'x'`. Give `None` as the content, or choose a status code that allows a body, such as "
        "200."
    )
    with pytest.raises(ImproperlyConfiguredException) as empty:
        Response(Empty).render(Empty, MediaType.JSON)
    assert str(empty.value).endswith(
        'The `Empty` sentinel (`outpour.types.Empty`) was given as response content; it means "no value" and has no '
        "body. Return `None` for an empty body (or `Response(None, status_code=204)`), or the value to send."
    )
    with pytest.raises(ImproperlyConfiguredException) as always:
        File("x", status_code=204)  # a file always has a body
    assert str(always.value).endswith(
        "A `File` has status code 204, which forbids a response body (1xx, 204 and 304 have none, RFC 9110), but it "
        "always sends one. Return `Response(None, status_code=204)` for a response without a body, or give a status "
        "code that allows one, such as 200."
    )
    with pytest.raises(ImproperlyConfiguredException) as text:
        Response(None).render({"a": 1}, "text/plain")
    assert str(text.value).endswith(
        "Cannot render a `dict` as `text/plain`: return `str` or `bytes` for this media type, or use a JSON or "
        "MessagePack media type to serialize structured data."
    )


def test_render_defaults_to_utf8_and_uses_type_encoders_for_messagepack() -> None:
    from outpour.response._render import render

    assert render("é", "text/plain") == "é".encode()
    assert render([Money(1)], "application/vnd.msgpack", encoders("t")) == msgspec.msgpack.encode(["t:1"])


@pytest.mark.parametrize("media_type", ["application/json", "application/x-msgpack"])
def test_a_structured_renderer_encodes_str_content_with_its_encoding(media_type: str) -> None:
    from outpour.response._render import get_renderer

    assert get_renderer(media_type, None, "latin-1")("é") == "é".encode("latin-1")
