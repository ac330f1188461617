"""The bookshop: every step's handlers in one app."""

from __future__ import annotations

from pathlib import Path

from outpour import Outpour
from outpour.openapi import OpenAPIConfig
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.template.config import TemplateConfig

from .books import add_book, get_book, list_books, remove_book
from .downloads import catalog, export, sale
from .pages import book_page, index, shelf
from .paging import catalogue
from .responses import latest, price, reserve

app = Outpour(
    route_handlers=[
        *(list_books, get_book, add_book, remove_book),
        *(index, shelf, book_page),
        *(price, latest, reserve),
        *(catalog, export, sale),
        catalogue,
    ],
    template_config=TemplateConfig(directory=Path(__file__).parent / "templates", engine=JinjaTemplateEngine),
    openapi_config=OpenAPIConfig(title="Bookshop", version="1.0.0"),
)
