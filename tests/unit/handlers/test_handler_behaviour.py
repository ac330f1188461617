"""Handlers at work: the automatic OPTIONS answer, ``to_response`` off the app, listener hooks, deprecated methods."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any, ClassVar

import pytest

from outpour import Controller, Outpour, Request, Router, WebSocket, get, post, websocket, websocket_listener
from outpour.datastructures import ResponseHeader, State
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers import WebsocketListener
from outpour.testing import RequestFactory, TestClient, create_test_client
from outpour.types import Message


@pytest.fixture(params=[pytest.param(False, id="fast"), pytest.param(True, id="general")], autouse=True)
def general(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Build the apps of a test on the specialised request paths, then on the general one."""
    if request.param:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
    else:
        monkeypatch.delenv("OUTPOUR_GENERAL_PATH", raising=False)
    return bool(request.param)


# -- the automatic OPTIONS answer --------------------------------------------------------------------------------------


class Items(Controller):
    path = "/api"
    response_headers: ClassVar[dict[str, str]] = {"x-controller": "c", "x-shared": "controller"}

    @get("/items/{item_id:int}", response_headers={"x-handler": "h"})
    def item(self, item_id: int) -> int:
        return item_id

    @get("/static", response_headers={"x-handler": "h"})
    def static(self) -> str:
        return "ok"


@pytest.mark.parametrize("url", ["/v1/api/items/7", "/v1/api/static"], ids=["with-parameters", "static"])
def test_automatic_options_carries_the_headers_of_the_layers_above_the_handler(url: str) -> None:
    router = Router("/v1", route_handlers=[Items], response_headers={"x-router": "r", "x-shared": "router"})
    app = Outpour([router], response_headers=[ResponseHeader(name="x-app", value="a")], openapi_config=None)
    with TestClient(app) as client:
        answer = client.options(url)
    assert answer.status_code == 204
    headers = answer.headers
    assert (headers["allow"], headers["x-app"], headers["x-router"], headers["x-controller"]) == (
        "GET, OPTIONS",
        "a",
        "r",
        "c",
    )
    assert headers["x-shared"] == "controller"  # the closest layer wins, as for the handler's own responses
    assert "x-handler" not in headers  # the handler's own headers are its responses', not the path's


def test_automatic_options_leaves_out_documentation_only_headers_and_keeps_its_allow() -> None:
    @get("/")
    def handler() -> None:
        return None

    layered = [
        ResponseHeader(name="x-documented", value="d", documentation_only=True),
        ResponseHeader(name="x-sent", value="s"),
    ]
    with create_test_client([handler], response_headers=layered) as client:
        headers = client.options("/").headers
    assert (headers["allow"], headers["x-sent"], "x-documented" in headers) == ("GET, OPTIONS", "s", False)


def test_an_options_handler_of_its_own_answers_instead() -> None:
    @get("/")
    def handler() -> None:
        return None

    from outpour import route

    @route("/", http_method="OPTIONS", status_code=200)
    def options() -> str:
        return "own"

    with create_test_client([handler, options], response_headers={"x-app": "a"}) as client:
        answer = client.options("/")
    assert (answer.status_code, answer.text, answer.headers["x-app"]) == (200, "own", "a")


# -- to_response on a handler the app does not hold --------------------------------------------------------------------


async def _run(app: Any, scope: dict[str, Any]) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


@pytest.mark.anyio
async def test_to_response_on_the_declared_handler_uses_the_given_apps_settings() -> None:
    @post("/person", response_headers={"x-route": "r"})
    async def handler(data: dict[str, Any]) -> dict[str, Any]:
        return data

    app = Outpour([handler], type_encoders={complex: str}, response_headers={"x-app": "a"})
    request = RequestFactory().post("/person")
    first = await handler.to_response({"z": complex(0, 1)}, request, app=app)
    sent = await _run(first, request.scope)
    headers = dict(sent[0]["headers"])
    assert (sent[0]["status"], json.loads(sent[1]["body"])) == (201, {"z": "1j"})
    assert (headers[b"x-route"], headers[b"x-app"]) == (b"r", b"a")
    assert await handler.to_response({}, request, app=app) is not first  # compiled once, a new response each call


@pytest.mark.anyio
async def test_to_response_falls_back_to_the_requests_app() -> None:
    @get("/")
    def handler() -> str:
        return "ok"

    app = Outpour(response_headers={"x-app": "a"})
    request = RequestFactory(app=app).get("/")
    sent = await _run(await handler.to_response("text", request), request.scope)
    assert (dict(sent[0]["headers"])[b"x-app"], sent[1]["body"]) == (b"a", b"text")


@pytest.mark.anyio
async def test_to_response_on_a_declared_handler_that_breaks_a_rule_raises() -> None:
    @get("/", status_code=204)
    def handler() -> dict[str, str]:
        return {}

    with pytest.raises(ImproperlyConfiguredException, match="forbids a response body"):
        await handler.to_response({}, RequestFactory().get("/"), app=Outpour())


# -- listener hooks take what the listener may take --------------------------------------------------------------------


def _greeting() -> str:
    return "hello"


