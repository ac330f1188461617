"""The benchmark endpoints on BlackSheep: the body is a dataclass bound with ``FromJSON``.

BlackSheep has no MessagePack support: ``GET /msgpack`` is n/a.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from blacksheep import Application, FromJSON, Response, Router, json, text

UNSUPPORTED = frozenset({"GET /msgpack"})


# Plain dicts: BlackSheep serializes dataclasses through `dataclasses.asdict` (a deep copy), ~100x slower here.
RECORDS = [
    {"id": i, "name": f"item-{i}", "price": i * 1.25, "tags": ["tools", "blue"], "in_stock": i % 2 == 0}
    for i in range(100)
]


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


@get("/json-large")
async def json_large() -> Response:
    return json(RECORDS)


@get("/response")
async def explicit_response() -> Response:
    response = json({"message": "Hello, world!", "id": 1, "tags": ["a", "b"]})
    response.add_header(b"x-a", b"1")
    return response


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
