"""WebSocket streams: send what an async generator yields, until it ends or the client disconnects.

``websocket_stream`` declares a handler whose function is the generator; ``send_websocket_stream`` sends any
generator over a socket a handler holds (to stream and receive at once).
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

import anyio
from typing_extensions import Unpack

from outpour.exceptions import OutpourWarning, WebSocketDisconnect
from outpour.handlers.websocket_handlers.listener import _check_mode
from outpour.handlers.websocket_handlers.route_handler import WebsocketOptions, WebsocketRouteHandler
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.connection.websocket import WebSocket
    from outpour.types import AnyCallable, EmptyType, ExceptionHandlersMap, Guard, Middleware, TypeEncodersMap
    from outpour.types.asgi_types import WebSocketMode

__all__ = ["WebsocketStreamRouteHandler", "send_websocket_stream", "websocket_stream"]


async def send_websocket_stream(
    socket: WebSocket[Any, Any, Any],
    stream: AsyncGenerator[Any, Any],
    *,
    close: bool = True,
    mode: WebSocketMode = "text",
    send_handler: Callable[[WebSocket[Any, Any, Any], Any], Awaitable[Any]] | None = None,
    listen_for_disconnect: bool = False,
    warn_on_data_discard: bool = True,
) -> None:
    """Send each value ``stream`` yields over ``socket``, until the stream ends or the client disconnects.

    ``str`` and ``bytes`` are sent as they are, other values as JSON (with the route's ``type_encoders``). The
    generator is closed however the stream ends, so its ``finally`` blocks run.

    Args:
        socket: The connection; it is accepted first if needed.
        stream: The values to send.
        close: Close the connection (code 1000) once the stream ends.
        mode: Send ``text`` or ``binary`` messages.
        send_handler: Awaited with the socket and each value to send it, instead of the default.
        listen_for_disconnect: Receive in the background, to stop as soon as the client disconnects even while the
            generator waits. Do not receive from the socket elsewhere then: messages received here are discarded.
        warn_on_data_discard: Warn (``OutpourWarning``) when a message received while listening is discarded.
    """
    if socket.connection_state == "init":
        await socket.accept()
    send = send_handler or _default_sender(mode)
    disconnected = False
    async with anyio.create_task_group() as task_group:
        if listen_for_disconnect:

            async def listen() -> None:
                nonlocal disconnected
                try:
                    while True:
                        message = await socket.receive()
                        if message["type"] == "websocket.disconnect":
                            break
                        if warn_on_data_discard:
                            warnings.warn(
                                "A message received while a WebSocket stream listens for the client's disconnect was "
                                "discarded. Receive with `send_websocket_stream(..., listen_for_disconnect=False)`, "
                                "or pass `warn_on_data_discard=False` to drop messages silently.",
                                OutpourWarning,
                                stacklevel=1,
                            )
                except WebSocketDisconnect:  # pragma: no cover - a failed send closed the socket meanwhile
                    pass
                disconnected = True
                task_group.cancel_scope.cancel()

            task_group.start_soon(listen)
        try:
            async with aclosing(stream):
                async for value in stream:
                    await send(socket, value)
        except WebSocketDisconnect:
            disconnected = True
        task_group.cancel_scope.cancel()
    if close and not disconnected:
        await socket.close()


def _default_sender(mode: WebSocketMode) -> Callable[[WebSocket[Any, Any, Any], Any], Awaitable[None]]:
    async def send_value(socket: WebSocket[Any, Any, Any], value: Any) -> None:
        if isinstance(value, (str, bytes)):
            await socket.send_data(value, mode)
        else:
            await socket.send_json(value, mode)

    return send_value


class WebsocketStreamRouteHandler(WebsocketRouteHandler):
    """A WebSocket handler whose function is an async generator: each value it yields is sent to the client.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        fn: The generator function; it may take ``socket``, parameters and dependencies.
        mode: Send ``text`` or ``binary`` messages.
        listen_for_disconnect: Stop the generator as soon as the client disconnects.
        warn_on_data_discard: Warn when a message received while listening is discarded.
        **options: The handler's options; see ``WebsocketOptions``.
    """

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        fn: AnyCallable | None = None,
        mode: WebSocketMode = "text",
        listen_for_disconnect: bool = True,
        warn_on_data_discard: bool = True,
        **options: Unpack[WebsocketOptions],
    ) -> None:
        self.mode: WebSocketMode = _check_mode("mode", mode)
        self.listen_for_disconnect = listen_for_disconnect
        self.warn_on_data_discard = warn_on_data_discard
        super().__init__(path, fn=fn, **options)

    @property
    def decorator_name(self) -> str:
        """``websocket_stream``, for messages."""
        return "websocket_stream"


def websocket_stream(
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
    mode: WebSocketMode = "text",
    return_dto: EmptyType | None = Empty,
    type_encoders: TypeEncodersMap | None = None,
    listen_for_disconnect: bool = True,
    warn_on_data_discard: bool = True,
    **kwargs: Any,
) -> WebsocketStreamRouteHandler:
    """Declare a WebSocket stream: an async generator function whose values are sent until it ends or the client leaves.

    Args:
        path: A path or a list of paths.
        dependencies: Dependencies, by name; they live as long as the stream.
        exception_handlers: Kept for Litestar's signature: WebSocket errors close the connection (see the guide).
        guards: Called with the socket and the handler before the connection is accepted; they raise to refuse it.
        middleware: Middleware wrapping the handler.
        name: A unique name for reverse routing.
        opt: Arbitrary values guards and middleware may read.
        signature_namespace: Names used to resolve the generator's annotations.
        websocket_class: The ``WebSocket`` class of the connections.
        mode: Send ``text`` or ``binary`` messages.
        return_dto: Not supported yet: leave it out.
        type_encoders: Encoders of types msgspec cannot serialize, for the yielded values.
        listen_for_disconnect: Stop the generator as soon as the client disconnects.
        warn_on_data_discard: Warn when a message received while listening is discarded.
        **kwargs: Any other keyword goes into ``opt``.

    Returns:
        The handler; call it with (decorate) the generator function.
    """
    options: dict[str, Any] = {
        "dependencies": dependencies,
        "exception_handlers": exception_handlers,
        "guards": guards,
        "middleware": middleware,
        "name": name,
        "opt": opt,
        "return_dto": return_dto,
        "signature_namespace": signature_namespace,
        "type_encoders": type_encoders,
        "websocket_class": websocket_class,
        **kwargs,
    }
    return WebsocketStreamRouteHandler(
        path,
        mode=mode,
        listen_for_disconnect=listen_for_disconnect,
        warn_on_data_discard=warn_on_data_discard,
        **options,
    )
