"""App-level hooks: ``before_send``, ``after_exception`` and ``on_app_init``; and the automatic ``OPTIONS`` answer."""

from __future__ import annotations

from outpour import Outpour, get
from outpour.config.app import AppConfig
from outpour.datastructures import MutableScopeHeaders
from outpour.types import Message, Scope

SEEN_ERRORS: list[str] = []


@get("/items")
async def list_items() -> list[int]:
    return [1, 2, 3]


@get("/broken")
async def broken() -> None:
    raise RuntimeError("the database is down")


@get("/health")
async def health() -> str:
    return "ok"


async def add_server_header(message: Message, scope: Scope) -> None:
    # Called before every ASGI message is sent; the start message carries the headers.
    if message["type"] == "http.response.start":
        MutableScopeHeaders.from_message(message)["x-served-by"] = "outpour"


def record_error(exc: Exception, scope: Scope) -> None:
    # Called once the error response has been sent; a failing hook is logged and changes nothing.
    SEEN_ERRORS.append(f"{scope['path']}: {exc}")


def add_health_route(config: AppConfig) -> AppConfig:
    # Called with the constructor's arguments before the app is built.
    config.route_handlers.append(health)
    return config


app = Outpour(
    route_handlers=[list_items, broken],
    before_send=[add_server_header],
    after_exception=[record_error],
    on_app_init=[add_health_route],
)
