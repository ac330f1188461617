"""The response classes with Litestar 3.0's signatures: ASGI constructors, cookies, ETags, SSE, background tasks."""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

import anyio
import pytest

from outpour import Response, get
from outpour.background_tasks import BackgroundTask, BackgroundTasks
from outpour.datastructures import Cookie
from outpour.file_system import BaseLocalFileSystem
from outpour.response import ServerSentEvent, ServerSentEventMessage
from outpour.response.base import ASGIResponse
from outpour.response.file import ASGIFileResponse, create_etag_for_file
from outpour.response.redirect import ASGIRedirectResponse
from outpour.response.sse import ASGIStreamingSSEResponse
from outpour.testing import create_test_client
from outpour.types import Message

SCOPE: dict[str, Any] = {"type": "http", "method": "GET", "path": "/report", "headers": []}


class Peer:
    def __init__(self) -> None:
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    async def send(self, message: Message) -> None:
        self.sent.append(message)


def params(fn: Any) -> list[str]:
    return [name for name in inspect.signature(fn).parameters if name != "self"]


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        pytest.param(
            ASGIResponse.__init__,
            [
                "background",
                "body",
                "content_length",
                "cookies",
                "encoding",
                "headers",
                "is_head_response",
                "media_type",
                "status_code",
            ],
            id="asgi-response",
        ),
        pytest.param(ASGIResponse.after_response, [], id="after-response"),
        pytest.param(
            Response.set_cookie,
            ["key", "value", "max_age", "expires", "path", "domain", "secure", "httponly", "samesite"],
            id="set-cookie",
        ),
        pytest.param(Response.delete_cookie, ["key", "path", "domain"], id="delete-cookie"),
        pytest.param(
            ASGIFileResponse.__init__,
            [
                "background",
                "chunk_size",
                "content_disposition_type",
                "content_length",
                "cookies",
                "encoding",
                "etag",
                "file_info",
                "file_path",
                "file_system",
                "filename",
                "headers",
                "is_head_response",
                "media_type",
                "status_code",
            ],
            id="asgi-file-response",
        ),
        pytest.param(
            ASGIRedirectResponse.__init__,
            [
                "path",
                "media_type",
                "status_code",
                "headers",
                "background",
                "body",
                "content_length",
                "cookies",
                "encoding",
                "is_head_response",
            ],
            id="asgi-redirect-response",
        ),
        pytest.param(create_etag_for_file, ["path", "modified_time", "file_size"], id="create-etag-for-file"),
        pytest.param(ASGIStreamingSSEResponse.__init__, ["ping_interval", "kwargs"], id="asgi-sse"),
        pytest.param(ASGIStreamingSSEResponse.send_body, ["send", "receive"], id="asgi-sse-send-body"),
        pytest.param(ServerSentEventMessage.encode, [], id="sse-message-encode"),
        pytest.param(BackgroundTasks.__call__, [], id="background-tasks-call"),
    ],
)
def test_signatures_follow_litestar(fn: Any, expected: list[str]) -> None:
    assert params(fn) == expected


@pytest.mark.anyio
async def test_after_response_logs_a_failing_task_with_the_request(caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    async def fails() -> None:
        raise RuntimeError("report failed")

    async def after() -> None:
        ran.append("after")

    response = ASGIResponse(body=b"ok", background=BackgroundTasks([BackgroundTask(fails), BackgroundTask(after)]))
    peer = Peer()
    with caplog.at_level(logging.ERROR, logger="outpour"):
        await response(dict(SCOPE), peer.receive, peer.send)
    assert [m["type"] for m in peer.sent] == ["http.response.start", "http.response.body"]
    assert ran == ["after"]
    assert response.scope is not None
    assert ["after GET /report" in r.getMessage() for r in caplog.records] == [True]


@pytest.mark.anyio
async def test_background_tasks_call_runs_every_task() -> None:
    ran: list[int] = []
    await BackgroundTasks([BackgroundTask(ran.append, 1), BackgroundTask(ran.append, 2)])()
    assert ran == [1, 2]


def test_asgi_response_takes_no_encoded_headers() -> None:
    with pytest.raises(TypeError, match="encoded_headers"):
        ASGIResponse(encoded_headers=[(b"x", b"1")])  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("path", "location"),
    [
        pytest.param("/search?q=caf\u00e9&x=1", "/search?q=caf%C3%A9&x=1", id="query-in-path"),
        pytest.param("/a b", "/a%20b", id="space"),
    ],
)
def test_asgi_redirect_response_encodes_the_path(path: str, location: str) -> None:
    response = ASGIRedirectResponse(path=path, status_code=301)
    assert (response.status_code, response.headers["location"]) == (301, location)


