"""HTTP route handlers and their decorators: ``get``, ``post``, ``put``, ``patch``, ``delete``, ``head``, ``route``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from typing_extensions import Unpack

from outpour._options import Layer, LayerOptions
from outpour.enums import HttpMethod
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers._base import BaseRouteHandler

if TYPE_CHECKING:
    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.enums import MediaType
    from outpour.types import EmptyType

__all__ = ["HTTPRouteHandler", "HandlerOptions", "delete", "get", "head", "patch", "post", "put", "route"]

F = TypeVar("F", bound=Callable[..., Any])


class HandlerOptions(LayerOptions, total=False):
    """Options of route decorators: every layered option plus those of a single handler (``outpour._options``).

    ``cache``, ``cache_key_builder``, ``dto`` and ``return_dto`` are Litestar's; outpour does not implement them yet,
    so only their default is accepted (anything else raises ``ImproperlyConfiguredException``).
    """

    background: BackgroundTask[Any] | BackgroundTasks | None
    content_encoding: str | None
    content_media_type: str | None
    deprecated: bool | None
    description: str | None
    media_type: MediaType | str | None
    name: str | None
    operation_class: type[Any] | None
    operation_id: str | Callable[..., str] | None
    raises: Sequence[type[Exception]] | None
    response_description: str | None
    responses: Mapping[int, Any] | None
    status_code: int | None
    summary: str | None
    sync_to_thread: bool | None
    cache: Literal[False]
    cache_key_builder: None
    dto: EmptyType | None
    return_dto: EmptyType | None


def _methods(http_method: HttpMethod | str | Sequence[HttpMethod | str]) -> list[str]:
    raw = [http_method] if isinstance(http_method, str) else list(http_method)
    if not raw:
        raise ImproperlyConfiguredException("A route needs at least one HTTP method in `http_method`.")
    out: list[str] = []
    for method in raw:
        name = (method.value if isinstance(method, HttpMethod) else str(method)).upper()
        if name not in HttpMethod.__members__:
            raise ImproperlyConfiguredException(
                f"Unknown HTTP method `{method}`; use one of {', '.join(HttpMethod.__members__)}."
            )
        out.append(name)
    return list(dict.fromkeys(out))


class HTTPRouteHandler(BaseRouteHandler):
    """A handler of HTTP requests for one or more methods on one or more paths.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        fn: The handler function (also set by calling the handler as a decorator).
        http_method: The method(s) it answers.
        **options: Layered and handler options; see ``HandlerOptions``.
    """

    layer = Layer.HTTP_HANDLER

    if TYPE_CHECKING:
        status_code: int | None
        media_type: MediaType | str | None
        name: str | None
        background: BackgroundTask[Any] | BackgroundTasks | None
        sync_to_thread: bool | None

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        fn: Callable[..., Any] | None = None,
        http_method: HttpMethod | str | Sequence[HttpMethod | str],
        **options: Unpack[HandlerOptions],
    ) -> None:
        self.http_methods = _methods(http_method)
        super().__init__(path, fn=fn, **options)

    @property
    def http_method(self) -> set[str]:
        """The methods this handler answers."""
        return set(self.http_methods)

    @property
    def decorator_name(self) -> str:
        """``get``, ``post``, … for a handler of one method, else ``route``; for messages."""
        return self.http_methods[0].lower() if len(self.http_methods) == 1 else "route"

    def default_status_code(self) -> int:
        """The status code when none is set: 201 for POST, 204 for DELETE, 200 otherwise and for several methods."""
        if self.status_code is not None:
            return self.status_code
        if len(self.http_methods) == 1:
            return {"POST": 201, "DELETE": 204}.get(self.http_methods[0], 200)
        return 200


def get(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a GET handler (answers HEAD too).

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["GET"], options, handler_class)


def post(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a POST handler; its default status code is 201.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["POST"], options, handler_class)


def put(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a PUT handler.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["PUT"], options, handler_class)


def patch(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a PATCH handler.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["PATCH"], options, handler_class)


def delete(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a DELETE handler; its default status code is 204, which forbids a body.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["DELETE"], options, handler_class)


def head(
    path: str | Sequence[str] | None = None,
    *,
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare an explicit HEAD handler.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, ["HEAD"], options, handler_class)


def route(
    path: str | Sequence[str] | None = None,
    *,
    http_method: HttpMethod | str | Sequence[HttpMethod | str],
    handler_class: type[HTTPRouteHandler] = HTTPRouteHandler,
    **options: Unpack[HandlerOptions],
) -> HTTPRouteHandler:
    """Declare a handler for the given method(s); with several, the default status code is 200.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        http_method: The method(s).
        handler_class: The class of the handler, ``HTTPRouteHandler`` or a subclass.
        **options: Layered and handler options; see ``HandlerOptions``.

    Returns:
        The handler; call it with (decorate) the handler function.
    """
    return _make(path, http_method, options, handler_class)


def _make(
    path: Any, methods: Any, options: Mapping[str, Any], handler_class: type[HTTPRouteHandler]
) -> HTTPRouteHandler:
    if callable(path) and not isinstance(path, str):
        # Bare use: `@get` without parentheses.
        handler = handler_class(None, http_method=methods, **options)
        handler._set_fn(path, depth=2)
        return handler
    return handler_class(path, http_method=methods, **options)
