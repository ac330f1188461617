"""Routes as objects: ``app.routes``, ``route_handler_method_map``, ``get_handler_index_by_name`` and ``outpour.routes``."""

from __future__ import annotations

from typing import Any

import pytest

from outpour import Controller, Outpour, Router, WebSocket, asgi, get, post, put, websocket
from outpour.app import HandlerIndex
from outpour.enums import ScopeType
from outpour.exceptions import ImproperlyConfiguredException, MethodNotAllowedException
from outpour.handlers import HTTPRouteHandler
from outpour.routes import ASGIRoute, BaseRoute, HTTPRoute, WebSocketRoute
from outpour.testing import TestClient
from outpour.types import Message, Receive, Scope, Send
from outpour.types.internal_types import PathParameterDefinition


@get("/")
async def index() -> str:
    return "index"


class Items(Controller):
    path = "/items"

    @get("/{item_id:int}")
    async def read(self, tenant: str, item_id: int) -> dict[str, Any]:
        return {"tenant": tenant, "item": item_id}

    @put("/{item_id:int}")
    async def replace(self, item_id: int, data: dict[str, int]) -> dict[str, int]:
        return data


@asgi("/legacy", is_mount=True)
async def legacy(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": scope["path"].encode()})


@get(["/docs", "/docs/{page:int}"], name="docs")
async def docs(page: int = 1) -> int:
    return page


def _app() -> Outpour:
    return Outpour([index, Router("/v1/{tenant:str}", route_handlers=[Items]), legacy, docs])


ITEM_PATH = "/v1/{tenant:str}/items/{item_id:int}"


def _scope(app: Outpour, method: str, path: str, **path_params: Any) -> Scope:
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
        "path_params": path_params,
    }


async def _serve(route: BaseRoute[Any], scope: Scope, body: bytes = b"") -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await route.handle(scope, receive, send)
    return sent


def _route(app: Outpour, path: str) -> BaseRoute[Any]:
    return next(route for route in app.routes if route.path == path)


# -- app.routes -------------------------------------------------------------------------------------------------------


def test_routes_are_in_registration_order_then_the_schema_routes() -> None:
    app = _app()
    paths = [route.path for route in app.routes]
    own = ["/", ITEM_PATH, "/legacy", "/docs", "/docs/{page:int}"]
    assert paths[: len(own)] == own
    assert all(path.startswith("/schema") for path in paths[len(own) :])
    assert "/schema/openapi.json" in paths[len(own) :]
    assert [type(route) for route in app.routes[: len(own)]] == [HTTPRoute, HTTPRoute, ASGIRoute, HTTPRoute, HTTPRoute]


def test_without_openapi_there_are_only_the_apps_routes() -> None:
    app = Outpour([index, legacy], openapi_config=None)
    assert [route.path for route in app.routes] == ["/", "/legacy"]


def test_an_http_route_groups_the_handlers_of_its_path() -> None:
    route = _route(_app(), ITEM_PATH)
    assert isinstance(route, HTTPRoute)
    assert route.scope_type is ScopeType.HTTP
    assert [handler.handler_name for handler in route.route_handlers] == ["Items.read", "Items.replace"]
    assert all(isinstance(handler, HTTPRouteHandler) for handler in route.route_handlers)
    # the declared methods, and OPTIONS, which the route answers itself; the GET handler answers HEAD unlisted
    assert route.methods == ("GET", "PUT", "OPTIONS")
    read, replace = route.route_handlers
    assert route.route_handler_map == {"GET": read, "PUT": replace}


def test_an_http_route_describes_its_path() -> None:
    route = _route(_app(), ITEM_PATH)
    tenant, item_id = route.path_parameters.values()
    assert route.path_format == "/v1/{tenant}/items/{item_id}"
    assert route.path_components == ["v1", tenant, "items", item_id]
    assert list(route.path_parameters) == ["tenant", "item_id"]
    assert tenant == PathParameterDefinition(name="tenant", full="tenant:str", type=str, parser=None)
    assert (item_id.name, item_id.full, item_id.type) == ("item_id", "item_id:int", int)
    assert item_id.parser is not None
    assert item_id.parser("42") == 42


def test_a_mounted_asgi_app_is_an_asgi_route() -> None:
    route = _route(_app(), "/legacy")
    assert isinstance(route, ASGIRoute)
    assert route.scope_type is ScopeType.ASGI
    assert route.route_handler.is_mount
    assert route.route_handlers == (route.route_handler,)
    assert (route.methods, route.path_format, route.path_parameters) == ((), "/legacy", {})


def test_routes_are_rebuilt_when_a_handler_is_registered_later() -> None:
    app = Outpour([index], openapi_config=None)
    before = app.routes

    @post("/late")
    async def late() -> None:
        return None

    app.register(late)
    assert [route.path for route in app.routes] == ["/", "/late"]
    assert app.routes is not before


# -- route.handle -------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_an_http_route_serves_through_the_apps_plan() -> None:
    app = _app()
    route = _route(app, ITEM_PATH)
    with TestClient(app) as client:
        expected = client.get("/v1/acme/items/5")
    sent = await _serve(route, _scope(app, "GET", "/v1/acme/items/5", tenant="acme", item_id=5))
    assert sent[0]["status"] == expected.status_code
    assert dict((k.decode(), v.decode()) for k, v in sent[0]["headers"]) == dict(expected.headers)
    assert sent[1]["body"] == expected.content == b'{"tenant":"acme","item":5}'


