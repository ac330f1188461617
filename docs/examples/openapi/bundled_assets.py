"""Four pages (no Swagger UI) with the copies in outpour's wheel given explicitly, as the defaults use them."""

from __future__ import annotations

from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import (
    STATIC_DIRECTORY,
    RapidocRenderPlugin,
    RedocRenderPlugin,
    ScalarRenderPlugin,
    StoplightRenderPlugin,
)

# The folder outpour ships: scalar/, swagger/, redoc/, rapidoc/ and elements/, each with its license.
BUNDLED = STATIC_DIRECTORY


@get("/hello")
async def hello() -> str:
    return "Hello, world!"


app = Outpour(
    route_handlers=[hello],
    openapi_config=OpenAPIConfig(
        title="Offline docs",
        version="1.0.0",
        render_plugins=[
            ScalarRenderPlugin(
                js_url=BUNDLED / "scalar" / "standalone.js",
                # no web fonts, and no AI agent (it calls Scalar's servers)
                options={"withDefaultFonts": False, "agent": {"disabled": True}},
            ),
            RedocRenderPlugin(js_url=BUNDLED / "redoc" / "redoc.standalone.js", google_fonts=False),
            RapidocRenderPlugin(js_url=BUNDLED / "rapidoc" / "rapidoc-min.js"),  # local script: no Google Fonts
            StoplightRenderPlugin(
                js_url=BUNDLED / "elements" / "web-components.min.js", css_url=BUNDLED / "elements" / "styles.min.css"
            ),
        ],
    ),
)
