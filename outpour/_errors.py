"""Turning exceptions into responses: layered ``exception_handlers`` first, then the default error response.

The default response is one :class:`ExceptionResponseContent`: a JSON body of ``status_code``, ``detail`` and, when
given, ``extra``. In debug mode a server error shows its traceback instead: an HTML page for a client that accepts
``text/html`` (``outpour._debug_page``), plain text for any other. ``send_error`` writes it straight to the wire (it
must work before there is a request); ``create_exception_response`` and
``create_debug_response`` (public in ``outpour.exceptions.responses``) build the same as ``Response`` objects for
exception handlers that want outpour's default.
"""

from __future__ import annotations

import inspect
import logging
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from outpour._debug_page import accepts_html, render_debug_page
from outpour.datastructures._validation import check_header_name, check_header_value
from outpour.enums import MediaType
from outpour.exceptions import HTTPException
from outpour.response._render import content_type_header
from outpour.serialization import encode_json, encode_msgpack, is_json_media_type, is_msgpack_media_type

if TYPE_CHECKING:
    from outpour.connection import Request
    from outpour.response import Response
    from outpour.types import Receive, Scope, Send, Serializer

__all__ = [
    "ExceptionResponseContent",
    "create_debug_response",
    "create_exception_response",
    "exception_content",
    "find_exception_handler",
    "handle_exception",
    "post_mortem",
    "send_error",
]

logger = logging.getLogger("outpour")


@dataclass
class ExceptionResponseContent:
    """What an error response carries: its status, a JSON body of ``status_code``, ``detail`` and ``extra``, headers.

    Args:
        status_code: The response's status code, repeated in the body.
        detail: A message for the client.
        media_type: The response's media type; a body that is not JSON-typed still holds the JSON document.
        headers: Headers to send with the response.
        extra: Structured details, sent in the body's ``extra`` field when not ``None``.
    """

    status_code: int
    detail: str
    media_type: MediaType | str
    headers: dict[str, str] | None = None
    extra: dict[str, Any] | list[Any] | None = None

    def _body(self) -> dict[str, Any]:
        """Return the JSON document of the response: ``status_code``, ``detail`` and ``extra`` unless it is ``None``."""
        content: dict[str, Any] = {"status_code": self.status_code, "detail": self.detail}
        if self.extra is not None:
            content["extra"] = self.extra
        return content

    def to_response(self, request: Request[Any, Any, Any] | None = None) -> Response[Any]:
        """Build the response.

        Args:
            request: The request being answered. Unused: the body is encoded with the route's ``type_encoders`` when
                the response is sent, as every response is.

        Returns:
            A :class:`~outpour.response.Response` with the status, headers, media type and JSON body.
        """
        from outpour.response import Response

        content: Any = self._body()
        if not is_json_media_type(str(self.media_type)):
            content = encode_json(content)
        return Response(content, status_code=self.status_code, media_type=self.media_type, headers=self.headers)


def find_exception_handler(handlers: Mapping[Any, Any], exc: Exception) -> Any:
    """Find the handler for ``exc``: by class (most specific first), then by status code (500 for non-HTTP errors)."""
    if not handlers:
        return None
    for cls in type(exc).__mro__:
        if cls in handlers:
            return handlers[cls]
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return handlers.get(status)


def _from_starlette(exc: Exception, handlers: Mapping[Any, Any]) -> Exception:
    """Turn a Starlette ``HTTPException`` without a handler of its own into outpour's, as Litestar does.

    Libraries shared with Starlette apps raise it for client errors; its status and detail then reach the client.
    """
    module = sys.modules.get("starlette.exceptions")
    starlette_http_exception: type[Exception] | None = getattr(module, "HTTPException", None)
    if starlette_http_exception is None or not isinstance(exc, starlette_http_exception):
        return exc
    for cls in type(exc).__mro__:  # a handler the user gave its class (a handler for `Exception` is less specific)
        if cls in handlers:
            return exc
        if cls is starlette_http_exception:
            break
    status_code: int = getattr(exc, "status_code", 500)
    headers: dict[str, str] | None = getattr(exc, "headers", None)
    converted = HTTPException(detail=str(getattr(exc, "detail", "")), status_code=status_code, headers=headers)
    converted.__cause__ = exc
    return converted


