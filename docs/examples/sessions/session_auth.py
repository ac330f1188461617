"""Session authentication: a login handler stores the user's id in the session; other requests are authenticated."""

from __future__ import annotations

from typing import Any

from outpour import Outpour, Request, get, post
from outpour.connection import ASGIConnection
from outpour.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from outpour.security.session_auth import SessionAuth


async def retrieve_user(session: dict[str, Any], connection: ASGIConnection) -> dict[str, str] | None:
    return {"id": session["user_id"]} if "user_id" in session else None


@post("/login")
async def login(request: Request) -> None:
    request.set_session({"user_id": "42"})


@get("/me")
async def me(request: Request[dict[str, str], dict[str, Any], Any]) -> dict[str, str]:
    return request.user


session_auth = SessionAuth[dict[str, str], ServerSideSessionBackend](
    retrieve_user_handler=retrieve_user,
    session_backend_config=ServerSideSessionConfig(),
    exclude=["^/login", "^/schema"],
)
app = Outpour([login, me], on_app_init=[session_auth.on_app_init])
