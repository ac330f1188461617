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
def test_a_body_only_handler_answers_alike(
    general: bool, body: bytes, content_type: str, status: int, detail: str | None
) -> None:
    with create_test_client([create_item], openapi_config=None) as client:
        assert _runner(client.app, "create_item", "POST") == ("run_general" if general else "run_body_only")
        response = client.post("/items", content=body, headers={"content-type": content_type})
    assert response.status_code == status
    if detail is None:
        assert response.json() == {"name": "a", "price": 1.5}
    else:
        assert detail in response.json()["detail"]
