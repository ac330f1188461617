"""Swagger UI without internet: its files given as paths are served by the app under ``/schema/_assets/``."""

from __future__ import annotations

from pathlib import Path

import swagger_ui  # type: ignore[import-untyped]  # pip install swagger-ui-py: a copy of swagger-ui-dist

from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import SwaggerRenderPlugin

# Any folder holding Swagger UI's files will do; here, the copy in the `swagger-ui-py` package.
ASSETS = Path(swagger_ui.__file__).parent / "static"


@get("/hello")
async def hello() -> str:
    return "Hello, world!"


app = Outpour(
    route_handlers=[hello],
    openapi_config=OpenAPIConfig(
        title="Offline docs",
        version="1.0.0",
        render_plugins=[
            SwaggerRenderPlugin(
                js_url=ASSETS / "swagger-ui-bundle.js",
                css_url=ASSETS / "swagger-ui.css",
                standalone_preset_js_url=ASSETS / "swagger-ui-standalone-preset.js",
            )
        ],
    ),
)
