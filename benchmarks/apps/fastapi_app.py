"""The benchmark endpoints on FastAPI: the body and the records are pydantic models.

FastAPI has no MessagePack support: ``GET /msgpack`` is n/a.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel

UNSUPPORTED = frozenset({"GET /msgpack"})


class Record(BaseModel):
    id: int
    name: str
    price: float
    tags: list[str]
    in_stock: bool


RECORDS = [
    Record(id=i, name=f"item-{i}", price=i * 1.25, tags=["tools", "blue"], in_stock=i % 2 == 0) for i in range(100)
]


class Item(BaseModel):
    name: str
    price: float
    tags: list[str]


app = FastAPI()


@app.get("/plain", response_class=PlainTextResponse)
async def plain() -> str:
    return "Hello, world!"


@app.get("/json")
async def json_payload() -> dict[str, Any]:
    return {"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}


@app.get("/json-large")
async def json_large() -> list[Record]:
    return RECORDS


@app.get("/response")
async def explicit_response() -> JSONResponse:
    return JSONResponse({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]}, headers={"x-a": "1"})


@app.get("/path/{id}")
async def path_param(id: int) -> dict[str, int]:
    return {"id": id}


@app.get("/query")
async def query_param(limit: int = 10) -> dict[str, int]:
    return {"limit": limit}


@app.post("/json")
async def echo(item: Item) -> Item:
    return item
