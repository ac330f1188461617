"""``AbstractAuthenticationMiddleware``: the user reaches handlers, exclusions skip it, a refusal is a 401."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from outpour import Request, Router, get, route
from outpour.connection import ASGIConnection
from outpour.datastructures import State
from outpour.di import Provide
from outpour.enums import HttpMethod, ScopeType
from outpour.exceptions import NotAuthorizedException, PermissionDeniedException
from outpour.handlers import BaseRouteHandler
from outpour.middleware import AbstractAuthenticationMiddleware, AuthenticationResult, DefineMiddleware
from outpour.middleware import authentication as authentication_module
from outpour.response import Response
from outpour.testing import create_test_client


@dataclass
class User:
    name: str


TOKENS = {"secret-1": User("ada"), "secret-2": User("grace")}


class TokenAuth(AbstractAuthenticationMiddleware):
    """Authenticates ``X-Token``; counts its calls so tests see when it was skipped."""

    calls = 0

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        type(self).calls += 1
        token = connection.headers.get("x-token")
        if token not in TOKENS:
            raise NotAuthorizedException("A valid `X-Token` header is required.")
        return AuthenticationResult(user=TOKENS[token], auth=token)


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    TokenAuth.calls = 0


@get("/me")
async def me(request: Request[User, str, State]) -> dict[str, str]:
    return {"user": request.user.name, "auth": request.auth}


@get("/public/info")
async def public_info(request: Request[Any, Any, State]) -> dict[str, bool]:
    return {"has_user": "user" in request.scope}


@get("/health", exclude_from_auth=True)  # type: ignore[call-arg]  # extra keywords go to `opt`
async def health(request: Request[Any, Any, State]) -> dict[str, bool]:
    return {"has_user": "user" in request.scope}


OK = {"x-token": "secret-1"}


def test_the_user_and_auth_reach_the_handler() -> None:
    with create_test_client([me], middleware=[TokenAuth]) as client:
        response = client.get("/me", headers={"x-token": "secret-2"})
    assert (response.status_code, response.json()) == (200, {"user": "grace", "auth": "secret-2"})


def test_a_refusal_is_a_401() -> None:
    with create_test_client([me], middleware=[TokenAuth]) as client:
        missing = client.get("/me")
        wrong = client.get("/me", headers={"x-token": "nope"})
    expected = {"status_code": 401, "detail": "A valid `X-Token` header is required."}
    assert [(r.status_code, r.json()) for r in (missing, wrong)] == [(401, expected), (401, expected)]


def test_a_refusal_goes_through_the_apps_exception_handlers() -> None:
    def unauthorized(request: Request[Any, Any, State], exc: NotAuthorizedException) -> Response[str]:
        return Response("log in first", status_code=401, headers={"www-authenticate": "Token"})

    with create_test_client(
        [me], middleware=[TokenAuth], exception_handlers={NotAuthorizedException: unauthorized}
    ) as client:
        response = client.get("/me")
    assert (response.status_code, response.text, response.headers["www-authenticate"]) == (401, "log in first", "Token")


def test_guards_and_dependencies_see_the_user() -> None:
    def only_ada(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if connection.user.name != "ada":
            raise PermissionDeniedException("Only Ada may.")

    async def user_name(request: Request[User, str, State]) -> str:
        return request.user.name

    @get("/ada", guards=[only_ada], dependencies={"name": Provide(user_name)})
    async def ada(name: str) -> str:
        return name

    with create_test_client([ada], middleware=[TokenAuth]) as client:
        allowed = client.get("/ada", headers=OK)
        refused = client.get("/ada", headers={"x-token": "secret-2"})
    assert (allowed.status_code, allowed.text, refused.status_code) == (200, "ada", 403)


@pytest.mark.parametrize(
    "exclude",
    [
        pytest.param("^/public", id="one-pattern"),
        pytest.param(["^/nothing", "^/public"], id="pattern-list"),
        pytest.param("info$", id="unanchored"),
    ],
)
def test_exclude_by_path_pattern(exclude: str | list[str]) -> None:
    with create_test_client([me, public_info], middleware=[DefineMiddleware(TokenAuth, exclude=exclude)]) as client:
        excluded = client.get("/public/info")
        protected = client.get("/me")
    assert (excluded.status_code, excluded.json(), protected.status_code) == (200, {"has_user": False}, 401)
    assert TokenAuth.calls == 1


def test_exclude_by_opt_key() -> None:
    with create_test_client([me, health], middleware=[TokenAuth]) as client:
        assert client.get("/health").json() == {"has_user": False}
        assert client.get("/me").status_code == 401


def test_exclude_by_a_custom_opt_key_set_on_a_router() -> None:
    """The key is read from the route's merged ``opt``, so a router can exclude every route under it."""
    open_router = Router(path="/open", route_handlers=[public_info], opt={"no_auth": True})
    auth = DefineMiddleware(TokenAuth, exclude_from_auth_key="no_auth")
    with create_test_client([open_router, health, me], middleware=[auth]) as client:
        assert client.get("/open/public/info").json() == {"has_user": False}
        assert client.get("/health").status_code == 401  # `exclude_from_auth` is not the key any more
        assert client.get("/me", headers=OK).status_code == 200


