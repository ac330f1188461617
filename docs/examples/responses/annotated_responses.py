"""``Response[T]``: the type argument tells what the body holds (for OpenAPI); use ``Response[None]`` for no body."""

from __future__ import annotations

from dataclasses import dataclass

from outpour import Outpour, Response, delete, get
from outpour.status_codes import HTTP_404_NOT_FOUND

BOOKS = {1: "Dune"}


@dataclass
class Book:
    id: int
    title: str


@get("/books/{book_id:int}", sync_to_thread=False)
def read_book(book_id: int) -> Response[Book | None]:
    title = BOOKS.get(book_id)
    if title is None:
        return Response(None, status_code=HTTP_404_NOT_FOUND)
    return Response(Book(id=book_id, title=title), headers={"X-Book-Count": str(len(BOOKS))})


@delete("/books/{book_id:int}", sync_to_thread=False)
def delete_book(book_id: int) -> Response[None]:
    BOOKS.pop(book_id, None)
    return Response(None, headers={"X-Book-Count": str(len(BOOKS))})


app = Outpour(route_handlers=[read_book, delete_book])
