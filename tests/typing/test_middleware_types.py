"""Static checks of the middleware constraint, authentication and test-client helper types (mypy and pyright)."""

from __future__ import annotations

from typing import Any, assert_type

from outpour import Outpour
from outpour.connection import ASGIConnection
from outpour.middleware import AbstractAuthenticationMiddleware, ASGIMiddleware, AuthenticationResult
from outpour.middleware.constraints import MiddlewareConstraints, MiddlewareForwardRef
from outpour.testing import AsyncTestClient, TestClient, create_async_test_client, create_test_client
from outpour.types import ASGIApp, Middleware, Receive, Scope, Send


class Auth(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        return AuthenticationResult(user="someone", auth=None)


class Caching(ASGIMiddleware):
    constraints = MiddlewareConstraints(after=(AbstractAuthenticationMiddleware,)).apply_before("a.b.C", True)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        await next_app(scope, receive, send)


def test_constraint_builders_keep_the_type() -> None:
    assert_type(MiddlewareConstraints().apply_first().require_unique(True), MiddlewareConstraints)
    assert_type(MiddlewareForwardRef("a.b.C", ignore_import_error=True).resolve(), Middleware | None)
    assert_type(ASGIMiddleware.constraints, MiddlewareConstraints | None)


def test_helpers_return_clients_of_outpour() -> None:
    assert_type(create_test_client([], middleware=[Auth, Caching()]), TestClient[Outpour])
    assert_type(create_async_test_client([], debug=True), AsyncTestClient[Outpour])