def test_redirect_query_params_still_reach_the_location() -> None:
    from outpour.response import Redirect

    @get("/old")
    async def old() -> Redirect:
        return Redirect("/new?a=1", query_params={"b": ["2", "3"]})

    with create_test_client([old]) as client:
        response = client.get("/old", follow_redirects=False)
    assert response.headers["location"] == "/new?a=1&b=2&b=3"


def test_asgi_file_response_takes_no_body(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="body"):
        ASGIFileResponse(file_path=tmp_path / "x", body=b"")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("other", "same"),
    [
        pytest.param(("/a.txt", 1.5, 10), True, id="same"),
        pytest.param(("/b.txt", 1.5, 10), False, id="path"),
        pytest.param(("/a.txt", 1.500001, 10), False, id="mtime"),
        pytest.param(("/a.txt", 1.5, 11), False, id="size"),
        pytest.param(("/a.txt", None, 10), False, id="no-mtime"),
    ],
)
def test_create_etag_for_file(other: tuple[str, float | None, int], same: bool) -> None:
    etag = create_etag_for_file("/a.txt", 1.5, 10)
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert (create_etag_for_file(*other) == etag) is same


@pytest.mark.anyio
async def test_asgi_file_response_sends_the_etag_of_create_etag_for_file(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_bytes(b"hello")
    os.utime(target, (1000, 1000))
    response = ASGIFileResponse(file_path=target, file_system=BaseLocalFileSystem())
    peer = Peer()
    await response(dict(SCOPE), peer.receive, peer.send)
    headers = dict(peer.sent[0]["headers"])
    assert headers[b"etag"].decode() == create_etag_for_file(os.fspath(target), 1000, 5)


def test_set_cookie_and_delete_cookie_through_the_client() -> None:
    @get("/login")
    async def login() -> Response[str]:
        response = Response("hi")
        response.set_cookie("sid", "1", max_age=60, secure=True, httponly=True, samesite="strict")
        response.set_cookie(Cookie(key="chip", value="c", secure=True, partitioned=True))
        return response

    @get("/logout")
    async def logout() -> Response[str]:
        response = Response("bye")
        response.delete_cookie("sid", path="/", domain=None)
        return response

    with create_test_client([login, logout]) as client:
        set_lines = client.get("/login").headers.get_list("set-cookie")
        (deleted,) = client.get("/logout").headers.get_list("set-cookie")
    assert set_lines[0].startswith("sid=1;")
    assert {"Max-Age=60", "SameSite=strict", "Secure", "HttpOnly"} <= set(set_lines[0].split("; "))
    assert "Partitioned" in set_lines[1]
    assert deleted.startswith('sid="";')
    assert "Max-Age=0" in deleted


def test_server_sent_event_builds_the_sse_asgi_response() -> None:
    async def events() -> AsyncGenerator[str, None]:
        yield "a"

    response = ServerSentEvent(events(), ping_interval=5).to_asgi_response(None)
    assert isinstance(response, ASGIStreamingSSEResponse)
    assert response.ping_interval == 5.0


@pytest.mark.parametrize(
    "value", [pytest.param(0, id="zero"), pytest.param(-1, id="negative"), pytest.param("1", id="str")]
)
def test_asgi_streaming_sse_response_refuses_a_bad_ping_interval(value: Any) -> None:
    from outpour.exceptions import ImproperlyConfiguredException

    with pytest.raises(ImproperlyConfiguredException, match="ping_interval"):
        ASGIStreamingSSEResponse(iterator=iter(()), ping_interval=value)


def test_server_sent_event_message_encode_without_arguments() -> None:
    assert ServerSentEventMessage(data=b"caf\xc3\xa9", event="e", id=1).encode() == (
        "id: 1\r\nevent: e\r\ndata: caf\u00e9\r\n\r\n".encode()
    )
