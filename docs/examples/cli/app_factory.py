"""An app built by a factory: `outpour --app app_factory:create_app run` calls it (once per worker)."""

from __future__ import annotations

import os

from outpour import Outpour, get


@get("/")
async def index() -> str:
    return "Hello from a factory!"


@get("/settings")
async def settings() -> dict[str, str]:
    return {"greeting": os.environ.get("GREETING", "hello")}


def create_app() -> Outpour:
    # Read settings here rather than at import time: each worker process calls the factory when it starts.
    return Outpour(route_handlers=[index, settings])
