"""Request logging: the standard library's logging, then structlog, each with its own fields."""

from __future__ import annotations

import logging

import structlog

from outpour import Outpour, get
from outpour.middleware.logging import LoggingMiddleware


@get("/items/{item_id:int}")
async def item(item_id: int) -> dict[str, int]:
    return {"id": item_id}


app = Outpour(
    route_handlers=[item],
    middleware=[
        LoggingMiddleware(
            logging.getLogger("my.app"),
            request_log_fields=("method", "path", "query", "headers"),
            response_log_fields=("status_code", "body"),
            request_headers_to_obfuscate={"Authorization", "X-API-KEY", "X-Session"},
        )
    ],
)

structured_app = Outpour(
    route_handlers=[item],
    middleware=[LoggingMiddleware(structlog.get_logger("my.app"), log_structured=True)],
)
