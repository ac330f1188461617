"""Request heads refused before routing: 431 past ``request_max_header_size``, 501 for unknown transfer codings."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outpour import Outpour, Request, get, post
from outpour.config.app import AppConfig
from outpour.exceptions import HTTPException, ImproperlyConfiguredException
from outpour.response import Response
from outpour.testing import TestClient, create_test_client

RAN: list[str] = []


@get("/static")
async def static() -> str:
    RAN.append("static")
    return "static"


@get("/items/{item_id:int}")
async def item(item_id: int) -> str:
    RAN.append("item")
    return f"item {item_id}"


@post("/upload")
async def upload(request: Request) -> dict[str, int]:
    RAN.append("upload")
    return {"length": len(await request.body())}


@get("/size")
async def size(request: Request) -> int:
    """The size the app counts: every header name and value, in bytes."""
    return sum(len(name) + len(value) for name, value in request.scope["headers"])


HANDLERS = [static, item, upload, size]


@pytest.fixture(autouse=True)
def forget_runs() -> None:
    RAN.clear()


def _padding(client: TestClient[Outpour], total: int, path: str = "/size") -> dict[str, str]:
    """An ``x-pad`` header that brings the request's headers to ``total`` bytes of names and values."""
    base = int(client.get(path, headers={"x-pad": ""}).text)
    assert total >= base, "the limit is below the client's own headers"
    return {"x-pad": "p" * (total - base)}


# -- 431 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "ran"),
    [
        pytest.param("/static", "static", id="static-route"),
        pytest.param("/items/7", "item", id="dynamic-route"),
    ],
)
def test_header_bytes_up_to_the_limit_pass_one_more_is_431(path: str, ran: str) -> None:
    with create_test_client(HANDLERS, request_max_header_size=1000) as client:
        exactly = _padding(client, 1000)
        response = client.get(path, headers=exactly)
        assert (response.status_code, RAN) == (200, [ran])
        RAN.clear()
        response = client.get(path, headers={"x-pad": exactly["x-pad"] + "p"})
    assert RAN == []
    assert response.status_code == 431
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "status_code": 431,
        "detail": "The request's header fields total 1001 bytes (names and values), more than the 1000 bytes this "
        "server accepts. Send fewer or smaller headers (large cookies are the usual cause).",
    }


def test_a_chunked_request_has_the_same_limit() -> None:
    """A ``transfer-encoding`` header sends the request to the full check, which counts the same bytes."""
    chunked = {"transfer-encoding": "chunked"}
    with create_test_client(HANDLERS, request_max_header_size=1000) as client:
        base = int(client.get("/size", headers={**chunked, "x-pad": ""}).text)
        exactly = {**chunked, "x-pad": "p" * (1000 - base)}
        assert (client.get("/static", headers=exactly).status_code, RAN) == (200, ["static"])
        response = client.get("/static", headers={**exactly, "x-pad": exactly["x-pad"] + "p"})
    assert response.status_code == 431
    assert "total 1001 bytes (names and values), more than the 1000 bytes" in response.json()["detail"]


def test_the_default_limit_is_64_kib() -> None:
    with create_test_client(HANDLERS) as client:
        assert client.app.request_max_header_size == 65_536
        exactly = _padding(client, 65_536)
        assert client.get("/static", headers=exactly).status_code == 200
        response = client.get("/static", headers={**exactly, "x-more": ""})
    assert response.status_code == 431
    assert "total 65542 bytes (names and values), more than the 65536 bytes" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("GET", "/nowhere", id="no-route"),
        pytest.param("DELETE", "/static", id="method-not-allowed"),
        pytest.param("GET", "/schema/openapi.json", id="openapi-route"),
    ],
)
def test_the_limit_comes_before_routing(method: str, path: str) -> None:
    with create_test_client(HANDLERS, request_max_header_size=1000) as client:
        response = client.request(method, path, headers={"x-big": "b" * 1000})
    assert response.status_code == 431
    assert "more than the 1000 bytes this server accepts" in response.json()["detail"]


def test_a_head_request_gets_the_431_without_a_body() -> None:
    with create_test_client(HANDLERS, request_max_header_size=1000) as client:
        response = client.head("/static", headers={"x-big": "b" * 1000})
    assert (response.status_code, response.content) == (431, b"")
    assert int(response.headers["content-length"]) > 0


def test_none_disables_the_limit() -> None:
    with create_test_client(HANDLERS, request_max_header_size=None) as client:
        response = client.get("/items/3", headers={"x-big": "b" * 1024 * 1024})
    assert (response.status_code, response.text, RAN) == (200, "item 3", ["item"])


def test_the_limit_can_be_changed_on_the_app() -> None:
    with create_test_client(HANDLERS) as client:
        client.app.request_max_header_size = 1000
        assert client.get("/static", headers={"x-big": "b" * 1000}).status_code == 431
        client.app.request_max_header_size = None
        assert client.get("/static", headers={"x-big": "b" * 100_000}).status_code == 200