@route("/thing", http_method=["GET", "OPTIONS", "POST"])
async def thing(request: Request[Any, Any, State]) -> dict[str, bool]:
    return {"has_user": "user" in request.scope}


@pytest.mark.parametrize(
    ("exclude_http_methods", "expected"),
    [
        pytest.param(None, {"GET": 401, "OPTIONS": 200, "POST": 401}, id="default-options"),
        pytest.param(["GET", HttpMethod.POST], {"GET": 200, "OPTIONS": 401, "POST": 200}, id="listed"),
        pytest.param([], {"GET": 401, "OPTIONS": 401, "POST": 401}, id="none"),
    ],
)
def test_exclude_by_http_method(exclude_http_methods: list[Any] | None, expected: dict[str, int]) -> None:
    auth = DefineMiddleware(TokenAuth, exclude_http_methods=exclude_http_methods)
    with create_test_client([thing], middleware=[auth]) as client:
        statuses = {method: client.request(method, "/thing").status_code for method in expected}
    assert statuses == expected


def test_scopes_limit_the_connections_authenticated() -> None:
    with create_test_client([public_info], middleware=[DefineMiddleware(TokenAuth, scopes={ScopeType.WEBSOCKET})]) as c:
        assert c.get("/public/info").json() == {"has_user": False}
    assert TokenAuth.calls == 0


def test_middleware_on_a_router_authenticates_only_its_routes() -> None:
    private = Router(path="/private", route_handlers=[me], middleware=[TokenAuth])
    with create_test_client([private, public_info]) as client:
        assert client.get("/public/info").status_code == 200
        assert client.get("/private/me").status_code == 401
        assert client.get("/private/me", headers=OK).json() == {"user": "ada", "auth": "secret-1"}


def test_defaults_and_attributes() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        pass

    default = TokenAuth(app)
    assert (default.app, default.exclude, default.exclude_opt_key) == (app, None, "exclude_from_auth")
    assert (list(default.exclude_http_methods), default.scopes) == (["OPTIONS"], {"http", "websocket"})
    custom = TokenAuth(app, exclude=["^/a", "^/b"], exclude_from_auth_key="k", exclude_http_methods=["GET"])
    assert isinstance(custom.exclude, re.Pattern)
    assert (custom.exclude.search("/b/c") is not None, custom.exclude_opt_key, list(custom.exclude_http_methods)) == (
        True,
        "k",
        ["GET"],
    )


def test_authenticate_request_is_abstract() -> None:
    class Incomplete(AbstractAuthenticationMiddleware):
        pass

    async def app(scope: Any, receive: Any, send: Any) -> None:
        pass

    with pytest.raises(TypeError, match="abstract method"):
        Incomplete(app=app)  # type: ignore[abstract]


def test_authentication_result() -> None:
    assert AuthenticationResult(user="u") == AuthenticationResult("u", None)
    assert (AuthenticationResult("u", "t").user, AuthenticationResult("u", "t").auth) == ("u", "t")
    assert authentication_module.__all__ == ["AbstractAuthenticationMiddleware", "AuthenticationResult"]


@get("/report")
async def report() -> dict[str, str]:
    return {"report": "ready"}


@pytest.mark.parametrize(
    ("exclude_http_methods", "status"),
    [
        pytest.param(None, 204, id="options-excluded-by-default"),
        pytest.param(["GET"], 401, id="options-authenticated"),
    ],
)
def test_the_automatic_options_answer_goes_through_the_layers_middleware(
    exclude_http_methods: list[Any] | None, status: int
) -> None:
    auth = DefineMiddleware(TokenAuth, exclude_http_methods=exclude_http_methods)
    with create_test_client([report], middleware=[auth]) as client:
        response = client.options("/report")
        assert response.status_code == status
        assert client.options("/report", headers=OK).status_code == 204


def test_the_automatic_options_answer_takes_the_routers_middleware_and_opt_not_the_handlers() -> None:
    calls: list[str] = []

    def tracing(label: str) -> Any:
        def factory(app: Any) -> Any:
            async def middleware(scope: Any, receive: Any, send: Any) -> None:
                calls.append(f"{label} {scope['method']}")
                await app(scope, receive, send)

            return middleware

        return factory

    @get("/", middleware=[tracing("handler")])
    async def index() -> None:
        return None

    skipped = Router(path="/skipped", route_handlers=[index], opt={"exclude_from_auth": True})
    checked = Router(path="/checked", route_handlers=[index], middleware=[tracing("router")])
    with create_test_client([skipped, checked], middleware=[DefineMiddleware(TokenAuth, exclude_http_methods=[])]) as c:
        assert c.options("/skipped").status_code == 204  # the router's `opt` excludes it, as for its GET
        assert c.options("/checked").status_code == 401
        assert c.options("/checked", headers=OK).headers["allow"] == "GET, OPTIONS"
    assert calls == ["router OPTIONS"]  # the refused request stopped at the app's authentication
