"""JWT in a cookie: `login` also sets an HttpOnly cookie, which browsers send back without any script."""

from __future__ import annotations

import os
import secrets
from typing import Any

from outpour import Outpour, Request, Response, get, post
from outpour.connection import ASGIConnection
from outpour.security.jwt import JWTCookieAuth, Token


def retrieve_user(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return token.sub  # a sync handler works as well


jwt_cookie_auth = JWTCookieAuth[str](
    retrieve_user_handler=retrieve_user,
    token_secret=os.environ.get("JWT_SECRET", secrets.token_hex()),
    exclude=["^/login"],
    secure=True,  # the cookie travels over HTTPS only
)


@post("/login/{name:str}")
async def login(name: str) -> Response[None]:
    return jwt_cookie_auth.login(identifier=name)


@get("/hello")
async def hello(request: Request[str, Token, Any]) -> str:
    return f"Hello, {request.user}!"


app = Outpour([login, hello], on_app_init=[jwt_cookie_auth.on_app_init])
