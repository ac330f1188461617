from dataclasses import dataclass
from typing import Any

from outpour import Outpour, Request, get
from outpour.connection import ASGIConnection
from outpour.datastructures import State
from outpour.exceptions import NotAuthorizedException
from outpour.middleware import AbstractAuthenticationMiddleware, AuthenticationResult, DefineMiddleware

API_KEYS = {"k-123": "ada"}  # a database lookup, in a real app


@dataclass
class User:
    name: str


class ApiKeyAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        api_key = connection.headers.get("x-api-key")
        if api_key not in API_KEYS:
            raise NotAuthorizedException("Send a valid `X-API-Key` header.")
        return AuthenticationResult(user=User(name=API_KEYS[api_key]), auth=api_key)


@get("/me")
async def me(request: Request[User, str, State]) -> dict[str, str]:
    return {"name": request.user.name}


@get("/health", opt={"exclude_from_auth": True})
async def health() -> str:
    return "ok"


@get("/docs/intro")
async def intro() -> str:
    return "Welcome"


app = Outpour(
    route_handlers=[me, health, intro],
    middleware=[DefineMiddleware(ApiKeyAuthentication, exclude="^/docs")],
)
