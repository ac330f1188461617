"""The three paginations over a SQLite database that the app seeds when it starts."""

from __future__ import annotations

import contextlib
import math
import sqlite3
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from examples.demo._catalog import Example
from outpour import Outpour, get
from outpour.pagination import (
    MAX_PAGINATION_INTEGER,
    AbstractSyncClassicPaginator,
    AbstractSyncCursorPaginator,
    AbstractSyncOffsetPaginator,
    ClassicPagination,
    CursorPagination,
    OffsetPagination,
)
from outpour.params import Parameter
from outpour.response import Template

__all__ = ["EXAMPLES", "ROUTES", "seeded_database"]

ITEM_COUNT = 95
MAX_PAGE_SIZE = 100
MAX_PAGE_NUMBER = 10**9
"""Bounds that keep ``(current_page - 1) * page_size`` within SQLite's 64-bit integers."""


@dataclass
class Item:
    id: int
    name: str


class Database:
    """Where the seeded database is; set by the lifespan."""

    path: Path | None = None

    @classmethod
    @contextlib.contextmanager
    def connect(cls) -> Iterator[sqlite3.Connection]:
        if cls.path is None:
            raise RuntimeError("The demo database is created when the app starts; run the app with its lifespan.")
        connection = sqlite3.connect(cls.path)
        try:
            yield connection
        finally:
            connection.close()


@contextlib.asynccontextmanager
async def seeded_database(app: Outpour) -> AsyncIterator[None]:
    """Create and seed the SQLite database on start-up; delete it on shutdown."""
    with tempfile.TemporaryDirectory(prefix="outpour-demo-") as directory:
        Database.path = Path(directory) / "demo.sqlite3"
        with contextlib.closing(sqlite3.connect(Database.path)) as connection, connection:
            connection.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            connection.executemany(
                "INSERT INTO items (id, name) VALUES (?, ?)", [(n, f"item {n}") for n in range(1, ITEM_COUNT + 1)]
            )
        try:
            yield
        finally:
            Database.path = None


def _count() -> int:
    with Database.connect() as connection:
        count: int = connection.execute("SELECT COUNT(*) FROM items").fetchone()[0]
        return count


def _select(limit: int, offset: int = 0, after: int = 0) -> list[Item]:
    with Database.connect() as connection:
        rows = connection.execute(
            "SELECT id, name FROM items WHERE id > ? ORDER BY id LIMIT ? OFFSET ?", (after, limit, offset)
        ).fetchall()
    return [Item(id=row[0], name=row[1]) for row in rows]


class ClassicPaginator(AbstractSyncClassicPaginator[Item]):
    def get_total(self, page_size: int) -> int:
        return math.ceil(_count() / page_size)

    def get_items(self, page_size: int, current_page: int) -> list[Item]:
        return _select(page_size, offset=(current_page - 1) * page_size)


class OffsetPaginator(AbstractSyncOffsetPaginator[Item]):
    def get_total(self) -> int:
        return _count()

    def get_items(self, limit: int, offset: int) -> list[Item]:
        return _select(limit, offset=offset)


class CursorPaginator(AbstractSyncCursorPaginator[int, Item]):
    def get_items(self, cursor: int | None, results_per_page: int) -> tuple[list[Item], int | None]:
        items = _select(results_per_page + 1, after=cursor or 0)
        page, more = items[:results_per_page], len(items) > results_per_page
        return page, (page[-1].id if more else None)


PageSize = Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE, description="Items per page")]


@get("/items/classic")
def classic(
    page_size: PageSize = 10, current_page: Annotated[int, Parameter(ge=1, le=MAX_PAGE_NUMBER)] = 1
) -> ClassicPagination[Item]:
    return ClassicPaginator()(page_size=page_size, current_page=current_page)


@get("/items/offset")
def offset(
    limit: PageSize = 10, offset: Annotated[int, Parameter(ge=0, le=MAX_PAGINATION_INTEGER)] = 0
) -> OffsetPagination[Item]:
    return OffsetPaginator()(limit=limit, offset=offset)


