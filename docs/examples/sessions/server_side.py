"""Server-side sessions: the data in a store, a random id in the cookie."""

from __future__ import annotations

import os
from pathlib import Path

from outpour import Outpour, Request, get, post
from outpour.middleware.session.server_side import ServerSideSessionConfig
from outpour.stores.file import FileStore


@post("/cart", sync_to_thread=False)
def add_to_cart(request: Request, data: dict[str, str]) -> dict[str, list[str]]:
    cart = [*request.session.get("cart", []), data["item"]]
    request.session["cart"] = cart
    return {"cart": cart}


@get("/cart", sync_to_thread=False)
def show_cart(request: Request) -> dict[str, list[str]]:
    return {"cart": request.session.get("cart", [])}


app = Outpour(
    [add_to_cart, show_cart],
    middleware=[ServerSideSessionConfig(max_age=24 * 3600).middleware],
    stores={"sessions": FileStore(Path(os.environ.get("SESSION_DIR", "session_data")), create_directories=True)},
)
