"""The middleware benchmark apps (``python -m benchmarks.middleware``): one module per framework.

Each module exposes three ASGI apps serving the same routes (``GET /cors``, ``GET /json-large``, ``GET /json-100k``,
``GET /sse``): ``cors_app`` with the framework's own CORS configured for one origin (:data:`ORIGIN`), ``gzip_app``
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


def records(count: int) -> list[dict[str, Any]]:
    """Return ``count`` records as ``GET /json-large`` (100) and ``GET /json-100k`` return them."""
    return [
        {"id": i, "name": f"item-{i}", "price": i * 1.25, "tags": ["tools", "blue"], "in_stock": i % 2 == 0}
        for i in range(count)
    ]
