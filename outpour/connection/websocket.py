"""``WebSocket``: a WebSocket connection, with Litestar's methods to accept, receive, send and close.

It shares ``ASGIConnection`` with ``Request`` (headers, cookies, query, path parameters, state, app, user, auth). Its
``receive`` and ``send`` are the server's, wrapped to track ``connection_state``: receiving or sending after the
connection closed raises ``WebSocketDisconnect`` instead of waiting on a closed socket, and a message larger than
``max_message_size`` raises ``WebSocketException`` with code 1009 (RFC 6455, section 7.4.1: "message too big").
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast, overload

import msgspec

from outpour.connection.base import ASGIConnection, AuthT, HandlerT, StateT, UserT, empty_receive, empty_send
from outpour.exceptions import WebSocketDisconnect, WebSocketException
from outpour.serialization import encode_json, encode_msgpack, get_serializer, malformed_reason

if TYPE_CHECKING:
    from outpour.types import Message, Receive, Scope, Send
    from outpour.types.asgi_types import WebSocketMode

__all__ = ["DEFAULT_MAX_MESSAGE_SIZE", "WebSocket"]

DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024
"""The most bytes a received message may have by default: uvicorn's own default limit (``--ws-max-size``)."""

CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_ABNORMAL = 1006
CLOSE_INVALID_PAYLOAD = 1007
CLOSE_MESSAGE_TOO_BIG = 1009
CLOSE_INTERNAL_ERROR = 1011

ConnectionState = Literal["init", "connect", "receive", "disconnect"]


