"""The benchmark endpoints on outpour: the Litestar app (`litestar_app`) with `litestar` -> `outpour`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from outpour import MediaType, Outpour, get, post


@dataclass
class Item:
    name: str
    price: float
    tags: list[str]


@get("/plain", media_type=MediaType.TEXT)
async def plain() -> str:
    return "Hello, world!"


@get("/json")
async def json_payload() -> dict[str, Any]:
    return {"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}


@get("/path/{id:int}")
async def path_param(id: int) -> dict[str, int]:
    return {"id": id}


@get("/query")
async def query_param(limit: int = 10) -> dict[str, int]:
    return {"limit": limit}


@post("/json")
async def echo(data: Item) -> Item:
    return data


app = Outpour(route_handlers=[plain, json_payload, path_param, query_param, echo])
