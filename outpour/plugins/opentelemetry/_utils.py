"""Span names and attributes taken from the ASGI scope."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opentelemetry.semconv.trace import SpanAttributes

if TYPE_CHECKING:
    from outpour.types import Scope

__all__ = ["get_route_details_from_scope"]


def get_route_details_from_scope(scope: Scope) -> tuple[str, dict[str, Any]]:
    """Name a server span ``"<METHOD> <path>"`` (``"<path>"`` for a WebSocket) and set ``http.route`` to the same.

    The instrumentation wraps the whole app, so the span starts before routing: the path is the requested one, as in
    Litestar.

    Args:
        scope: The ASGI scope of the request.

    Returns:
        The span name and the attributes to start the span with.
    """
    path = str(scope.get("path", "")).strip()
    method = str(scope.get("method", "")).strip()
    name = f"{method} {path}" if method and path else path
    return name, {SpanAttributes.HTTP_ROUTE: name}
