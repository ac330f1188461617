"""JWT authentication: `login` returns a token in the `Authorization` header; clients send it back on each request."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Any

from outpour import Outpour, Request, Response, get, post
from outpour.connection import ASGIConnection
from outpour.openapi.config import OpenAPIConfig
from outpour.security.jwt import JWTAuth, Token


@dataclass
class User:
    id: str
    name: str


USERS: dict[str, User] = {}


async def retrieve_user(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    return USERS.get(token.sub)  # `None` refuses the request with a 401


jwt_auth = JWTAuth[User](
    retrieve_user_handler=retrieve_user,
    token_secret=os.environ.get("JWT_SECRET", secrets.token_hex()),
    exclude=["^/login", "^/schema"],
)


@post("/login")
async def login(data: User) -> Response[User]:
    USERS[data.id] = data
    return jwt_auth.login(identifier=data.id, token_extras={"plan": "pro"}, response_body=data)


@get("/me")
async def me(request: Request[User, Token, Any]) -> dict[str, Any]:
    return {"name": request.user.name, "plan": request.auth.extras["plan"]}


app = Outpour(
    [login, me],
    on_app_init=[jwt_auth.on_app_init],
    openapi_config=OpenAPIConfig(title="My API", version="1.0.0"),
)
