"""The benchmark endpoints on Starlette: the body is decoded into a msgspec Struct, responses use Starlette's classes.

Starlette has no MessagePack support: ``GET /msgpack`` is n/a.
"""

from __future__ import annotations

import msgspec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

UNSUPPORTED = frozenset({"GET /msgpack"})

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


app = Starlette(
    routes=[
        Route("/plain", plain, methods=["GET"]),
        Route("/json", json_payload, methods=["GET"]),
        Route("/json-large", json_large, methods=["GET"]),
        Route("/response", explicit_response, methods=["GET"]),
        Route("/path/{id:int}", path_param, methods=["GET"]),
        Route("/query", query_param, methods=["GET"]),
        Route("/json", echo, methods=["POST"]),
    ]
)
