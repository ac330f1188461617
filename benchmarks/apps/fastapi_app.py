"""The benchmark endpoints on FastAPI: the body is a pydantic model."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel


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


@app.get("/path/{id}")
async def path_param(id: int) -> dict[str, int]:
    return {"id": id}


@app.get("/query")
async def query_param(limit: int = 10) -> dict[str, int]:
    return {"limit": limit}


@app.post("/json")
async def echo(item: Item) -> Item:
    return item
