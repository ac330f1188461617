"""``SessionAuth``: the session identifies the user; installed with ``on_app_init``, documented in OpenAPI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from outpour import Outpour, Request, delete, get, post
from outpour.connection import ASGIConnection
from outpour.di import Provide
from outpour.middleware.session.base import BaseBackendConfig
from outpour.middleware.session.client_side import CookieBackendConfig
from outpour.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from outpour.openapi.config import OpenAPIConfig
from outpour.openapi.spec import Components, SecurityScheme
from outpour.security import AbstractSecurityConfig
from outpour.security.session_auth import SessionAuth, SessionAuthMiddleware
from outpour.testing import create_test_client

USERS = {"1": "ann", "2": "bob"}


@dataclass
class User:
    id: str
    name: str


def retrieve_user(session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    user_id = session.get("user_id")
    return User(user_id, USERS[user_id]) if user_id in USERS else None


async def retrieve_user_async(session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    return retrieve_user(session, connection)


@post("/login/{user_id:str}", sync_to_thread=False)
def login(request: Request[Any, Any, Any], user_id: str) -> None:
    request.set_session({"user_id": user_id})


@delete("/logout", sync_to_thread=False)
def logout(request: Request[Any, Any, Any]) -> None:
    request.clear_session()


@get("/me", sync_to_thread=False)
def me(request: Request[User, dict[str, Any], Any]) -> dict[str, Any]:
    return {"name": request.user.name, "auth": request.auth}


@get("/health", sync_to_thread=False, opt={"exclude_from_auth": True})
def health() -> str:
    return "ok"


def _auth(config: BaseBackendConfig[Any] | None = None, **options: Any) -> SessionAuth[User, Any]:
    return SessionAuth[User, Any](
        retrieve_user_handler=options.pop("retrieve_user_handler", retrieve_user),
        session_backend_config=config or ServerSideSessionConfig(),
        exclude=options.pop("exclude", ["^/login"]),
        **options,
    )


@pytest.mark.parametrize(
    "config",
    [pytest.param(ServerSideSessionConfig(), id="server-side"), pytest.param(CookieBackendConfig(secret=b"k" * 32))],
)
@pytest.mark.parametrize("retrieve", [pytest.param(retrieve_user, id="sync"), pytest.param(retrieve_user_async)])
def test_login_authenticates_the_next_requests_until_logout(config: BaseBackendConfig[Any], retrieve: Any) -> None:
    auth = _auth(config, retrieve_user_handler=retrieve)
    with create_test_client([login, logout, me], on_app_init=[auth.on_app_init]) as client:
        refused = client.get("/me")
        assert client.post("/login/1").status_code == 201
        allowed = client.get("/me")
        assert client.delete("/logout").status_code == 204
        after = client.get("/me")
        assert client.delete("/logout").status_code == 401  # the logout route is authenticated too
    assert (refused.status_code, refused.json()["detail"]) == (401, "no session data found")
    assert allowed.json() == {"name": "ann", "auth": {"user_id": "1"}}
    assert after.status_code == 401


def test_a_session_without_a_known_user_is_refused() -> None:
    with create_test_client([login, me], on_app_init=[_auth().on_app_init]) as client:
        client.post("/login/99")
        refused = client.get("/me")
    assert (refused.status_code, refused.json()["detail"]) == (401, "no user correlating to session found")


@pytest.mark.parametrize(
    ("options", "path", "method", "status"),
    [
        pytest.param({}, "/health", "GET", 200, id="opt-key"),
        pytest.param({"exclude_opt_key": "public"}, "/health", "GET", 401, id="other-opt-key"),
        pytest.param({"exclude": ["^/login", "^/me"]}, "/me", "OPTIONS", 204, id="options-excluded-by-default"),
        pytest.param({}, "/me", "OPTIONS", 204, id="options"),
        pytest.param({}, "/me", "HEAD", 200, id="head"),
        pytest.param({"exclude_http_methods": []}, "/me", "HEAD", 401, id="no-method-excluded"),
    ],
)
def test_exclusions(options: dict[str, Any], path: str, method: str, status: int) -> None:
    @get("/me", sync_to_thread=False)
    def anonymous() -> str:
        return "anyone"

    with create_test_client([login, anonymous, health], on_app_init=[_auth(**options).on_app_init]) as client:
        assert client.request(method, path).status_code == status


def test_guards_dependencies_routes_and_type_encoders_are_added_to_the_app() -> None:
    class Token:
        pass

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: Any) -> None:
        return None

    @get("/extra", sync_to_thread=False, opt={"exclude_from_auth": True})
    def extra(value: int) -> str:
        return f"extra {value}"

    auth = _auth(
        guards=[guard],
        dependencies={"value": Provide(lambda: 13, sync_to_thread=False)},
        route_handlers=[extra],
        type_encoders={Token: lambda _: "token"},
    )
    with create_test_client([], on_app_init=[auth.on_app_init]) as client:
        assert client.get("/extra").text == "extra 13"
        app = client.app
    assert guard in app.guards
    assert "value" in app.dependencies
    assert app.type_encoders is not None
    assert Token in app.type_encoders


SESSION_SCHEME = {
    "type": "apiKey",
    "description": "Session cookie authentication.",
    "name": "session",
    "in": "cookie",
}
APP_SCHEME = SecurityScheme(type="http", name="test", security_scheme_in="cookie", description="test.")
APP_SCHEME_JSON = {"type": "http", "description": "test.", "name": "test", "in": "cookie"}


@pytest.mark.parametrize(
    ("components", "schemes"),
    [
        pytest.param(None, {"sessionCookie": SESSION_SCHEME}, id="none"),
        pytest.param(
            [Components(security_schemes={"app": APP_SCHEME})],
            {"app": APP_SCHEME_JSON, "sessionCookie": SESSION_SCHEME},
            id="list",
        ),
        pytest.param(
            Components(security_schemes={"app": APP_SCHEME}),
            {"sessionCookie": SESSION_SCHEME, "app": APP_SCHEME_JSON},
            id="one",
        ),
    ],
)
def test_the_session_scheme_joins_the_openapi_components(components: Any, schemes: dict[str, Any]) -> None:
    openapi_config = OpenAPIConfig(title="API", version="1.0.0", components=components)
    app = Outpour([me], on_app_init=[_auth().on_app_init], openapi_config=openapi_config)
    assert app.openapi_config is not None
    assert isinstance(app.openapi_config.components, Components)
    assert app.openapi_config.components.to_schema() == {"schemas": {}, "securitySchemes": schemes}
    assert list(app.openapi_schema.to_schema()["components"]["securitySchemes"]) == list(schemes)
    assert openapi_config.components is components  # the app's config object is copied, not changed


@pytest.mark.parametrize(
    ("security", "expected"),
    [
        pytest.param(None, [{"sessionCookie": []}], id="none"),
        pytest.param([{"app": ["a"]}], [{"app": ["a"]}, {"sessionCookie": []}], id="appended"),
    ],
)
def test_the_session_requirement_joins_the_openapi_security(security: Any, expected: list[Any]) -> None:
    openapi_config = OpenAPIConfig(title="API", version="1.0.0", security=security)
    app = Outpour([me], on_app_init=[_auth().on_app_init], openapi_config=openapi_config)
    assert app.openapi_config is not None
    assert app.openapi_config.security == expected


def test_an_app_without_openapi_gets_no_openapi_config() -> None:
    assert Outpour([me], on_app_init=[_auth().on_app_init], openapi_config=None).openapi_config is None


def test_the_scheme_is_named_after_the_session_cookie() -> None:
    auth = _auth(ServerSideSessionConfig(key="sid"))
    scheme = auth.openapi_components.security_schemes
    assert scheme is not None
    assert scheme["sessionCookie"].to_schema()["name"] == "sid"
    assert auth.security_requirement == {"sessionCookie": []}


def test_session_auth_is_a_security_config_with_its_backend() -> None:
    auth = _auth(ServerSideSessionConfig())
    assert isinstance(auth, AbstractSecurityConfig)
    assert isinstance(auth.session_backend, ServerSideSessionBackend)
    assert auth.authentication_middleware_class is SessionAuthMiddleware
    assert auth.exclude_http_methods == ["OPTIONS", "HEAD"]
