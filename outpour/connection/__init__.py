"""Connections: ``Request`` for HTTP, and ``ASGIConnection``, the parts it shares with WebSockets."""

from __future__ import annotations

from outpour.connection.base import ASGIConnection
from outpour.connection.request import BodyConsumedError, ClientDisconnected, Request

__all__ = ["ASGIConnection", "BodyConsumedError", "ClientDisconnected", "Request"]
