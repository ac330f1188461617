"""ReDoc, Scalar, RapiDoc and Stoplight Elements from the copies in outpour's wheel: no CDN, no internet needed."""

from __future__ import annotations

from pathlib import Path

import outpour.openapi
from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import RapidocRenderPlugin, RedocRenderPlugin, ScalarRenderPlugin, StoplightRenderPlugin

# The folder outpour ships: redoc/, scalar/, rapidoc/ and elements/, each with its license.
BUNDLED = Path(outpour.openapi.__file__).parent / "static"


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
