"""Limit/offset pagination: the client asks for ``limit`` items after skipping ``offset``."""

from __future__ import annotations

from dataclasses import dataclass

from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.pagination import AbstractSyncOffsetPaginator, OffsetPagination


@dataclass
class Person:
    id: str
    name: str


# `get_total` counts the whole dataset, `get_items` returns one slice of it.
class PeoplePaginator(AbstractSyncOffsetPaginator[Person]):
    def __init__(self) -> None:
        self.people = [Person(id=f"p{n:03d}", name=f"Person {n}") for n in range(1, 51)]

    def get_total(self) -> int:
        return len(self.people)

    def get_items(self, limit: int, offset: int) -> list[Person]:
        return self.people[offset : offset + limit]


paginator = PeoplePaginator()


# `limit` and `offset` are query parameters; `?limit=10&offset=40` returns people 41 to 50.
@get("/people")
def list_people(limit: int, offset: int) -> OffsetPagination[Person]:
    return paginator(limit=limit, offset=offset)


app = Outpour(route_handlers=[list_people], openapi_config=OpenAPIConfig(title="People", version="1.0.0"))
