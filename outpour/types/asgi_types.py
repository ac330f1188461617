"""The ASGI 3.0 interface: scopes, the events of each protocol, and the callables built on them.

Each scope and event is a ``TypedDict`` with the keys of the ASGI specification
(https://asgi.readthedocs.io/en/latest/specs/), plus the keys outpour adds to a scope (``app``, ``path_params``,
``route_handler``) and those an authentication or session middleware may add (``user``, ``auth``, ``session``).

``Scope``, ``Message``, ``Receive``, ``Send`` and ``ASGIApp`` are deliberately loose (a scope is any ``dict``): a
middleware may store its own keys in a scope, and outpour's internals build messages as plain dicts. Narrow with the
``TypedDict`` of the protocol when you want its keys checked, e.g. ``cast("HTTPScope", scope)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict

from outpour.enums import HttpMethod

if TYPE_CHECKING:
    from outpour.app import Outpour
    from outpour.types.empty import EmptyType
    from outpour.types.internal_types import RouteHandlerType
    from outpour.types.serialization import DataContainerType

__all__ = [
    "ASGIApp",
    "ASGIVersion",
    "BaseScope",
    "HTTPDisconnectEvent",
    "HTTPReceiveMessage",
    "HTTPRequestEvent",
    "HTTPResponseBodyEvent",
    "HTTPResponseStartEvent",
    "HTTPScope",
    "HTTPSendMessage",
    "HTTPServerPushEvent",
    "HeaderScope",
    "LifeSpanReceive",
    "LifeSpanReceiveMessage",
    "LifeSpanScope",
    "LifeSpanSend",
    "LifeSpanSendMessage",
    "LifeSpanShutdownCompleteEvent",
    "LifeSpanShutdownEvent",
    "LifeSpanShutdownFailedEvent",
    "LifeSpanStartupCompleteEvent",
    "LifeSpanStartupEvent",
    "LifeSpanStartupFailedEvent",
    "Message",
    "Method",
    "RawHeaders",
    "RawHeadersList",
    "Receive",
    "ReceiveMessage",
    "Scope",
    "ScopeSession",
    "Send",
    "WebSocketAcceptEvent",
    "WebSocketCloseEvent",
    "WebSocketConnectEvent",
    "WebSocketDisconnectEvent",
    "WebSocketMode",
    "WebSocketReceiveEvent",
    "WebSocketReceiveMessage",
    "WebSocketResponseBodyEvent",
    "WebSocketResponseStartEvent",
    "WebSocketScope",
    "WebSocketSendEvent",
    "WebSocketSendMessage",
]

Method: TypeAlias = Literal["GET", "POST", "DELETE", "PATCH", "PUT", "HEAD", "TRACE", "OPTIONS"] | HttpMethod
"""An HTTP method, as a string or an :class:`~outpour.enums.HttpMethod`."""
RawHeaders: TypeAlias = Iterable[tuple[bytes, bytes]]
"""Headers as ASGI carries them: ``(name, value)`` byte pairs, names lowercased."""
RawHeadersList: TypeAlias = list[tuple[bytes, bytes]]
"""A list of raw header pairs, the form outpour builds."""
WebSocketMode: TypeAlias = Literal["text", "binary"]
"""Whether a WebSocket message is carried as text or bytes."""
ScopeSession: TypeAlias = "EmptyType | dict[str, Any] | DataContainerType | None"
"""What a session middleware stores in ``scope["session"]``."""


class ASGIVersion(TypedDict):
    """``scope["asgi"]``: the ASGI version (always ``"3.0"`` here) and the version of the protocol's spec."""

    version: Literal["3.0"]
    spec_version: str


class HeaderScope(TypedDict):
    """The part of a scope that carries headers, what :class:`~outpour.datastructures.MutableScopeHeaders` edits."""

    headers: RawHeaders