def test_listener_hooks_receive_path_parameters_dependencies_and_reserved_names() -> None:
    seen: dict[str, dict[str, Any]] = {}

    def on_accept(name: str, state: State, greeting: str, socket: WebSocket) -> None:
        seen["accept"] = {"name": name, "state": state, "greeting": greeting, "socket": socket}

    async def on_disconnect(name: str, limit: int = 3) -> None:
        seen["disconnect"] = {"name": name, "limit": limit}

    @websocket_listener("/{name:str}", on_accept=on_accept, on_disconnect=on_disconnect)
    def handler(data: str, greeting: str) -> str:
        return f"{greeting} {data}"

    with (
        create_test_client([handler], dependencies={"greeting": Provide(_greeting)}) as client,
        client.websocket_connect("/ada?limit=5") as ws,
    ):
        ws.send_text("there")
        assert ws.receive_text() == "hello there"
    accepted = seen["accept"]
    assert (accepted["name"], accepted["greeting"]) == ("ada", "hello")
    assert isinstance(accepted["state"], State)
    assert isinstance(accepted["socket"], WebSocket)
    assert seen["disconnect"] == {"name": "ada", "limit": 5}


def test_a_lifespan_takes_dependencies_resolved_once_with_the_listeners() -> None:
    calls: list[str] = []

    async def counted() -> AsyncGenerator[str, None]:
        calls.append("provided")
        yield "value"
        calls.append("cleaned")

    @asynccontextmanager
    async def lifespan(dep: str, socket: WebSocket) -> AsyncGenerator[None, None]:
        calls.append(f"enter {dep}")
        try:
            yield
        finally:  # the client's disconnect is raised at the `yield`
            calls.append("exit")

    @websocket_listener("/", connection_lifespan=lifespan, dependencies={"dep": Provide(counted)})
    async def handler(data: str, dep: str) -> str:
        return dep

    with create_test_client([handler]) as client, client.websocket_connect("/") as ws:
        ws.send_text("x")
        assert ws.receive_text() == "value"
    assert calls == ["provided", "enter value", "exit", "cleaned"]


def test_a_one_parameter_hook_naming_nothing_known_gets_the_socket() -> None:
    seen: list[Any] = []

    @websocket_listener("/", on_accept=lambda ws: seen.append(ws))
    def handler(data: str) -> None:
        return None

    with create_test_client([handler]) as client, client.websocket_connect("/"):
        pass
    assert len(seen) == 1
    assert isinstance(seen[0], WebSocket)


def test_a_hook_taking_keyword_arguments_gets_every_value() -> None:
    seen: dict[str, Any] = {}

    def on_accept(**values: Any) -> None:
        seen.update(values)

    @websocket_listener("/{room:int}", on_accept=on_accept)
    def handler(data: str, room: int) -> None:
        return None

    with create_test_client([handler]) as client, client.websocket_connect("/4"):
        pass
    assert seen["room"] == 4
    assert isinstance(seen["socket"], WebSocket)


def test_a_listener_class_hook_takes_dependencies() -> None:
    seen: list[str] = []

    class Listener(WebsocketListener):
        path = "/{name:str}"

        def on_accept(self, name: str, greeting: str) -> None:  # type: ignore[override]
            seen.append(f"{greeting} {name}")

        def on_receive(self, data: str) -> None:
            return None

    with (
        create_test_client([Listener], dependencies={"greeting": Provide(_greeting)}) as client,
        client.websocket_connect("/bob"),
    ):
        pass
    assert seen == ["hello bob"]


def test_a_hook_taking_request_is_refused() -> None:
    def on_accept(request: Request[Any, Any, Any]) -> None:  # pragma: no cover - refused
        return None

    @websocket_listener("/", on_accept=on_accept)
    def handler(data: str) -> None:  # pragma: no cover - refused
        return None

    with pytest.raises(ImproperlyConfiguredException, match="takes `request`"):
        Outpour([handler])


def test_a_lifespan_with_a_custom_accept_handler_is_refused() -> None:
    @asynccontextmanager
    async def lifespan(socket: WebSocket) -> AsyncGenerator[None, None]:  # pragma: no cover - refused
        yield

    async def accept(socket: WebSocket) -> None:  # pragma: no cover - refused
        await socket.accept()

    with pytest.raises(ImproperlyConfiguredException, match="`connection_accept_handler`, not both"):
        websocket_listener("/", connection_lifespan=lifespan, connection_accept_handler=accept)


# -- deprecated resolve_* methods --------------------------------------------------------------------------------------


async def _dependency() -> int:
    return 1


def test_resolve_dependencies_returns_the_same_dict_until_the_dependencies_change() -> None:
    @get("/", dependencies={"a": _dependency, "b": Provide(_dependency)})
    def handler(a: int, b: int) -> int:
        return a + b

    with pytest.warns(DeprecationWarning, match="resolve_dependencies"):
        first = handler.resolve_dependencies()
    with pytest.warns(DeprecationWarning, match="resolve_dependencies"):
        assert handler.resolve_dependencies() is first
    assert first == {"a": Provide(_dependency), "b": Provide(_dependency)}
    registered = Outpour([handler], dependencies={"c": _dependency}).route_handler_method_map["/"]["GET"]
    with pytest.warns(DeprecationWarning, match="resolve_dependencies"):
        assert set(registered.resolve_dependencies()) == {"a", "b", "c"}


def test_resolve_websocket_class_is_the_attribute() -> None:
    class Socket(WebSocket[Any, Any, Any]):
        """A layer's WebSocket class."""

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        return None

    with pytest.warns(DeprecationWarning, match="resolve_websocket_class"):
        assert handler.resolve_websocket_class() is handler.websocket_class is None
    app = Outpour([handler], websocket_class=Socket)
    registered = next(r for r in app.routes if r.path == "/").route_handlers[0]
    with pytest.warns(DeprecationWarning, match="resolve_websocket_class"):
        assert registered.resolve_websocket_class() is Socket
