"""The benchmark endpoints on outpour: the Litestar app (`litestar_app`) with `litestar` -> `outpour`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

from outpour import MediaType, Outpour, Response, get, post


@dataclass
class Item:
    name: str
    price: float
    tags: list[str]


class Record(msgspec.Struct):
    """A record of ``GET /json-large``: msgspec Structs are Litestar's fastest-serialized (and idiomatic) model."""

    id: int
    name: str
    price: float
    tags: list[str]
    in_stock: bool


RECORDS = [Record(i, f"item-{i}", i * 1.25, ["tools", "blue"], i % 2 == 0) for i in range(100)]


@get("/plain", media_type=MediaType.TEXT)
async def plain() -> str:
    return "Hello, world!"


@get("/json")
async def json_payload() -> dict[str, Any]:
    return {"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}


@get("/json-large")
async def json_large() -> list[Record]:
    return RECORDS


@get("/msgpack", media_type=MediaType.MESSAGEPACK)
async def msgpack_payload() -> dict[str, Any]:
    return {"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}


@get("/response")
async def explicit_response() -> Response[dict[str, Any]]:
    return Response({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}, headers={"x-a": "1"})


@get("/path/{id:int}")
async def path_param(id: int) -> dict[str, int]:
    return {"id": id}


@get("/query")
async def query_param(limit: int = 10) -> dict[str, int]:
    return {"limit": limit}


@post("/json")
async def echo(data: Item) -> Item:
    return data


app = Outpour(
    route_handlers=[
        plain,
        json_payload,
        json_large,
        msgpack_payload,
        explicit_response,
        path_param,
        query_param,
        echo,
    ]
)