class _OptionalScopeKeys(TypedDict, total=False):
    """Keys a scope may lack: an authentication or session middleware adds ``auth``, ``user`` and ``session``."""

    route_handler: RouteHandlerType
    auth: Any
    user: Any
    session: ScopeSession


class BaseScope(HeaderScope, _OptionalScopeKeys):
    """The keys an HTTP and a WebSocket scope share.

    ``route_handler`` is not required: outpour sets it when it builds the handler's request (a handler that takes no
    ``request`` and no parameters is called without one); read it with ``scope.get("route_handler")``. ``auth``,
    ``user`` and ``session`` are there only when an authentication or session middleware set them.
    """

    asgi: ASGIVersion
    http_version: str
    scheme: str
    path: str
    raw_path: bytes
    query_string: bytes
    root_path: str
    client: tuple[str, int] | None
    server: tuple[str, int | None] | None
    state: dict[str, Any]
    extensions: dict[str, dict[object, object]] | None
    app: Outpour
    path_params: dict[str, str]


class HTTPScope(BaseScope):
    """The scope of an HTTP request."""

    type: Literal["http"]
    method: Method


class WebSocketScope(BaseScope):
    """The scope of a WebSocket connection."""

    type: Literal["websocket"]
    subprotocols: list[str]


class _LifeSpanScopeKeys(TypedDict, total=False):
    state: dict[str, Any]
    app: Outpour


class LifeSpanScope(_LifeSpanScopeKeys):
    """The scope of the app's lifespan call; ``state`` is there when the server supports lifespan state."""

    type: Literal["lifespan"]
    asgi: ASGIVersion


class HTTPRequestEvent(TypedDict):
    """``http.request``: a chunk of the request body; ``more_body`` is false on the last one."""

    type: Literal["http.request"]
    body: bytes
    more_body: bool


class HTTPResponseStartEvent(TypedDict):
    """``http.response.start``: the status line and headers, sent before any body."""

    type: Literal["http.response.start"]
    status: int
    headers: RawHeaders


class HTTPResponseBodyEvent(TypedDict):
    """``http.response.body``: a chunk of the response body; ``more_body`` is false on the last one."""

    type: Literal["http.response.body"]
    body: bytes
    more_body: bool


class HTTPServerPushEvent(TypedDict):
    """``http.response.push``: ask an HTTP/2 server to push ``path`` to the client."""

    type: Literal["http.response.push"]
    path: str
    headers: RawHeaders


class HTTPDisconnectEvent(TypedDict):
    """``http.disconnect``: the client closed the connection, or the response was fully sent."""

    type: Literal["http.disconnect"]


class WebSocketConnectEvent(TypedDict):
    """``websocket.connect``: a client asks to open the WebSocket."""

    type: Literal["websocket.connect"]


class WebSocketAcceptEvent(TypedDict):
    """``websocket.accept``: the app accepts the connection, optionally choosing a subprotocol."""

    type: Literal["websocket.accept"]
    subprotocol: str | None
    headers: RawHeaders


class WebSocketReceiveEvent(TypedDict):
    """``websocket.receive``: a message from the client; exactly one of ``bytes`` and ``text`` is set."""

    type: Literal["websocket.receive"]
    text: str | None
    bytes: bytes | None


class WebSocketSendEvent(TypedDict):
    """``websocket.send``: a message to the client; exactly one of ``bytes`` and ``text`` is set."""

    type: Literal["websocket.send"]
    text: str | None
    bytes: bytes | None


class WebSocketResponseStartEvent(TypedDict):
    """``websocket.http.response.start``: deny the handshake with an HTTP response (status and headers)."""

    type: Literal["websocket.http.response.start"]
    status: int
    headers: RawHeaders


class WebSocketResponseBodyEvent(TypedDict):
    """``websocket.http.response.body``: a chunk of the body of a denial response."""

    type: Literal["websocket.http.response.body"]
    body: bytes
    more_body: bool


