"""Data extractors: what a logging middleware gets out of a real request and a real response."""

from __future__ import annotations

import inspect
from typing import Any, cast

import msgspec
import pytest

from outpour import Request, Response, get, post
from outpour.connection import ASGIConnection
from outpour.data_extractors import ConnectionDataExtractor, ResponseDataExtractor
from outpour.datastructures import Cookie
from outpour.testing import create_test_client
from outpour.types import ASGIApp, HTTPResponseBodyEvent, HTTPResponseStartEvent, Message, Receive, Scope, Send


def _extract_with(extractor: ConnectionDataExtractor, fields: tuple[str, ...]) -> Any:
    """A handler at ``/items/{item_id:int}`` answering with what ``extractor`` extracts from its request."""

    @post("/items/{item_id:int}", status_code=200)
    async def handler(request: Request[Any, Any, Any], item_id: int) -> dict[str, Any]:
        data: dict[str, Any] = dict(await extractor.extract(request, fields))
        if isinstance(data.get("body"), bytes):
            data["body"] = data["body"].decode()
        if isinstance(data.get("query"), bytes):
            data["query"] = data["query"].decode()
        return data

    return handler


def test_extracts_every_field_of_a_request() -> None:
    fields = (
        "path",
        "method",
        "content_type",
        "headers",
        "cookies",
        "query",
        "path_params",
        "body",
        "scheme",
        "client",
    )
    handler = _extract_with(ConnectionDataExtractor(), fields)
    with create_test_client([handler]) as client:
        response = client.post(
            "/items/7?q=1&q=2",
            content=b'{"a": 1}',
            headers={"content-type": "application/json; charset=utf-8", "x-token": "abc", "cookie": "session=s1"},
        )
    data = response.json()
    assert (data["path"], data["method"], data["scheme"]) == ("/items/7", "POST", "http")
    assert data["content_type"] == ["application/json", {"charset": "utf-8"}]
    assert data["headers"]["x-token"] == "abc"
    assert data["cookies"] == {"session": "s1"}
    assert data["query"] == "q=1&q=2"
    assert data["path_params"] == {"item_id": 7}
    assert data["body"] == '{"a": 1}'
    assert data["client"] == ["testclient", 50000]


@pytest.mark.parametrize(
    ("extractor", "expected_headers", "expected_cookies"),
    [
        pytest.param(ConnectionDataExtractor(), "abc", "s1", id="plain"),
        pytest.param(
            ConnectionDataExtractor(obfuscate_headers={"X-Token"}, obfuscate_cookies={"SESSION"}),
            "*****",
            "*****",
            id="obfuscated-case-insensitively",
        ),
    ],
)
def test_obfuscates_named_headers_and_cookies(
    extractor: ConnectionDataExtractor, expected_headers: str, expected_cookies: str
) -> None:
    handler = _extract_with(extractor, ("headers", "cookies"))
    with create_test_client([handler]) as client:
        response = client.post("/items/1", headers={"x-token": "abc", "cookie": "session=s1; theme=dark"})
    data = response.json()
    assert (data["headers"]["x-token"], data["cookies"]["session"]) == (expected_headers, expected_cookies)
    assert data["cookies"]["theme"] == "dark"
    assert data["headers"]["host"] == "testserver.local"


def test_parse_query_gives_every_value_of_each_name() -> None:
    handler = _extract_with(ConnectionDataExtractor(parse_query=True), ("query",))
    with create_test_client([handler]) as client:
        response = client.post("/items/1?q=1&q=2&x=a")
    assert response.json() == {"query": {"q": ["1", "2"], "x": ["a"]}}


@pytest.mark.parametrize(
    ("request_kwargs", "expected"),
    [
        pytest.param({"json": {"a": [1, 2]}}, {"a": [1, 2]}, id="json"),
        pytest.param(
            {"content": msgspec.msgpack.encode({"a": 1}), "headers": {"content-type": "application/vnd.msgpack"}},
            {"a": 1},
            id="msgpack",
        ),
        pytest.param({"data": {"a": "1", "b": "2"}}, {"a": "1", "b": "2"}, id="urlencoded"),
        pytest.param(
            {"content": b"a=1&a=2&a=3", "headers": {"content-type": "application/x-www-form-urlencoded"}},
            {"a": ["1", "2", "3"]},
            id="repeated-field",
        ),
        pytest.param(
            {"content": b"plain text", "headers": {"content-type": "text/plain"}}, "plain text", id="text-stays-raw"
        ),
        pytest.param(
            {"data": {"name": "x"}, "files": {"upload": ("a.txt", b"secret contents", "text/plain")}},
            {"name": "x", "upload": "a.txt - text/plain"},
            id="multipart-file-by-repr",
        ),
    ],
)
def test_parse_body_decodes_by_media_type(request_kwargs: dict[str, Any], expected: Any) -> None:
    handler = _extract_with(ConnectionDataExtractor(parse_body=True), ("body",))
    with create_test_client([handler]) as client:
        response = client.post("/items/1", **request_kwargs)
    assert response.json() == {"body": expected}


