"""WebSocket listeners: a function (``websocket_listener``) or class (``WebsocketListener``) called per message.

The listener receives each message already decoded as its ``data`` annotation asks (``str``, ``bytes``, or JSON into
any type outpour decodes), and what it returns is sent back (``str`` and ``bytes`` as they are, anything else as JSON).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, ClassVar

from typing_extensions import Unpack

from outpour.connection.websocket import WebSocket
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers.websocket_handlers.route_handler import WebsocketOptions, WebsocketRouteHandler
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.types import (
        AnyCallable,
        EmptyType,
        ExceptionHandlersMap,
        Guard,
        Middleware,
        TypeDecodersSequence,
        TypeEncodersMap,
    )
    from outpour.types.asgi_types import WebSocketMode

__all__ = ["WebsocketListener", "WebsocketListenerRouteHandler", "websocket_listener"]

_MODES = ("text", "binary")


def _check_mode(name: str, value: Any) -> Any:
    if value not in _MODES:
        raise ImproperlyConfiguredException(f"`{name}` takes `'text'` or `'binary'`, got `{value!r}`.")
    return value


class WebsocketListenerRouteHandler(WebsocketRouteHandler):
    """A WebSocket handler calling its function with each message received, and sending back what it returns.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        fn: The listener function: it takes ``data`` (the message) and optionally ``socket``, parameters and
            dependencies (resolved once per connection); sync or async.
        connection_accept_handler: Awaited with the socket to accept the connection (``WebSocket.accept`` by default).
        connection_lifespan: Called with the socket (and any dependencies it names) for an async context manager
            entered around the connection; a client's disconnect is raised inside it as ``WebSocketDisconnect``.
        receive_mode: Receive ``text`` or ``binary`` messages.
        send_mode: Send ``text`` or ``binary`` messages.
        on_accept: Called (sync or async) with the socket once the connection is accepted.
        on_disconnect: Called (sync or async) with the socket once the connection closed.
        **options: The handler's options; see ``WebsocketOptions``.

    Raises:
        ImproperlyConfiguredException: A mode is neither ``text`` nor ``binary``, or ``connection_lifespan`` is given
            with ``on_accept`` or ``on_disconnect``.
    """

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        fn: AnyCallable | None = None,
        connection_accept_handler: Callable[[WebSocket[Any, Any, Any]], Coroutine[Any, Any, None]] = WebSocket.accept,
        connection_lifespan: Callable[..., AbstractAsyncContextManager[Any]] | None = None,
        receive_mode: WebSocketMode = "text",
        send_mode: WebSocketMode = "text",
        on_accept: AnyCallable | None = None,
        on_disconnect: AnyCallable | None = None,
        **options: Unpack[WebsocketOptions],
    ) -> None:
        custom_accept = connection_accept_handler is not WebSocket.accept
        if connection_lifespan is not None and (on_accept is not None or on_disconnect is not None or custom_accept):
            raise ImproperlyConfiguredException(
                "A WebSocket listener takes `connection_lifespan` or `on_accept`/`on_disconnect`/"
                "`connection_accept_handler`, not both: the lifespan runs around the whole connection, so accept the "
                "connection and run the disconnect code in it, before and after its `yield`."
            )
        self.connection_accept_handler = connection_accept_handler
        self.connection_lifespan = connection_lifespan
        self.receive_mode: WebSocketMode = _check_mode("receive_mode", receive_mode)
        self.send_mode: WebSocketMode = _check_mode("send_mode", send_mode)
        self.on_accept = on_accept
        self.on_disconnect = on_disconnect
        super().__init__(path, fn=fn, **options)

    @property
    def decorator_name(self) -> str:
        """``websocket_listener``, for messages."""
        return "websocket_listener"


def websocket_listener(
    path: str | Sequence[str] | None = None,
    *,
    connection_accept_handler: Callable[[WebSocket[Any, Any, Any]], Coroutine[Any, Any, None]] = WebSocket.accept,
    connection_lifespan: Callable[..., AbstractAsyncContextManager[Any]] | None = None,
    dependencies: Mapping[str, Any] | None = None,
    dto: EmptyType | None = Empty,
    exception_handlers: ExceptionHandlersMap | None = None,
    guards: Sequence[Guard] | None = None,
    middleware: Sequence[Middleware] | None = None,
    receive_mode: WebSocketMode = "text",
    send_mode: WebSocketMode = "text",
    name: str | None = None,
    on_accept: AnyCallable | None = None,
    on_disconnect: AnyCallable | None = None,
    opt: Mapping[str, Any] | None = None,
    return_dto: EmptyType | None = Empty,
    signature_namespace: Mapping[str, Any] | None = None,
    type_decoders: TypeDecodersSequence | None = None,
    type_encoders: TypeEncodersMap | None = None,
    websocket_class: type[WebSocket[Any, Any, Any]] | None = None,
    **kwargs: Any,
) -> WebsocketListenerRouteHandler:
    """Declare a WebSocket listener: a function called with each message as ``data``, whose result is sent back.

    Args:
        path: A path or a list of paths.
        connection_accept_handler: Awaited with the socket to accept the connection.
        connection_lifespan: An async context manager factory entered around the connection.
        dependencies: Dependencies, by name; resolved once per connection.
        dto: Not supported yet: leave it out.
        exception_handlers: Kept for Litestar's signature: WebSocket errors close the connection (see the guide).
        guards: Called with the socket and the handler before the connection is accepted; they raise to refuse it.
        middleware: Middleware wrapping the handler.
        receive_mode: Receive ``text`` or ``binary`` messages.
        send_mode: Send ``text`` or ``binary`` messages.
        name: A unique name for reverse routing.
        on_accept: Called with the socket once the connection is accepted.
        on_disconnect: Called with the socket once the connection closed.
        opt: Arbitrary values guards and middleware may read.
        return_dto: Not supported yet: leave it out.
        signature_namespace: Names used to resolve the listener's annotations.
        type_decoders: Decoders of types msgspec cannot build, for ``data``.
        type_encoders: Encoders of types msgspec cannot serialize, for returned values.
        websocket_class: The ``WebSocket`` class of the connections.
        **kwargs: Any other keyword goes into ``opt``.

    Returns:
        The handler; call it with (decorate) the function.
    """
    options: dict[str, Any] = {
        "dependencies": dependencies,
        "dto": dto,
        "exception_handlers": exception_handlers,
        "guards": guards,
        "middleware": middleware,
        "name": name,
        "opt": opt,
        "return_dto": return_dto,
        "signature_namespace": signature_namespace,
        "type_decoders": type_decoders,
        "type_encoders": type_encoders,
        "websocket_class": websocket_class,
        **kwargs,
    }
    return WebsocketListenerRouteHandler(
        path,
        connection_accept_handler=connection_accept_handler,
        connection_lifespan=connection_lifespan,
        receive_mode=receive_mode,
        send_mode=send_mode,
        on_accept=on_accept,
        on_disconnect=on_disconnect,
        **options,
    )


class WebsocketListener(ABC):
    """A class-based WebSocket listener: subclass it, set ``path`` and implement ``on_receive``.

    ``on_receive`` is the listener function (it takes ``data`` and may take ``socket``, parameters and dependencies);
    ``on_accept`` and ``on_disconnect``, when overridden, are called with the socket. The class attributes are the
    options of ``websocket_listener``. Register the class itself; the app creates one instance per registration.
    """

    path: ClassVar[str | list[str] | None] = None
    connection_accept_handler: ClassVar[Callable[..., Coroutine[Any, Any, None]]] = WebSocket.accept
    dependencies: ClassVar[Mapping[str, Any] | None] = None
    dto: ClassVar[EmptyType | None] = Empty
    exception_handlers: ClassVar[ExceptionHandlersMap | None] = None
    guards: ClassVar[Sequence[Guard] | None] = None
    middleware: ClassVar[Sequence[Middleware] | None] = None
    receive_mode: ClassVar[WebSocketMode] = "text"
    send_mode: ClassVar[WebSocketMode] = "text"
    name: ClassVar[str | None] = None
    opt: ClassVar[Mapping[str, Any] | None] = None
    return_dto: ClassVar[EmptyType | None] = Empty
    signature_namespace: ClassVar[Mapping[str, Any] | None] = None
    type_decoders: ClassVar[TypeDecodersSequence | None] = None
    type_encoders: ClassVar[TypeEncodersMap | None] = None
    websocket_class: ClassVar[type[WebSocket[Any, Any, Any]] | None] = None

    def on_accept(self, socket: WebSocket[Any, Any, Any]) -> Any:  # noqa: B027 - optional hook, empty by default
        """Called once the connection is accepted; override it (sync or async) to act then.

        Args:
            socket: The connection.
        """

    def on_disconnect(self, socket: WebSocket[Any, Any, Any]) -> Any:  # noqa: B027 - optional hook, empty by default
        """Called once the connection closed; override it (sync or async) to act then.

        Args:
            socket: The connection.
        """

    @abstractmethod
    def on_receive(self, *args: Any, **kwargs: Any) -> Any:
        """Called with each message as ``data``; what it returns is sent back (``None``: nothing is sent).

        Args:
            *args: Unused: parameters are passed by name.
            **kwargs: ``data``, and whatever else the override declares (``socket``, parameters, dependencies).
        """

    def to_handler(self) -> WebsocketListenerRouteHandler:
        """Return the route handler serving this listener (what the app registers).

        Returns:
            The handler, with the class attributes as its options.
        """
        cls = type(self)
        overrides = {
            name: getattr(self, name)
            for name in ("on_accept", "on_disconnect")
            if getattr(cls, name) is not getattr(WebsocketListener, name)
        }
        handler = websocket_listener(
            cls.path,
            connection_accept_handler=cls.connection_accept_handler,
            dependencies=cls.dependencies,
            dto=cls.dto,
            exception_handlers=cls.exception_handlers,
            guards=cls.guards,
            middleware=cls.middleware,
            receive_mode=cls.receive_mode,
            send_mode=cls.send_mode,
            name=cls.name,
            opt=cls.opt,
            return_dto=cls.return_dto,
            signature_namespace=cls.signature_namespace,
            type_decoders=cls.type_decoders,
            type_encoders=cls.type_encoders,
            websocket_class=cls.websocket_class,
            **overrides,
        )
        return handler(self.on_receive)
