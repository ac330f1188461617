"""WebSocket plans: each WebSocket handler compiled once at start-up into the coroutine serving its connections.

A connection runs: the route's guards, its parameters and dependencies (once per connection), then the handler's
kind: a ``@websocket`` function is called with the socket; a listener accepts, then decodes each message as its
``data`` annotation asks, calls the function and sends back what it returns; a stream sends what its generator
yields. Errors close the connection as Litestar does (``close_for_exception``): a ``WebSocketException`` with its
code, an ``HTTPException`` with ``4000 + status_code`` (a guard's 403 is 4403), anything else with 1011 after logging
it. A handler returning with the connection still open closes it with 1000.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, AnyStr

import msgspec

from outpour._dependencies import cleanup, is_async_callable, maybe_await
from outpour._errors import post_mortem
from outpour._extractors import Extractors
from outpour._layers import resolve_layered
from outpour._signature import RESERVED, get_hints
from outpour.connection.websocket import (
    CLOSE_INTERNAL_ERROR,
    CLOSE_INVALID_PAYLOAD,
    WebSocket,
)
from outpour.exceptions import (
    HTTPException,
    ImproperlyConfiguredException,
    WebSocketDisconnect,
    WebSocketException,
)
from outpour.handlers.websocket_handlers import WebsocketListenerRouteHandler, WebsocketRouteHandler
from outpour.handlers.websocket_handlers.stream import WebsocketStreamRouteHandler, send_websocket_stream
from outpour.serialization import encode_json, get_json_decoder, get_serializer, malformed_reason
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour._route_settings import RouteSettings
    from outpour._routing import PathTemplate
    from outpour.app import Outpour
    from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["close_for_exception", "compile_websocket_handler"]

logger = logging.getLogger("outpour")

_MAX_REASON = 123
"""The most bytes of UTF-8 a close reason may have (RFC 6455, section 5.5: a control frame carries 125 bytes)."""
_NOT_FOR_WEBSOCKETS = {
    "request": "take `socket` (the `WebSocket`) instead",
    "body": "receive messages from `socket` instead",
}


def _reason(text: str) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= _MAX_REASON:
        return text
    return encoded[: _MAX_REASON - 3].decode("utf-8", "ignore") + "..."


def close_code(exc: BaseException) -> tuple[int, str]:
    """The close code and reason answering ``exc`` on a WebSocket, as Litestar closes them.

    Args:
        exc: What the handler, a guard, a dependency or the routing raised.

    Returns:
        ``exc.code`` for a ``WebSocketException``, ``4000 + status_code`` for an ``HTTPException`` (a failed guard's
        403 is 4403, an unknown path 4404), otherwise 1011 (internal error).
    """
    if isinstance(exc, WebSocketException):
        return exc.code, _reason(exc.detail)
    if isinstance(exc, HTTPException):
        return 4000 + exc.status_code, _reason(exc.detail)
    return CLOSE_INTERNAL_ERROR, "Internal Server Error"


async def close_for_exception(exc: Exception, scope: Scope, send: Send, owner: Outpour) -> None:
    """Close a WebSocket after ``exc``, logging what is not the client's fault and running ``after_exception`` hooks.

    Args:
        exc: The exception.
        scope: The connection's scope.
        send: The ASGI ``send`` of the connection (a ``WebSocket``'s, which drops a second close, or the server's).
        owner: The app, whose ``debug`` and ``after_exception`` hooks apply.
    """
    if isinstance(exc, WebSocketDisconnect):  # the client left: nothing failed, nothing to close
        return
    post_mortem(exc, owner)
    code, reason = close_code(exc)
    if code == CLOSE_INTERNAL_ERROR:
        logger.error("Uncaught exception serving the WebSocket %s", scope.get("path"), exc_info=exc)
        if owner.debug:
            reason = _reason(f"{type(exc).__name__}: {exc}")
    try:
        await send({"type": "websocket.close", "code": code, "reason": reason})
    except Exception:  # the connection is already gone: nothing more to tell the client
        logger.debug("Closing the WebSocket %s after an error failed", scope.get("path"), exc_info=True)
    if owner.after_exception:
        await owner.run_after_exception(exc, scope)


class WebSocketPlan:
    """The compiled plan of one WebSocket handler on one path template.

    Args:
        app: The app.
        handler: The app's copy of the handler, its settings taken.
        settings: The handler's resolved layered options.
        template: The path template.
        layers: The app, routers and controller above the handler, outermost first.

    Raises:
        ImproperlyConfiguredException: The handler breaks a rule of its kind (see ``_check``), or ``websocket_class``
            is not a ``WebSocket`` subclass.
    """

    def __init__(
        self,
        app: Outpour,
        handler: WebsocketRouteHandler,
        settings: RouteSettings,
        template: PathTemplate,
        layers: list[Any],
    ) -> None:
        self.app = app
        self.handler = handler
        label = f"WebSocket handler `{handler.handler_name}` ({handler.paths[0]})"
        self.label = label
        fn = handler.fn
        if fn is None:
            raise ImproperlyConfiguredException(f"{label} has no function: decorate one with it.")
        self.fn: Callable[..., Any] = fn
        socket_class = resolve_layered([*layers, handler], "websocket_class") or WebSocket
        if not (isinstance(socket_class, type) and issubclass(socket_class, WebSocket)):
            raise ImproperlyConfiguredException(
                f"`websocket_class` of {label} is `{socket_class!r}`; give a subclass of `outpour.WebSocket`."
            )
        handler.websocket_class = socket_class
        self.socket_class: type[WebSocket[Any, Any, Any]] = socket_class
        self.guards = settings.guards
        self.type_decoders = settings.type_decoders
        hints = get_hints(fn, handler._localns, settings.signature_namespace, label)
        self.hooks: dict[str, _Hook] = {}
        """A listener's ``on_accept``, ``on_disconnect`` and ``connection_lifespan``, by option name."""
        self.own_names: frozenset[str] | None = None
        """The names the listener function takes, where hooks take others too (resolved with them per connection)."""
        if isinstance(handler, WebsocketListenerRouteHandler):
            self.extractors = self._listener_extractors(handler, settings, template, hints)
        else:
            self.extractors = Extractors.of_route(app, handler, settings, template, hints, label)
        fields = self.extractors.fields
        for field in fields:
            if field.source == "special" and field.key in _NOT_FOR_WEBSOCKETS:
                raise ImproperlyConfiguredException(
                    f"{label} takes `{field.name}`, which WebSocket handlers do not have: "
                    f"{_NOT_FOR_WEBSOCKETS[field.key]}."
                )
        self.data_field = next((f for f in fields if f.source == "data"), None)  # the handler's own, not a provider's
        self.extractors.fields = [f for f in fields if f.source != "data"]
        _refuse_layered_dtos(settings, self.data_field, hints.get("return"), label)
        self.is_async = is_async_callable(fn)
        self.run: Callable[[WebSocket[Any, Any, Any], dict[str, Any], list[Any]], Any] = self._check(hints)

    # -- start-up ---------------------------------------------------------------------------------------------------

    def _listener_extractors(
        self,
        handler: WebsocketListenerRouteHandler,
        settings: RouteSettings,
        template: PathTemplate,
        hints: dict[str, Any],
    ) -> Extractors:
        """The parameters of a listener and of its hooks, resolved together once per connection.

        ``on_accept``, ``on_disconnect`` and ``connection_lifespan`` may take what the listener function may (path,
        query, header and cookie parameters, dependencies, ``socket``, ``state``, ...), by name; a hook with one
        parameter that names nothing of these receives the socket.
        """
        fn = self.fn
        known = {
            *RESERVED,
            *(p.name for p in template.params),
            *settings.dependencies,
            *settings.parameters,
        }
        parameters = _keyword_parameters(fn)
        names = {p.name for p in parameters}
        own_names = frozenset(names)
        merged_hints = dict(hints)
        for option in ("on_accept", "on_disconnect", "connection_lifespan"):
            hook = getattr(handler, option)
            if hook is None:
                continue
            hook_label = f"`{option}` of {self.label}"
            hook_parameters = _keyword_parameters(hook)
            if len(hook_parameters) == 1 and hook_parameters[0].name not in known:
                self.hooks[option] = _Hook(hook, None, socket_only=True)
                continue
            takes_all = _takes_var_keyword(hook)
            hook_hints = get_hints(hook, handler._localns, settings.signature_namespace, hook_label)
            for parameter in hook_parameters:
                if parameter.name not in names:
                    names.add(parameter.name)
                    parameters.append(parameter)
                    merged_hints[parameter.name] = hook_hints.get(parameter.name, Any)
            hook_names = None if takes_all else tuple(p.name for p in hook_parameters)
            self.hooks[option] = _Hook(hook, hook_names, socket_only=False)
        if names != own_names:
            self.own_names = own_names

        def listener_and_hooks(**kwargs: Any) -> None:  # pragma: no cover - a signature only, never called
            """What the listener function and its hooks take together."""

        listener_and_hooks.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        return Extractors(
            self.app,
            listener_and_hooks,
            merged_hints,
            path_params={p.name: p for p in template.params},
            providers=settings.dependencies,
            layered_parameters=settings.parameters,
            signature_namespace={**handler._localns, **settings.signature_namespace},
            type_decoders=settings.type_decoders,
            label=self.label,
        )

    def _check(self, hints: dict[str, Any]) -> Callable[[WebSocket[Any, Any, Any], dict[str, Any], list[Any]], Any]:
        """Check the handler against the rules of its kind; return the coroutine serving one of its connections."""
        handler, label = self.handler, self.label
        if isinstance(handler, WebsocketListenerRouteHandler):
            return self._check_listener(handler, hints)
        if self.data_field is not None:
            raise ImproperlyConfiguredException(
                f"{label} takes `data`, but a `@{handler.decorator_name}` handler receives its messages from "
                "`socket`. Remove `data`, or declare the handler with `@websocket_listener`."
            )
        if isinstance(handler, WebsocketStreamRouteHandler):
            if not inspect.isasyncgenfunction(self.fn):
                raise ImproperlyConfiguredException(
                    f"{label} is not an async generator function: a `@websocket_stream` handler `yield`s the "
                    "values to send (`async def ...: yield value`)."
                )
            return self._serve_stream
        if not self.is_async:
            raise ImproperlyConfiguredException(f"{label} is not an `async def` function: WebSocket handlers must be.")
        if not any(f.source == "special" and f.key == "socket" for f in self.extractors.fields):
            raise ImproperlyConfiguredException(
                f"{label} takes no `socket`: a `@websocket` handler serves the connection through it. Add "
                "`socket: WebSocket`."
            )
        if hints.get("return", Empty) not in (None, type(None)):
            raise ImproperlyConfiguredException(
                f"{label} must be annotated `-> None`: a `@websocket` handler sends through `socket`, not by "
                "returning. Use `@websocket_listener` to send back what a function returns."
            )
        return self._serve_plain

    def _check_listener(
        self, handler: WebsocketListenerRouteHandler, hints: dict[str, Any]
    ) -> Callable[[WebSocket[Any, Any, Any], dict[str, Any], list[Any]], Any]:
        field = self.data_field
        if field is None:
            raise ImproperlyConfiguredException(
                f"{self.label} takes no `data`: a WebSocket listener receives each message as `data`. Add "
                "`data: str` (or `bytes`, or a type to decode JSON into)."
            )
        annotation = field.annotation
        if annotation is str or annotation is AnyStr:
            self.decode: Callable[[str | bytes], Any] = _as_text
        elif annotation is bytes:
            self.decode = _as_bytes
        else:
            self.decode = _json_decoder(annotation, self.type_decoders)
        encoders = self.handler.type_encoders
        serializer = get_serializer(encoders or None)
        send_mode = handler.send_mode

        def encode(value: Any) -> str | bytes:
            if isinstance(value, (str, bytes)):
                return value
            encoded = encode_json(value, serializer)
            return encoded.decode("utf-8") if send_mode == "text" else encoded

        self.encode = encode
        self.on_accept = self.hooks.get("on_accept")
        self.on_disconnect = self.hooks.get("on_disconnect")
        self.lifespan = self.hooks.get("connection_lifespan")
        return self._serve_listener

    # -- per connection ---------------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one WebSocket connection."""
        handler = self.handler
        scope["route_handler"] = handler
        socket = self.socket_class(scope, receive, send)
        cleanups: list[Any] = []
        try:
            for guard in self.guards:
                await maybe_await(guard(socket, handler))
            kwargs = await self.extractors.resolve(scope, socket.receive, socket.send, socket, cleanups)
            await self.run(socket, kwargs, cleanups)
        except WebSocketDisconnect:
            pass  # the client left: the normal end of a connection, not a failure of its dependencies
        except Exception as exc:
            await cleanup(cleanups, exc)
            await close_for_exception(exc, scope, socket.send, self.app)
            return
        await cleanup(cleanups, None)
        if socket.connection_state != "disconnect":
            await socket.close()

    async def _serve_plain(self, socket: WebSocket[Any, Any, Any], kwargs: dict[str, Any], cleanups: list[Any]) -> None:
        await self.fn(**kwargs)

    async def _serve_stream(
        self, socket: WebSocket[Any, Any, Any], kwargs: dict[str, Any], cleanups: list[Any]
    ) -> None:
        handler = self.handler
        assert isinstance(handler, WebsocketStreamRouteHandler)
        await send_websocket_stream(
            socket,
            self.fn(**kwargs),
            mode=handler.mode,
            listen_for_disconnect=handler.listen_for_disconnect,
            warn_on_data_discard=handler.warn_on_data_discard,
        )

    async def _serve_listener(
        self, socket: WebSocket[Any, Any, Any], kwargs: dict[str, Any], cleanups: list[Any]
    ) -> None:
        handler = self.handler
        assert isinstance(handler, WebsocketListenerRouteHandler)
        await handler.connection_accept_handler(socket)
        values = {"socket": socket, **kwargs}
        own_names = self.own_names
        if own_names is not None:  # hooks take names the listener function does not
            kwargs = {name: value for name, value in kwargs.items() if name in own_names}
        if self.lifespan is not None:
            async with await maybe_await(self.lifespan(values)):
                await self._listen(socket, kwargs)
            return
        if self.on_accept is not None:
            await maybe_await(self.on_accept(values))
        try:
            await self._listen(socket, kwargs)
        finally:
            if self.on_disconnect is not None:
                await maybe_await(self.on_disconnect(values))

    async def _listen(self, socket: WebSocket[Any, Any, Any], kwargs: dict[str, Any]) -> None:
        """Receive, decode, call and send back until the client disconnects (``WebSocketDisconnect`` propagates)."""
        fn, is_async, decode, encode = self.fn, self.is_async, self.decode, self.encode
        handler = self.handler
        assert isinstance(handler, WebsocketListenerRouteHandler)
        receive_mode, send_mode = handler.receive_mode, handler.send_mode
        name = self.data_field.name if self.data_field is not None else "data"
        # `receive_text`/`send_text` are `receive_data`/`send_data` in text mode, with fewer calls on an open socket.
        receive = socket.receive_text if receive_mode == "text" else socket.receive_bytes
        as_received = decode is _as_text and receive_mode == "text"  # `receive_text` gives the `str` already
        text_out = send_mode == "text"
        while True:
            data = await receive()
            if not as_received:
                data = decode(data)
            arguments = {**kwargs, name: data} if kwargs else {name: data}
            value = await fn(**arguments) if is_async else fn(**arguments)
            if value is None:
                continue
            if text_out and type(value) is str:
                await socket.send_text(value)
            else:
                await socket.send_data(encode(value), send_mode)


