"""Revoking tokens: each token gets a `jti`; logging out adds it to a block list that `revoked_token_handler` reads."""

from __future__ import annotations

import os
import secrets
import uuid
from typing import Any

from outpour import Outpour, Request, Response, get, post
from outpour.connection import ASGIConnection
from outpour.security.jwt import JWTAuth, Token

REVOKED: set[str] = set()  # a store shared by the workers (Redis, a database) in a real application


async def retrieve_user(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return token.sub


async def is_revoked(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    return token.jti in REVOKED


jwt_auth = JWTAuth[str](
    retrieve_user_handler=retrieve_user,
    revoked_token_handler=is_revoked,
    token_secret=os.environ.get("JWT_SECRET", secrets.token_hex()),
    exclude=["^/login"],
    require_claims=["jti"],  # a token that could not be revoked is refused
)


@post("/login/{name:str}")
async def login(name: str) -> Response[None]:
    return jwt_auth.login(identifier=name, token_unique_jwt_id=uuid.uuid4().hex)


@post("/logout")
async def logout(request: Request[str, Token, Any]) -> None:
    if request.auth.jti is not None:
        REVOKED.add(request.auth.jti)


@get("/me")
async def me(request: Request[str, Token, Any]) -> str:
    return request.user


app = Outpour([login, logout, me], on_app_init=[jwt_auth.on_app_init])
