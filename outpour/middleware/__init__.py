"""ASGI middleware: ``DefineMiddleware``, ``AbstractMiddleware`` and ``ASGIMiddleware``.

Middleware are given on any layer (``middleware=[...]``): app-level ones run first (outermost), handler-level ones
last. A route without middleware pays nothing for the feature.
"""

from __future__ import annotations

from outpour.middleware.base import (
    AbstractMiddleware,
    ASGIMiddleware,
    DefineMiddleware,
    MiddlewareProtocol,
    build_middleware_stack,
)

__all__ = ["ASGIMiddleware", "AbstractMiddleware", "DefineMiddleware", "MiddlewareProtocol", "build_middleware_stack"]
