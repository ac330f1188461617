"""ReDoc and Scalar loaded from the CDN (another version than the shipped one), without their web fonts."""

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
            # From the CDN, Scalar's own fonts come from there too unless its `withDefaultFonts` option is off.
            ScalarRenderPlugin(version="1.40.0", options={"withDefaultFonts": False}),
            # From the CDN, ReDoc's page links Google Fonts (Montserrat, Roboto) unless `google_fonts=False`.
            RedocRenderPlugin(version="2.4.0", google_fonts=False),
        ],
    ),
)
