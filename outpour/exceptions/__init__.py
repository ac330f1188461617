"""The whole exception tree of outpour, in one module (``outpour.exceptions.responses`` turns one into a response).

``LitestarException``, ``LitestarWarning`` and ``LitestarDeprecationWarning`` are the Litestar names of
``OutpourException``, ``OutpourWarning`` and ``OutpourDeprecationWarning``: ``except LitestarException`` catches every
exception outpour raises.

::

    OutpourException                                   also named LitestarException
    ├── MissingDependencyException (ImportError)       an optional extra is not installed
    ├── SerializationException                         a value could not be encoded or decoded
    ├── DTOFactoryException                            a DTO could not be built
    │   └── InvalidAnnotationException                 ... because of an annotation it cannot handle
    ├── WebSocketException                             closes a WebSocket with its ``code`` (4500 by default)
    │   └── WebSocketDisconnect                        the client closed the WebSocket (``code`` is the client's)
    └── HTTPException                                  answered with its status code and a JSON body
        ├── ClientException (400)
        │   ├── ValidationException (400)
        │   ├── NotAuthorizedException (401)
        │   ├── PermissionDeniedException (403)
        │   ├── NotFoundException (404)
        │   ├── MethodNotAllowedException (405)
        │   ├── RequestEntityTooLarge (413)
        │   ├── UnsupportedMediaTypeException (415)
        │   └── TooManyRequestsException (429)
        ├── InternalServerException (500)
        │   ├── ImproperlyConfiguredException (ValueError)  a configuration mistake, raised at app creation
        │   │   └── InvalidHeaderException (400)            a header value that does not parse; also a
        │   │                                               ValidationException, so a request's is a 400
        │   ├── NoRouteMatchFoundException                 ``route_reverse`` found no route of that name
        │   ├── ServiceUnavailableException (503)
        │   └── TemplateNotFoundException

    OutpourWarning (UserWarning)                       also named LitestarWarning
    OutpourDeprecationWarning (DeprecationWarning)     also named LitestarDeprecationWarning
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from outpour.types.empty import Empty, EmptyType

__all__ = [
    "ClientException",
    "DTOFactoryException",
    "HTTPException",
    "ImproperlyConfiguredException",
    "InternalServerException",
    "InvalidAnnotationException",
    "InvalidHeaderException",
    "LitestarDeprecationWarning",
    "LitestarException",
    "LitestarWarning",
    "MalformedBodyException",
    "MethodNotAllowedException",
    "MissingDependencyException",
    "NoRouteMatchFoundException",
    "NotAuthorizedException",
    "NotFoundException",
    "OutpourDeprecationWarning",
    "OutpourException",
    "OutpourWarning",
    "PermissionDeniedException",
    "RequestEntityTooLarge",
    "SerializationException",
    "ServiceUnavailableException",
    "TemplateNotFoundException",
    "TooManyRequestsException",
    "UnsupportedMediaTypeException",
    "ValidationException",
    "WebSocketDisconnect",
    "WebSocketException",
]


class OutpourException(Exception):
    """Base of every exception outpour raises.

    Args:
        *args: Positional arguments; the first string one becomes ``detail`` when ``detail`` is not given.
        detail: A message for humans.
    """

    def __init__(self, *args: Any, detail: str = "") -> None:
        str_args = [str(arg) for arg in args if arg]
        if not detail:
            # As in Litestar, a subclass may give a default `detail` as a class attribute.
            detail = str_args.pop(0) if str_args else getattr(type(self), "detail", "")
        self.detail = detail
        super().__init__(*str_args)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__} - {self.detail}" if self.detail else self.__class__.__name__

    def __str__(self) -> str:
        return " ".join((*self.args, self.detail)).strip()


class OutpourWarning(UserWarning):
    """A warning about a likely mistake in the app's configuration."""


class OutpourDeprecationWarning(DeprecationWarning):
    """A deprecated API was used; the message says when it goes away and what replaces it."""


LitestarException = OutpourException
"""Litestar's name of :class:`OutpourException`, the base of every exception outpour raises."""
LitestarWarning = OutpourWarning
"""Litestar's name of :class:`OutpourWarning`."""
LitestarDeprecationWarning = OutpourDeprecationWarning
"""Litestar's name of :class:`OutpourDeprecationWarning`."""


class MissingDependencyException(OutpourException, ImportError):
    """An optional dependency is missing; the message names the extra that installs it.

    Args:
        package: The importable name that is missing.
        install_package: The distribution to install, when it differs from ``package``.
        extra: The outpour extra that installs it.
    """

    def __init__(self, package: str, install_package: str | None = None, extra: str | None = None) -> None:
        extra = extra or package
        super().__init__(
            f"Package `{package}` is not installed but required. Install it with "
            f"`pip install 'outpour[{extra}]'` or `pip install {install_package or package}`."
        )


class SerializationException(OutpourException):
    """A value could not be encoded or decoded."""


