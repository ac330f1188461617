"""DTOs on a controller apply to all its handlers; `return_dto=None` on a handler switches one off."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from outpour import Controller, Outpour, delete, get, post
from outpour.dto import DataclassDTO, DTOConfig


@dataclass
class Book:
    title: str
    author: str
    id: UUID = field(default_factory=uuid4)


class BookWriteDTO(DataclassDTO[Book]):
    config = DTOConfig(exclude={"id"})


class BookReadDTO(DataclassDTO[Book]):
    config = DTOConfig(rename_fields={"id": "bookId"})


books: dict[UUID, Book] = {}


class BookController(Controller):
    path = "/books"
    dto = BookWriteDTO
    return_dto = BookReadDTO

    @post("/")
    async def create(self, data: Book) -> Book:
        books[data.id] = data
        return data

    @get("/{book_id:uuid}")
    async def show(self, book_id: UUID) -> Book:
        return books[book_id]

    @delete("/{book_id:uuid}", return_dto=None)
    async def remove(self, book_id: UUID) -> None:
        books.pop(book_id, None)


app = Outpour([BookController])
