"""Choosing the documentation pages: the five renderers, each at its own path under ``/schema``."""

from __future__ import annotations

from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import (
    RapidocRenderPlugin,
    RedocRenderPlugin,
    ScalarRenderPlugin,
    StoplightRenderPlugin,
    SwaggerRenderPlugin,
)


@get("/hello")
async def hello() -> str:
    return "Hello, world!"


app = Outpour(
    route_handlers=[hello],
    openapi_config=OpenAPIConfig(
        title="Every page",
        version="1.0.0",
        render_plugins=[
            ScalarRenderPlugin(),  # /schema/scalar, and /schema: the first page
            SwaggerRenderPlugin(),  # /schema/swagger
            RedocRenderPlugin(),  # /schema/redoc
            RapidocRenderPlugin(),  # /schema/rapidoc
            StoplightRenderPlugin(),  # /schema/elements
        ],
    ),
)
