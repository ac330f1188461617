"""The benchmark endpoints on Starlette: the body is decoded into a msgspec Struct, responses use Starlette's classes.

Starlette has no MessagePack support: ``GET /msgpack`` is n/a. It has no layers of response headers or cookies:
``GET /headers-cookies`` and ``GET /layered-response`` set them on the response. It has no server-sent events either
(``sse-starlette`` is not installed): ``GET /sse`` is a ``StreamingResponse`` of hand-formatted events.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import msgspec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from benchmarks.assets import (
    FILE_MEDIA_TYPE,
    HTML_CONTEXT,
    LARGE_FILE,
    SMALL_FILE,
    SSE_DATA,
    STREAM_CHUNKS,
    TEMPLATE_NAME,
    TEMPLATES_DIR,
)

UNSUPPORTED = frozenset({"GET /msgpack", "POST /dto"})  # no DTOs: `POST /dto` is n/a

RECORDS = [
    {"id": i, "name": f"item-{i}", "price": i * 1.25, "tags": ["tools", "blue"], "in_stock": i % 2 == 0}
    for i in range(100)
]


class Item(msgspec.Struct):
    name: str
    price: float
    tags: list[str]


async def plain(request: Request) -> PlainTextResponse:
    return PlainTextResponse("Hello, world!")


async def json_payload(request: Request) -> JSONResponse:
    return JSONResponse({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]})


async def json_large(request: Request) -> JSONResponse:
    return JSONResponse(RECORDS)


async def explicit_response(request: Request) -> JSONResponse:
    return JSONResponse({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}, headers={"x-a": "1"})


async def path_param(request: Request) -> JSONResponse:
    return JSONResponse({"id": request.path_params["id"]})


async def query_param(request: Request) -> JSONResponse:
    try:
        limit = int(request.query_params.get("limit", "10"))
    except ValueError:
        return JSONResponse({"detail": "limit must be an integer"}, status_code=400)
    return JSONResponse({"limit": limit})


async def echo(request: Request) -> JSONResponse:
    try:
        item = msgspec.json.decode(await request.body(), type=Item)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
        return JSONResponse({"detail": str(exc)}, status_code=400)
    return JSONResponse(msgspec.to_builtins(item))


async def headers_cookies(request: Request) -> JSONResponse:
    response = JSONResponse(
        {"layers": 3, "cookies": 2},
        headers={"x-router": "1", "x-controller": "1", "x-handler": "1", "cache-control": "max-age=60"},
    )
    response.set_cookie("session", "abc123")
    response.set_cookie("theme", "dark")
    return response


async def layered_response(request: Request) -> JSONResponse:
    response = JSONResponse(
        {"layers": 3},
        headers={"x-response": "1", "x-router": "1", "cache-control": "max-age=60", "etag": '"v1"'},
    )
    response.set_cookie("session", "abc123")
    response.set_cookie("theme", "dark")
    return response


async def redirect(request: Request) -> RedirectResponse:
    return RedirectResponse("/plain", status_code=302)


async def file_small(request: Request) -> FileResponse:
    return FileResponse(SMALL_FILE, media_type=FILE_MEDIA_TYPE)


async def file_large(request: Request) -> FileResponse:
    return FileResponse(LARGE_FILE, media_type=FILE_MEDIA_TYPE)


async def _chunks() -> AsyncIterator[bytes]:
    for chunk in STREAM_CHUNKS:
        yield chunk


async def stream(request: Request) -> StreamingResponse:
    return StreamingResponse(_chunks(), media_type="text/plain")


async def _events() -> AsyncIterator[bytes]:
    for data in SSE_DATA:
        yield f"data: {data}\r\n\r\n".encode()


async def sse(request: Request) -> StreamingResponse:
    return StreamingResponse(
        _events(), media_type="text/event-stream", headers={"cache-control": "no-cache", "x-accel-buffering": "no"}
    )


templates = Jinja2Templates(directory=TEMPLATES_DIR)


async def html(request: Request) -> Response:
    return templates.TemplateResponse(request, TEMPLATE_NAME, dict(HTML_CONTEXT))


app = Starlette(
    routes=[
        Route("/plain", plain, methods=["GET"]),
        Route("/json", json_payload, methods=["GET"]),
        Route("/json-large", json_large, methods=["GET"]),
        Route("/response", explicit_response, methods=["GET"]),
        Route("/path/{id:int}", path_param, methods=["GET"]),
        Route("/query", query_param, methods=["GET"]),
        Route("/json", echo, methods=["POST"]),
        Route("/headers-cookies", headers_cookies, methods=["GET"]),
        Route("/layered-response", layered_response, methods=["GET"]),
        Route("/redirect", redirect, methods=["GET"]),
        Route("/file-small", file_small, methods=["GET"]),
        Route("/file-large", file_large, methods=["GET"]),
        Route("/stream", stream, methods=["GET"]),
        Route("/sse", sse, methods=["GET"]),
        Route("/html", html, methods=["GET"]),
    ]
)
