"""The outpour demo app, served by ``make demo`` on http://127.0.0.1:8000.

The index links one live example of each response kind; each group lives in its own module and exports ``ROUTES``
(handlers and routers) and ``EXAMPLES`` (the index rows). A kind without a page yet is a ``Slot`` in ``SLOTS``: to
plug one in, write its module the same way, add it to ``SECTIONS`` and ``route_handlers``, and drop its slot.
"""

from __future__ import annotations

from examples.demo import basics, files_and_redirects, layers, pagination_demo, streams, templates_demo
from examples.demo._catalog import Section, Slot, render_index
from outpour import MediaType, Outpour, get

# Response kinds still to come, shown on the index without a link.
SLOTS = [
    Slot(
        "OpenAPI",
        "The schema pages (Swagger UI, ReDoc, Scalar) with locally served assets, at /schema/swagger: "
        "pass openapi_config=OpenAPIConfig(title='outpour demo', ...) below once outpour.openapi serves them.",
    ),
    Slot("ETag 304", "A conditional GET of /layers/headers answers 304 Not Modified once If-None-Match is honoured."),
]

SECTIONS = [
    Section("Values and media types", basics.VALUE_EXAMPLES),
    Section("Status codes, returned responses and ASGI apps", basics.RESPONSE_EXAMPLES),
    Section("Layered headers, cookies, Cache-Control and ETag", layers.EXAMPLES),
    Section("Streams and server-sent events", streams.EXAMPLES),
    Section("Files and redirects", files_and_redirects.EXAMPLES),
    Section("Templates", templates_demo.EXAMPLES),
    Section("Pagination (SQLite, seeded on start-up)", pagination_demo.EXAMPLES),
    Section("Coming next", SLOTS),
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
        *files_and_redirects.ROUTES,
        *templates_demo.ROUTES,
        *pagination_demo.ROUTES,
    ],
    lifespan=[pagination_demo.seeded_database],
    template_config=templates_demo.TEMPLATE_CONFIG,
    response_headers=layers.APP_HEADERS,
    response_cookies=layers.APP_COOKIES,
)
