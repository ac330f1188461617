"""``await handler.to_response(data, request)``: the ASGI response a route sends for a returned value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from outpour import Outpour, Request, Response, Router, get, post
from outpour.datastructures import Cookie
from outpour.handlers import HTTPRouteHandler
from outpour.response import ASGIResponse, Redirect
from outpour.testing import TestClient
from outpour.types import ASGIApp, Message

pytestmark = pytest.mark.anyio


def plain() -> dict[str, Any]:
    return {"a": 1, "z": complex(1, 2)}


def response() -> Response[dict[str, int]]:
    return Response({"x": 1}, headers={"X-Own": "o"}, status_code=203, cookies=[Cookie(key="own", value="1")])


def redirect() -> Redirect:
    return Redirect("/elsewhere")


ROUTE_OPTIONS: dict[str, Any] = {
    "response_headers": {"X-Route": "r"},
    "response_cookies": [Cookie(key="route", value="c")],
    "type_encoders": {complex: str},
    "sync_to_thread": False,
}


@post("/plain", status_code=202, **ROUTE_OPTIONS)
def plain_handler() -> dict[str, Any]:
    return plain()


@get("/response", **ROUTE_OPTIONS)
def response_handler() -> Response[dict[str, int]]:
    return response()


@get("/redirect", **ROUTE_OPTIONS)
def redirect_handler() -> Redirect:
    return redirect()


class Wrapped(Response[Any]):
    """A layer's response class: plain values go through it (and then through ``after_request``)."""


def tag(response: Response[Any]) -> Response[Any]:
    response.set_header("x-after", "yes")
    return response


@get("/prepared", sync_to_thread=False)
def prepared_handler() -> dict[str, Any]:
    return plain()


def app() -> Outpour:
    layered = Router("/layered", route_handlers=[prepared_handler], response_class=Wrapped, after_request=tag)
    return Outpour([plain_handler, response_handler, redirect_handler, layered], type_encoders={complex: str})


def scope_of(app: Outpour, method: str, path: str) -> dict[str, Any]:
    methods = app.route_handler_method_map[path]
    handler = methods.get(method) or methods["GET"]  # a GET handler answers HEAD without listing it
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "app": app,
        "route_handler": handler,
        "path_params": {},
    }


async def run(asgi_app: ASGIApp, scope: dict[str, Any]) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await asgi_app(scope, receive, send)
    return sent


@pytest.mark.parametrize(
    ("method", "path", "value"),
    [
        pytest.param("POST", "/plain", plain, id="data"),
        pytest.param("GET", "/response", response, id="response"),
        pytest.param("GET", "/redirect", redirect, id="redirect"),
        pytest.param("HEAD", "/response", response, id="head"),
        pytest.param("GET", "/layered/prepared", plain, id="response-class-and-after-request"),
    ],
)
async def test_to_response_sends_what_a_request_gets(method: str, path: str, value: Callable[[], Any]) -> None:
    application = app()
    with TestClient(application) as client:
        expected = client.request(method, path, follow_redirects=False)
    scope = scope_of(application, method, path)
    handler = scope["route_handler"]
    assert isinstance(handler, HTTPRouteHandler)
    sent = await run(await handler.to_response(value(), Request(scope)), scope)
    start, body = sent[0], b"".join(message.get("body", b"") for message in sent[1:])
    assert start["status"] == expected.status_code
    assert sorted(start["headers"]) == sorted(expected.headers.raw)  # the same headers; their order may differ
    assert body == expected.content


async def test_the_route_defaults_apply() -> None:
    application = app()
    scope = scope_of(application, "POST", "/plain")
    sent = await run(await scope["route_handler"].to_response({"c": complex(0, 1)}, Request(scope)), scope)
    headers = dict(sent[0]["headers"])
    assert (sent[0]["status"], sent[1]["body"]) == (202, b'{"c":"1j"}')
    assert (headers[b"content-type"], headers[b"x-route"], headers[b"set-cookie"]) == (
        b"application/json",
        b"r",
        b"route=c; Path=/; SameSite=lax",
    )


async def test_a_handler_can_return_what_to_response_built() -> None:
    @get("/via", sync_to_thread=False)
    async def via(request: Request[Any, Any, Any]) -> ASGIApp:
        handler = request.route_handler
        assert isinstance(handler, HTTPRouteHandler)
        return await handler.to_response(Redirect("/there", status_code=307), request)

    with TestClient(Outpour([via])) as client:
        response = client.get("/via", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (307, "/there")


async def test_the_declared_handler_takes_the_request_apps_settings() -> None:
    application = app()  # it registers its own copy of `plain_handler`: the declared one is compiled on first use
    scope = scope_of(application, "POST", "/plain")
    sent = await run(await plain_handler.to_response({"c": complex(0, 1)}, Request(scope)), scope)
    assert (sent[0]["status"], sent[1]["body"], dict(sent[0]["headers"])[b"x-route"]) == (202, b'{"c":"1j"}', b"r")


async def test_plain_data_comes_back_as_an_asgi_response_with_its_body() -> None:
    application = app()
    scope = scope_of(application, "POST", "/plain")
    response = await scope["route_handler"].to_response({"a": 1}, Request(scope))
    assert isinstance(response, ASGIResponse)
    assert (response.status_code, response.body) == (202, b'{"a":1}')