@pytest.mark.anyio
async def test_an_http_route_answers_options_and_refuses_other_methods() -> None:
    app = _app()
    route = _route(app, ITEM_PATH)
    sent = await _serve(route, _scope(app, "OPTIONS", "/v1/acme/items/5", tenant="acme", item_id=5))
    assert (sent[0]["status"], sent[0]["headers"]) == (204, [(b"allow", b"GET, OPTIONS, PUT")])
    with pytest.raises(MethodNotAllowedException) as refused:
        await _serve(route, _scope(app, "DELETE", "/v1/acme/items/5", tenant="acme", item_id=5))
    assert refused.value.headers == {"Allow": "GET, OPTIONS, PUT"}


@pytest.mark.anyio
async def test_an_asgi_route_serves_the_mounted_app() -> None:
    app = _app()
    sent = await _serve(_route(app, "/legacy"), _scope(app, "GET", "/legacy/a/b"))
    assert (sent[0]["status"], sent[1]["body"]) == (200, b"/a/b")


@pytest.mark.anyio
@pytest.mark.parametrize(
    "route",
    [
        pytest.param(HTTPRoute(path="/x", route_handlers=[index]), id="http"),
        pytest.param(ASGIRoute(path="/x", route_handler=legacy), id="asgi"),
    ],
)
async def test_a_route_built_outside_an_app_has_nothing_to_serve(route: BaseRoute[Any]) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="has nothing to serve yet: routes serve through the plans"):
        await _serve(route, _scope(Outpour(), "GET", "/x"))


def test_a_route_built_directly_maps_its_handlers() -> None:
    route = HTTPRoute(path="items/{item_id:int}/", route_handlers=[index])
    assert (route.path, route.path_format) == ("/items/{item_id:int}", "/items/{item_id}")
    assert (route.route_handler_map, route.methods) == ({"GET": index}, ("GET", "OPTIONS"))


def test_a_route_refuses_two_handlers_of_one_method() -> None:
    @get("/")
    async def other() -> str:
        return "other"

    with pytest.raises(ImproperlyConfiguredException, match=r"Duplicate route: GET `/` is declared by both `index`"):
        HTTPRoute(path="/", route_handlers=[index, other])


@pytest.mark.anyio
async def test_a_websocket_route_built_outside_an_app_cannot_serve() -> None:
    @websocket("/ws/{room:str}")
    async def chat(socket: WebSocket, room: str) -> None:  # pragma: no cover - never served
        await socket.close()

    route = WebSocketRoute(path="/ws/{room:str}", route_handler=chat)
    assert (route.scope_type, route.route_handlers, list(route.path_parameters), route.methods) == (
        ScopeType.WEBSOCKET,
        (chat,),
        ["room"],
        (),
    )
    with pytest.raises(ImproperlyConfiguredException, match="has nothing to serve yet"):
        await route.handle({"type": "websocket", "path": "/ws/a"}, _never_receive, _never_send)


async def _never_receive() -> Message:  # pragma: no cover - never called
    raise AssertionError


async def _never_send(message: Message) -> None:  # pragma: no cover - never called
    raise AssertionError


# -- route_handler_method_map, get_handler_index_by_name, route_reverse -----------------------------------------------


def test_route_handler_method_map() -> None:
    app = _app()
    mapped = {path: methods for path, methods in app.route_handler_method_map.items() if "schema" not in path}
    read, replace = _route(app, ITEM_PATH).route_handlers
    index_copy = _route(app, "/").route_handlers[0]
    docs_copy = _route(app, "/docs").route_handlers[0]
    assert list(mapped) == ["/", ITEM_PATH, "/legacy", "/docs", "/docs/{page:int}"]
    assert mapped["/"] == {"GET": index_copy}
    assert mapped[ITEM_PATH] == {"GET": read, "PUT": replace}
    assert mapped["/legacy"] == {"asgi": _route(app, "/legacy").route_handlers[0]}
    assert mapped["/docs/{page:int}"] == {"GET": docs_copy}
    assert index_copy is not index  # the app's copy, holding the route's resolved settings
    assert index_copy.fn is index.fn


def test_handler_index() -> None:
    app = _app()
    found = app.get_handler_index_by_name("docs")
    assert found == HandlerIndex(
        paths=["/docs", "/docs/{page:int}"], handler=_route(app, "/docs").route_handlers[0], identifier="docs"
    )
    assert set(HandlerIndex.__annotations__) == {"paths", "handler", "identifier"}
    assert app.get_handler_index_by_name(f"{Items.__module__}.Items.read") is not None
    assert app.get_handler_index_by_name("missing") is None


def test_route_reverse_takes_a_handler_or_its_name() -> None:
    app = _app()
    assert app.route_reverse(docs) == "/docs"
    assert app.route_reverse("docs", page=3) == "/docs/3"
    assert app.route_reverse(Items.read, tenant="acme", item_id=5) == "/v1/acme/items/5"


def test_url_for_builds_absolute_urls() -> None:
    from outpour import Request

    @get("/where")
    async def where(request: Request[Any, Any, Any]) -> str:
        return request.url_for("docs", page=2)

    with TestClient(Outpour([where, docs])) as client:
        assert client.get("/where").text == "http://testserver.local/docs/2"