@get("/items/cursor")
def cursor(
    results_per_page: PageSize = 10,
    cursor: Annotated[int | None, Parameter(ge=0, le=MAX_PAGINATION_INTEGER, description="The last id seen")] = None,
) -> CursorPagination[int, Item]:
    return CursorPaginator()(cursor=cursor, results_per_page=results_per_page)


def _page(
    title: str, items: list[Item], summary: str, previous: str | None, following: str | None, json: str
) -> Template:
    context = {"title": title, "items": items, "summary": summary, "previous_url": previous, "next_url": following}
    return Template(template_name="items.html.jinja2", context={**context, "json_url": json})


# The same three paginations as HTML pages with previous / next links (examples/demo/templates/items.html.jinja2).
@get("/items/classic/page")
def classic_page(
    page_size: PageSize = 10, current_page: Annotated[int, Parameter(ge=1, le=MAX_PAGE_NUMBER)] = 1
) -> Template:
    result = ClassicPaginator()(page_size=page_size, current_page=current_page)
    url = f"/items/classic/page?page_size={page_size}&current_page="
    return _page(
        "Classic pagination",
        result.items,
        f"Page {current_page} of {result.total_pages}, {page_size} items per page.",
        f"{url}{current_page - 1}" if current_page > 1 else None,
        f"{url}{current_page + 1}" if current_page < result.total_pages else None,
        f"/items/classic?page_size={page_size}&current_page={current_page}",
    )


@get("/items/offset/page")
def offset_page(
    limit: PageSize = 10, offset: Annotated[int, Parameter(ge=0, le=MAX_PAGINATION_INTEGER)] = 0
) -> Template:
    result = OffsetPaginator()(limit=limit, offset=offset)
    url = f"/items/offset/page?limit={limit}&offset="
    return _page(
        "Offset pagination",
        result.items,
        f"Items {offset + 1} to {offset + len(result.items)} of {result.total}.",
        f"{url}{max(0, offset - limit)}" if offset > 0 else None,
        f"{url}{offset + limit}" if offset + limit < result.total else None,
        f"/items/offset?limit={limit}&offset={offset}",
    )


@get("/items/cursor/page")
def cursor_page(
    results_per_page: PageSize = 10,
    cursor: Annotated[int | None, Parameter(ge=0, le=MAX_PAGINATION_INTEGER)] = None,
) -> Template:
    result = CursorPaginator()(cursor=cursor, results_per_page=results_per_page)
    url = f"/items/cursor/page?results_per_page={results_per_page}&cursor="
    # A cursor only goes forward; going back works here because the seeded ids are consecutive.
    back = None if not cursor else max(0, cursor - results_per_page)
    return _page(
        "Cursor pagination",
        result.items,
        f"{len(result.items)} items after id {cursor or 0}; the next cursor is {result.cursor}.",
        f"{url}{back}" if back is not None else None,
        f"{url}{result.cursor}" if result.cursor is not None else None,
        f"/items/cursor?results_per_page={results_per_page}&cursor={cursor or 0}",
    )


ROUTES = [classic, offset, cursor, classic_page, offset_page, cursor_page]

EXAMPLES = [
    Example(
        "classic pagination (HTML)",
        "/items/classic/page?page_size=10&current_page=2",
        "The same pages as HTML, with previous and next links.",
        element_id="classic-page",
    ),
    Example("offset pagination (HTML)", "/items/offset/page?limit=5&offset=90", "The last page, no next link."),
    Example("cursor pagination (HTML)", "/items/cursor/page?results_per_page=10", "Follow the cursor with next."),
    Example("classic pagination", "/items/classic?page_size=10&current_page=2", "Page 2 of 10 (95 rows in SQLite)."),
    Example("offset pagination", "/items/offset?limit=5&offset=90", "The last 5 rows, with the total."),
    Example(
        "cursor pagination", "/items/cursor?results_per_page=10&cursor=40", "Rows after id 40 and the next cursor."
    ),
]
