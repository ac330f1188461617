"""ASGI middleware: ``DefineMiddleware``, ``AbstractMiddleware``, ``ASGIMiddleware`` and authentication.

Middleware are given on any layer (``middleware=[...]``): app-level ones run first (outermost), handler-level ones
last. A route without middleware pays nothing for the feature. ``outpour.middleware.constraints`` states where a
middleware must sit in the stack; ``AbstractAuthenticationMiddleware`` is the base of authentication middleware.
"""

from __future__ import annotations

from outpour.middleware.authentication import AbstractAuthenticationMiddleware, AuthenticationResult
from outpour.middleware.base import (
    AbstractMiddleware,
    ASGIMiddleware,
    DefineMiddleware,
    MiddlewareProtocol,
    build_middleware_stack,
)

__all__ = [
    "ASGIMiddleware",
    "AbstractAuthenticationMiddleware",
    "AbstractMiddleware",
    "AuthenticationResult",
    "DefineMiddleware",
    "MiddlewareProtocol",
    "build_middleware_stack",
]
