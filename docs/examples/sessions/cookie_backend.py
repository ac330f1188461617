"""Client-side sessions: the data, encrypted, in the client's cookies."""

from __future__ import annotations

import os

from outpour import Outpour, Request, delete, get, post
from outpour.middleware.session.client_side import CookieBackendConfig

# 32 random bytes, the same for every worker: read them from the environment in a real deployment.
SECRET = bytes.fromhex(os.environ.get("SESSION_SECRET", os.urandom(32).hex()))
session_config = CookieBackendConfig(secret=SECRET, max_age=3600)


@get("/session", sync_to_thread=False)
def check_session(request: Request) -> dict[str, object]:
    return {"has_session": request.session != {}, "session": request.session}


@post("/session", sync_to_thread=False)
def create_session(request: Request) -> None:
    if not request.session:
        request.set_session({"username": "ada"})


@delete("/session", sync_to_thread=False)
def delete_session(request: Request) -> None:
    request.clear_session()


app = Outpour([check_session, create_session, delete_session], middleware=[session_config.middleware])
