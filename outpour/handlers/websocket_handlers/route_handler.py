"""``WebsocketRouteHandler`` and ``@websocket``: a coroutine that serves a WebSocket connection through ``socket``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from typing_extensions import Unpack

from outpour._options import Layer
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers._base import BaseRouteHandler, _deprecated
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.connection.websocket import WebSocket
    from outpour.types import (
        AnyCallable,
        EmptyType,
        ExceptionHandlersMap,
        Guard,
        Middleware,
        TypeDecodersSequence,
        TypeEncodersMap,
    )

__all__ = ["WebsocketOptions", "WebsocketRouteHandler", "websocket"]


class WebsocketOptions(TypedDict, total=False):
    """The options of WebSocket handlers (``outpour._options``); any other keyword goes into ``opt``.

    ``dto`` and ``return_dto`` are Litestar's; outpour implements DTOs on HTTP handlers only, so only their default is
    accepted here.
    """

    dependencies: Mapping[str, Any] | None
    exception_handlers: ExceptionHandlersMap | None
    guards: Sequence[Guard] | None
    middleware: Sequence[Middleware] | None
    name: str | None
    opt: Mapping[str, Any] | None
    signature_namespace: Mapping[str, Any] | None
    type_decoders: TypeDecodersSequence | None
    type_encoders: TypeEncodersMap | None
    websocket_class: type[WebSocket[Any, Any, Any]] | None
    dto: EmptyType | None
    return_dto: EmptyType | None


class WebsocketRouteHandler(BaseRouteHandler):
    """A handler of WebSocket connections: an ``async`` function taking ``socket`` and returning ``None``.

    It accepts, receives, sends and closes through ``socket`` itself; it may also take path, query, header and cookie
    parameters and dependencies, resolved once per connection. When it returns without closing, the connection is
    closed with code 1000.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        fn: The handler function (also set by calling the handler as a decorator).
        **options: The handler's options; see ``WebsocketOptions``.
    """

    layer = Layer.WEBSOCKET_HANDLER
    websocket_class: type[WebSocket[Any, Any, Any]] | None
    """As given; once an app registered the handler, the class of its connections (the closest layer's)."""

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        fn: AnyCallable | None = None,
        **options: Unpack[WebsocketOptions],
    ) -> None:
        for option in ("dto", "return_dto"):
            value = options.get(option, Empty)
            if value is not Empty and value is not None:
                raise ImproperlyConfiguredException(
                    f"Remove `{option}={value!r}` from `@websocket({path!r})`: outpour does not implement DTOs on "
                    "WebSocket handlers yet (only on HTTP handlers). Annotate `data` and the return type with the "
                    "msgspec Struct, dataclass or TypedDict the client sends and receives."
                )
        super().__init__(path, fn=fn, **options)

    @property
    def decorator_name(self) -> str:
        """``websocket``, for messages."""
        return "websocket"

    def resolve_websocket_class(self) -> type[WebSocket[Any, Any, Any]] | None:
        """Deprecated: read ``websocket_class``, which holds it once an app registered the handler.

        Returns:
            The handler's ``websocket_class``: the closest layer's once an app registered the handler, else the
            handler's own (``None`` when not given).
        """
        _deprecated("resolve_websocket_class", "websocket_class")
        return self.websocket_class


def websocket(
    path: str | Sequence[str] | None = None,
    *,
    dependencies: Mapping[str, Any] | None = None,
    exception_handlers: ExceptionHandlersMap | None = None,
    guards: Sequence[Guard] | None = None,
    middleware: Sequence[Middleware] | None = None,
    name: str | None = None,
    opt: Mapping[str, Any] | None = None,
    signature_namespace: Mapping[str, Any] | None = None,
    websocket_class: type[WebSocket[Any, Any, Any]] | None = None,
    handler_class: type[WebsocketRouteHandler] = WebsocketRouteHandler,
    **kwargs: Any,
) -> WebsocketRouteHandler:
    """Declare a WebSocket handler: an ``async`` function taking ``socket`` and returning ``None``.

    Args:
        path: A path or a list of paths.
        dependencies: Dependencies, by the name the handler takes them as.
        exception_handlers: Kept for Litestar's signature: WebSocket errors close the connection (see the guide).
        guards: Called with the socket and the handler before the handler; they raise to refuse the connection.
        middleware: Middleware wrapping the handler.
        name: A unique name for reverse routing.
        opt: Arbitrary values guards and middleware may read.
        signature_namespace: Names used to resolve the handler's annotations.
        websocket_class: The ``WebSocket`` class of the connections.
        handler_class: The class of the handler, ``WebsocketRouteHandler`` or a subclass.
        **kwargs: Other options (``type_decoders``, ...); any other keyword goes into ``opt``.

    Returns:
        The handler; call it with (decorate) the function.
    """
    options: dict[str, Any] = {
        "dependencies": dependencies,
        "exception_handlers": exception_handlers,
        "guards": guards,
        "middleware": middleware,
        "name": name,
        "opt": opt,
        "signature_namespace": signature_namespace,
        "websocket_class": websocket_class,
        **kwargs,
    }
    return handler_class(path, **options)
