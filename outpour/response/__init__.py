"""Responses: what a handler can return, and the low-level ASGI objects that write them."""

from __future__ import annotations

from outpour.response.base import ASGIResponse, Response
from outpour.response.file import File
from outpour.response.redirect import Redirect
from outpour.response.sse import ServerSentEvent, ServerSentEventMessage
from outpour.response.streaming import Stream
from outpour.response.template import Template

__all__ = [
    "ASGIResponse",
    "File",
    "Redirect",
    "Response",
    "ServerSentEvent",
    "ServerSentEventMessage",
    "Stream",
    "Template",
]
