"""Cursor pagination: the client asks for ``results_per_page`` items after an opaque ``cursor``."""

from __future__ import annotations

from dataclasses import dataclass

from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.pagination import AbstractSyncCursorPaginator, CursorPagination


@dataclass
class Person:
    id: str
    name: str


# `get_items` returns the items after the cursor and the cursor of the next page (None after the last page). Here
# the cursor is the id of the last person sent; ids sort in insertion order.
class PeoplePaginator(AbstractSyncCursorPaginator[str, Person]):
    def __init__(self) -> None:
        self.people = [Person(id=f"p{n:03d}", name=f"Person {n}") for n in range(1, 51)]

    def get_items(self, cursor: str | None, results_per_page: int) -> tuple[list[Person], str | None]:
        remaining = [p for p in self.people if cursor is None or p.id > cursor]
        page = remaining[:results_per_page]
        more = len(remaining) > results_per_page
        return page, (page[-1].id if page and more else None)


paginator = PeoplePaginator()


# `cursor` is optional: without it the first page is returned.
@get("/people")
def list_people(results_per_page: int, cursor: str | None = None) -> CursorPagination[str, Person]:
    return paginator(cursor=cursor, results_per_page=results_per_page)


app = Outpour(route_handlers=[list_people], openapi_config=OpenAPIConfig(title="People", version="1.0.0"))
