"""The outpour demo app, served by ``make demo`` on http://127.0.0.1:8000.

The index links one live example of each response kind; each group lives in its own module and exports ``ROUTES``
(handlers and routers) and ``EXAMPLES`` (the index rows). To add a kind, write its module the same way and add it to
``SECTIONS`` and ``route_handlers``.
The OpenAPI pages are served by outpour itself from ``openapi_demo.OPENAPI_CONFIG``.
"""

from __future__ import annotations

from examples.demo import (
    basics,
    chat_demo,
    files_and_redirects,
    layers,
    openapi_demo,
    pagination_demo,
    streams,
    templates_demo,
    websockets_demo,
)
from examples.demo._catalog import Section, render_index
from outpour import MediaType, Outpour, get

SECTIONS = [
    Section("Values and media types", basics.VALUE_EXAMPLES),
    Section("Status codes, returned responses and ASGI apps", basics.RESPONSE_EXAMPLES),
    Section("Layered headers, cookies, Cache-Control and ETag", layers.EXAMPLES),
    Section("Streams and server-sent events", streams.EXAMPLES),
    Section("WebSockets", websockets_demo.EXAMPLES),
    Section("Channels", chat_demo.EXAMPLES),
    Section("Files and redirects", files_and_redirects.EXAMPLES),
    Section("Templates", templates_demo.EXAMPLES),
    Section("Pagination (SQLite, seeded on start-up)", pagination_demo.EXAMPLES),
    Section("OpenAPI (the document of every route above)", openapi_demo.EXAMPLES),
]

INDEX = render_index(SECTIONS)


@get("/", media_type=MediaType.HTML)
async def index() -> str:
    """The index page, linking one live example of each response kind."""
    return INDEX


@get("/hello")
async def hello() -> str:
    """Plain text."""
    return "Hello, world!"


app = Outpour(
    route_handlers=[
        index,
        hello,
        *basics.ROUTES,
        *layers.ROUTES,
        *streams.ROUTES,
        *websockets_demo.ROUTES,
        *chat_demo.ROUTES,
        *files_and_redirects.ROUTES,
        *templates_demo.ROUTES,
        *pagination_demo.ROUTES,
    ],
    lifespan=[pagination_demo.seeded_database],
    template_config=templates_demo.TEMPLATE_CONFIG,
    response_headers=layers.APP_HEADERS,
    response_cookies=layers.APP_COOKIES,
    openapi_config=openapi_demo.OPENAPI_CONFIG,
    plugins=[chat_demo.CHANNELS],
)
