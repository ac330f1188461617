"""``LoggingMiddleware``: logs each request and its response through any logger with ``logging.Logger``'s interface.

The middleware does not configure logging: give it a ``logging.Logger``, a logger name, a structlog logger, or a
callable returning one (called on first use). Where the logger's handlers write to a file or a socket, put a
``logging.handlers.QueueHandler`` in front of them so that a slow disk or peer never blocks the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from outpour.connection import Request
from outpour.datastructures.upload_file import UploadFile
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.base import ASGIMiddleware
from outpour.serialization import encode_json

if TYPE_CHECKING:
    from outpour.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["LoggingMiddleware", "RequestExtractorField", "ResponseExtractorField"]

RequestExtractorField = Literal[
    "path", "method", "content_type", "headers", "cookies", "query", "path_params", "body", "scheme", "client"
]
"""A request value ``request_log_fields`` may name."""
ResponseExtractorField = Literal["status_code", "headers", "body", "cookies"]
"""A response value ``response_log_fields`` may name."""

_OBFUSCATED = "*****"
_RESPONSE_KEY = "_outpour_logged_response"


_REQUEST_FIELDS: tuple[str, ...] = get_args(RequestExtractorField)
_RESPONSE_FIELDS: tuple[str, ...] = get_args(ResponseExtractorField)


def _checked(option: str, fields: Sequence[Any], known: tuple[str, ...]) -> tuple[Any, ...]:
    """``fields`` as a tuple, once each is known to be one of ``known``."""
    for name in fields:
        if name not in known:
            raise ImproperlyConfiguredException(
                f"`LoggingMiddleware({option}=...)` names `{name!r}`, which it cannot log: use some of "
                f"{', '.join(f'`{field}`' for field in known)}."
            )
    return tuple(fields)


def _obfuscated(pairs: Iterable[tuple[str, str]], hidden: frozenset[str]) -> dict[str, str]:
    return {name: _OBFUSCATED if name.lower() in hidden else value for name, value in pairs}


def _as_text(value: Any) -> str:
    """A logged value in a plain-text entry: containers as compact JSON (as Litestar writes them), bytes decoded."""
    if isinstance(value, dict | list | tuple | set | frozenset):
        return encode_json(value).decode()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="backslashreplace")
    return str(value)


class LoggingMiddleware(ASGIMiddleware):
    """Log each request when it arrives and its response when it has been sent.

    Args:
        logger: A ``logging.Logger``, any object with its ``info`` method (structlog's loggers included), a logger
            name, or a callable returning a logger (called on first use).
        exclude: Regular expressions of paths not logged.
        exclude_opt_key: Routes whose ``opt`` has this key set to a true value are not logged.
        include_compressed_body: Log the body of a compressed response too (it is left out by default: it is not
            text).
        request_cookies_to_obfuscate: Request cookies logged as ``*****``.
        request_headers_to_obfuscate: Request headers logged as ``*****``.
        response_cookies_to_obfuscate: Response cookies logged as ``*****``.
        response_headers_to_obfuscate: Response headers logged as ``*****``.
        request_log_message: The message of request entries.
        response_log_message: The message of response entries.
        request_log_fields: The request values logged, in order.
        response_log_fields: The response values logged, in order.
        parse_body: Log a JSON or form body decoded, rather than as text.
        parse_query: Log the query as a mapping, rather than as the raw query string.
        log_structured: Pass the values as keyword arguments (for structlog and the like) instead of formatting
            them into the message.
    """

    scopes = ("http",)

    def __init__(
        self,
        logger: logging.Logger | Any | str | Callable[[], Any],
        *,
        exclude: str | list[str] | None = None,
        exclude_opt_key: str | None = None,
        include_compressed_body: bool = False,
        request_cookies_to_obfuscate: Iterable[str] = ("session",),
        request_headers_to_obfuscate: Iterable[str] = ("Authorization", "X-API-KEY"),
        response_cookies_to_obfuscate: Iterable[str] = ("session",),
        response_headers_to_obfuscate: Iterable[str] = ("Authorization", "X-API-KEY"),
        request_log_message: str = "HTTP Request",
        response_log_message: str = "HTTP Response",
        request_log_fields: Sequence[RequestExtractorField] = (
            "path",
            "method",
            "content_type",
            "query",
            "path_params",
        ),
        response_log_fields: Sequence[ResponseExtractorField] = ("status_code",),
        parse_body: bool = False,
        parse_query: bool = True,
        log_structured: bool = False,
    ) -> None:
        self._logger_source = logger
        self._logger: Any = logging.getLogger(logger) if isinstance(logger, str) else None
        if self._logger is None and hasattr(logger, "info"):
            self._logger = logger
        self.exclude_path_pattern = tuple([exclude] if isinstance(exclude, str) else exclude or ()) or None
        self.exclude_opt_key = exclude_opt_key
        self.include_compressed_body = include_compressed_body
        self.request_cookies_to_obfuscate = frozenset(name.lower() for name in request_cookies_to_obfuscate)
        self.request_headers_to_obfuscate = frozenset(name.lower() for name in request_headers_to_obfuscate)
        self.response_cookies_to_obfuscate = frozenset(name.lower() for name in response_cookies_to_obfuscate)
        self.response_headers_to_obfuscate = frozenset(name.lower() for name in response_headers_to_obfuscate)
        self.request_log_message = request_log_message
        self.response_log_message = response_log_message
        self.request_log_fields = _checked("request_log_fields", request_log_fields, _REQUEST_FIELDS)
        self.response_log_fields = _checked("response_log_fields", response_log_fields, _RESPONSE_FIELDS)
        self.parse_body = parse_body
        self.parse_query = parse_query
        self.log_structured = log_structured

    @property
    def logger(self) -> Any:
        """The logger, obtained from the callable given on first use."""
        if self._logger is None:
            self._logger = cast("Callable[[], Any]", self._logger_source)()
        return self._logger

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        """Log the request, call ``next_app``, and log the response once it has been sent."""
        await self.log_request(scope, receive)
        await next_app(scope, receive, self.create_send_wrapper(scope, send))
        self.log_response(scope)

    async def log_request(self, scope: Scope, receive: Receive) -> None:
        """Log the request's ``request_log_fields``.

        Args:
            scope: The request's scope.
            receive: The ASGI ``receive`` callable (the body is read, and kept, when ``body`` is logged).
        """
        request: Request[Any, Any, Any] = Request(scope, receive)
        values = {"message": self.request_log_message, **await self._request_values(request)}
        self.log_message(values)

    def log_response(self, scope: Scope) -> None:
        """Log the response's ``response_log_fields``, as the send wrapper recorded it.

        Args:
            scope: The request's scope.
        """
        self.log_message({"message": self.response_log_message, **self.extract_response_data(scope)})

    def log_message(self, values: dict[str, Any]) -> None:
        """Log one entry: ``values["message"]`` and the other values.

        Args:
            values: The message and the values logged.
        """
        values = dict(values)
        message = values.pop("message")
        if self.log_structured:
            self.logger.info(message, **values)
        else:
            shown = ", ".join(f"{key}={_as_text(value)}" for key, value in values.items())
            self.logger.info("%s: %s", message, shown)

    async def extract_request_data(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        """The request's ``request_log_fields``, obfuscated as configured.

        Args:
            request: The request.

        Returns:
            The values, by field name.
        """
        return await self._request_values(request)

    async def _request_values(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        scope = request.scope
        for name in self.request_log_fields:
            if name == "path":
                values[name] = scope.get("path", "")
            elif name == "method":
                values[name] = scope.get("method", "")
            elif name == "content_type":
                values[name] = request.content_type
            elif name == "headers":
                # The `Cookie` header is logged as the `cookies` field, obfuscated: never verbatim.
                shown = [(key, value) for key, value in request.headers.items() if key.lower() != "cookie"]
                values[name] = _obfuscated(shown, self.request_headers_to_obfuscate)
            elif name == "cookies":
                values[name] = _obfuscated(request.cookies.items(), self.request_cookies_to_obfuscate)
            elif name == "query":
                raw = scope.get("query_string", b"")
                values[name] = dict(request.query_params.items()) if self.parse_query else raw.decode("latin-1")
            elif name == "path_params":
                values[name] = dict(scope.get("path_params") or {})
            elif name == "body":
                values[name] = await self._request_body(request)
            elif name == "scheme":
                values[name] = scope.get("scheme", "http")
            else:  # "client": the names were checked when the middleware was created
                values[name] = scope.get("client")
        return values

    async def _request_body(self, request: Request[Any, Any, Any]) -> Any:
        body = await request.body()
        if self.parse_body:
            media_type = request.content_type[0]
            try:
                if media_type.endswith("json"):
                    return await request.json()
                if media_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                    # An uploaded file is logged by its `repr` (name, type), never its content.
                    form = (await request.form()).items()
                    return {name: repr(v) if isinstance(v, UploadFile) else v for name, v in form}
            except Exception:
                pass
        return body.decode("utf-8", "replace")

    def extract_response_data(self, scope: Scope) -> dict[str, Any]:
        """The response's ``response_log_fields``, as the send wrapper recorded them.

        Args:
            scope: The request's scope.

        Returns:
            The values, by field name.
        """
        recorded: dict[str, Any] = scope.get(_RESPONSE_KEY) or {}
        start: Message = recorded.get("start") or {"status": None, "headers": []}
        headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in start.get("headers", ())]
        values: dict[str, Any] = {}
        for name in self.response_log_fields:
            if name == "status_code":
                values[name] = start.get("status")
            elif name == "headers":
                shown = [(key, value) for key, value in headers if key.lower() != "set-cookie"]
                values[name] = _obfuscated(shown, self.response_headers_to_obfuscate)
            elif name == "cookies":
                values[name] = self._response_cookies(headers)
            else:  # "body"
                compressed = any(key.lower() == "content-encoding" for key, _ in headers)
                if compressed and not self.include_compressed_body:
                    continue
                body = b"".join(recorded.get("body", ()))
                values[name] = body if compressed else body.decode("utf-8", "replace")
        return values

    def _response_cookies(self, headers: list[tuple[str, str]]) -> dict[str, str]:
        cookies: dict[str, str] = {}
        for key, value in headers:
            if key.lower() != "set-cookie":
                continue
            parsed: SimpleCookie = SimpleCookie()
            parsed.load(value)  # a cookie it cannot read is left out, never an error
            for name, morsel in parsed.items():
                cookies[name] = _OBFUSCATED if name.lower() in self.response_cookies_to_obfuscate else morsel.value
        return cookies

    def create_send_wrapper(self, scope: Scope, send: Send) -> Send:
        """Wrap ``send`` to record the response's start message (and body, when logged) in the scope.

        Args:
            scope: The request's scope.
            send: The ASGI ``send`` callable.

        Returns:
            The wrapped ``send``.
        """
        recorded: dict[str, Any] = {"start": None, "body": []}
        scope[_RESPONSE_KEY] = recorded
        keep_body = "body" in self.response_log_fields

        async def logging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                recorded["start"] = message
            elif keep_body and message["type"] == "http.response.body":
                recorded["body"].append(message.get("body", b""))
            await send(message)

        return logging_send
