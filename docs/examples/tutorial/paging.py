"""Step 5: a paginated list."""

from __future__ import annotations

import math

from outpour import get
from outpour.pagination import AbstractSyncClassicPaginator, ClassicPagination

from .books import BOOKS, Book


class BookPaginator(AbstractSyncClassicPaginator[Book]):
    def get_total(self, page_size: int) -> int:
        return math.ceil(len(BOOKS) / page_size)

    def get_items(self, page_size: int, current_page: int) -> list[Book]:
        books = sorted(BOOKS.values(), key=lambda book: book.title)
        return books[(current_page - 1) * page_size : current_page * page_size]


@get("/catalogue")
async def catalogue(page_size: int = 2, current_page: int = 1) -> ClassicPagination[Book]:
    return BookPaginator()(page_size=page_size, current_page=current_page)
