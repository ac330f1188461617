"""Step 2: text, HTML and a template."""

from __future__ import annotations

from outpour import MediaType, get
from outpour.response import Template

from .books import BOOKS, find


@get("/", media_type=MediaType.TEXT)
async def index() -> str:  # a str with a text media type: text/plain
    return f"The bookshop has {len(BOOKS)} books. Try /books, /shelf or /books/1/page."


@get("/shelf", media_type=MediaType.HTML)
async def shelf() -> str:  # a str with the HTML media type: you write (and escape) the markup
    items = "".join(f"<li>{book.title}</li>" for book in BOOKS.values())
    return f"<h1>Shelf</h1><ul>{items}</ul>"


@get("/books/{book_id:int}/page")
async def book_page(book_id: int) -> Template:  # templates/book.html, rendered by Jinja (escaped for you)
    return Template(template_name="book.html", context={"book": find(book_id)})