def test_an_on_app_init_hook_can_set_the_limit() -> None:
    def shrink(config: AppConfig) -> AppConfig:
        assert config.request_max_header_size == 65_536
        config.request_max_header_size = 1000
        return config

    with create_test_client(HANDLERS, on_app_init=[shrink]) as client:
        assert client.get("/static", headers={"x-big": "b" * 1000}).status_code == 431


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(-1, id="negative"),
        pytest.param(1.5, id="float"),
        pytest.param("64KiB", id="str"),
        pytest.param(True, id="bool"),
    ],
)
def test_bad_limits_are_refused_at_app_creation(value: Any) -> None:
    message = (
        rf"`request_max_header_size` must be a number of bytes \(an `int` >= 0\) or `None` for no limit, got "
        rf"`{value!r}`\. Pass, for example, `request_max_header_size=65536`"
    )
    with pytest.raises(ImproperlyConfiguredException, match=message):
        Outpour(HANDLERS, request_max_header_size=value)
    app = Outpour(HANDLERS)
    with pytest.raises(ImproperlyConfiguredException, match=message):
        app.request_max_header_size = value
    assert app.request_max_header_size == 65_536


def test_zero_refuses_any_header() -> None:
    with create_test_client(HANDLERS, request_max_header_size=0) as client:
        assert client.get("/static").status_code == 431


# -- Transfer-Encoding --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unknown"),
    [
        pytest.param("foo, chunked", "the transfer coding `foo` is", id="foo-chunked"),
        pytest.param("gzip, chunked", "the transfer coding `gzip` is", id="gzip-chunked"),
        pytest.param("foo", "the transfer coding `foo` is", id="foo"),
        pytest.param("chunked, gzip", "the transfer coding `gzip` is", id="chunked-not-last"),
        pytest.param("GZIP,deflate ,Chunked", "the transfer codings `gzip`, `deflate` are", id="several"),
        pytest.param("chunked;ext=1", "the transfer coding `chunked;ext=1` is", id="parameters"),
    ],
)
def test_an_unknown_transfer_coding_is_501_before_the_body_is_read(value: str, unknown: str) -> None:
    with create_test_client(HANDLERS) as client:
        response = client.post("/upload", headers={"transfer-encoding": value}, content=b"5\r\nhello\r\n0\r\n\r\n")
    assert RAN == []
    assert response.status_code == 501
    assert response.headers["connection"] == "close"
    assert response.json() == {
        "status_code": 501,
        "detail": f"The request's `Transfer-Encoding` is `{value}`: {unknown} not implemented here. Send the body "
        "with `Transfer-Encoding: chunked` alone, or with `Content-Length`.",
    }


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("chunked, chunked", id="twice"),
        pytest.param(" , ", id="empty-elements"),
    ],
)
def test_chunked_other_than_exactly_once_is_400(value: str) -> None:
    with create_test_client(HANDLERS) as client:
        response = client.post("/upload", headers={"transfer-encoding": value}, content=b"")
    assert RAN == []
    assert (response.status_code, response.headers["connection"]) == (400, "close")
    assert response.json()["detail"] == (
        f"The request's `Transfer-Encoding` is `{value}`: it must be `chunked`, exactly once. Send the body with "
        "`Transfer-Encoding: chunked` alone, or with `Content-Length`."
    )


@pytest.mark.parametrize("value", [pytest.param("chunked", id="chunked"), pytest.param(" Chunked ", id="case")])
def test_chunked_alone_reaches_the_handler(value: str) -> None:
    with create_test_client(HANDLERS) as client:
        response = client.post("/upload", headers={"transfer-encoding": value}, content=b"hello")
    assert (response.status_code, response.json(), RAN) == (201, {"length": 5}, ["upload"])


def test_several_transfer_encoding_fields_are_one_list() -> None:
    with create_test_client(HANDLERS) as client:
        headers = [("transfer-encoding", "gzip"), ("transfer-encoding", "chunked")]
        response = client.post("/upload", headers=headers, content=b"")
    assert response.status_code == 501
    assert response.json()["detail"].startswith("The request's `Transfer-Encoding` is `gzip, chunked`:")


def test_a_long_transfer_encoding_is_shortened_in_the_message() -> None:
    value = "x" * 300 + ", chunked"
    with create_test_client(HANDLERS) as client:
        response = client.post("/upload", headers={"transfer-encoding": value}, content=b"")
    assert response.status_code == 501
    assert f"is `{'x' * 200}…`: the transfer coding `{'x' * 200}…` is not implemented" in response.json()["detail"]


def test_a_transfer_coding_of_exactly_200_characters_is_shown_whole() -> None:
    value = "x" * 200
    with create_test_client(HANDLERS) as client:
        response = client.post("/upload", headers={"transfer-encoding": value}, content=b"")
    assert response.status_code == 501
    assert f"is `{value}`: the transfer coding `{value}` is not implemented" in response.json()["detail"]