class WebSocketDisconnectEvent(TypedDict):
    """``websocket.disconnect``: the connection closed, with its close code."""

    type: Literal["websocket.disconnect"]
    code: int
    reason: str | None


class WebSocketCloseEvent(TypedDict):
    """``websocket.close``: the app closes the connection, with a close code and an optional reason."""

    type: Literal["websocket.close"]
    code: int
    reason: str | None


class LifeSpanStartupEvent(TypedDict):
    """``lifespan.startup``: the server is starting; run start-up hooks."""

    type: Literal["lifespan.startup"]


class LifeSpanShutdownEvent(TypedDict):
    """``lifespan.shutdown``: the server is stopping; run shutdown hooks."""

    type: Literal["lifespan.shutdown"]


class LifeSpanStartupCompleteEvent(TypedDict):
    """``lifespan.startup.complete``: start-up succeeded."""

    type: Literal["lifespan.startup.complete"]


class LifeSpanStartupFailedEvent(TypedDict):
    """``lifespan.startup.failed``: start-up failed, with a message saying why."""

    type: Literal["lifespan.startup.failed"]
    message: str


class LifeSpanShutdownCompleteEvent(TypedDict):
    """``lifespan.shutdown.complete``: shutdown succeeded."""

    type: Literal["lifespan.shutdown.complete"]


class LifeSpanShutdownFailedEvent(TypedDict):
    """``lifespan.shutdown.failed``: shutdown failed, with a message saying why."""

    type: Literal["lifespan.shutdown.failed"]
    message: str


HTTPReceiveMessage: TypeAlias = HTTPRequestEvent | HTTPDisconnectEvent
"""What an HTTP app receives."""
HTTPSendMessage: TypeAlias = HTTPResponseStartEvent | HTTPResponseBodyEvent | HTTPServerPushEvent | HTTPDisconnectEvent
"""What an HTTP app sends."""
WebSocketReceiveMessage: TypeAlias = WebSocketConnectEvent | WebSocketReceiveEvent | WebSocketDisconnectEvent
"""What a WebSocket app receives."""
WebSocketSendMessage: TypeAlias = (
    WebSocketAcceptEvent
    | WebSocketSendEvent
    | WebSocketResponseStartEvent
    | WebSocketResponseBodyEvent
    | WebSocketCloseEvent
)
"""What a WebSocket app sends."""
LifeSpanReceiveMessage: TypeAlias = LifeSpanStartupEvent | LifeSpanShutdownEvent
"""What the lifespan call receives."""
LifeSpanSendMessage: TypeAlias = (
    LifeSpanStartupCompleteEvent
    | LifeSpanStartupFailedEvent
    | LifeSpanShutdownCompleteEvent
    | LifeSpanShutdownFailedEvent
)
"""What the lifespan call sends."""
ReceiveMessage: TypeAlias = HTTPReceiveMessage | WebSocketReceiveMessage
"""What an HTTP or WebSocket app receives."""
LifeSpanReceive: TypeAlias = Callable[..., Awaitable[LifeSpanReceiveMessage]]
"""The ``receive`` callable of the lifespan call."""
LifeSpanSend: TypeAlias = Callable[[LifeSpanSendMessage], Awaitable[None]]
"""The ``send`` callable of the lifespan call."""

Scope: TypeAlias = dict[str, Any]
"""An ASGI scope; see :class:`HTTPScope`, :class:`WebSocketScope` and :class:`LifeSpanScope` for its keys."""
Message: TypeAlias = dict[str, Any]
"""An ASGI event; the ``TypedDict`` classes of this module give each event's keys."""
Receive: TypeAlias = Callable[[], Awaitable[Message]]
"""The ``receive`` callable an ASGI app is called with."""
Send: TypeAlias = Callable[[Message], Awaitable[None]]
"""The ``send`` callable an ASGI app is called with."""
ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]
"""An ASGI 3.0 application: ``async def app(scope, receive, send) -> None``."""
