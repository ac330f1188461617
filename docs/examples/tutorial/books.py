"""Step 1: data as JSON, with status codes and a 404."""

from __future__ import annotations

from dataclasses import dataclass

from outpour import delete, get, post
from outpour.exceptions import NotFoundException


@dataclass
class Book:
    id: int
    title: str
    author: str
    price: float


@dataclass
class NewBook:
    title: str
    author: str
    price: float


BOOKS: dict[int, Book] = {
    1: Book(1, "Dune", "Frank Herbert", 9.5),
    2: Book(2, "Emma", "Jane Austen", 7.0),
    3: Book(3, "Ulysses", "James Joyce", 12.0),
}


def find(book_id: int) -> Book:
    if book_id not in BOOKS:
        raise NotFoundException(f"There is no book {book_id}.")
    return BOOKS[book_id]


@get("/books")
async def list_books() -> list[Book]:  # a list of dataclasses: JSON, 200
    return list(BOOKS.values())


@get("/books/{book_id:int}", name="book")
async def get_book(book_id: int) -> Book:
    return find(book_id)


@post("/books")
async def add_book(data: NewBook) -> Book:  # the body, validated; a POST answers 201
    book = Book(max(BOOKS, default=0) + 1, data.title, data.author, data.price)
    BOOKS[book.id] = book
    return book


@delete("/books/{book_id:int}")
async def remove_book(book_id: int) -> None:  # a DELETE answers 204 No Content
    BOOKS.pop(find(book_id).id)
