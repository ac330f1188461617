"""The OAuth2 password flow: the login route answers with an OAuth2 token response, documented in OpenAPI."""

from __future__ import annotations

import os
import secrets
from typing import Annotated, Any

from outpour import Outpour, Request, Response, get, post
from outpour.connection import ASGIConnection
from outpour.enums import RequestEncodingType
from outpour.exceptions import NotAuthorizedException
from outpour.openapi.config import OpenAPIConfig
from outpour.params import Body
from outpour.security.jwt import OAuth2Login, OAuth2PasswordBearerAuth, Token

PASSWORDS = {"ann": "correct horse"}  # store password hashes in a real application


async def retrieve_user(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    return token.sub if token.sub in PASSWORDS else None


oauth2_auth = OAuth2PasswordBearerAuth[str](
    retrieve_user_handler=retrieve_user,
    token_secret=os.environ.get("JWT_SECRET", secrets.token_hex()),
    token_url="/login",
    exclude=["^/login", "^/schema"],
)


@post("/login")
async def login(
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response[OAuth2Login]:
    if PASSWORDS.get(data.get("username", "")) != data.get("password"):
        raise NotAuthorizedException("Wrong username or password.")
    return oauth2_auth.login(identifier=data["username"])


@get("/me")
async def me(request: Request[str, Token, Any]) -> str:
    return request.user


app = Outpour(
    [login, me],
    on_app_init=[oauth2_auth.on_app_init],
    openapi_config=OpenAPIConfig(title="My API", version="1.0.0"),
)
