"""The benchmark endpoints on BlackSheep: the body is a dataclass bound with ``FromJSON``."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from blacksheep import Application, FromJSON, Response, Router, json, text


@dataclass
class Item:
    name: str
    price: float
    tags: list[str]


router = Router()
get = router.get
post = router.post


@get("/plain")
async def plain() -> Response:
    return text("Hello, world!")


@get("/json")
async def json_payload() -> Response:
    return json({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]})


@get("/path/{int:id}")
async def path_param(id: int) -> Response:
    return json({"id": id})


@get("/query")
async def query_param(limit: int = 10) -> Response:
    return json({"limit": limit})


@post("/json")
async def echo(data: FromJSON[Item]) -> Response:
    return json(asdict(data.value))


app = Application(router=router)
