"""Classic pagination: the client asks for page ``current_page`` of ``page_size`` items."""

from __future__ import annotations

import math
from dataclasses import dataclass

from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.pagination import AbstractSyncClassicPaginator, ClassicPagination


@dataclass
class Person:
    id: str
    name: str


# A paginator implements `get_total` (the number of pages) and `get_items` (one page). A real one would query a
# database; this one slices a fixed list of 47 people.
class PeoplePaginator(AbstractSyncClassicPaginator[Person]):
    def __init__(self) -> None:
        self.people = [Person(id=f"p{n:03d}", name=f"Person {n}") for n in range(1, 48)]

    def get_total(self, page_size: int) -> int:
        return math.ceil(len(self.people) / page_size)

    def get_items(self, page_size: int, current_page: int) -> list[Person]:
        start = (current_page - 1) * page_size
        return self.people[start : start + page_size]


paginator = PeoplePaginator()


# `page_size` and `current_page` are query parameters, passed on to the paginator.
@get("/people")
def list_people(page_size: int, current_page: int) -> ClassicPagination[Person]:
    return paginator(page_size=page_size, current_page=current_page)


app = Outpour(route_handlers=[list_people], openapi_config=OpenAPIConfig(title="People", version="1.0.0"))
