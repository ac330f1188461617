from typing import Any

from outpour import Outpour, get
from outpour.connection import ASGIConnection
from outpour.datastructures import MutableScopeHeaders
from outpour.exceptions import NotAuthorizedException
from outpour.middleware import AbstractAuthenticationMiddleware, ASGIMiddleware, AuthenticationResult
from outpour.middleware.constraints import MiddlewareConstraints
from outpour.types import ASGIApp, Message, Receive, Scope, Send


class TokenAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        if connection.headers.get("authorization") != "Bearer let-me-in":
            raise NotAuthorizedException()
        return AuthenticationResult(user="ada", auth="let-me-in")


class CacheHeaders(ASGIMiddleware):
    """Marks responses to authenticated requests private: it must run after authentication to see the user."""

    constraints = MiddlewareConstraints(after=(AbstractAuthenticationMiddleware,)).apply_before(
        "outpour_metrics.MetricsMiddleware", ignore_import_error=True
    )

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        value = "private" if "user" in scope else "public, max-age=60"

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message)["cache-control"] = value
            await send(message)

        await next_app(scope, receive, send_with_header)


@get("/profile")
async def profile() -> str:
    return "ada's profile"


app = Outpour(route_handlers=[profile], middleware=[TokenAuthentication, CacheHeaders()])
