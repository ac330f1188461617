"""What a handler's declaration and registration refuse, and what they accept, as Litestar's handlers do."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generic, TypeVar

import pytest

from outpour import Outpour, Response, WebSocket, asgi, get, head, post, route, websocket
from outpour.exceptions import ImproperlyConfiguredException, ValidationException
from outpour.handlers import ASGIRouteHandler, HTTPRouteHandler, WebsocketRouteHandler
from outpour.response.file import ASGIFileResponse, File
from outpour.routes import ASGIRoute, HTTPRoute, WebSocketRoute
from outpour.testing import TestClient
from outpour.types import Receive, Scope, Send

T = TypeVar("T")


class OwnResponse(Generic[T], Response[T]):
    """A generic ``Response`` subclass: ``OwnResponse[None]`` has no body either."""


def _noop() -> None:
    return None


# -- http_method -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "http_method",
    [
        pytest.param("deleze", id="misspelled"),
        pytest.param(["GET", "poft"], id="one-of-a-list"),
        pytest.param("GET ", id="trailing-space"),
    ],
)
def test_an_unknown_http_method_is_a_validation_error_and_a_configuration_error(http_method: Any) -> None:
    with pytest.raises(ValidationException, match="Unknown HTTP method") as raised:
        HTTPRouteHandler(http_method=http_method, fn=_noop)
    assert isinstance(raised.value, ImproperlyConfiguredException)
    assert raised.value.status_code == 400


def test_no_http_method_is_a_configuration_error_only() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="at least one HTTP method") as raised:
        HTTPRouteHandler(http_method=[], fn=_noop)
    assert not isinstance(raised.value, ValidationException)


@pytest.mark.parametrize("method", ["get", "Post", "DELETE", "options", "trace"])
def test_any_case_of_a_method_is_accepted(method: str) -> None:
    assert route("/", http_method=method)(_noop).http_methods == [method.upper()]


# -- messages a Litestar app's tests match -----------------------------------------------------------------------------


def _no_annotation():  # type: ignore[no-untyped-def]
    return None


def _returns_dict() -> dict[str, str]:
    return {}


def _takes_socket(socket: WebSocket) -> None:
    return None


def _reads_data(data: dict[str, int]) -> None:
    return None


def _body_as_list(body: list[str]) -> None:
    return None


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        pytest.param(
            get("/")(_no_annotation), "Missing return type annotation on Handler `_no_annotation`", id="no-return"
        ),
        pytest.param(
            get("/", status_code=204)(_returns_dict),
            "A status code 204, 304 or in the range below 200 does not support a response body",
            id="204-with-body",
        ),
        pytest.param(
            get("/", status_code=304)(_returns_dict),
            "has status code 304, which forbids a response body",
            id="304-with-body",
        ),
        pytest.param(get("/")(_takes_socket), "The 'socket' kwarg is not supported with HTTP handlers", id="socket"),
        pytest.param(get("/")(_reads_data), "'data' kwarg is unsupported for 'GET' requests", id="data-on-get"),
        pytest.param(post("/")(_body_as_list), "Invalid type annotation for 'body' parameter", id="body-not-bytes"),
    ],
)
def test_app_creation_refuses_with_a_message_naming_the_mistake(handler: HTTPRouteHandler, message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        Outpour([handler])


# -- HEAD --------------------------------------------------------------------------------------------------------------


def test_an_explicit_head_handler_returning_a_body_is_refused() -> None:
    @head("/")
    def handler() -> dict[str, str]:
        return {}

    with pytest.raises(ImproperlyConfiguredException, match="answers HEAD but is annotated to return"):
        Outpour([handler])


def test_a_route_taking_head_among_its_methods_is_checked_too() -> None:
    @route("/", http_method=["GET", "HEAD"])
    def handler() -> dict[str, str]:
        return {}

    with pytest.raises(ImproperlyConfiguredException, match="answers HEAD"):
        Outpour([handler])


def _none() -> None:
    return None


def _none_response() -> Response[None]:
    return Response(None)


def _own_none_response() -> OwnResponse[None]:
    return OwnResponse(None)


def _file() -> File:
    return File(__file__)


def _asgi_file() -> ASGIFileResponse:
    return ASGIFileResponse(file_path=Path(__file__))


@pytest.mark.parametrize("fn", [_none, _none_response, _own_none_response, _file, _asgi_file])
def test_head_handlers_without_a_body_are_accepted(fn: Any) -> None:
    app = Outpour([head("/")(fn)])
    assert list(app.route_handler_method_map["/"]) == ["HEAD"]


def test_a_get_handler_with_a_body_still_answers_head() -> None:
    @get("/")
    def handler() -> dict[str, str]:
        return {"a": "b"}

    app = Outpour([handler])
    assert set(app.route_handler_method_map["/"]) == {"GET"}  # declared methods only, as in Litestar
    with TestClient(app) as client:
        response = client.head("/")
    assert (response.status_code, response.content) == (200, b"")


# -- ASGI handlers -----------------------------------------------------------------------------------------------------


async def _no_scope(receive: Receive, send: Send) -> None:
    return None


def _sync_app(scope: Scope, receive: Receive, send: Send) -> None:
    return None


async def _returns_something(scope: Scope, receive: Receive, send: Send) -> dict[str, str]:
    return {}


async def _two_many(scope: Scope, receive: Receive, send: Send, extra: int) -> None:
    return None


@pytest.mark.parametrize(
    ("fn", "message"),
    [
        pytest.param(_no_scope, "cannot be called with `\\(scope, receive, send\\)`", id="two-arguments"),
        pytest.param(_two_many, "cannot be called with", id="a-required-fourth"),
        pytest.param(_sync_app, "is not async", id="sync"),
        pytest.param(_returns_something, "is annotated to return `dict", id="returns"),
    ],
)
def test_an_asgi_handler_that_is_no_asgi_app_is_refused(fn: Any, message: str) -> None:
    handler = asgi("/")(fn)
    with pytest.raises(ImproperlyConfiguredException, match=message):
        Outpour([handler])
    with pytest.raises(ImproperlyConfiguredException, match=message):
        handler.on_registration(ASGIRoute(path="/", route_handler=handler), Outpour())


def test_an_asgi_handler_without_an_app_is_refused() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="has no app"):
        Outpour([asgi("/")])


class _AppObject:
    """An ASGI app instance (as a framework's app object): its ``__call__`` is the app."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def _any_names(s, r, c):  # type: ignore[no-untyped-def]
    await _AppObject()(s, r, c)


async def _variadic(*args: Any) -> None:
    await _AppObject()(*args)


@pytest.mark.parametrize("app", [_AppObject(), _any_names, _variadic], ids=["instance", "other-names", "variadic"])
def test_asgi_apps_of_any_shape_that_take_three_arguments_are_accepted(app: Any) -> None:

    with TestClient(Outpour([asgi("/", is_mount=True)(app)])) as client:
        assert client.get("/anything").status_code == 204


def test_an_asgi_handler_may_annotate_none_as_a_string() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        return None

    app.__annotations__["return"] = "None"
    handler = asgi("/")(app)
    handler.on_registration(ASGIRoute(path="/", route_handler=handler), Outpour())


# -- on_registration ---------------------------------------------------------------------------------------------------


def test_on_registration_checks_an_http_handler_without_registering_it() -> None:
    app = Outpour(openapi_config=None)

    @head("/")
    def refused() -> dict[str, str]:
        return {}

    @get("/{item_id:int}")
    def accepted(item_id: int) -> int:
        return item_id

    with pytest.raises(ImproperlyConfiguredException, match="answers HEAD"):
        refused.on_registration(HTTPRoute(path="/", route_handlers=[refused]), app)
    accepted.on_registration(HTTPRoute(path="/{item_id:int}", route_handlers=[accepted]), app)
    assert app.routes == []  # nothing was added


def test_on_registration_resolves_annotations_with_the_apps_namespace() -> None:
    @get("/")
    def handler(value: Later) -> None:  # type: ignore[name-defined]  # noqa: F821 - given by the app's namespace
        return None

    with pytest.raises(ImproperlyConfiguredException, match="Cannot resolve the annotations"):
        handler.on_registration(HTTPRoute(path="/", route_handlers=[handler]), Outpour())
    handler.on_registration(HTTPRoute(path="/", route_handlers=[handler]), Outpour(signature_namespace={"Later": int}))


async def _socket_handler(socket: WebSocket) -> None:
    return None


async def _no_socket(websocket: WebSocket) -> None:
    return None


def _sync_socket(socket: WebSocket) -> None:
    return None


async def _socket_returns(socket: WebSocket) -> dict[str, str]:
    return {}


async def _socket_and_data(socket: WebSocket, data: Any) -> None:
    return None


async def _socket_and_request(socket: WebSocket, request: Any) -> None:
    return None


async def _socket_and_body(socket: WebSocket, body: bytes) -> None:
    return None


@pytest.mark.parametrize(
    ("fn", "message"),
    [
        pytest.param(_no_socket, "takes no `socket`", id="no-socket"),
        pytest.param(_sync_socket, "is not an `async def` function", id="sync"),
        pytest.param(_socket_returns, "must be annotated `-> None`", id="returns"),
        pytest.param(_socket_and_data, "takes `data`", id="data"),
        pytest.param(_socket_and_request, "takes `request`", id="request"),
        pytest.param(_socket_and_body, "takes `body`", id="body"),
    ],
)
def test_on_registration_checks_a_websocket_handler(fn: Any, message: str) -> None:
    handler = websocket("/")(fn)
    with pytest.raises(ImproperlyConfiguredException, match=message):
        handler.on_registration(WebSocketRoute(path="/", route_handler=handler), Outpour())


def test_on_registration_accepts_a_valid_websocket_handler() -> None:
    handler = websocket("/")(_socket_handler)
    handler.on_registration(WebSocketRoute(path="/", route_handler=handler), Outpour())
    assert isinstance(handler, WebsocketRouteHandler)
    assert handler.websocket_class is None  # the declared handler is left as it was


def test_on_registration_leaves_the_declared_handler_unchanged() -> None:
    @get("/", response_headers={"x-own": "1"})
    def handler() -> str:
        return "ok"

    handler.on_registration(HTTPRoute(path="/", route_handlers=[handler]), Outpour(response_headers={"x-app": "2"}))
    assert [h.name for h in handler.response_headers or ()] == ["x-own"]
    assert handler.media_type is None


def test_an_asgi_handler_class_keeps_its_checks() -> None:
    class Tagged(ASGIRouteHandler):
        """A custom handler class."""

    handler = asgi("/", handler_class=Tagged)(_sync_app)
    with pytest.raises(ImproperlyConfiguredException, match="is not async"):
        handler.on_registration(ASGIRoute(path="/", route_handler=handler), Outpour())
