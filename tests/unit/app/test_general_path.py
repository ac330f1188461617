"""The specialised request paths against the general one (``OUTPOUR_GENERAL_PATH=1``, see ``docs/dev/``).

Each test here builds its app on both paths, whatever the environment of the run, and checks the same answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import msgspec
import pytest

from outpour import Controller, MediaType, Outpour, Response, Router, get, post
from outpour.datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
from outpour.response import Redirect, ServerSentEvent, Stream
from outpour.testing import create_test_client


@pytest.fixture(params=[pytest.param(False, id="fast"), pytest.param(True, id="general")])
def general(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Build the apps of a test on the specialised paths, then on the general path."""
    if request.param:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
    else:
        monkeypatch.delenv("OUTPOUR_GENERAL_PATH", raising=False)
    return bool(request.param)


def _runner(app: Outpour, name: str, method: str = "GET") -> str:
    plan = next(p for p in app.plans if p.handler.handler_name == name and p.method == method)
    return plan._build().__name__


@get("/items/{item_id:int}")
async def search(item_id: int, q: int, tag: str = "none") -> dict[str, Any]:
    return {"item_id": item_id, "q": q, "tag": tag}


@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        pytest.param("/items/1?q=2", 200, {"item_id": 1, "q": 2, "tag": "none"}, id="ok"),
        pytest.param(
            "/items/1?tag=a",
            400,
            {"status_code": 400, "detail": "Missing required query parameter 'q' for path /items/1"},
            id="missing-required",
        ),
        pytest.param(
            "/items/1?q=x",
            400,
            {
                "status_code": 400,
                "detail": "Validation failed for GET /items/1?q=x",
                "extra": [{"message": "Expected `int`, got `str`", "key": "q", "source": "query"}],
            },
            id="invalid",
        ),
    ],
)
def test_query_parameters_of_an_async_handler(general: bool, url: str, status: int, body: dict[str, Any]) -> None:
    # Issue 13, item 6: dropping the 400 for a missing required query parameter in the fast path must fail here.
    with create_test_client([search], openapi_config=None) as client:
        assert _runner(client.app, "search") == ("run_general" if general else "run_path_and_query")
        response = client.get(url)
    assert (response.status_code, response.json()) == (status, body)


@get("/api/x", sync_to_thread=False)
def api_x() -> str:
    return "api-x"


@get("/x", sync_to_thread=False)
def x() -> str:
    return "x"


@pytest.mark.parametrize("url", [pytest.param("/api/x", id="exact"), pytest.param("/api/x/", id="trailing-slash")])
def test_a_static_path_under_a_root_path_is_routed_without_it(general: bool, url: str) -> None:
    # The app's exact-path lookup once answered `/api/x` here, where the matcher strips `root_path` and answers `/x`.
    with create_test_client([api_x, x], root_path="/api", openapi_config=None) as client:
        assert client.get(url).text == "x"


def _chunks() -> Iterator[str]:
    yield "a"
    yield "b"


@get("/plain", sync_to_thread=False)
def plain() -> dict[str, int]:
    return {"a": 1}


@get("/response", sync_to_thread=False)
def response() -> Response[str]:
    return Response("r", headers={"x-a": "1"})


@get("/stream", sync_to_thread=False)
def stream() -> Stream:
    return Stream(_chunks())


@get("/sse", sync_to_thread=False)
def sse() -> ServerSentEvent:
    return ServerSentEvent(_chunks())


def test_every_kind_of_value_is_sent_alike(general: bool) -> None:
    with create_test_client([plain, response, stream, sse], openapi_config=None) as client:
        assert (client.app._static == {}) is general
        assert {_runner(client.app, n) for n in ("plain", "response", "stream", "sse")} == (
            {"run_general"} if general else {"run_sync_no_params"}
        )
        answers = {path: client.get(path) for path in ("/plain", "/response", "/stream", "/sse")}
    assert answers["/plain"].json() == {"a": 1}
    assert answers["/plain"].headers["content-type"] == "application/json"
    assert (answers["/response"].text, answers["/response"].headers["x-a"]) == ("r", "1")
    assert answers["/stream"].text == "ab"
    assert answers["/sse"].text == "data: a\r\n\r\ndata: b\r\n\r\n"