def _valid_headers(raw: Mapping[str, Any]) -> dict[str, str]:
    """An exception's headers as strings, without (but logging) any that would corrupt the response."""
    headers: dict[str, str] = {}
    for name, value in raw.items():
        try:  # a header name is a token (ASCII); the value check covers latin-1
            check_header_name(name)
            check_header_value(str(value), name=name)
        except ValueError:
            logger.error("Dropped header `%s` of an exception response: it is not a valid header.", name)
        else:
            headers[name] = str(value)
    return headers


def exception_content(exc: Exception, debug: bool) -> ExceptionResponseContent:
    """The content of the default JSON error response to ``exc``.

    Any exception but an ``HTTPException`` is a 500. Outside debug mode every 500 says only "Internal Server Error",
    without ``extra``, whatever raised it (``InternalServerException``, a missing template, a configuration error):
    its message may hold internals (a file path, a setting); the log has it. Other statuses (502, 503, ...) keep
    their detail.
    """
    if not isinstance(exc, HTTPException):
        return ExceptionResponseContent(status_code=500, detail="Internal Server Error", media_type=MediaType.JSON)
    status = exc.status_code
    hidden = status == 500 and not debug
    headers = _valid_headers(exc.headers) if exc.headers else None
    return ExceptionResponseContent(
        status_code=status,
        detail="Internal Server Error" if hidden else exc.detail,
        media_type=MediaType.JSON,
        headers=headers,
        extra=None if hidden else exc.extra,
    )


def _is_server_fault(exc: Exception) -> bool:
    """Whether ``exc`` is the server's fault: an unexpected exception, or a 5xx but 501 (the client's request)."""
    return not isinstance(exc, HTTPException) or (exc.status_code >= 500 and exc.status_code != 501)


def _shows_traceback(exc: Exception, debug: bool) -> bool:
    """Whether debug mode answers ``exc`` with its traceback: any server fault."""
    return debug and _is_server_fault(exc)


def _traceback_text(exc: Exception) -> str:
    return "".join(traceback.format_exception(exc))


def _error_body(
    exc: Exception, debug: bool, scope: Scope, media_type: str | None = None, serializer: Serializer | None = None
) -> tuple[int, bytes, bytes, list[tuple[bytes, bytes]]]:
    content = exception_content(exc, debug)
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (content.headers or {}).items()
    ]
    if _shows_traceback(exc, debug):
        if accepts_html(scope):  # a browser: the HTML page (outpour._debug_page)
            page = render_debug_page(exc, scope, content.status_code)
            return content.status_code, page, b"text/html; charset=utf-8", headers
        return content.status_code, _traceback_text(exc).encode("utf-8"), b"text/plain; charset=utf-8", headers
    if media_type is None or is_json_media_type(media_type):
        return content.status_code, encode_json(content._body(), serializer), b"application/json", headers
    # As Litestar: the handler's media type, its body still the JSON document (MessagePack for a MessagePack type).
    data = content._body()
    body = encode_msgpack(data, serializer) if is_msgpack_media_type(media_type) else encode_json(data, serializer)
    return content.status_code, body, content_type_header(media_type), headers


