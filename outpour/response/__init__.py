"""Responses: what a handler can return, and the low-level ASGI objects that write them."""

from __future__ import annotations

from outpour.response.base import ASGIResponse, Response

__all__ = ["ASGIResponse", "Response"]
