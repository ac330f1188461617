"""What ``handler.to_response`` hands back: the response object a returned ``Response`` builds, an ASGI app as it is.

Also the helpers kept under Litestar's names for ported code: ``outpour.utils.AsyncIteratorWrapper``,
``outpour.utils.signature.ParsedSignature`` and ``outpour._signature.SignatureModel``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from outpour import Outpour, Response, get
from outpour._signature import SignatureModel
from outpour.background_tasks import BackgroundTask
from outpour.datastructures import Cookie
from outpour.handlers import HTTPRouteHandler
from outpour.response import File, Stream
from outpour.response.base import ASGIResponse
from outpour.response.file import ASGIFileResponse
from outpour.response.streaming import ASGIStreamingResponse
from outpour.testing import RequestFactory, create_test_client
from outpour.types import Receive, Scope, Send
from outpour.utils import AsyncIteratorWrapper
from outpour.utils.signature import ParsedSignature

pytestmark = pytest.mark.anyio

LAYERED: dict[str, Any] = {
    "response_headers": {"X-Layer": "on"},
    "response_cookies": [Cookie(key="layer", value="1")],
    "sync_to_thread": False,
}


def noop(_: Any) -> None:
    return None


@get("/response", **LAYERED)
def response_handler() -> Response[str]:
    return Response("hi")


@get("/stream", **LAYERED)
def stream_handler() -> Stream:
    return Stream(iter([b"a"]))


@get("/file", **LAYERED)
def file_handler() -> File:
    return File(Path(__file__))


@get("/app", sync_to_thread=False)
def app_handler() -> Any:
    return None


async def plain_asgi_app(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def registered(path: str) -> HTTPRouteHandler:
    app = Outpour([response_handler, stream_handler, file_handler, app_handler])
    handler = app.route_handler_method_map[path]["GET"]
    assert isinstance(handler, HTTPRouteHandler)
    return handler


async def test_a_returned_response_comes_back_as_its_asgi_response_with_the_layers_settings() -> None:
    task = BackgroundTask(noop, None)
    returned = Response("hi", headers={"X-Own": "mine"}, background=task)
    built = await registered("/response").to_response(returned, RequestFactory().get("/response"))
    assert isinstance(built, ASGIResponse)
    headers = built.encode_headers()
    assert (b"x-own", b"mine") in headers
    assert (b"x-layer", b"on") in headers
    assert (b"set-cookie", b"layer=1; Path=/; SameSite=lax") in headers
    assert built.background is task


@pytest.mark.parametrize(
    ("path", "value", "kind"),
    [
        pytest.param("/stream", lambda: Stream(iter([b"a"])), ASGIStreamingResponse, id="stream"),
        pytest.param("/file", lambda: File(Path(__file__)), ASGIFileResponse, id="file"),
    ],
)
async def test_streams_and_files_come_back_as_their_own_asgi_responses(path: str, value: Any, kind: type) -> None:
    built = await registered(path).to_response(value(), RequestFactory().get(path))
    assert isinstance(built, kind)
    assert isinstance(built, ASGIResponse)
    assert (b"x-layer", b"on") in built.encode_headers()


async def test_an_asgi_app_the_handler_returned_comes_back_unchanged() -> None:
    built = await registered("/app").to_response(plain_asgi_app, RequestFactory().get("/app"))
    assert built is plain_asgi_app


async def test_what_an_async_handler_returns_is_awaited_before_it_is_sent() -> None:
    @get("/greeting", response_headers={"X-Layer": "on"})
    async def greeting(name: str) -> dict[str, str]:
        return {"hello": name}

    app = Outpour([greeting])
    handler = app.route_handler_method_map["/greeting"]["GET"]
    assert isinstance(handler, HTTPRouteHandler)
    built = await handler.to_response(handler.fn(name="ada"), RequestFactory().get("/greeting"))
    assert isinstance(built, ASGIResponse)
    assert msgspec.json.decode(built.body) == {"hello": "ada"}
    assert (b"x-layer", b"on") in built.encode_headers()


async def test_the_litestar_2_app_keyword_is_accepted_and_the_handlers_route_applies() -> None:
    handler = registered("/response")
    built = await handler.to_response(Response("x"), RequestFactory().get("/response"), app=Outpour([]))
    assert isinstance(built, ASGIResponse)
    assert (b"x-layer", b"on") in built.encode_headers()


async def test_async_iterator_wrapper_runs_the_sync_iterator_off_the_event_loop_thread() -> None:
    loop_thread = threading.get_ident()
    threads: list[int] = []

    def numbers() -> Iterator[int]:
        for number in range(3):
            threads.append(threading.get_ident())
            yield number

    class Numbers(AsyncIteratorWrapper[int]):
        def __init__(self) -> None:
            super().__init__(iterator=numbers())

    assert [number async for number in Numbers()] == [0, 1, 2]
    assert len(threads) == 3
    assert loop_thread not in threads


def test_async_iterator_wrapper_streams_through_a_route() -> None:
    @get("/wrapped", sync_to_thread=False)
    def wrapped() -> Stream:
        return Stream(AsyncIteratorWrapper(["a", "b", "c"]))

    with create_test_client(wrapped) as client:
        assert client.get("/wrapped").content == b"abc"


def test_signature_model_create_checks_a_calls_arguments() -> None:
    def fn(count: int, name: str = "x") -> None:
        return None

    model = SignatureModel.create(fn=fn, parsed_signature=ParsedSignature.from_fn(fn, {}), dependency_name_set=set())
    assert msgspec.structs.asdict(msgspec.convert({"count": 2}, model)) == {"count": 2, "name": "x"}
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"count": "two"}, model)
    assert SignatureModel.create(fn=fn).__struct_fields__ == ("count", "name")
