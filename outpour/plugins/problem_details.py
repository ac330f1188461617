"""Problem details (RFC 9457): errors answered as ``application/problem+json`` documents.

Register ``ProblemDetailsPlugin`` and raise ``ProblemDetailsException`` anywhere a request is served; the plugin
installs app-level exception handlers that answer with the problem document. ``ProblemDetailsConfig`` can also turn
every ``HTTPException`` (``enable_for_all_http_exceptions``) or any exception type (``exception_to_problem_detail_map``)
into one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from outpour.exceptions import HTTPException, ImproperlyConfiguredException
from outpour.plugins.base import InitPlugin
from outpour.response import Response

if TYPE_CHECKING:
    from outpour.config.app import AppConfig
    from outpour.connection import Request

__all__ = [
    "ExceptionToProblemDetailMapType",
    "ProblemDetailsConfig",
    "ProblemDetailsException",
    "ProblemDetailsExceptionHandlerType",
    "ProblemDetailsExceptionT",
    "ProblemDetailsPlugin",
]

ProblemDetailsExceptionT = TypeVar("ProblemDetailsExceptionT", bound="ProblemDetailsException")
ProblemDetailsExceptionHandlerType: TypeAlias = "Callable[[Request[Any, Any, Any], Any], Response[Any]]"
"""An exception handler answering a ``ProblemDetailsException``."""
ExceptionToProblemDetailMapType: TypeAlias = "Mapping[type[Exception], Callable[[Any], ProblemDetailsException]]"
"""Exception types, each with the function turning such an exception into a ``ProblemDetailsException``."""

PROBLEM_DETAILS_MEDIA_TYPE = "application/problem+json"
# RFC 9457 section 3.1.1: a problem without a `type` member has the type "about:blank".
_DEFAULT_TYPE = "about:blank"


class ProblemDetailsException(HTTPException):
    """An error answered with an RFC 9457 problem document (``application/problem+json``).

    Args:
        *args: Positional arguments; the first becomes ``detail`` when ``detail`` is not given.
        detail: The ``detail`` member: an explanation of this occurrence; defaults to the status phrase.
        status_code: The response's status and the ``status`` member; defaults to 500.
        headers: Headers to send with the response.
        extra: Further members: a mapping is merged into the document, any other value is sent as ``extra``.
        type_: The ``type`` member, a URI naming the kind of problem; ``"about:blank"`` when not given.
        title: The ``title`` member, a short summary of the kind of problem; left out when not given.
        instance: The ``instance`` member, a URI naming this occurrence; left out when not given.
    """

    def __init__(
        self,
        *args: Any,
        detail: str = "",
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | list[Any] | None = None,
        type_: str | None = None,
        title: str | None = None,
        instance: str | None = None,
    ) -> None:
        super().__init__(*args, detail=detail, status_code=status_code, headers=headers, extra=extra)
        self.type_ = type_
        self.title = title
        self.instance = instance

    def to_response(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        """Build the problem-details response.

        Args:
            request: The request being answered.

        Returns:
            A ``Response`` with the problem document, the exception's status code and headers.
        """
        document: dict[str, Any] = {"type": self.type_ or _DEFAULT_TYPE, "status": self.status_code}
        for member in ("title", "instance", "detail"):
            if (value := getattr(self, member)) is not None:
                document[member] = value
        if isinstance(self.extra, Mapping):
            document.update(self.extra)
        elif self.extra is not None:
            document["extra"] = self.extra
        return Response(
            document, headers=self.headers, media_type=PROBLEM_DETAILS_MEDIA_TYPE, status_code=self.status_code
        )


def _problem_details_exception_handler(request: Request[Any, Any, Any], exc: ProblemDetailsException) -> Response[Any]:
    """The default handler of ``ProblemDetailsException``: ``exc.to_response(request)``."""
    return exc.to_response(request)


def _http_exception_to_problem_details(exc: HTTPException) -> ProblemDetailsException:
    """Carry an ``HTTPException``'s status, detail, headers and extra over to a ``ProblemDetailsException``."""
    return ProblemDetailsException(status_code=exc.status_code, detail=exc.detail, extra=exc.extra, headers=exc.headers)


def _converting_handler(
    convert: Callable[[Any], ProblemDetailsException],
) -> Callable[[Request[Any, Any, Any], Exception], Response[Any]]:
    """An exception handler answering with the problem document of ``convert(exc)``."""

    def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        problem = convert(exc)
        if not isinstance(problem, ProblemDetailsException):
            raise TypeError(
                f"The problem-details converter `{getattr(convert, '__qualname__', convert)!r}` returned "
                f"`{problem!r}` for `{type(exc).__name__}`; it must return a `ProblemDetailsException`."
            )
        return problem.to_response(request)

    return handle


@dataclass
class ProblemDetailsConfig:
    """The configuration of ``ProblemDetailsPlugin``.

    Attributes:
        exception_handler: The handler of ``ProblemDetailsException`` (by default, its ``to_response``).
        enable_for_all_http_exceptions: Answer every ``HTTPException`` (``NotFoundException``, validation errors,
            ...) with a problem document carrying its status, detail, headers and extra.
        exception_to_problem_detail_map: Exception types, each with a function turning such an exception into a
            ``ProblemDetailsException``; an entry for ``HTTPException`` or a subclass overrides the conversion of
            ``enable_for_all_http_exceptions``.
    """

    exception_handler: ProblemDetailsExceptionHandlerType = _problem_details_exception_handler
    enable_for_all_http_exceptions: bool = False
    exception_to_problem_detail_map: ExceptionToProblemDetailMapType = field(default_factory=dict)


class ProblemDetailsPlugin(InitPlugin):
    """Answer ``ProblemDetailsException`` (and the exceptions the config names) with RFC 9457 problem documents.

    Args:
        config: The configuration; ``ProblemDetailsConfig()`` when not given.
    """

    __slots__ = ("config",)

    def __init__(self, config: ProblemDetailsConfig | None = None) -> None:
        self.config = config or ProblemDetailsConfig()

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Add the exception handlers to the app's.

        Args:
            app_config: The app's configuration.

        Returns:
            ``app_config``, with the handlers added to its ``exception_handlers``.

        Raises:
            ImproperlyConfiguredException: A key of ``exception_to_problem_detail_map`` is not an exception class, or
                its value is not callable.
        """
        handlers: dict[Any, Any] = {ProblemDetailsException: self.config.exception_handler}
        if self.config.enable_for_all_http_exceptions:
            handlers[HTTPException] = _converting_handler(_http_exception_to_problem_details)
        for exc_type, convert in self.config.exception_to_problem_detail_map.items():
            if not (isinstance(exc_type, type) and issubclass(exc_type, Exception)) or not callable(convert):
                raise ImproperlyConfiguredException(
                    f"`exception_to_problem_detail_map` of `ProblemDetailsConfig` maps `{exc_type!r}` to "
                    f"`{convert!r}`; each key must be an exception class and each value a function taking such an "
                    "exception and returning a `ProblemDetailsException`."
                )
            handlers[exc_type] = _converting_handler(convert)
        app_config.exception_handlers = {**app_config.exception_handlers, **handlers}
        return app_config
