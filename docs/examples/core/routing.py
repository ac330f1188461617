from dataclasses import dataclass
from uuid import UUID

from outpour import Controller, Outpour, Router, delete, get, post


@dataclass
class Book:
    id: UUID
    title: str


BOOKS: dict[UUID, Book] = {}


class BookController(Controller):
    path = "/books"
    tags = ["books"]  # noqa: RUF012

    @post()
    async def create_book(self, data: Book) -> Book:
        BOOKS[data.id] = data
        return data

    @get("/{book_id:uuid}", name="book")
    async def get_book(self, book_id: UUID) -> Book:
        return BOOKS[book_id]

    @delete("/{book_id:uuid}")
    async def delete_book(self, book_id: UUID) -> None:
        BOOKS.pop(book_id, None)


@get(["/files/{file_path:path}"])
async def show_path(file_path: str) -> str:
    return file_path


api = Router(path="/api/v1", route_handlers=[BookController, show_path])
app = Outpour(route_handlers=[api])
