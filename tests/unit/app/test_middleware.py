"""Middleware at every layer: order, DefineMiddleware, AbstractMiddleware exclusions, ASGIMiddleware, errors."""

from __future__ import annotations

from typing import Any

from outpour import Controller, Router, get
from outpour.datastructures import MutableScopeHeaders
from outpour.exceptions import NotAuthorizedException
from outpour.middleware import AbstractMiddleware, ASGIMiddleware, DefineMiddleware
from outpour.testing import create_test_client
from outpour.types import ASGIApp, Message, Receive, Scope, Send


def tagging(tag: str) -> Any:
    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            async def wrapped(message: Message) -> None:
                if message["type"] == "http.response.start":
                    MutableScopeHeaders.from_message(message).add("x-order", tag)
                await send(message)

            await app(scope, receive, wrapped)

        return middleware

    return factory


def test_order_is_app_router_controller_handler() -> None:
    class C(Controller):
        path = "/c"
        middleware = [tagging("controller")]  # noqa: RUF012

        @get("/", middleware=[tagging("handler")])
        async def handler(self) -> str:
            return "x"

    router = Router(path="/r", route_handlers=[C], middleware=[tagging("router")])
    with create_test_client([router], middleware=[tagging("app")]) as client:
        response = client.get("/r/c")
    # Outer middleware see the start message last, so their header comes last.
    assert response.headers.get_list("x-order") == ["handler", "controller", "router", "app"]


class Counting(AbstractMiddleware):
    exclude = "^/skip"

    def __init__(self, app: ASGIApp, label: str = "default", **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.label = label

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add("x-label", self.label)
            await send(message)

        await self.app(scope, receive, wrapped)


def test_define_middleware_and_abstract_middleware_exclusions() -> None:
    @get("/run")
    async def run() -> str:
        return "x"

    @get("/skip")
    async def skip() -> str:
        return "x"

    @get("/opt-out", opt={"no_label": True})
    async def opt_out() -> str:
        return "x"

    middleware = [DefineMiddleware(Counting, label="custom", exclude_opt_key="no_label")]
    with create_test_client([run, skip, opt_out], middleware=middleware) as client:
        assert client.get("/run").headers["x-label"] == "custom"
        assert "x-label" not in client.get("/skip").headers
        assert "x-label" not in client.get("/opt-out").headers


class Guarding(ASGIMiddleware):
    exclude_path_pattern = "/public"

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if dict(scope["headers"]).get(b"authorization") != b"yes":
            raise NotAuthorizedException("who are you?")
        await next_app(scope, receive, send)


def test_asgi_middleware_and_errors_raised_in_middleware() -> None:
    @get("/private")
    async def private() -> str:
        return "secret"

    @get("/public")
    async def public() -> str:
        return "hello"

    with create_test_client([private, public], middleware=[Guarding()]) as client:
        denied = client.get("/private")
        allowed = client.get("/private", headers={"authorization": "yes"})
        public_response = client.get("/public")
    assert (denied.status_code, denied.json()["detail"]) == (401, "who are you?")
    assert allowed.text == "secret"
    assert public_response.text == "hello"
