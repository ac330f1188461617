"""``Request.content_length``: the ``Content-Length`` header as a number, as Litestar's ``Request`` has it."""

from __future__ import annotations

from typing import Any

import pytest

from outpour import Request, post
from outpour.testing import create_test_client


@post("/", sync_to_thread=False)
def length(request: Request[Any, Any, Any]) -> dict[str, int | None]:
    return {"length": request.content_length}


@pytest.mark.parametrize(
    ("headers", "content", "status", "body"),
    [
        pytest.param({}, b"abc", 201, {"length": 3}, id="sent"),
        pytest.param({}, b"", 201, {"length": 0}, id="empty-body"),
        pytest.param(
            {"content-length": "a"}, b"1", 400, {"status_code": 400, "detail": "Invalid content-length: 'a'"}, id="word"
        ),
        pytest.param(
            {"content-length": "-1"}, b"", 400, {"status_code": 400, "detail": "Invalid content-length: '-1'"}, id="neg"
        ),
    ],
)
def test_content_length(headers: dict[str, str], content: bytes, status: int, body: dict[str, Any]) -> None:
    with create_test_client([length]) as client:
        response = client.post("/", content=content, headers=headers)
    assert (response.status_code, response.json()) == (status, body)


def test_no_content_length_header_is_none() -> None:
    scope: Any = {"type": "http", "method": "GET", "headers": [], "path": "/", "query_string": b""}
    assert Request(scope).content_length is None


@post("/echo", sync_to_thread=False)
async def echo(body: bytes) -> bytes:
    return body


@post("/read")
async def read(request: Request[Any, Any, Any]) -> bytes:
    return await request.body()


@post("/stream")
async def stream(request: Request[Any, Any, Any]) -> bytes:
    return b"".join([chunk async for chunk in request.stream()])


@pytest.mark.parametrize("path", ["/echo", "/read", "/stream"])
def test_a_body_longer_than_its_content_length_is_a_400(path: str) -> None:
    with create_test_client([echo, read, stream]) as client:
        refused = client.post(path, content=b"ab", headers={"content-length": "1"})
        exact = client.post(path, content=b"ab", headers={"content-length": "2"})
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Malformed request: the body is longer than its `Content-Length`")
    assert (exact.status_code, exact.content) == (201, b"ab")
