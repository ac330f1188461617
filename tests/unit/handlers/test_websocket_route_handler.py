"""``@websocket``: parameters, dependencies, guards, layered ``websocket_class``, ``opt``, errors and routing."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from typing import Annotated, Any, Literal, cast

import pytest

from outpour import Controller, Outpour, Router, WebSocket, asgi, get, websocket
from outpour.connection import ASGIConnection
from outpour.di import Provide
from outpour.exceptions import (
    ImproperlyConfiguredException,
    NotAuthorizedException,
    PermissionDeniedException,
    WebSocketDisconnect,
    WebSocketException,
)
from outpour.handlers import BaseRouteHandler, WebsocketRouteHandler
from outpour.params import Parameter
from outpour.routes import WebSocketRoute
from outpour.testing import TestClient, create_test_client
from outpour.types import Receive, Scope, Send

Backend = Literal["asyncio", "trio"]


@pytest.fixture(params=["asyncio", "trio"])
def backend(request: pytest.FixtureRequest) -> Backend:
    return cast("Backend", request.param)


def _refused(client: TestClient[Any], path: str, **kwargs: Any) -> WebSocketDisconnect:
    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect(path, **kwargs):
        pass  # pragma: no cover - the connection is refused
    return info.value


def test_parameters_from_path_query_header_and_cookie(backend: Backend) -> None:
    @websocket("/rooms/{room_id:int}")
    async def room(
        socket: WebSocket,
        room_id: int,
        limit: int,
        token: Annotated[str, Parameter(header="X-Token")],
        session: Annotated[str, Parameter(cookie="session")],
        tags: list[str] | None = None,
    ) -> None:
        await socket.accept()
        await socket.send_json({"room": room_id, "limit": limit, "token": token, "session": session, "tags": tags})

    with create_test_client([room], backend=backend) as client:
        client.cookies.set("session", "s1")
        with client.websocket_connect("/rooms/7?limit=3&tags=a&tags=b", headers={"X-Token": "t"}) as ws:
            assert ws.receive_json() == {"room": 7, "limit": 3, "token": "t", "session": "s1", "tags": ["a", "b"]}


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        pytest.param("/rooms/1", "Missing required query parameter 'limit' for path /rooms/1", id="missing"),
        pytest.param("/rooms/1?limit=x", "Validation failed for WebSocket /rooms/1", id="invalid"),
    ],
)
def test_invalid_parameters_refuse_the_connection_with_4400(backend: Backend, path: str, detail: str) -> None:
    @websocket("/rooms/{room_id:int}")
    async def room(socket: WebSocket, room_id: int, limit: int) -> None:  # pragma: no cover - refused
        await socket.accept()

    with create_test_client([room], backend=backend) as client:
        refusal = _refused(client, path)
    assert (refusal.code, refusal.detail) == (4400, detail)


def test_a_path_parameter_out_of_its_constraint_refuses_the_connection_with_4400(backend: Backend) -> None:
    @websocket("/rooms/{room_id:int}")
    async def room(  # pragma: no cover - refused
        socket: WebSocket, room_id: Annotated[int, Parameter(ge=1)]
    ) -> None:
        await socket.accept()

    with create_test_client([room], backend=backend) as client:
        refusal = _refused(client, "/rooms/0")
    assert (refusal.code, refusal.detail) == (4400, "Validation failed for WebSocket /rooms/0")


def test_an_unknown_path_closes_with_4404_and_a_path_param_of_the_wrong_type_too(backend: Backend) -> None:
    @websocket("/rooms/{room_id:int}")
    async def room(socket: WebSocket, room_id: int) -> None:  # pragma: no cover - never matched
        await socket.accept()

    with create_test_client([room], backend=backend) as client:
        assert (_refused(client, "/nowhere").code, _refused(client, "/rooms/abc").code) == (4404, 4404)


def test_dependencies_resolve_once_per_connection_and_clean_up_after_it(backend: Backend) -> None:
    events: list[str] = []

    async def connection_id(state: Any) -> AsyncGenerator[str, None]:
        events.append("open")
        yield "c1"
        events.append("closed")

    @websocket("/ws", dependencies={"cid": Provide(connection_id)})
    async def handler(socket: WebSocket, cid: str) -> None:
        await socket.accept()
        async for text in socket.iter_data():
            await socket.send_text(f"{cid}:{text}")

    with create_test_client([handler], backend=backend) as client:
        with client.websocket_connect("/ws") as ws:
            ws.send_text("a")
            ws.send_text("b")
            assert [ws.receive_text(), ws.receive_text()] == ["c1:a", "c1:b"]
        assert events == ["open", "closed"]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        pytest.param(NotAuthorizedException("who are you?"), 4401, id="not-authorized"),
        pytest.param(PermissionDeniedException("not you"), 4403, id="permission-denied"),
        pytest.param(WebSocketException("custom", code=4999), 4999, id="websocket-exception"),
    ],
)
def test_a_failing_guard_refuses_with_the_documented_code(backend: Backend, error: Exception, code: int) -> None:
    seen: list[Any] = []

    def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        seen.append((type(connection).__name__, handler.opt["role"]))
        raise error

    @websocket("/ws", guards=[guard], opt={"role": "admin"})
    async def handler(socket: WebSocket) -> None:  # pragma: no cover - refused
        await socket.accept()

    with create_test_client([handler], backend=backend) as client:
        refusal = _refused(client, "/ws")
    assert (refusal.code, refusal.detail, seen) == (code, str(error.detail), [("WebSocket", "admin")])  # type: ignore[attr-defined]


def test_layered_guards_and_opt_apply(backend: Backend) -> None:
    async def allow(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        if connection.query_params.get("key") != handler.opt["key"]:
            raise PermissionDeniedException()

    @websocket("/ws", opt={"extra": 1})
    async def handler(socket: WebSocket) -> None:
        await socket.send_json(dict(socket.route_handler.opt))

    router = Router("/api", route_handlers=[handler], guards=[allow], opt={"key": "k"})
    with create_test_client([router], backend=backend) as client:
        assert _refused(client, "/api/ws").code == 4403
        with client.websocket_connect("/api/ws?key=k") as ws:
            assert ws.receive_json() == {"key": "k", "extra": 1}


class AppSocket(WebSocket):
    layer = "app"


class RouterSocket(WebSocket):
    layer = "router"


class ControllerSocket(WebSocket):
    layer = "controller"


class HandlerSocket(WebSocket):
    layer = "handler"


def test_the_closest_layers_websocket_class_is_used(backend: Backend) -> None:
    async def report(socket: WebSocket) -> None:
        await socket.send_text(getattr(socket, "layer", "default"))

    on_app = websocket("/app")(report)
    on_handler = websocket("/handler", websocket_class=HandlerSocket)(report)

    class Chat(Controller):
        path = "/controller"
        websocket_class = ControllerSocket

        @websocket("/")
        async def chat(self, socket: WebSocket) -> None:
            await report(socket)

    router = Router("/router", route_handlers=[websocket("/")(report), Chat], websocket_class=RouterSocket)
    app_handlers: list[Any] = [on_app, on_handler, router]
    with create_test_client(app_handlers, backend=backend, websocket_class=AppSocket) as client:
        got = {}
        for path in ("/app", "/handler", "/router", "/router/controller"):
            with client.websocket_connect(path) as ws:
                got[path] = ws.receive_text()
    assert got == {"/app": "app", "/handler": "handler", "/router": "router", "/router/controller": "controller"}
    assert create_test_client([websocket("/")(report)]).app.routes[0].route_handler.websocket_class is WebSocket  # type: ignore[attr-defined]


def test_a_handler_exception_closes_with_1011_and_is_logged(backend: Backend, caplog: pytest.LogCaptureFixture) -> None:
    hooked: list[str] = []

    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        raise RuntimeError("kaboom")

    def after_exception(exc: Exception, scope: Scope) -> None:
        hooked.append(str(exc))

    with (
        caplog.at_level(logging.ERROR, logger="outpour"),
        create_test_client([handler], backend=backend, after_exception=[after_exception]) as client,
        client.websocket_connect("/ws") as ws,
        pytest.raises(WebSocketDisconnect) as info,
    ):
        ws.receive_text()
    assert (info.value.code, info.value.detail, hooked) == (1011, "Internal Server Error", ["kaboom"])
    assert "Uncaught exception serving the WebSocket /ws" in caplog.text


def test_in_debug_mode_the_close_reason_names_the_error(backend: Backend, caplog: pytest.LogCaptureFixture) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        raise ValueError("é" * 100)

    with (
        caplog.at_level(logging.CRITICAL),
        create_test_client([handler], backend=backend, debug=True) as client,
        client.websocket_connect("/ws") as ws,
        pytest.raises(WebSocketDisconnect) as info,
    ):
        ws.receive_text()
    assert info.value.code == 1011
    assert info.value.detail.startswith("ValueError: éé")
    assert info.value.detail.endswith("...")
    assert len(info.value.detail.encode()) <= 123


def test_a_handler_that_never_accepts_is_closed_cleanly(backend: Backend) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        return None

    with create_test_client([handler], backend=backend) as client:
        assert _refused(client, "/ws").code == 1000


def test_a_handler_returning_without_closing_closes_with_1000(backend: Backend) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.send_text("hi")

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/ws") as ws:
        assert ws.receive_text() == "hi"
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert info.value.code == 1000


def test_websocket_routes_are_listed_and_reversible() -> None:
    @websocket(["/chat/{room:str}", "/chat"], name="chat")
    async def chat(socket: WebSocket, room: str = "lobby") -> None:  # pragma: no cover - never served
        await socket.accept()

    @get("/chat")
    async def chat_page() -> str:  # pragma: no cover - never served
        return "page"

    app = Outpour([chat, chat_page], openapi_config=None)
    routes = [(type(r).__name__, r.path) for r in app.routes]
    assert routes == [("WebSocketRoute", "/chat/{room:str}"), ("WebSocketRoute", "/chat"), ("HTTPRoute", "/chat")]
    assert app.route_reverse("chat", room="a") == "/chat/a"
    assert app.route_handler_method_map["/chat"]["websocket"].handler_name.endswith("chat")
    assert isinstance(app.routes[0], WebSocketRoute)
    assert isinstance(app.routes[0].route_handler, WebsocketRouteHandler)


def test_http_and_websocket_handlers_share_a_path(backend: Backend) -> None:
    @websocket("/live")
    async def live(socket: WebSocket) -> None:
        await socket.send_text("ws")

    @get("/live")
    async def page() -> str:
        return "http"

    with create_test_client([live, page], backend=backend) as client:
        assert client.get("/live").text == "http"
        with client.websocket_connect("/live") as ws:
            assert ws.receive_text() == "ws"


def test_a_mounted_asgi_app_receives_websocket_scopes(backend: Backend) -> None:
    @asgi("/mounted", is_mount=True)
    async def mounted(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": f"{scope['root_path']}|{scope['path']}"})
        await send({"type": "websocket.close", "code": 1000})

    @asgi("/raw/{n:int}")
    async def raw(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": str(scope["path_params"]["n"])})

    with create_test_client([mounted, raw], backend=backend) as client:
        with client.websocket_connect("/mounted/a/b") as ws:
            assert ws.receive_text() == "/mounted|/a/b"
        with client.websocket_connect("/raw/5") as ws:
            assert ws.receive_text() == "5"


def test_an_error_in_a_mounted_app_closes_with_1011(backend: Backend, caplog: pytest.LogCaptureFixture) -> None:
    @asgi("/", is_mount=True)
    async def mounted(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        raise RuntimeError("mount failed")

    with (
        caplog.at_level(logging.CRITICAL),
        create_test_client([mounted], backend=backend) as client,
        client.websocket_connect("/anything") as ws,
        pytest.raises(WebSocketDisconnect) as info,
    ):
        ws.receive_text()
    assert info.value.code == 1011


def test_middleware_wraps_websocket_handlers(backend: Backend) -> None:
    def tag(app: Any) -> Any:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("state", {})["tag"] = "mw"
            await app(scope, receive, send)

        return middleware

    @websocket("/ws", middleware=[tag])
    async def handler(socket: WebSocket) -> None:
        await socket.send_text(socket.scope["state"]["tag"])

    with create_test_client([handler], backend=backend) as client, client.websocket_connect("/ws") as ws:
        assert ws.receive_text() == "mw"


def test_before_send_hooks_see_websocket_messages(backend: Backend) -> None:
    seen: list[str] = []

    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.send_text("x")

    def hook(message: Any, scope: Scope) -> None:
        seen.append(message["type"])

    with (
        create_test_client([handler], backend=backend, before_send=[hook]) as client,
        client.websocket_connect("/ws") as ws,
    ):
        ws.receive_text()
    assert seen[:2] == ["websocket.accept", "websocket.send"]


async def _plain(socket: WebSocket) -> None:  # pragma: no cover - refused at app creation
    await socket.accept()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            lambda: websocket("/")(lambda socket: None),
            "is not an `async def` function",
            id="sync",
        ),
        pytest.param(lambda: websocket("/")(_no_socket), "takes no `socket`", id="no-socket"),
        pytest.param(lambda: websocket("/")(_returns), "must be annotated `-> None`", id="returns"),
        pytest.param(lambda: websocket("/")(_takes_data), "takes `data`", id="data"),
        pytest.param(lambda: websocket("/")(_takes_request), "takes `request`", id="request"),
        pytest.param(
            lambda: websocket("/", websocket_class=dict)(_plain),  # type: ignore[arg-type]
            "give a subclass of `outpour.WebSocket`",
            id="class",
        ),
        pytest.param(lambda: WebsocketRouteHandler("/"), "has no function", id="no-function"),
    ],
)
def test_configuration_mistakes_raise_at_app_creation(make: Any, message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        Outpour([make()], openapi_config=None)


async def _no_socket() -> None:  # pragma: no cover - refused
    return None


async def _returns(socket: WebSocket) -> str:  # pragma: no cover - refused
    return ""


async def _takes_data(socket: WebSocket, data: str) -> None:  # pragma: no cover - refused
    return None


async def _takes_request(socket: WebSocket, request: Any) -> None:  # pragma: no cover - refused
    return None


def test_two_websocket_handlers_on_one_path_are_refused() -> None:
    with pytest.raises(
        ImproperlyConfiguredException, match=r"Duplicate route: WebSocket `/ws/\{b:int\}` is declared by both"
    ):
        Outpour([websocket("/ws/{a:int}")(_plain), websocket("/ws/{b:int}")(_plain)], openapi_config=None)


def test_unknown_keywords_go_into_opt_and_dto_is_refused() -> None:
    handler = websocket("/", my_flag=True)(_plain)
    assert handler.opt == {"my_flag": True}
    assert handler.decorator_name == "websocket"
    with pytest.raises(ImproperlyConfiguredException, match="does not implement DTOs on WebSocket handlers yet"):
        websocket("/", dto=object)


def test_routing_strips_the_root_path_and_a_trailing_slash(backend: Backend) -> None:
    @websocket("/ws")
    async def handler(socket: WebSocket) -> None:
        await socket.send_text(socket.scope["path"])

    @get("/items/{item_id:int}")
    async def item(item_id: int) -> int:  # pragma: no cover - only its path matters
        return item_id

    app = Outpour([handler, item], openapi_config=None)
    with TestClient(app, root_path="/api", backend=backend) as client:
        with client.websocket_connect("/api/ws/") as ws:
            assert ws.receive_text() == "/api/ws/"
        assert _refused(client, "/api/items/1").code == 4404  # an HTTP route does not take WebSockets


def test_a_middleware_raising_websocket_disconnect_ends_quietly(backend: Backend) -> None:
    def leave(app: Any) -> Any:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            await receive()
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": 4321})
            raise WebSocketDisconnect()

        return middleware

    @websocket("/ws", middleware=[leave])
    async def handler(socket: WebSocket) -> None:  # pragma: no cover - the middleware never calls it
        await socket.accept()

    with (
        create_test_client([handler], backend=backend) as client,
        client.websocket_connect("/ws") as ws,
        pytest.raises(WebSocketDisconnect) as info,
    ):
        ws.receive_text()
    assert info.value.code == 4321


def test_an_error_after_the_client_left_is_logged_without_closing_again(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    done: list[str] = []

    @asgi("/raw")
    async def raw(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()  # the client's close
        done.append("left")
        raise RuntimeError("after the client left")

    with (
        caplog.at_level(logging.DEBUG, logger="outpour"),
        create_test_client([raw], backend=backend) as client,
        client.websocket_connect("/raw") as ws,
    ):
        ws.close()
    assert done == ["left"]
    assert "Closing the WebSocket /raw after an error failed" in caplog.text


def test_dependency_parameters_and_layered_parameters_are_validated(backend: Backend) -> None:
    def page_size(size: int) -> int:
        return size

    @websocket("/ws", dependencies={"page": Provide(page_size)})
    async def handler(socket: WebSocket, page: int) -> None:
        await socket.send_json(page)

    router = Router("/r", route_handlers=[handler], parameters={"version": Parameter(int, header="X-Version")})
    with create_test_client([router], backend=backend) as client:
        assert _refused(client, "/r/ws?size=x", headers={"X-Version": "1"}).code == 4400
        assert _refused(client, "/r/ws?size=2", headers={"X-Version": "v"}).code == 4400
        with client.websocket_connect("/r/ws?size=2", headers={"X-Version": "1"}) as ws:
            assert ws.receive_json() == 2


@pytest.mark.parametrize(
    ("root_path", "url"),
    [
        pytest.param("", "/rooms/7/", id="trailing-slash"),
        pytest.param("", "/lobby/", id="static-trailing-slash"),
        pytest.param("/api", "/api/rooms/7", id="root-path"),
        pytest.param("/api", "/api/lobby", id="static-root-path"),
    ],
)
def test_websocket_paths_are_matched_as_http_paths_are(backend: Backend, root_path: str, url: str) -> None:
    """A trailing slash and the `root_path` are taken off before matching, as for HTTP routes."""

    @websocket("/rooms/{room_id:int}")
    async def room(socket: WebSocket, room_id: int) -> None:
        await socket.accept()
        await socket.send_json({"room": room_id})

    @websocket("/lobby")
    async def lobby(socket: WebSocket) -> None:
        await socket.accept()
        await socket.send_json({"room": "lobby"})

    with (
        create_test_client([room, lobby], backend=backend, root_path=root_path) as client,
        client.websocket_connect(url) as ws,
    ):
        answer = ws.receive_json()
    assert answer == ({"room": "lobby"} if "lobby" in url else {"room": 7})


def test_a_websocket_reaches_an_asgi_handler_with_path_parameters(backend: Backend) -> None:
    @asgi("/raw/{name:str}")
    async def raw(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": scope["path_params"]["name"]})
        await send({"type": "websocket.close", "code": 1000})

    with create_test_client([raw], backend=backend) as client, client.websocket_connect("/raw/ada") as ws:
        assert ws.receive_text() == "ada"
