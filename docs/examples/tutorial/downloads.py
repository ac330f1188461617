"""Step 4: a file, a stream, and server-sent events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from outpour import get
from outpour.response import File, ServerSentEvent, Stream

from .books import BOOKS

HERE = Path(__file__).parent


@get("/catalog.txt")
async def catalog() -> File:  # a file from disk, sent in chunks, with Range and ETag support
    return File(HERE / "catalog.txt", filename="catalog.txt", media_type="text/plain")


async def csv_lines() -> AsyncIterator[str]:
    yield "id,title,author,price\n"
    for book in BOOKS.values():
        yield f"{book.id},{book.title},{book.author},{book.price}\n"


@get("/books.csv")
async def export() -> Stream:  # a body produced while it is sent
    return Stream(csv_lines(), media_type="text/csv")


async def countdown() -> AsyncIterator[dict[str, object]]:
    for left in range(3, 0, -1):
        yield {"event": "tick", "data": left}
        await asyncio.sleep(0.01)
    yield {"event": "sale", "data": "The sale has started!"}


@get("/sale")
async def sale() -> ServerSentEvent:  # text/event-stream, for the browser's EventSource
    return ServerSentEvent(countdown())