def _as_text(data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebSocketException(
            detail=f"A binary message is not valid UTF-8 text (byte {exc.start}); send UTF-8 text.",
            code=CLOSE_INVALID_PAYLOAD,
        ) from None


def _as_bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _json_decoder(annotation: Any, type_decoders: Any) -> Callable[[str | bytes], Any]:
    decoder = get_json_decoder(annotation, type_decoders or None)

    def decode(data: str | bytes) -> Any:
        try:
            return decoder.decode(data)
        except msgspec.ValidationError as exc:
            raise WebSocketException(detail=_reason(f"Invalid message: {exc}"), code=CLOSE_INVALID_PAYLOAD) from None
        except (msgspec.DecodeError, UnicodeError, RecursionError, TypeError) as exc:
            raise WebSocketException(
                detail=_reason(f"Malformed JSON message: {malformed_reason(data, exc)}"), code=CLOSE_INVALID_PAYLOAD
            ) from None

    return decode


class _Hook:
    """A listener callback (``on_accept``, ``on_disconnect``, ``connection_lifespan``) and what it is called with.

    Args:
        fn: The callback.
        names: The names it takes, resolved with the listener's parameters once per connection; ``None``: it takes
            ``**kwargs``, and every value.
        socket_only: It takes one parameter naming nothing resolvable: the socket is passed to it.
    """

    __slots__ = ("fn", "names", "socket_only")

    def __init__(self, fn: Callable[..., Any], names: tuple[str, ...] | None, *, socket_only: bool) -> None:
        self.fn = fn
        self.names = names
        self.socket_only = socket_only

    def __call__(self, values: Mapping[str, Any]) -> Any:
        """Call the callback with the values it names (``values`` holds ``socket`` and the resolved parameters)."""
        if self.socket_only:
            return self.fn(values["socket"])
        if self.names is None:
            return self.fn(**values)
        return self.fn(**{name: values[name] for name in self.names})


def _takes_var_keyword(fn: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # pragma: no cover - builtins without signatures
        return False
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def _keyword_parameters(fn: Callable[..., Any]) -> list[inspect.Parameter]:
    """The named parameters of ``fn`` (``*args`` and ``**kwargs`` left out), each made keyword-only."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # pragma: no cover - builtins without signatures take nothing by name
        return []
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters if p.kind not in variadic]


def compile_websocket_handler(
    app: Outpour, handler: WebsocketRouteHandler, settings: RouteSettings, template: PathTemplate, layers: list[Any]
) -> ASGIApp:
    """Compile ``handler`` at ``template`` into the ASGI coroutine serving its connections."""
    return WebSocketPlan(app, handler, settings, template, layers)


def _refuse_layered_dtos(settings: RouteSettings, data_field: Any, returned: Any, label: str) -> None:
    """Raise when a layer's DTO would apply to a WebSocket handler: outpour implements DTOs on HTTP handlers only."""
    from outpour.dto.base_dto import AbstractDTO
    from outpour.typing import FieldDefinition

    data = data_field.annotation if data_field is not None else None
    for option, annotation in (("dto", data), ("return_dto", returned)):
        dto = getattr(settings, option, Empty)
        if option == "return_dto" and dto is Empty:
            dto = settings.dto
        if annotation is None or not (isinstance(dto, type) and issubclass(dto, AbstractDTO)):
            continue
        if dto.is_supported_model_type_field(FieldDefinition.from_annotation(annotation)):
            raise ImproperlyConfiguredException(
                f"{label}: the `{option}` `{dto.__name__}` of an outer layer applies to this WebSocket handler, but "
                "outpour implements DTOs on HTTP handlers only. Set `dto=None` and `return_dto=None` on the handler, "
                "and annotate the msgspec Struct, dataclass or TypedDict the client sends and receives."
            )