def _encode_headers(headers: Mapping[str, Any] | list[tuple[bytes, bytes]] | None) -> list[tuple[bytes, bytes]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [(str(k).lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in headers.items()]
    return [(bytes(k).lower(), bytes(v)) for k, v in headers]


class WebSocket(ASGIConnection[HandlerT, UserT, AuthT, StateT]):
    """A WebSocket connection.

    Subclass it to change its behaviour (``receive_data``, ``max_message_size``) and pass the subclass as
    ``websocket_class`` on the app, a router, a controller or a WebSocket handler: the closest layer's applies.

    Args:
        scope: The ASGI ``websocket`` scope.
        receive: The ASGI ``receive`` callable.
        send: The ASGI ``send`` callable.
    """

    __slots__ = ("_server_receive", "_server_send", "close_code", "connection_state")

    _direct: ClassVar[bool] = True
    """Whether ``receive_text`` and ``send_text`` may skip ``receive_data``/``send_data`` and the wrappers while the
    connection is open: true unless a subclass overrides one of them (see ``__init_subclass__``)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._direct = all(
            getattr(cls, name) is getattr(WebSocket, name)
            for name in ("receive_wrapper", "send_wrapper", "receive_data", "send_data", "_received")
        )

    max_message_size: ClassVar[int | None] = DEFAULT_MAX_MESSAGE_SIZE
    """The most bytes a received message may have; a larger one raises ``WebSocketException`` with code 1009, which
    closes the connection with that code. ``None``: no limit (the server's own still applies)."""

    def __init__(self, scope: Scope, receive: Receive = empty_receive, send: Send = empty_send) -> None:
        super().__init__(scope, self.receive_wrapper(receive), self.send_wrapper(send))
        self._server_receive = receive
        self._server_send = send
        self.connection_state: ConnectionState = "init"
        """``init`` until the client's ``websocket.connect`` was received, ``connect`` until the first message,
        ``receive`` while open, ``disconnect`` once either side closed."""
        self.close_code: int | None = None
        """The close code of the connection once it closed (the client's, or the one sent), else ``None``."""

    # -- the wrapped ASGI callables ---------------------------------------------------------------------------------

    def receive_wrapper(self, receive: Receive) -> Receive:
        """Wrap ``receive`` to track ``connection_state`` and enforce ``max_message_size``.

        Args:
            receive: The server's ``receive``.

        Returns:
            The wrapped ``receive``: after a disconnect it raises ``WebSocketDisconnect`` instead of waiting.
        """

        async def wrapped_receive() -> Message:
            if self.connection_state == "disconnect":
                raise WebSocketDisconnect(
                    detail="The WebSocket is closed: nothing more can be received.", code=self.close_code or 1000
                )
            return self._received(await receive())

        return wrapped_receive

    def _received(self, message: Message) -> Message:
        """Track ``connection_state`` for a message from the server, and refuse one over ``max_message_size``."""
        kind = message["type"]
        if kind == "websocket.receive":
            self.connection_state = "receive"
            self._check_size(message)
        elif kind == "websocket.connect":
            self.connection_state = "connect"
        elif kind == "websocket.disconnect":
            self.connection_state = "disconnect"
            self.close_code = int(message.get("code") or CLOSE_NORMAL)
        return message

    def send_wrapper(self, send: Send) -> Send:
        """Wrap ``send`` to track ``connection_state``.

        A ``websocket.close`` once the connection is closed is dropped (closing twice is harmless); any other message
        then raises ``WebSocketDisconnect``, as does a server refusing to send because the client is gone.

        Args:
            send: The server's ``send``.

        Returns:
            The wrapped ``send``.
        """

        async def wrapped_send(message: Message) -> None:
            kind = message["type"]
            if self.connection_state == "disconnect":
                if kind == "websocket.close":
                    return
                raise WebSocketDisconnect(
                    detail="The WebSocket is closed: nothing more can be sent.", code=self.close_code or 1000
                )
            if kind == "websocket.close":
                self.connection_state = "disconnect"
                self.close_code = int(message.get("code") or CLOSE_NORMAL)
            try:
                await send(message)
            except OSError as exc:  # uvicorn and granian raise an `OSError` subclass once the client left
                raise self._gone() from exc

        return wrapped_send

    def _gone(self) -> WebSocketDisconnect:
        """Mark the connection closed after the server refused to send (the client left); the error to raise."""
        self.connection_state = "disconnect"
        self.close_code = self.close_code or CLOSE_ABNORMAL
        return WebSocketDisconnect(detail="The client is gone.", code=CLOSE_ABNORMAL)

    def _check_size(self, message: Message) -> None:
        limit = self.max_message_size
        if limit is None:
            return
        text = message.get("text")
        if text is not None:
            # A character is 1 to 4 bytes of UTF-8: encode only when the length alone cannot decide.
            size = len(text) if len(text) > limit or len(text) * 4 <= limit else len(text.encode("utf-8"))
        else:
            size = len(message.get("bytes") or b"")
        if size > limit:
            raise WebSocketException(
                detail=f"A message of {size} bytes exceeds the limit of {limit} bytes; send smaller messages.",
                code=CLOSE_MESSAGE_TOO_BIG,
            )

    # -- opening and closing ----------------------------------------------------------------------------------------

    async def accept(
        self,
        subprotocols: str | None = None,
        headers: Mapping[str, Any] | list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        """Accept the connection (a no-op once accepted).

        Args:
            subprotocols: The subprotocol chosen among those the client offered (``scope["subprotocols"]``).
            headers: Headers added to the handshake response.

        Raises:
            WebSocketDisconnect: The client left before the connection was accepted.
        """
        if self.connection_state == "init":
            message = await self.receive()
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(detail="The client left before the connection was accepted.")
            await self.send(
                {"type": "websocket.accept", "subprotocol": subprotocols, "headers": _encode_headers(headers)}
            )

    async def close(self, code: int = CLOSE_NORMAL, reason: str | None = None) -> None:
        """Close the connection (a no-op once closed); before ``accept`` this refuses it (HTTP 403).

        Args:
            code: The close code (RFC 6455, section 7.4).
            reason: A reason for the client, at most 123 bytes of UTF-8.
        """
        await self.send({"type": "websocket.close", "code": code, "reason": reason or ""})

    # -- receiving --------------------------------------------------------------------------------------------------

    @overload
    async def receive_data(self, mode: Literal["text"]) -> str: ...

    @overload
    async def receive_data(self, mode: Literal["binary"]) -> bytes: ...

    async def receive_data(self, mode: WebSocketMode) -> str | bytes:
        """Receive the next message, accepting the connection first if needed.

        In ``text`` mode a binary message is decoded as UTF-8; in ``binary`` mode a text message is encoded.

        Args:
            mode: ``text`` or ``binary``.

        Returns:
            The message's text (``text``) or bytes (``binary``).

        Raises:
            WebSocketDisconnect: The client closed the connection (``code`` is its close code).
            WebSocketException: The message is too big (1009), or not UTF-8 in ``text`` mode (1007).
        """
        if self.connection_state == "init":
            await self.accept()
        return self._decoded(await self.receive(), mode)

    def _decoded(self, message: Message, mode: WebSocketMode) -> str | bytes:
        """The text or bytes of a received message, in ``mode`` (see ``receive_data``)."""
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(detail="The client closed the connection.", code=self.close_code or 1000)
        text: str | None = message.get("text")
        data: bytes | None = message.get("bytes")
        if mode == "binary":
            return data if data is not None else (text or "").encode("utf-8")
        if text is not None:
            return text
        try:
            return (data or b"").decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WebSocketException(
                detail=f"A binary message is not valid UTF-8 text (byte {exc.start}); send UTF-8 text.",
                code=CLOSE_INVALID_PAYLOAD,
            ) from None

    async def receive_text(self) -> str:
        """Receive the next message as text.

        Returns:
            The text.
        """
        if self._direct and self.connection_state == "receive":
            # An open connection: what `receive_data("text")` does, without its calls for a text message that is
            # surely within `max_message_size` (a character is at most 4 bytes of UTF-8).
            message = await self._server_receive()
            if message["type"] == "websocket.receive":
                text: str | None = message.get("text")
                limit = self.max_message_size
                if text is not None and (limit is None or len(text) <= limit >> 2):
                    return text
            return cast("str", self._decoded(self._received(message), "text"))
        return await self.receive_data("text")

    async def receive_bytes(self) -> bytes:
        """Receive the next message as bytes.

        Returns:
            The bytes.
        """
        return await self.receive_data("binary")

    async def receive_json(self, mode: WebSocketMode = "text") -> Any:
        """Receive the next message and parse it as JSON.

        Args:
            mode: ``text`` or ``binary``.

        Returns:
            The parsed value.

        Raises:
            WebSocketException: The message is not JSON (1007).
        """
        return _parse_json(await self.receive_data(mode))

    async def receive_msgpack(self) -> Any:
        """Receive the next message (binary) and parse it as MessagePack.

        Returns:
            The parsed value.

        Raises:
            WebSocketException: The message is not MessagePack (1007).
        """
        data = await self.receive_data("binary")
        try:
            return msgspec.msgpack.decode(data)
        except (msgspec.DecodeError, UnicodeError, RecursionError, TypeError) as exc:
            raise WebSocketException(
                detail=f"Malformed MessagePack message: {malformed_reason(data, exc, is_text=False)}.",
                code=CLOSE_INVALID_PAYLOAD,
            ) from None

    @overload
    def iter_data(self, mode: Literal["text"] = "text") -> AsyncGenerator[str, None]: ...

    @overload
    def iter_data(self, mode: Literal["binary"]) -> AsyncGenerator[bytes, None]: ...

    async def iter_data(self, mode: WebSocketMode = "text") -> AsyncGenerator[str | bytes, None]:
        """Iterate over the received messages until the client closes the connection.

        Args:
            mode: ``text`` or ``binary``.

        Yields:
            Each message's text or bytes.
        """
        try:
            while True:
                yield await self.receive_data(mode)
        except WebSocketDisconnect:
            return

    async def iter_json(self, mode: WebSocketMode = "text") -> AsyncGenerator[Any, None]:
        """Iterate over the received messages, parsed as JSON, until the client closes the connection.

        Args:
            mode: ``text`` or ``binary``.

        Yields:
            Each parsed message.
        """
        async for data in self.iter_data(mode):
            yield _parse_json(data)

    async def iter_msgpack(self) -> AsyncGenerator[Any, None]:
        """Iterate over the received messages, parsed as MessagePack, until the client closes the connection.

        Yields:
            Each parsed message.
        """
        try:
            while True:
                yield await self.receive_msgpack()
        except WebSocketDisconnect:
            return

    # -- sending ----------------------------------------------------------------------------------------------------

    async def send_data(self, data: str | bytes, mode: WebSocketMode = "text", encoding: str = "utf-8") -> None:
        """Send a message, accepting the connection first if needed.

        Args:
            data: Text or bytes; converted with ``encoding`` when it is not of the mode's type.
            mode: ``text`` or ``binary``.
            encoding: The encoding between text and bytes.

        Raises:
            WebSocketDisconnect: The connection is closed.
        """
        if self.connection_state == "init":
            await self.accept()
        if mode == "text":
            text = data if isinstance(data, str) else data.decode(encoding)
            await self.send({"type": "websocket.send", "text": text})
        else:
            raw = data if isinstance(data, bytes) else data.encode(encoding)
            await self.send({"type": "websocket.send", "bytes": raw})

    async def send_text(self, data: str | bytes, encoding: str = "utf-8") -> None:
        """Send a text message.

        Args:
            data: The text (bytes are decoded with ``encoding``).
            encoding: The encoding of ``data`` when it is bytes.
        """
        if self._direct and type(data) is str and (self.connection_state in ("receive", "connect")):
            # An open connection: what `send_data(data, "text")` does, without its calls.
            try:
                await self._server_send({"type": "websocket.send", "text": data})
            except OSError as exc:  # uvicorn and granian raise an `OSError` subclass once the client left
                raise self._gone() from exc
            return
        await self.send_data(data, "text", encoding)

    async def send_bytes(self, data: str | bytes, encoding: str = "utf-8") -> None:
        """Send a binary message.

        Args:
            data: The bytes (text is encoded with ``encoding``).
            encoding: The encoding of ``data`` when it is text.
        """
        await self.send_data(data, "binary", encoding)

    async def send_json(
        self,
        data: Any,
        mode: WebSocketMode = "text",
        encoding: str = "utf-8",
        serializer: Callable[[Any], Any] | None = None,
    ) -> None:
        """Send a value as JSON.

        Args:
            data: The value: anything outpour serializes (dataclasses, msgspec Structs, pydantic models, ...).
            mode: ``text`` or ``binary``.
            encoding: The encoding of the message in ``text`` mode.
            serializer: Converts values JSON has no type for; by default the route's ``type_encoders`` apply.
        """
        encoded = encode_json(data, serializer or self._serializer())
        await self.send_data(encoded.decode(encoding) if mode == "text" else encoded, mode, encoding)

    async def send_msgpack(
        self, data: Any, encoding: str = "utf-8", serializer: Callable[[Any], Any] | None = None
    ) -> None:
        """Send a value as MessagePack, in a binary message.

        Args:
            data: The value.
            encoding: Kept for Litestar's signature; MessagePack is binary.
            serializer: Converts values MessagePack has no type for; by default the route's ``type_encoders`` apply.
        """
        await self.send_data(encode_msgpack(data, serializer or self._serializer()), "binary", encoding)

    def _serializer(self) -> Callable[[Any], Any]:
        return get_serializer(getattr(self.scope.get("route_handler"), "type_encoders", None) or None)


def _parse_json(data: str | bytes) -> Any:
    try:
        return msgspec.json.decode(data)
    except (msgspec.DecodeError, UnicodeError, RecursionError, TypeError) as exc:
        raise WebSocketException(
            detail=f"Malformed JSON message: {malformed_reason(data, exc)}.", code=CLOSE_INVALID_PAYLOAD
        ) from None
