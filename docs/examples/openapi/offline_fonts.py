"""ReDoc and Scalar without the web fonts they fetch by default, for pages that must render offline."""

from __future__ import annotations

from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import RedocRenderPlugin, ScalarRenderPlugin


@get("/hello")
async def hello() -> str:
    return "Hello, world!"


app = Outpour(
    route_handlers=[hello],
    openapi_config=OpenAPIConfig(
        title="No web fonts",
        version="1.0.0",
        render_plugins=[
            # Scalar's own fonts come from its CDN unless its `withDefaultFonts` option is off.
            ScalarRenderPlugin(options={"withDefaultFonts": False}),
            # ReDoc's page links Google Fonts (Montserrat, Roboto) unless `google_fonts=False`.
            RedocRenderPlugin(google_fonts=False),
        ],
    ),
)