class WebSocketException(OutpourException):
    """An error on a WebSocket: raised in a WebSocket handler, it closes the connection with ``code`` and ``detail``.

    Args:
        *args: Positional arguments; the first string one becomes ``detail`` when ``detail`` is not given.
        detail: The reason sent in the close frame.
        code: The close code (RFC 6455, section 7.4); 4500 by default, as in Litestar.
    """

    def __init__(self, *args: Any, detail: str = "", code: int = 4500) -> None:
        super().__init__(*args, detail=detail)
        self.code = code

    def __repr__(self) -> str:
        return f"{self.code} - {self.__class__.__name__} - {self.detail}"


class WebSocketDisconnect(WebSocketException):
    """The client closed the WebSocket, or it was closed already: ``code`` is the close code received.

    Args:
        *args: Positional arguments; the first string one becomes ``detail`` when ``detail`` is not given.
        detail: What happened.
        code: The close code the client sent (1000, a normal closure, by default).
    """

    def __init__(self, *args: Any, detail: str = "", code: int = 1000) -> None:
        super().__init__(*args, detail=detail, code=code)


class DTOFactoryException(OutpourException):
    """A DTO could not be built for a type."""


class InvalidAnnotationException(DTOFactoryException):
    """A DTO met an annotation it cannot handle; the message names the annotation and the field."""


class HTTPException(OutpourException):
    """An error answered with ``status_code`` and a JSON body of ``status_code``, ``detail`` and ``extra``.

    Args:
        *args: Positional arguments; the first becomes ``detail`` when ``detail`` is not given.
        detail: A message for the client; defaults to the status phrase.
        status_code: Overrides the class's status code.
        headers: Headers to send with the error response.
        extra: Structured details sent in the body's ``extra`` field; when not given, the class's ``extra`` (a
            subclass may set one), and an explicit ``None`` sends none.
    """

    status_code: int = 500
    extra: dict[str, Any] | list[Any] | None = None

    def __init__(
        self,
        *args: Any,
        detail: str = "",
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | list[Any] | EmptyType | None = Empty,
    ) -> None:
        if status_code is not None:
            self.status_code = status_code
        super().__init__(*args, detail=detail)
        if not self.detail:
            self.detail = HTTPStatus(self.status_code).phrase if self.status_code in _PHRASES else ""
        self.headers = headers
        if extra is not Empty:
            self.extra = extra

    def __str__(self) -> str:
        return " ".join((f"{self.status_code}: {self.detail}", *self.args)).strip()

    def __repr__(self) -> str:
        return f"{self.status_code} - {self.__class__.__name__} - {self.detail}"


_PHRASES = frozenset(s.value for s in HTTPStatus)


class ClientException(HTTPException):
    """A 4xx error caused by the request."""

    status_code = 400


class ValidationException(ClientException, ValueError):
    """The request's data or parameters failed validation (400)."""

    status_code = 400


class NotAuthorizedException(ClientException):
    """The request lacks valid authentication (401)."""

    status_code = 401


class PermissionDeniedException(ClientException):
    """The client may not access this resource (403)."""

    status_code = 403


class NotFoundException(ClientException, ValueError):
    """No such resource (404)."""

    status_code = 404


class MethodNotAllowedException(ClientException):
    """The path exists but not for this method (405); ``headers`` carries ``Allow``."""

    status_code = 405


class RequestEntityTooLarge(ClientException):
    """The request body is larger than ``request_max_body_size`` (413)."""

    status_code = 413


class UnsupportedMediaTypeException(ClientException):
    """The request body's content type cannot be decoded (415)."""

    status_code = 415


class TooManyRequestsException(ClientException):
    """Rate limited (429)."""

    status_code = 429


class InternalServerException(HTTPException):
    """A server-side error (500)."""

    status_code = 500


class ServiceUnavailableException(InternalServerException):
    """The service is unavailable (503)."""

    status_code = 503


class NoRouteMatchFoundException(InternalServerException):
    """``route_reverse`` found no route with that name and those parameters."""


class ImproperlyConfiguredException(HTTPException, ValueError):
    """A configuration mistake (500); raised when the app is created, saying what to do instead."""

    status_code = 500


class InvalidHeaderException(ValidationException, ImproperlyConfiguredException):
    """A header value that does not parse, such as ``CacheControlHeader.from_header("max-age=abc")`` (400).

    Parsing a request's header may raise it: it is a ``ValidationException``, so the client gets a 400 saying what
    was wrong. It is also an ``ImproperlyConfiguredException``, what Litestar's ``from_header`` raises, so that code
    catching that (or parsing a value written in the code) keeps working.
    """

    status_code = 400


class MalformedBodyException(ClientException, SerializationException):
    """A request body that does not decode, from ``Request.json()`` or ``Request.msgpack()`` (400).

    The client sent it, so it is a ``ClientException``: the client gets a 400 saying where the body went wrong. It is
    also a ``SerializationException``, what Litestar's ``Request.json()`` raises, so that code catching that keeps
    working.
    """


class TemplateNotFoundException(InternalServerException):
    """A template could not be found.

    Args:
        *args: Passed to the base class.
        template_name: The name that was looked up.
    """

    def __init__(self, *args: Any, template_name: str) -> None:
        super().__init__(*args, detail=f"Template {template_name} not found.")
