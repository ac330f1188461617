"""The OpenAPI pages: outpour's defaults, five pages whose scripts the demo serves itself (no internet needed).

``OpenAPIConfig`` without ``render_plugins`` serves Scalar (also at ``/schema``), Swagger UI, ReDoc, RapiDoc and
Stoplight Elements, each loading the build outpour ships in ``outpour/openapi/static/`` from ``/schema/_assets/``.
"""

from __future__ import annotations

from examples.demo._catalog import Example
from outpour.openapi import OpenAPIConfig

__all__ = ["EXAMPLES", "OPENAPI_CONFIG"]

OPENAPI_CONFIG = OpenAPIConfig(
    title="outpour demo",
    version="1.0.0",
    description="Every response kind of the outpour demo app.",
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
    Example("Scalar", "/schema/scalar", "Scalar (also at /schema), its script served by the demo."),
    Example("ReDoc", "/schema/redoc", "ReDoc, its script served by the demo (no internet needed)."),
    Example("RapiDoc", "/schema/rapidoc", "RapiDoc, its script served by the demo (no internet needed)."),
    Example(
        "Stoplight Elements",
        "/schema/elements",
        "Stoplight Elements, its files served by the demo (no internet needed).",
    ),
]