class _Layered(Controller):
    """A controller adding a Cache-Control header to routes under a router that adds a header and a cookie."""

    path = "/layered"
    cache_control = CacheControlHeader(max_age=60)

    @get("/response", etag=ETag(value="v1"), response_cookies=[Cookie(key="theme", value="dark")], sync_to_thread=False)
    def layered_response(self) -> Response[dict[str, int]]:
        return Response({"layers": 3}, headers={"x-response": "1"})

    @get("/created", etag=ETag(value="v1"), sync_to_thread=False)
    def created(self) -> Response[dict[str, int]]:
        return Response({"layers": 3}, status_code=202)

    @get("/own-etag", etag=ETag(value="v1"), sync_to_thread=False)
    def own_etag(self) -> Response[str]:
        return Response("own", headers={"etag": '"own"'})

    @get("/redirect", response_cookies=[Cookie(key="theme", value="dark")], sync_to_thread=False)
    def redirect(self) -> Redirect:
        return Redirect(path="/a b", headers={"x-redirect": "1"})

    @get("/redirect-html", media_type=MediaType.HTML, status_code=301, sync_to_thread=False)
    def redirect_html(self) -> Redirect:
        return Redirect(path="/to", query_params={"q": ["1", "2"]}, cookies=[Cookie(key="k", value="v")])

    @get("/not-a-redirect", sync_to_thread=False)
    def not_a_redirect(self) -> Redirect:
        return {"a": 1}  # type: ignore[return-value]

    @get("/not-a-response", sync_to_thread=False)
    def not_a_response(self) -> Response[Any]:
        return "text"  # type: ignore[return-value]


_layers = Router(
    path="/",
    route_handlers=[_Layered],
    response_headers=[ResponseHeader(name="x-router", value="1")],
    response_cookies=[Cookie(key="session", value="abc123")],
)


