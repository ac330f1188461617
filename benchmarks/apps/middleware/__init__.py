"""The middleware benchmark apps (``python -m benchmarks.middleware``): one module per framework.

Each module exposes three ASGI apps serving the same routes (``GET /cors``, ``GET /json-large``, ``GET /json-100k``,
``GET /sse``, ``GET /sse-paced``): ``cors_app`` with the framework's own CORS configured for one origin (:data:`ORIGIN`), ``gzip_app``
with its gzip compression (its defaults: level 9, minimum size 500 bytes), and ``plain_app`` with neither, the
baseline. A module may define ``UNSUPPORTED``, the endpoint names it cannot serve.
"""

from __future__ import annotations

from typing import Any

FRAMEWORKS: tuple[str, ...] = ("outpour", "litestar", "starlette")
"""The frameworks of the middleware benchmark, in display order."""

ORIGIN = "https://app.example.com"
"""The one origin every CORS config allows."""

ALLOW_METHODS = ["GET", "POST"]
ALLOW_HEADERS = ["x-token"]

BIG_RECORDS = 1250
"""Records of ``GET /json-100k`` (about 105 KB of JSON, under Starlette's 128 KiB threshold for a worker thread)."""


SSE_EVENTS: tuple[str, ...] = tuple(
    f'{{"id":{i},"symbol":"SYM{i}","price":{100 + i * 0.25},"volume":{i * 130},"venue":"XNAS"}}' for i in range(10)
)
"""The data of the 10 events of ``GET /sse`` and ``GET /sse-paced``: 65-70 bytes each, 780 bytes of events in all, so
that the body is over the 500-byte minimum size even when a framework sends the 10 events as one body message.
``GET /sse`` yields them back to back; ``GET /sse-paced`` lets the event loop run between two (``asyncio.sleep(0)``),
as events produced over time do, so that each leaves in its own body message."""


def records(count: int) -> list[dict[str, Any]]:
    """Return ``count`` records as ``GET /json-large`` (100) and ``GET /json-100k`` return them."""
    return [
        {"id": i, "name": f"item-{i}", "price": i * 1.25, "tags": ["tools", "blue"], "in_stock": i % 2 == 0}
        for i in range(count)
    ]