def create_exception_response(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Build the response outpour sends for ``exc`` outside debug mode, for an exception handler to return.

    An ``HTTPException`` gives its status, headers and a JSON body of ``status_code``, ``detail`` and ``extra``; any
    other exception a 500 whose body says only "Internal Server Error".

    Args:
        request: The request being answered.
        exc: The exception to answer.

    Returns:
        The error response.
    """
    content = exception_content(exc, debug=False)
    media_type = getattr(request.scope.get("route_handler"), "media_type", None)
    if media_type:
        content.media_type = media_type
    return content.to_response(request)


def create_debug_response(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Build a response showing the traceback of ``exc``, what debug mode sends for a server error.

    A request accepting ``text/html`` (a browser) gets an HTML page (the exception, its traceback with source lines,
    the request; every value escaped), any other the traceback as plain text.

    Args:
        request: The request being answered.
        exc: The exception to show; an ``HTTPException`` keeps its status code and headers, any other is a 500.

    Returns:
        The debug response.
    """
    from outpour.response import Response

    content = exception_content(exc, debug=True)
    if accepts_html(request.scope):
        page = render_debug_page(exc, request.scope, content.status_code)
        return Response(page, status_code=content.status_code, media_type=MediaType.HTML, headers=content.headers)
    return Response(
        _traceback_text(exc), status_code=content.status_code, media_type=MediaType.TEXT, headers=content.headers
    )


async def send_error(
    exc: Exception,
    scope: Scope,
    send: Send,
    debug: bool,
    media_type: str | None = None,
    serializer: Serializer | None = None,
) -> None:
    """Send the default error response for ``exc``, logging server errors; in ``media_type`` when given (JSON else).

    ``serializer`` encodes what ``extra`` holds beyond msgspec's types: the route's ``type_encoders``.
    """
    method, path = scope.get("method", ""), scope.get("path", "")
    if _is_server_fault(exc):
        logger.error("Exception in %s %s: %s", method, path, exc, exc_info=exc)
    elif isinstance(exc, HTTPException) and exc.status_code == 501:
        logger.warning("%s %s: %s", method, path, exc.detail)
    status, body, content_type, extra_headers = _error_body(exc, debug, scope, media_type, serializer)
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


_DISCONNECTED_BODY = b"Incomplete request body: the client closed the connection before sending all of it."


async def end_disconnected(scope: Scope, send: Send) -> None:
    """End quietly a request whose client left before sending its whole body: it is not a server error.

    A 400 is sent all the same. It seldom reaches anyone (the client is gone), but a server left without an answer
    takes the exchange for the app's failure: granian answers, and logs, a 500.
    """
    logger.debug(
        "%s %s: the client disconnected before sending the whole request body.", scope.get("method"), scope.get("path")
    )
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(_DISCONNECTED_BODY)).encode()),
        (b"connection", b"close"),
    ]
    try:
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": _DISCONNECTED_BODY})
    except OSError:
        pass  # ASGI 2.4 servers raise from a send after the client left


def post_mortem(exc: BaseException, app: Any) -> None:
    """Stop in the app's ``debugger_module.post_mortem`` at ``exc`` when the app has ``pdb_on_exception`` on.

    Args:
        exc: The exception about to be answered.
        app: The app serving the connection (``scope["app"]``), or anything else, which does nothing.
    """
    if getattr(app, "pdb_on_exception", False):
        app.debugger_module.post_mortem(exc.__traceback__)


async def handle_exception(
    exc: Exception,
    scope: Scope,
    receive: Receive,
    send: Send,
    request: Request[Any, Any, Any] | None,
    handlers: Mapping[Any, Any],
    debug: bool,
    media_type: str | None = None,
    serializer: Serializer | None = None,
) -> None:
    """Answer ``exc`` with the closest layered exception handler, or the default error response.

    ``media_type`` is the route handler's: the default error response is sent in it (JSON when None), its
    ``extra`` encoded with ``serializer`` (the route's ``type_encoders``) when given.
    """
    from outpour.connection.request import ClientDisconnected

    if isinstance(exc, ClientDisconnected):  # raised through middleware: the client left, not a server error
        await end_disconnected(scope, send)
        return
    post_mortem(exc, scope.get("app"))
    if not isinstance(exc, HTTPException):
        exc = _from_starlette(exc, handlers)
    handler = find_exception_handler(handlers, exc)
    if handler is None:
        await send_error(exc, scope, send, debug, media_type, serializer)
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
