"""Exception responses: the content of outpour's default error response, and the functions that build it.

An exception handler can return ``create_exception_response(request, exc)`` to answer as outpour does by default,
after logging or counting the error, or build an :class:`ExceptionResponseContent` of its own.
"""

from __future__ import annotations

from outpour._errors import ExceptionResponseContent, create_debug_response, create_exception_response

__all__ = ["ExceptionResponseContent", "create_debug_response", "create_exception_response"]
