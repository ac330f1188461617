"""The OpenAPI pages: Swagger UI with its assets served by the demo itself, so the page works without internet.

Swagger UI's files come from the ``swagger-ui-py`` package on PyPI (it bundles the ``swagger-ui-dist`` files;
``make demo`` and ``make test`` install it with the ``demo`` dependency group). Each is handed to
``SwaggerRenderPlugin`` as a ``pathlib.Path``, which outpour then serves under ``/schema/_assets/``. ReDoc, Scalar,
RapiDoc and Stoplight Elements get theirs the same way from the copies outpour ships in ``outpour/openapi/static/``
(``BUNDLED``), with their web fonts off: every page renders without internet access.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import outpour.openapi
from examples.demo._catalog import Example
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import (
    RapidocRenderPlugin,
    RedocRenderPlugin,
    ScalarRenderPlugin,
    StoplightRenderPlugin,
    SwaggerRenderPlugin,
)

__all__ = ["BUNDLED", "EXAMPLES", "OPENAPI_CONFIG", "SWAGGER_ASSETS", "swagger_ui_files"]

BUNDLED = Path(outpour.openapi.__file__).parent / "static"
"""The page assets outpour ships: ``redoc/``, ``scalar/``, ``rapidoc/`` and ``elements/``."""

SWAGGER_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js")
"""The Swagger UI files the page loads."""


def swagger_ui_files() -> dict[str, Path]:
    """Find Swagger UI's files in the installed ``swagger-ui-py`` package, without importing it.

    Returns:
        ``{file name: path}`` for each of ``SWAGGER_ASSETS``.

    Raises:
        RuntimeError: The package is not installed, or lacks one of the files.
    """
    spec = importlib.util.find_spec("swagger_ui")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise RuntimeError(
            "The demo serves Swagger UI's files from the `swagger-ui-py` package, which is not installed: run "
            "`make demo` (it installs the `demo` dependency group) or `pip install swagger-ui-py`."
        )
    static = Path(locations[0]) / "static"
    files = {name: static / name for name in SWAGGER_ASSETS}
    missing = [name for name, path in files.items() if not path.is_file()]
    if missing:
        raise RuntimeError(
            f"`swagger-ui-py` at `{static.parent}` lacks `{'`, `'.join(missing)}`: reinstall it "
            "(`pip install --force-reinstall swagger-ui-py`)."
        )
    return files


_FILES = swagger_ui_files()

OPENAPI_CONFIG = OpenAPIConfig(
    title="outpour demo",
    version="1.0.0",
    description="Every response kind of the outpour demo app.",
    render_plugins=[
        SwaggerRenderPlugin(
            js_url=_FILES["swagger-ui-bundle.js"],
            css_url=_FILES["swagger-ui.css"],
            standalone_preset_js_url=_FILES["swagger-ui-standalone-preset.js"],
        ),
        RedocRenderPlugin(js_url=BUNDLED / "redoc" / "redoc.standalone.js", google_fonts=False),
        ScalarRenderPlugin(
            js_url=BUNDLED / "scalar" / "standalone.js",
            options={"withDefaultFonts": False, "agent": {"disabled": True}},
        ),
        RapidocRenderPlugin(js_url=BUNDLED / "rapidoc" / "rapidoc-min.js"),
        StoplightRenderPlugin(
            js_url=BUNDLED / "elements" / "web-components.min.js", css_url=BUNDLED / "elements" / "styles.min.css"
        ),
    ],
)

EXAMPLES = [
    Example(
        "Swagger UI",
        "/schema/swagger",
        "The OpenAPI document rendered by Swagger UI; its script and stylesheet are served by the demo under "
        "/schema/_assets/ (no internet needed).",
        element_id="swagger",
    ),
    Example("OpenAPI JSON", "/schema/openapi.json", "The OpenAPI 3.1 document of every route above."),
    Example("OpenAPI YAML", "/schema/openapi.yaml", "The same document as YAML."),
    Example("ReDoc", "/schema/redoc", "ReDoc, its script served by the demo (no internet needed)."),
    Example("Scalar", "/schema/scalar", "Scalar, its script served by the demo (no internet needed)."),
    Example("RapiDoc", "/schema/rapidoc", "RapiDoc, its script served by the demo (no internet needed)."),
    Example(
        "Stoplight Elements",
        "/schema/elements",
        "Stoplight Elements, its files served by the demo (no internet needed).",
    ),
]
