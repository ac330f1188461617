from dataclasses import dataclass

from outpour import Outpour, get, post
from outpour.exceptions import NotFoundException


@dataclass
class Book:
    title: str
    author: str


BOOKS = [Book(title="Dune", author="Frank Herbert")]


@get("/")
async def index() -> str:
    return "Hello, world!"


@get("/books")
async def list_books() -> list[Book]:
    return BOOKS


@get("/books/{book_id:int}")
async def get_book(book_id: int) -> Book:
    if not 0 <= book_id < len(BOOKS):
        raise NotFoundException(f"There is no book {book_id}.")
    return BOOKS[book_id]


@post("/books")
async def add_book(data: Book) -> Book:
    BOOKS.append(data)
    return data


app = Outpour(route_handlers=[index, list_books, get_book, add_book])
