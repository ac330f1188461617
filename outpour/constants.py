"""Names Litestar keeps in ``litestar.constants``, for code that imports them from there."""

from __future__ import annotations

__all__ = ["RESERVED_KWARGS"]

RESERVED_KWARGS: frozenset[str] = frozenset(
    {"state", "headers", "cookies", "request", "socket", "data", "query", "scope", "body"}
)
"""The handler parameter names outpour fills itself: none of them may name a path parameter, a dependency or an
aliased query, header or cookie parameter."""
