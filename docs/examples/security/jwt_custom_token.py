"""A token class with a claim of its own, and tokens from another issuer: its issuer and audience are checked."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Any

from outpour import Outpour, Request, get
from outpour.connection import ASGIConnection
from outpour.security.jwt import JWTAuth, Token


@dataclass
class AppToken(Token):
    admin: bool = False  # claims are converted from JSON: `"admin": "true"` becomes `True`


async def retrieve_user(token: AppToken, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return token.sub


jwt_auth = JWTAuth[str, AppToken](
    retrieve_user_handler=retrieve_user,
    token_secret=os.environ.get("JWT_SECRET", secrets.token_hex()),
    token_cls=AppToken,
    accepted_issuers=["https://auth.example.com"],
    accepted_audiences=["https://api.example.com"],
)


@get("/me")
async def me(request: Request[str, AppToken, Any]) -> dict[str, Any]:
    return {"user": request.user, "admin": request.auth.admin}


app = Outpour([me], on_app_init=[jwt_auth.on_app_init])
