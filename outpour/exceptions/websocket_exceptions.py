"""The WebSocket exceptions, at Litestar's module path; the same classes as ``outpour.exceptions``."""

from __future__ import annotations

from outpour.exceptions import WebSocketDisconnect, WebSocketException

__all__ = ["WebSocketDisconnect", "WebSocketException"]