def _answer(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, sorted(response.headers.multi_items()), response.content


def test_returned_responses_and_redirects_are_sent_alike_on_both_paths(general: bool) -> None:
    """Layered headers, cookies and validators on a returned `Response` or `Redirect`, with or without preconditions."""
    with create_test_client([_layers], openapi_config=None) as client:
        got = {
            name: _answer(client.request(method, url, headers=headers, follow_redirects=False))
            for name, method, url, headers in [
                ("plain", "GET", "/layered/response", {}),
                ("head", "HEAD", "/layered/response", {}),
                ("not-modified", "GET", "/layered/response", {"if-none-match": '"v1"'}),
                ("failed", "GET", "/layered/response", {"if-match": '"v2"'}),
                ("status-202", "GET", "/layered/created", {"if-none-match": '"v1"'}),
                ("own-etag", "GET", "/layered/own-etag", {"if-none-match": '"v1"'}),
                ("own-etag-match", "GET", "/layered/own-etag", {"if-none-match": '"own"'}),
                ("redirect", "GET", "/layered/redirect", {}),
                ("redirect-html", "GET", "/layered/redirect-html", {}),
                ("not-a-redirect", "GET", "/layered/not-a-redirect", {}),
                ("not-a-response", "GET", "/layered/not-a-response", {}),
            ]
        }
    assert got["plain"] == (
        200,
        sorted(
            [
                ("cache-control", "max-age=60"),
                ("content-length", "12"),
                ("content-type", "application/json"),
                ("etag", '"v1"'),
                ("set-cookie", "session=abc123; Path=/; SameSite=lax"),
                ("set-cookie", "theme=dark; Path=/; SameSite=lax"),
                ("x-response", "1"),
                ("x-router", "1"),
            ]
        ),
        b'{"layers":3}',
    )
    assert got["head"][:2] == got["plain"][:2]
    assert got["head"][2] == b""
    assert got["not-modified"][0] == 304
    assert ("etag", '"v1"') in got["not-modified"][1]
    assert got["not-modified"][2] == b""
    assert got["failed"][0] == 412
    assert got["status-202"][0] == 304  # the response's own 2xx status is what counts
    assert (got["own-etag"][0], got["own-etag"][2]) == (200, b"own")
    assert got["own-etag-match"][0] == 304
    status, headers, body = got["redirect"]
    assert (status, body) == (302, b"")
    assert ("location", "/a%20b") in headers
    assert ("x-redirect", "1") in headers
    assert ("x-router", "1") in headers
    assert ("content-type", "text/plain; charset=utf-8") in headers
    assert [v for k, v in headers if k == "set-cookie"] == [
        "session=abc123; Path=/; SameSite=lax",
        "theme=dark; Path=/; SameSite=lax",
    ]
    status, headers, _ = got["redirect-html"]
    assert status == 301
    assert ("location", "/to?q=1&q=2") in headers
    assert ("content-type", "text/html; charset=utf-8") in headers
    assert sorted(v for k, v in headers if k == "set-cookie") == [
        "k=v; Path=/; SameSite=lax",
        "session=abc123; Path=/; SameSite=lax",
    ]
    assert (got["not-a-redirect"][0], got["not-a-redirect"][2]) == (200, b'{"a":1}')
    assert (got["not-a-response"][0], got["not-a-response"][2]) == (200, b"text")


@dataclasses.dataclass
class _Item:
    name: str
    price: float


@post("/items", request_max_body_size=64)
async def create_item(data: _Item) -> _Item:
    return data


@pytest.mark.parametrize(
    ("body", "content_type", "status", "detail"),
    [
        pytest.param(b'{"name":"a","price":1.5}', "application/json", 201, None, id="json"),
        pytest.param(
            msgspec.msgpack.encode({"name": "a", "price": 1.5}), "application/vnd.msgpack", 201, None, id="msgpack"
        ),
        pytest.param(b'{"name":"a"', "application/json", 400, "Malformed JSON request body", id="malformed"),
        pytest.param(
            b'{"name":"a","price":"x"}', "application/json", 400, "Validation failed for POST /items", id="invalid"
        ),
        pytest.param(b"", "application/json", 400, "Validation failed for POST /items", id="empty"),
        pytest.param(b"x" * 65, "application/json", 413, "exceeds the limit of 64 bytes", id="too-large"),
        pytest.param(
            b"<a/>", "application/xml", 415, "Unsupported request body media type `application/xml`", id="xml"
        ),
    ],
)
@pytest.mark.parametrize(
    ("path", "name", "runner"),
    [
        pytest.param("/items", "create_item", "run_positional_body", id="positional"),
        pytest.param("/items-kw", "create_item_kw", "run_body_only", id="keyword-only"),
    ],
)
def test_a_body_only_handler_answers_alike(
    general: bool, body: bytes, content_type: str, status: int, detail: str | None, path: str, name: str, runner: str
) -> None:
    with create_test_client([create_item, create_item_kw], openapi_config=None) as client:
        assert _runner(client.app, name, "POST") == ("run_general" if general else runner)
        # Twice: the second request takes what the route remembered of the first (its `Content-Type`'s decoder).
        responses = [client.post(path, content=body, headers={"content-type": content_type}) for _ in range(2)]
    for response in responses:
        assert response.status_code == status
        if detail is None:
            assert response.json() == {"name": "a", "price": 1.5}
        else:
            assert detail in response.json()["detail"]


@post("/items-kw", request_max_body_size=64)
async def create_item_kw(*, data: _Item) -> _Item:
    return data


# -- the fast paths' remembered work, against the general path ---------------------------------------------------------
#
# The specialised paths keep what repeats from one request to the next: the encoded headers of a returned `Response`,
# the headers around a `Redirect`'s `Location`, a route's parsed query strings, the decoder of a `Content-Type`. Each
# test below sends its requests (most of them twice) to an app built on the fast paths and to one built on the general
# path, and wants the same answers, byte for byte and in header order.

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
Request = tuple[str, str, dict[str, str], bytes]


def _answers_on_both_paths(
    monkeypatch: pytest.MonkeyPatch, handlers: list[Any], requests: list[Request]
) -> tuple[list[Answer], list[Answer]]:
    answers: dict[bool, list[Answer]] = {}
    for general in (False, True):
        if general:
            monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
        else:
            monkeypatch.delenv("OUTPOUR_GENERAL_PATH", raising=False)
        with create_test_client(handlers, openapi_config=None) as client:
            answers[general] = [
                (r.status_code, list(r.headers.raw), r.content)
                for r in (
                    client.request(method, url, headers=headers, content=content, follow_redirects=False)
                    for method, url, headers, content in requests
                )
            ]
    return answers[False], answers[True]


_OWN_HEADERS: dict[str, dict[str, Any]] = {
    "one": {"x-a": "1"},
    "two": {"x-b": "2", "x-a": "1"},
    "reordered": {"x-a": "1", "x-b": "2"},
    "case": {"X-Router": "mine", "x-a": "1"},
    "int": {"x-a": 1},
    "bool": {"x-a": True},
    "list": {"x-a": ["1", "2"]},
    "content-type": {"content-type": "application/vnd.api+json"},
    "etag": {"etag": '"own"'},
    "none": {},
    "crlf": {"x-a": "1\r\nx-injected: 1"},
    "nul": {"x-a": "1\x00"},
    "bad-name": {"x a": "1"},
}


@get("/own/{kind:str}", sync_to_thread=False)
def own_headers(kind: str) -> Response[Any]:
    return Response({"kind": kind}, headers=_OWN_HEADERS[kind])


@get("/own-text", sync_to_thread=False)
def own_text() -> Response[Any]:
    return Response("text", headers={"x-a": "1"})


@get("/changed/{what:str}", sync_to_thread=False)
def changed(what: str) -> Response[Any]:
    response: Response[Any] = Response({"a": 1}, headers={"x-a": "1"})
    if what == "media-type":
        response.media_type = MediaType.TEXT
        response.content = "changed"
    elif what == "status":
        response.status_code = 202
    elif what == "encoding":
        response.encoding = "latin-1"
        response.content = "é"
    elif what == "cookie":
        response.set_cookie("k", "v")
    return response


_own_layers = Router(
    path="/",
    route_handlers=[own_headers, own_text, changed],
    response_headers=[ResponseHeader(name="x-router", value="1")],
    response_cookies=[Cookie(key="session", value="abc123")],
    etag=ETag(value="v1"),
)


def test_returned_responses_with_own_headers_are_sent_alike_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path keeps the encoded headers of each set of own headers; never a value it must check again."""
    requests: list[Request] = [
        ("GET", f"/own/{kind}", {}, b"") for kind in [*_OWN_HEADERS, "one", "reordered", "int", "bool", "crlf", "nul"]
    ]
    requests += [
        ("GET", "/own/one", {"if-none-match": '"v1"'}, b""),
        ("GET", "/own/one", {"if-match": '"v2"'}, b""),
        ("GET", "/own/etag", {"if-none-match": '"own"'}, b""),
        ("HEAD", "/own/one", {}, b""),
        ("GET", "/own-text", {}, b""),
        *(("GET", f"/changed/{what}", {}, b"") for what in ("none", "media-type", "status", "encoding", "cookie")),
    ]
    fast, general = _answers_on_both_paths(monkeypatch, [_own_layers], requests)
    assert fast == general
    by_kind = dict(zip([url for _, url, _, _ in requests], fast, strict=False))
    assert (b"x-a", b"1") in by_kind["/own/int"][1]
    assert (b"x-a", b"True") in by_kind["/own/bool"][1]  # not the `1` of an equal key
    refused = [
        answer[0] for (_, url, _, _), answer in zip(requests, fast, strict=True) if url.endswith(("crlf", "nul"))
    ]
    assert refused == [500] * 4  # CR/LF and NUL, refused every time, never sent from memory
    assert by_kind["/own/case"][1][:3] == [(b"etag", b'"v1"'), (b"x-router", b"mine"), (b"x-a", b"1")]


@get("/go", status_code=301, sync_to_thread=False)
def go() -> Redirect:
    return Redirect(path="/to")


@get("/go-html", media_type=MediaType.HTML, sync_to_thread=False)
def go_html() -> Redirect:
    return Redirect(path="/to here", status_code=307)


@get("/go-bytes", sync_to_thread=False)
def go_bytes() -> Redirect:
    return Redirect(path=b"/to")  # type: ignore[arg-type]


@get("/go-changed", sync_to_thread=False)
def go_changed() -> Redirect:
    redirect = Redirect(path="/to")
    redirect.media_type = MediaType.HTML
    return redirect


_redirect_layers = Router(
    path="/",
    route_handlers=[go, go_html, go_bytes, go_changed],
    response_headers=[ResponseHeader(name="x-router", value="1"), ResponseHeader(name="location", value="/layered")],
    response_cookies=[Cookie(key="session", value="abc123")],
)


def test_plain_redirects_are_sent_alike_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """The headers around a plain redirect's `Location` are the route's, worked out once."""
    requests: list[Request] = [("GET", url, {}, b"") for url in ("/go", "/go", "/go-html", "/go-bytes", "/go-changed")]
    fast, general = _answers_on_both_paths(monkeypatch, [_redirect_layers], requests)
    assert fast == general
    assert fast[0][0] == 301  # the handler's redirect status code
    assert fast[0][1][:2] == [(b"x-router", b"1"), (b"location", b"/to")]
    assert fast[2][0] == 307


@get("/tags", sync_to_thread=False)
def tags_handler(tag: list[str], limit: int = 10) -> dict[str, Any]:
    tag.append("seen")  # a handler may change its arguments: the next request must not see it
    return {"tag": tag, "limit": limit}


@get("/tags-async")
async def tags_async(tag: list[str], limit: int = 10) -> dict[str, Any]:
    tag.append("seen")
    return {"tag": tag, "limit": limit}


@pytest.mark.parametrize("path", ["/tags", "/tags-async"])
def test_query_strings_parsed_once_are_answered_alike(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    urls = [f"{path}?tag=a&limit=3", f"{path}?tag=a&limit=3", f"{path}?tag=a%20b&tag=c", f"{path}?limit=x&tag=a"]
    requests: list[Request] = [("GET", url, {}, b"") for url in [*urls, *urls]]
    fast, general = _answers_on_both_paths(monkeypatch, [tags_handler, tags_async], requests)
    assert fast == general
    assert fast[1][2] == b'{"tag":["a","seen"],"limit":3}'
    assert fast[2][2] == b'{"tag":["a b","c","seen"],"limit":10}'
    assert fast[3][0] == fast[7][0] == 400


@post("/echo")
async def echo_item(data: _Item) -> _Item:
    return data


def test_body_content_types_are_answered_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """The decoder chosen for a raw `Content-Type` is remembered; a refused one is refused every time."""
    json_body, msgpack_body = b'{"name":"a","price":1.5}', msgspec.msgpack.encode({"name": "a", "price": 1.5})
    requests: list[Request] = [
        ("POST", "/echo", {"content-type": content_type}, body)
        for content_type, body in [
            ("application/json", json_body),
            ("application/json; charset=utf-8", json_body),
            ("APPLICATION/JSON", json_body),
            ("application/problem+json", json_body),
            ("application/vnd.msgpack", msgpack_body),
            ("application/x-msgpack", msgpack_body),
            ("application/xml", b"<a/>"),
            ("application/xml", b"<a/>"),
            ("application/json", json_body),
        ]
    ]
    requests.append(("POST", "/echo", {}, json_body))  # no Content-Type: JSON
    fast, general = _answers_on_both_paths(monkeypatch, [echo_item], requests)
    assert fast == general
    assert [status for status, _, _ in fast] == [201] * 6 + [415, 415, 201, 201]


@dataclasses.dataclass
class _Callable:
    name: str

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await Response({"called": self.name})(scope, receive, send)  # type: ignore[operator]


@get("/callable", sync_to_thread=False)
def callable_value() -> _Callable:
    return _Callable("a")


@get("/item", sync_to_thread=False)
def item_value() -> _Item:
    return _Item("a", 1.5)


@get("/str-as-json", sync_to_thread=False)
def str_as_json() -> Any:
    return '{"already":"json"}'


@get("/values/{kind:str}", sync_to_thread=False)
def values(kind: str) -> Any:
    return {"list": [1, 2], "tuple": (1, 2), "int": 3, "float": 1.5, "bool": True, "none": None, "bytes": b"raw"}[kind]


def test_values_sent_by_their_encoder_are_answered_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Values of a few types go straight to the renderer's encoder; a callable returned value is still an ASGI app."""
    urls = ["/item", "/str-as-json", "/callable"]
    urls += [f"/values/{kind}" for kind in ("list", "tuple", "int", "float", "bool", "none", "bytes")]
    fast, general = _answers_on_both_paths(
        monkeypatch, [callable_value, item_value, str_as_json, values], [("GET", url, {}, b"") for url in urls]
    )
    assert fast == general
    assert fast[0][2] == b'{"name":"a","price":1.5}'
    assert fast[1][2] == b'{"already":"json"}'
    assert fast[2][0] == 500  # an ASGI app `Response` is not: the same error on both paths
