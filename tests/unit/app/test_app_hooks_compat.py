"""App-level hooks as Litestar documents them: ``after_exception``, ``before_send``, ``on_app_init`` with ``AppConfig``,
and the automatic ``OPTIONS`` answer with its ``Allow`` header (also on 405 responses)."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest

from outpour import Outpour, Router, asgi, get, post, route
from outpour.config import AppConfig
from outpour.config.app import DEFAULT_OPENAPI_CONFIG
from outpour.exceptions import ImproperlyConfiguredException, NotAuthorizedException
from outpour.middleware.base import AbstractMiddleware
from outpour.testing import TestClient, create_test_client
from outpour.types import Message, Receive, Scope, Send


@get("/ping")
async def ping() -> str:
    return "pong"


@post("/ping")
async def ping_post() -> str:
    return "posted"


@get("/users/{user_id:int}")
async def user(user_id: int) -> dict[str, int]:
    return {"user_id": user_id}


@get("/boom")
async def boom() -> str:
    raise ValueError("kaboom")


@get("/denied")
async def denied() -> str:
    raise NotAuthorizedException("nope")


# -- before_send ------------------------------------------------------------------------------------------------------


def _sync_header(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        message.setdefault("headers", []).append((b"x-hook", scope["path"].encode()))


async def _async_header(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        message.setdefault("headers", []).append((b"x-hook", scope["path"].encode()))


@pytest.mark.parametrize("hook", [pytest.param(_sync_header, id="sync"), pytest.param(_async_header, id="async")])
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        pytest.param("GET", "/ping", 200, id="static"),
        pytest.param("GET", "/users/7", 200, id="dynamic"),
        pytest.param("GET", "/missing", 404, id="not-found"),
        pytest.param("DELETE", "/ping", 405, id="not-allowed"),
        pytest.param("OPTIONS", "/ping", 204, id="automatic-options"),
        pytest.param("GET", "/boom", 500, id="handler-error"),
    ],
)
def test_before_send_hook_adds_a_header(hook: Any, method: str, path: str, status: int) -> None:
    with create_test_client([ping, ping_post, user, boom], before_send=[hook], raise_server_exceptions=False) as c:
        response = c.request(method, path)
    assert response.status_code == status
    assert response.headers["x-hook"] == path


def test_before_send_sees_every_message_in_order() -> None:
    seen: list[str] = []
    with create_test_client([ping], before_send=[lambda message, scope: seen.append(message["type"])]) as client:
        assert client.get("/ping").text == "pong"
    assert seen == ["http.response.start", "http.response.body"]


def test_before_send_wraps_mounts_and_middleware_errors() -> None:
    @asgi("/mounted", is_mount=True)
    async def mounted(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    class Failing(AbstractMiddleware):
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            raise NotAuthorizedException("middleware says no")

    guarded = Router("/guarded", route_handlers=[ping], middleware=[Failing])
    with create_test_client([mounted, guarded], before_send=[_sync_header]) as client:
        inside = client.get("/mounted/a/b")
        refused = client.get("/guarded/ping")
    # the hook gets the app's scope, as the app received it (not the mount's rewritten one)
    assert (inside.text, inside.headers["x-hook"]) == ("/a/b", "/mounted/a/b")
    assert (refused.status_code, refused.headers["x-hook"]) == (401, "/guarded/ping")


def test_without_before_send_the_endpoints_are_not_wrapped() -> None:
    plain, hooked = Outpour([ping]), Outpour([ping], before_send=[_sync_header])
    assert plain._table.static["/ping"]["GET"].__name__ != "with_before_send"
    assert hooked._table.static["/ping"]["GET"].__name__ == "with_before_send"


# -- after_exception --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status", "exc_type"),
    [
        pytest.param("GET", "/boom", 500, ValueError, id="handler-error"),
        pytest.param("GET", "/denied", 401, NotAuthorizedException, id="http-exception"),
        pytest.param("GET", "/missing", 404, "NotFoundException", id="not-found"),
        pytest.param("DELETE", "/ping", 405, "MethodNotAllowedException", id="not-allowed"),
        pytest.param("GET", "/users/x", 404, "NotFoundException", id="bad-path-param"),
    ],
)
@pytest.mark.parametrize("is_async", [pytest.param(False, id="sync"), pytest.param(True, id="async")])
def test_after_exception_sees_the_exception_and_scope(
    method: str, path: str, status: int, exc_type: Any, is_async: bool
) -> None:
    calls: list[tuple[Exception, str]] = []

    def sync_hook(exc: Exception, scope: Scope) -> None:
        calls.append((exc, scope["path"]))

    async def async_hook(exc: Exception, scope: Scope) -> None:
        calls.append((exc, scope["path"]))

    hook = async_hook if is_async else sync_hook
    with create_test_client([ping, boom, denied, user], after_exception=[hook], raise_server_exceptions=False) as c:
        response = c.request(method, path)
    assert response.status_code == status
    [(exc, seen_path)] = calls
    name = exc_type if isinstance(exc_type, str) else exc_type.__name__
    assert (type(exc).__name__, seen_path) == (name, path)


def test_after_exception_is_not_called_on_success() -> None:
    calls: list[Exception] = []
    with create_test_client([ping], after_exception=[lambda exc, scope: calls.append(exc)]) as client:
        assert client.get("/ping").status_code == 200
        assert client.options("/ping").status_code == 204
    assert calls == []


def test_failing_after_exception_hook_is_logged_and_response_kept(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []

    def broken(exc: Exception, scope: Scope) -> None:
        raise RuntimeError("hook broke")

    def second(exc: Exception, scope: Scope) -> None:
        calls.append(str(exc))

    with (
        caplog.at_level(logging.ERROR, logger="outpour"),
        create_test_client([denied], after_exception=[broken, second]) as client,
    ):
        response = client.get("/denied")
    assert (response.status_code, response.json()["detail"]) == (401, "nope")
    assert calls == ["401: nope"]
    assert any("after_exception hook" in record.getMessage() for record in caplog.records)


def test_after_exception_runs_for_middleware_errors() -> None:
    seen: list[type[Exception]] = []

    class Failing(AbstractMiddleware):
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            raise NotAuthorizedException("middleware says no")

    app_router = Router("/r", route_handlers=[ping], middleware=[Failing])
    with create_test_client([app_router], after_exception=[lambda exc, scope: seen.append(type(exc))]) as client:
        assert client.get("/r/ping").status_code == 401
    assert seen == [NotAuthorizedException]


# -- on_app_init and AppConfig ----------------------------------------------------------------------------------------


def _add_user_route(config: AppConfig) -> AppConfig:
    config.route_handlers.append(user)
    return config


def _set_debug(config: AppConfig) -> AppConfig:
    config.debug = True
    return config


def _add_header_hook(config: AppConfig) -> AppConfig:
    config.before_send.append(_sync_header)
    return config


def test_on_app_init_hook_adds_a_route_handler() -> None:
    with create_test_client([ping], on_app_init=[_add_user_route]) as client:
        assert client.get("/users/3").json() == {"user_id": 3}
        assert client.get("/ping").text == "pong"


@pytest.mark.parametrize(
    ("hooks", "check"),
    [
        pytest.param([_set_debug], lambda app: app.debug is True, id="debug"),
        pytest.param([_add_header_hook], lambda app: app.before_send == [_sync_header], id="before-send"),
        pytest.param(
            [_add_user_route, _set_debug],
            lambda app: app.debug and [r.path for r in app.routes] == ["/ping", "/users/{user_id:int}"],
            id="in-order",
        ),
        pytest.param(
            [lambda config: dataclasses.replace(config, path="/api")],
            lambda app: [r.path for r in app.routes] == ["/api/ping"],
            id="replaced-config",
        ),
    ],
)
def test_on_app_init_changes_apply(hooks: list[Any], check: Any) -> None:
    app = Outpour([ping], on_app_init=hooks, openapi_config=None)
    assert check(app)


def test_on_app_init_receives_the_constructor_arguments() -> None:
    received: list[AppConfig] = []

    def capture(config: AppConfig) -> AppConfig:
        received.append(config)
        return config

    guards = [lambda connection, handler: None]
    Outpour([ping], on_app_init=[capture], debug=True, path="/v1", guards=guards, tags=["t"])
    [config] = received
    assert (config.route_handlers, config.debug, config.path, config.guards, config.tags) == (
        [ping],
        True,
        "/v1",
        guards,
        ["t"],
    )
    assert config.openapi_config is DEFAULT_OPENAPI_CONFIG
    assert config.request_max_body_size == 10_000_000  # the app's default, as in Litestar


@pytest.mark.parametrize("result", [pytest.param(None, id="none"), pytest.param({"debug": True}, id="dict")])
def test_on_app_init_must_return_an_app_config(result: Any) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="must return the `AppConfig`"):
        Outpour([ping], on_app_init=[lambda config: result])


def test_app_config_mirrors_the_constructor() -> None:
    import inspect

    params = set(inspect.signature(Outpour.__init__).parameters) - {"self", "on_app_init"}
    assert {f.name for f in dataclasses.fields(AppConfig)} == params


def test_from_config_builds_the_app() -> None:
    app = Outpour.from_config(AppConfig(route_handlers=[ping, user], path="/api", before_send=[_sync_header]))
    with TestClient(app) as client:
        response = client.get("/api/users/1")
    assert (response.json(), response.headers["x-hook"]) == ({"user_id": 1}, "/api/users/1")
    assert isinstance(app, Outpour)
    assert [r.path for r in app.routes if "schema" not in r.path] == [
        "/api/ping",
        "/api/users/{user_id:int}",
    ]


# -- automatic OPTIONS and Allow --------------------------------------------------------------------------------------


@route("/multi", http_method=["PUT", "PATCH"])
async def multi() -> None:
    return None


@route("/explicit", http_method=["GET", "OPTIONS"])
async def explicit() -> str:
    return "mine"


@pytest.mark.parametrize(
    ("method", "path", "status", "allow"),
    [
        pytest.param("OPTIONS", "/ping", 204, "GET, OPTIONS, POST", id="options-static"),
        pytest.param("OPTIONS", "/ping/", 204, "GET, OPTIONS, POST", id="options-trailing-slash"),
        pytest.param("OPTIONS", "/users/5", 204, "GET, OPTIONS", id="options-dynamic"),
        pytest.param("OPTIONS", "/multi", 204, "OPTIONS, PATCH, PUT", id="options-no-get"),
        pytest.param("DELETE", "/ping", 405, "GET, OPTIONS, POST", id="405-static"),
        pytest.param("PUT", "/users/5", 405, "GET, OPTIONS", id="405-dynamic"),
        pytest.param("GET", "/multi", 405, "OPTIONS, PATCH, PUT", id="405-no-get"),
        pytest.param("POST", "/explicit", 405, "GET, OPTIONS", id="405-explicit-options"),
    ],
)
def test_allow_header(method: str, path: str, status: int, allow: str) -> None:
    with create_test_client([ping, ping_post, user, multi, explicit]) as client:
        response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["allow"] == allow
    if status == 204:
        assert response.content == b""


def test_explicit_options_handler_wins() -> None:
    with create_test_client([explicit]) as client:
        response = client.options("/explicit")
    assert (response.status_code, response.text) == (200, "mine")
    assert "allow" not in response.headers


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/nowhere", id="unknown-static"),
        pytest.param("/users/5/extra", id="longer-than-dynamic"),
    ],
)
def test_options_on_unknown_paths_is_not_found(path: str) -> None:
    with create_test_client([user]) as client:
        response = client.options(path)
    assert response.status_code == 404
    assert "allow" not in response.headers


def test_automatic_options_is_not_documented() -> None:
    app = Outpour([ping, ping_post, user])
    paths = app.openapi_schema.paths or {}
    assert paths["/ping"].options is None
    assert paths["/users/{user_id}"].options is None
    # the routes answer it (as Litestar's list it), but no handler does
    assert all("OPTIONS" in route.methods for route in app.routes)
    assert all("OPTIONS" not in methods for methods in app.route_handler_method_map.values())


def test_an_asgi_handler_answers_options_itself() -> None:
    """The automatic `OPTIONS` answer never takes a method an ASGI app on the same path serves (all of them)."""

    @asgi("/raw")
    async def raw(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-method", scope["method"].encode())]})
        await send({"type": "http.response.body", "body": b""})

    @get("/raw", sync_to_thread=False)
    def read() -> str:
        return "read"

    with create_test_client([read, raw]) as client:
        assert client.get("/raw").text == "read"
        response = client.options("/raw")
    assert (response.status_code, response.headers["x-method"]) == (200, "OPTIONS")
    assert "allow" not in response.headers
