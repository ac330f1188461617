"""OpenAPI 3.1: the document of every route, served with Scalar, Swagger UI and ReDoc pages under ``/schema``.

``Outpour(openapi_config=OpenAPIConfig(title=..., version=...))`` configures it; ``openapi_config=None`` turns it off.
"""

from __future__ import annotations

from outpour.openapi._router import create_openapi_router, get_openapi_schema
from outpour.openapi.config import OpenAPIConfig
from outpour.openapi.datastructures import ResponseSpec

__all__ = ["OpenAPIConfig", "ResponseSpec", "create_openapi_router", "get_openapi_schema"]
