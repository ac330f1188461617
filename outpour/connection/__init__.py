"""Connections: ``Request`` for HTTP, ``WebSocket`` for WebSockets, and ``ASGIConnection``, the parts they share."""

from __future__ import annotations

from outpour.connection.base import ASGIConnection
from outpour.connection.request import BodyConsumedError, ClientDisconnected, Request
from outpour.connection.websocket import WebSocket

__all__ = ["ASGIConnection", "BodyConsumedError", "ClientDisconnected", "Request", "WebSocket"]
