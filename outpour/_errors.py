"""Turning exceptions into responses: layered ``exception_handlers`` first, then the default JSON error body."""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from outpour.datastructures._validation import check_header_name, check_header_value
from outpour.exceptions import HTTPException, ImproperlyConfiguredException, TemplateNotFoundException
from outpour.serialization import encode_json

if TYPE_CHECKING:
    from outpour.connection import Request
    from outpour.types import Receive, Scope, Send

__all__ = ["find_exception_handler", "handle_exception", "send_error"]

logger = logging.getLogger("outpour")


def find_exception_handler(handlers: Mapping[Any, Any], exc: Exception) -> Any:
    """Find the handler for ``exc``: by class (most specific first), then by status code (500 for non-HTTP errors)."""
    if not handlers:
        return None
    for cls in type(exc).__mro__:
        if cls in handlers:
            return handlers[cls]
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return handlers.get(status)


def _safe_headers(raw: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
    """Encode an exception's headers, dropping (and logging) any that would corrupt the response."""
    headers: list[tuple[bytes, bytes]] = []
    for name, value in raw.items():
        try:
            check_header_name(name)
            check_header_value(str(value), name=name)
            headers.append((name.lower().encode("latin-1"), str(value).encode("latin-1")))
        except (ValueError, UnicodeEncodeError):
            logger.error("Dropped header `%s` of an exception response: it is not a valid header.", name)
    return headers


_SELF_EXPLAINING = (ImproperlyConfiguredException, TemplateNotFoundException)


def _error_body(exc: Exception, debug: bool) -> tuple[int, bytes, bytes, list[tuple[bytes, bytes]]]:
    headers: list[tuple[bytes, bytes]] = []
    if isinstance(exc, HTTPException):
        status = exc.status_code
        # A 500's detail may hold internals (an exception's message, a file path): outside debug mode it is replaced
        # by the status phrase, as Litestar does; other statuses (502, 503, ...) keep theirs. outpour's own
        # configuration errors (a missing template, no template engine) keep their message: it names what to fix.
        detail = exc.detail if status != 500 or debug or isinstance(exc, _SELF_EXPLAINING) else "Internal Server Error"
        content: dict[str, Any] = {"status_code": status, "detail": detail}
        if exc.extra is not None:
            content["extra"] = exc.extra
        if exc.headers:
            headers = _safe_headers(exc.headers)
        if debug and status >= 500 and status != 501:
            text = "".join(traceback.format_exception(exc))
            return status, text.encode("utf-8"), b"text/plain; charset=utf-8", headers
        return status, encode_json(content), b"application/json", headers
    if debug:
        text = "".join(traceback.format_exception(exc))
        return 500, text.encode("utf-8"), b"text/plain; charset=utf-8", headers
    return 500, b'{"status_code":500,"detail":"Internal Server Error"}', b"application/json", headers


async def send_error(exc: Exception, scope: Scope, send: Send, debug: bool) -> None:
    """Send the default error response for ``exc``, logging server errors."""
    if not isinstance(exc, HTTPException) or (exc.status_code >= 500 and exc.status_code != 501):
        method, path = scope.get("method", ""), scope.get("path", "")
        logger.error("Exception in %s %s: %s", method, path, exc, exc_info=exc)
    elif exc.status_code == 501:  # the client asked for what the server does not implement: not a server fault
        logger.warning("%s %s: %s", scope.get("method", ""), scope.get("path", ""), exc.detail)
    status, body, content_type, extra_headers = _error_body(exc, debug)
    head = scope.get("method") == "HEAD"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                *extra_headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else body})


async def handle_exception(
    exc: Exception,
    scope: Scope,
    receive: Receive,
    send: Send,
    request: Request[Any, Any, Any] | None,
    handlers: Mapping[Any, Any],
    debug: bool,
) -> None:
    """Answer ``exc`` with the closest layered exception handler, or the default error response."""
    handler = find_exception_handler(handlers, exc)
    if handler is None:
        await send_error(exc, scope, send, debug)
        return
    from outpour.connection import Request
    from outpour.response.base import Response

    try:
        if request is None:
            request = Request(scope, receive, send)
        result = handler(request, exc)
        if inspect.isawaitable(result):
            result = await result
        if isinstance(result, Response):
            asgi_response: Any = result.to_asgi_response(request, is_head_response=scope.get("method") == "HEAD")
        else:
            asgi_response = result
    except Exception as handler_exc:
        logger.error("Exception handler %r failed while handling %r", handler, exc, exc_info=handler_exc)
        await send_error(
            handler_exc if debug else exc if not isinstance(exc, HTTPException) else handler_exc, scope, send, debug
        )
        return
    await asgi_response(scope, receive, send)