@pytest.mark.anyio
async def test_a_server_that_keeps_header_case_still_gets_the_501() -> None:
    """ASGI servers lowercase header names; one that does not is still checked."""
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body was read")

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    headers = [(b"Host", b"testserver"), (b"Transfer-Encoding", b"foo, chunked")]
    scope = {"type": "http", "method": "POST", "path": "/upload", "query_string": b"", "headers": headers}
    await Outpour(HANDLERS)(scope, receive, send)
    assert (messages[0]["status"], RAN) == (501, [])
    assert b"the transfer coding `foo` is not implemented" in messages[1]["body"]


def test_the_431_comes_before_the_501() -> None:
    with create_test_client(HANDLERS, request_max_header_size=1000) as client:
        response = client.post("/upload", headers={"transfer-encoding": "foo", "x-big": "b" * 1000}, content=b"")
    assert response.status_code == 431


# -- the app's error path -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        pytest.param({"x-big": "b" * 1000}, 431, id="431"),
        pytest.param({"transfer-encoding": "foo, chunked"}, 501, id="501"),
    ],
)
def test_refusals_go_through_exception_handlers_and_hooks(headers: dict[str, str], status: int) -> None:
    sent: list[int] = []
    answered: list[int] = []

    def by_status(request: Request[Any, Any, Any], exc: HTTPException) -> Response[str]:
        return Response(f"custom {exc.status_code}", status_code=exc.status_code)

    def before_send(message: dict[str, Any], scope: Any) -> None:
        if message["type"] == "http.response.start":
            sent.append(message["status"])

    def after_exception(exc: Exception, scope: Any) -> None:
        assert isinstance(exc, HTTPException)
        answered.append(exc.status_code)

    with create_test_client(
        HANDLERS,
        request_max_header_size=1000,
        exception_handlers={status: by_status},
        before_send=[before_send],
        after_exception=[after_exception],
    ) as client:
        response = client.post("/upload", headers=headers, content=b"")
    assert (response.status_code, response.text) == (status, f"custom {status}")
    assert (sent, answered, RAN) == ([status], [status], [])


# -- Hypothesis -----------------------------------------------------------------------------------------------------

_header_name = st.from_regex(r"x-[a-z0-9-]{0,20}", fullmatch=True)
_header_value = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=300)
_coding = st.sampled_from(["chunked", "Chunked", "gzip", "deflate", "foo", "", " ", "chunked;a=b"])


UNLIMITED = Outpour(HANDLERS, request_max_header_size=None, openapi_config=None)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(headers=st.lists(st.tuples(_header_name, _header_value), max_size=12), limit=st.integers(0, 2000))
def test_431_exactly_when_the_headers_pass_the_limit(headers: list[tuple[str, str]], limit: int) -> None:
    with TestClient(UNLIMITED) as client:
        total = int(client.get("/size", headers=headers).text)
        client.app.request_max_header_size = limit
        try:
            response = client.get("/static", headers=headers)
        finally:
            client.app.request_max_header_size = None
    assert response.status_code == (431 if total > limit else 200)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(codings=st.lists(_coding, min_size=1, max_size=4))
def test_transfer_encoding_is_accepted_only_as_chunked_alone(codings: list[str]) -> None:
    value = ",".join(codings)
    with create_test_client(HANDLERS, openapi_config=None) as client:
        response = client.post("/upload", headers={"transfer-encoding": value}, content=b"")
    names = [coding.strip().lower() for coding in codings if coding.strip()]
    if names == ["chunked"]:
        assert response.status_code == 201
    elif set(names) - {"chunked"}:
        assert response.status_code == 501
    else:
        assert response.status_code == 400


def test_many_unknown_codings_are_listed_up_to_five() -> None:
    with create_test_client(HANDLERS) as client:
        response = client.post("/upload", headers={"transfer-encoding": "a, b, c, d, e, f, chunked"}, content=b"")
    assert "the transfer codings `a`, `b`, `c`, `d`, `e`, … are not implemented" in response.json()["detail"]


def test_five_unknown_codings_are_all_listed() -> None:
    with create_test_client(HANDLERS) as client:
        response = client.post("/upload", headers={"transfer-encoding": "a, b, c, d, e, chunked"}, content=b"")
    assert "the transfer codings `a`, `b`, `c`, `d`, `e` are not implemented" in response.json()["detail"]


def test_the_501_is_a_warning_without_a_traceback(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="outpour"), create_test_client(HANDLERS, debug=True) as client:
        response = client.post("/upload", headers={"transfer-encoding": "foo, chunked"}, content=b"x")
    assert response.status_code == 501
    assert response.json()["detail"].startswith("The request's `Transfer-Encoding` is `foo, chunked`")
    records = [r for r in caplog.records if r.name == "outpour"]
    assert [(r.levelno, r.exc_info) for r in records] == [(logging.WARNING, None)]
    assert "Transfer-Encoding" in records[0].getMessage()
