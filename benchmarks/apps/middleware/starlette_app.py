"""The middleware benchmark on Starlette: ``CORSMiddleware`` and ``GZipMiddleware`` around the app.

Starlette has no server-sent events: ``GET /sse`` and ``GET /sse-paced`` are ``StreamingResponse`` of hand-formatted
events, as in ``benchmarks/apps/starlette_app.py``. Its ``GZipMiddleware`` leaves ``text/event-stream`` uncompressed by
default, so both with gzip are n/a.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route

from benchmarks.apps.middleware import ALLOW_HEADERS, ALLOW_METHODS, BIG_RECORDS, ORIGIN, SSE_EVENTS, records

UNSUPPORTED = frozenset({"GET /sse, gzip", "GET /sse-paced, gzip"})

RECORDS = records(100)
BIG = records(BIG_RECORDS)


async def cors(request: Request) -> PlainTextResponse:
    return PlainTextResponse("Hello, world!")


async def json_large(request: Request) -> JSONResponse:
    return JSONResponse(RECORDS)


async def json_100k(request: Request) -> JSONResponse:
    return JSONResponse(BIG)


async def _events() -> AsyncIterator[bytes]:
    for data in SSE_EVENTS:
        yield f"data: {data}\r\n\r\n".encode()


async def _paced_events() -> AsyncIterator[bytes]:
    for data in SSE_EVENTS:
        await asyncio.sleep(0)
        yield f"data: {data}\r\n\r\n".encode()


def _event_stream(events: AsyncIterator[bytes]) -> StreamingResponse:
    return StreamingResponse(
        events, media_type="text/event-stream", headers={"cache-control": "no-cache", "x-accel-buffering": "no"}
    )


async def sse(request: Request) -> StreamingResponse:
    return _event_stream(_events())


async def sse_paced(request: Request) -> StreamingResponse:
    return _event_stream(_paced_events())


ROUTES = [
    Route("/cors", cors, methods=["GET"]),
    Route("/json-large", json_large, methods=["GET"]),
    Route("/json-100k", json_100k, methods=["GET"]),
    Route("/sse", sse, methods=["GET"]),
    Route("/sse-paced", sse_paced, methods=["GET"]),
]

plain_app = Starlette(routes=ROUTES)
cors_app = Starlette(
    routes=ROUTES,
    middleware=[
        Middleware(CORSMiddleware, allow_origins=[ORIGIN], allow_methods=ALLOW_METHODS, allow_headers=ALLOW_HEADERS)
    ],
)
gzip_app = Starlette(routes=ROUTES, middleware=[Middleware(GZipMiddleware)])
