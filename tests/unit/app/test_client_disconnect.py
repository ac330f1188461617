"""A client that leaves before sending its whole request body: a quiet 400, not a server error."""

from __future__ import annotations

import logging
from typing import Any

import anyio
import pytest

from outpour import Outpour, Request, post
from outpour.types import Message, Scope

pytestmark = pytest.mark.anyio


def make_scope(path: str) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
    }


class ShortBody:
    """A server whose client sends part of a ``Content-Length: 100`` body, then closes the connection."""

    def __init__(self, send_error: OSError | None = None) -> None:
        self.messages: list[Message] = [{"type": "http.request", "body": b'{"a": 1, "', "more_body": True}]
        self.sent: list[Message] = []
        self.send_error = send_error

    async def receive(self) -> Message:
        return self.messages.pop(0) if self.messages else {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.send_error is not None:
            raise self.send_error
        self.sent.append(message)


@post("/data")
async def with_data(data: dict[str, Any]) -> dict[str, Any]:
    raise AssertionError("never called: the body is incomplete")  # pragma: no cover


@post("/body")
async def with_body(request: Request[Any, Any, Any]) -> int:
    return len(await request.body())


@post("/stream")
async def with_stream(request: Request[Any, Any, Any]) -> int:
    return sum([len(chunk) async for chunk in request.stream()])


@post("/json")
async def with_json(request: Request[Any, Any, Any]) -> Any:
    return await request.json()


HANDLERS = [with_data, with_body, with_stream, with_json]


@pytest.mark.parametrize("path", ["/data", "/body", "/stream", "/json"])
async def test_a_client_that_leaves_mid_body_gets_a_quiet_400(path: str, caplog: pytest.LogCaptureFixture) -> None:
    errors: list[BaseException] = []
    app = Outpour(HANDLERS, after_exception=[lambda exc, scope: errors.append(exc)])
    server = ShortBody()
    with caplog.at_level(logging.DEBUG, logger="outpour"), anyio.fail_after(5):
        await app(make_scope(path), server.receive, server.send)
    start, body = server.sent
    assert (start["status"], dict(start["headers"])[b"connection"]) == (400, b"close")
    assert body["body"].startswith(b"Incomplete request body")
    assert errors == []
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert "disconnected before sending the whole request body" in caplog.records[0].getMessage()


async def test_a_send_that_raises_after_the_client_left_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """ASGI 2.4 servers raise ``OSError`` from ``send`` once the client is gone: the request still ends quietly."""
    app = Outpour(HANDLERS)
    server = ShortBody(send_error=ConnectionResetError("gone"))
    with caplog.at_level(logging.WARNING), anyio.fail_after(5):
        await app(make_scope("/body"), server.receive, server.send)
    assert server.sent == []
    assert caplog.records == []


async def test_a_disconnect_raised_in_middleware_is_a_quiet_400(caplog: pytest.LogCaptureFixture) -> None:
    """A middleware reading the body sees the client leave: the app's error path ends it as quietly as a handler's."""
    from outpour.middleware import DefineMiddleware

    def reading_middleware(app: Any) -> Any:
        async def middleware(scope: Scope, receive: Any, send: Any) -> None:
            await Request(scope, receive, send).body()
            await app(scope, receive, send)  # pragma: no cover - the body never completes

        return middleware

    errors: list[BaseException] = []
    app = Outpour(
        HANDLERS,
        middleware=[DefineMiddleware(reading_middleware)],
        after_exception=[lambda exc, scope: errors.append(exc)],
    )
    server = ShortBody()
    with caplog.at_level(logging.DEBUG, logger="outpour"), anyio.fail_after(5):
        await app(make_scope("/body"), server.receive, server.send)
    start, body = server.sent
    assert (start["status"], dict(start["headers"])[b"connection"]) == (400, b"close")
    assert body["body"].startswith(b"Incomplete request body")
    assert errors == []
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
