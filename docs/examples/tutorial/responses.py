"""Step 3: a Response with headers and a cookie, a redirect, and work after the response."""

from __future__ import annotations

import logging

from outpour import Response, get, post
from outpour.background_tasks import BackgroundTask
from outpour.datastructures import Cookie
from outpour.response import Redirect

from .books import find

logger = logging.getLogger("bookshop")


async def record_view(book_id: int) -> None:
    logger.info("book %s viewed", book_id)


@get("/books/{book_id:int}/price")
async def price(book_id: int) -> Response[dict[str, float]]:
    book = find(book_id)
    return Response(
        {"price": book.price},
        headers={"cache-control": "max-age=60"},
        cookies=[Cookie(key="last-viewed", value=str(book_id))],
        background=BackgroundTask(record_view, book_id),  # runs after the response is sent
    )


@get("/latest")
async def latest() -> Redirect:  # 302 to the newest book
    return Redirect(path="/books/3")


@post("/books/{book_id:int}/reserve", status_code=202)
async def reserve(book_id: int) -> dict[str, str]:  # any status code
    return {"reserved": find(book_id).title}