def test_malformed_body_raises_unless_skipped() -> None:
    strict = _extract_with(ConnectionDataExtractor(parse_body=True), ("body",))
    lenient = _extract_with(ConnectionDataExtractor(parse_body=True, skip_parse_malformed_body=True), ("body",))
    with create_test_client([strict]) as client:
        failed = client.post("/items/1", content=b"{nope", headers={"content-type": "application/json"})
    with create_test_client([lenient]) as client:
        skipped = client.post("/items/1", content=b"{nope", headers={"content-type": "application/json"})
    assert failed.status_code == 400
    assert "Malformed JSON body" in failed.json()["detail"]
    assert skipped.json() == {"body": "{nope"}


def test_disabled_fields_are_left_out() -> None:
    extractor = ConnectionDataExtractor(extract_body=False, extract_headers=False, extract_cookies=False)
    handler = _extract_with(extractor, ("path", "headers", "cookies", "body"))
    with create_test_client([handler]) as client:
        response = client.post("/items/1", headers={"cookie": "a=b"})
    assert response.json() == {"path": "/items/1"}
    assert set(extractor.connection_extractors) == {"scheme", "client", "path", "query", "path_params"}
    assert set(extractor.request_extractors) == {"method", "content_type"}


def test_calling_the_extractor_leaves_the_body_to_await() -> None:
    extractor = ConnectionDataExtractor(extract_client=False)

    @post("/", status_code=200)
    async def handler(request: Request[Any, Any, Any]) -> dict[str, Any]:
        data = extractor(request)
        body = data["body"]
        assert inspect.iscoroutine(body)
        return {"body": (await body).decode(), "keys": sorted(data)}

    with create_test_client([handler]) as client:
        response = client.post("/", content=b"hello")
    assert response.json() == {
        "body": "hello",
        "keys": ["body", "content_type", "cookies", "headers", "method", "path", "path_params", "query", "scheme"],
    }


def test_a_connection_that_is_not_a_request_gets_the_connection_fields_only() -> None:
    scope = {"type": "websocket", "scheme": "ws", "path": "/ws", "headers": [(b"x-a", b"1")], "query_string": b"q=1"}
    data = ConnectionDataExtractor(extract_client=False)(ASGIConnection(scope))
    assert data == {
        "scheme": "ws",
        "path": "/ws",
        "headers": {"x-a": "1"},
        "cookies": {},
        "query": b"q=1",
        "path_params": {},
    }


def test_client_is_empty_when_the_server_gives_none() -> None:
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "client": None})
    assert ConnectionDataExtractor.extract_client(request) == ("", 0)


def _recording(messages: list[Message]) -> Any:
    def middleware(app: ASGIApp) -> ASGIApp:
        async def record(scope: Scope, receive: Receive, send: Send) -> None:
            async def send_and_record(message: Message) -> None:
                messages.append(message)
                await send(message)

            await app(scope, receive, send_and_record)

        return record

    return middleware


def _response_messages(extractor: ResponseDataExtractor) -> Any:
    messages: list[Message] = []

    @get("/", media_type="text/plain")
    async def handler() -> Response[str]:
        return Response(
            "done",
            status_code=201,
            headers={"x-token": "abc", "x-trace": "t1"},
            cookies=[Cookie(key="session", value="s1", path="/"), Cookie(key="theme", value="dark")],
        )

    with create_test_client([handler], middleware=[_recording(messages)]) as client:
        client.get("/")
    start, body = cast("HTTPResponseStartEvent", messages[0]), cast("HTTPResponseBodyEvent", messages[1])
    return extractor((start, body))


def test_response_extractor_reads_status_headers_cookies_and_body() -> None:
    data = _response_messages(ResponseDataExtractor())
    assert (data["status_code"], data["body"]) == (201, b"done")
    assert data["headers"]["x-token"] == "abc"
    assert "set-cookie" not in data["headers"]
    assert data["cookies"] == {"session": "s1", "theme": "dark"}


def test_response_extractor_obfuscates_and_skips_fields() -> None:
    extractor = ResponseDataExtractor(extract_body=False, obfuscate_headers={"X-TOKEN"}, obfuscate_cookies={"Session"})
    data = _response_messages(extractor)
    assert "body" not in data
    assert (data["headers"]["x-token"], data["headers"]["x-trace"]) == ("*****", "t1")
    assert data["cookies"] == {"session": "*****", "theme": "dark"}
