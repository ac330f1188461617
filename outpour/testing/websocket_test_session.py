"""WebSocket test sessions: a client's side of one WebSocket connection to an app running in-process.

``TestClient.websocket_connect`` returns a ``WebSocketTestSession`` (use it with ``with``);
``AsyncTestClient.websocket_connect`` an ``AsyncWebSocketTestSession`` (``async with``). Entering a session sends
``websocket.connect`` and waits for the app to accept; a refusal (the app closes first) raises
``WebSocketDisconnect`` with the app's close code. Leaving it closes the connection with 1000 if the app has not
closed it, then waits for the app to return.
"""

from __future__ import annotations

import base64
import math
import os
import queue
from collections.abc import Sequence
from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, cast

import anyio
import msgspec
from anyio.from_thread import start_blocking_portal

from outpour.exceptions import WebSocketDisconnect
from outpour.serialization import encode_json, encode_msgpack
from outpour.testing._exchange import DISCONNECT_GRACE

if TYPE_CHECKING:
    import httpx
    from anyio.abc import TaskGroup
    from anyio.from_thread import BlockingPortal
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

    from outpour.testing._client import AsyncTestClient, TestClient
    from outpour.types import ASGIApp, Message, Scope

__all__ = ["AsyncWebSocketTestSession", "ReceiveTimeout", "WebSocketTestSession", "build_websocket_scope"]

_CLIENT = ("testclient", 50000)


class ReceiveTimeout(TimeoutError, queue.Empty, anyio.WouldBlock):
    """Nothing came from the app in time, or, without blocking, nothing was waiting.

    A ``TimeoutError``, and also what Litestar's test sessions raise: a ``queue.Empty`` in 2.x, an
    ``anyio.WouldBlock`` in 3.0 for ``block=False``.
    """


_DEFAULT_PORTS = {"ws": 80, "wss": 443}


def build_websocket_scope(
    request: httpx.Request, subprotocols: Sequence[str] | None, root_path: str, state: dict[str, object]
) -> Scope:
    """Build the ASGI ``websocket`` scope of a connection to ``request``'s URL, with its headers.

    Args:
        request: A ``GET`` request the client built (its URL, headers and cookies are the connection's).
        subprotocols: The subprotocols the client offers.
        root_path: The ``root_path`` of the app.
        state: The lifespan state; the scope gets a shallow copy.

    Returns:
        The scope.
    """
    url = request.url
    scheme = "wss" if url.scheme in ("https", "wss") else "ws"
    # httpx's default `Connection: keep-alive` gives way to the handshake's `Connection: upgrade` (RFC 6455, 4.1).
    headers = [(name.lower(), value) for name, value in request.headers.raw if name.lower() != b"connection"]
    headers += [
        (b"connection", b"upgrade"),
        (b"upgrade", b"websocket"),
        (b"sec-websocket-version", b"13"),
        (b"sec-websocket-key", base64.b64encode(os.urandom(16))),
    ]
    if subprotocols:
        headers.append((b"sec-websocket-protocol", ", ".join(subprotocols).encode("latin-1")))
    return {
        "type": "websocket",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "scheme": scheme,
        "path": url.path,
        "raw_path": url.raw_path.partition(b"?")[0],
        "query_string": url.query,
        "root_path": root_path,
        "headers": headers,
        "client": _CLIENT,
        "server": (url.host, url.port or _DEFAULT_PORTS[scheme]),
        "subprotocols": list(subprotocols or ()),
        "state": state.copy(),
        "extensions": {},
    }


class _Connection:
    """The app's side of a test connection: the app's task and the two queues of messages, on the app's loop."""

    def __init__(self, app: ASGIApp, scope: Scope, raise_server_exceptions: bool) -> None:
        self.app = app
        self.scope = scope
        self.raise_server_exceptions = raise_server_exceptions
        to_app: tuple[MemoryObjectSendStream[Message], MemoryObjectReceiveStream[Message]]
        to_app = anyio.create_memory_object_stream(math.inf)
        self.to_app, self.app_inbox = to_app
        from_app: tuple[MemoryObjectSendStream[Message], MemoryObjectReceiveStream[Message]]
        from_app = anyio.create_memory_object_stream(math.inf)
        self.app_outbox, self.from_app = from_app
        self.error: Exception | None = None
        self.done = anyio.Event()
        self.cancel_scope = anyio.CancelScope()
        self.disconnect: Message | None = None
        self.closed_by_app = False
        self.closed_by_client = False

    async def run(self) -> None:
        with self.cancel_scope:
            try:
                await self.app(self.scope, self._receive, self._send)
            except Exception as exc:  # re-raised in the test by the session when it asks
                self.error = exc
            finally:
                self.app_outbox.close()
                self.done.set()

    async def _receive(self) -> Message:
        if self.disconnect is not None:  # the client is gone: every further read says so
            return self.disconnect
        message = await self.app_inbox.receive()
        if message["type"] == "websocket.disconnect":
            self.disconnect = message
        return message

    async def _send(self, message: Message) -> None:
        if self.closed_by_client:
            raise OSError("The test client closed the WebSocket.")
        if message["type"] == "websocket.close":
            self.closed_by_app = True
        await self.app_outbox.send(message)

    # -- what the client side calls ---------------------------------------------------------------------------------

    async def connect(self, timeout: float | None) -> Message:
        self.to_app.send_nowait({"type": "websocket.connect"})
        message = await self.next(timeout)
        if message["type"] == "websocket.close":
            raise WebSocketDisconnect(detail=message.get("reason") or "", code=message.get("code", 1000))
        if message["type"] != "websocket.accept":
            # A server would drop the connection: the app must answer `websocket.connect` with one of these two.
            raise RuntimeError(
                "Unexpected ASGI message before the connection was accepted: the app must send `websocket.accept` "
                f"or `websocket.close` first. Received {message['type']!r}."
            )
        return message

    async def next(self, timeout: float | None, block: bool = True) -> Message:
        try:
            if not block:
                return self.from_app.receive_nowait()
            with anyio.fail_after(timeout):
                return await self.from_app.receive()
        except anyio.WouldBlock:
            raise ReceiveTimeout("The app has sent no message that is waiting to be received.") from None
        except TimeoutError:
            raise ReceiveTimeout(f"The app sent no message within `{timeout}` seconds.") from None
        except anyio.EndOfStream:
            self.raise_error()
            raise WebSocketDisconnect(detail="The app returned without closing the WebSocket.", code=1006) from None

    def put(self, message: Message) -> None:
        if message["type"] == "websocket.disconnect":
            self.closed_by_client = True
        if self.disconnect is None:
            self.to_app.send_nowait(message)

    async def aput(self, message: Message) -> None:
        self.put(message)

    def raise_error(self) -> None:
        error, self.error = self.error, None
        if error is not None and self.raise_server_exceptions:
            raise error

    @classmethod
    async def create(cls, app: ASGIApp, scope: Scope, raise_server_exceptions: bool) -> _Connection:
        """Create the connection on the app's event loop (its event needs the loop)."""
        return cls(app, scope, raise_server_exceptions)

    async def finish(self) -> None:
        if not self.closed_by_client:
            self.put({"type": "websocket.disconnect", "code": 1000, "reason": ""})
        with anyio.move_on_after(DISCONNECT_GRACE):
            await self.done.wait()
        self.cancel_scope.cancel()
        await self.done.wait()
        for stream in (self.to_app, self.app_inbox, self.from_app):
            stream.close()
        self.raise_error()


def _payload(message: Message, mode: Literal["text", "binary"]) -> str | bytes:
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(detail=message.get("reason") or "", code=message.get("code", 1000))
    text: str | None = message.get("text")
    data: bytes | None = message.get("bytes")
    if mode == "text":
        return text if text is not None else (data or b"").decode("utf-8")
    return data if data is not None else (text or "").encode("utf-8")


def _decode_json(payload: str | bytes) -> Any:
    return msgspec.json.decode(payload.encode() if isinstance(payload, str) else payload)


def _decode_msgpack(payload: str | bytes) -> Any:
    return msgspec.msgpack.decode(payload.encode() if isinstance(payload, str) else payload)


def _text_message(data: str) -> Message:
    return {"type": "websocket.receive", "text": data}


def _bytes_message(data: bytes) -> Message:
    return {"type": "websocket.receive", "bytes": data}


def _data_message(message: Message | str | bytes, mode: Literal["text", "binary"], encoding: str) -> Message:
    if isinstance(message, str | bytes):
        if mode == "text":
            return _text_message(message.decode(encoding) if isinstance(message, bytes) else message)
        return _bytes_message(message.encode(encoding) if isinstance(message, str) else message)
    return message


def _json_message(data: Any, mode: Literal["text", "binary"]) -> Message:
    encoded = encode_json(data)
    return _text_message(encoded.decode("utf-8")) if mode == "text" else _bytes_message(encoded)


class WebSocketTestSession:
    """The client's side of a WebSocket connection to the app of a ``TestClient``; use it with ``with``.

    Args:
        client: The test client.
        scope: The connection's scope.
        timeout: Seconds to wait for each message from the app; ``None`` waits forever.
    """

    __test__ = False

    def __init__(self, client: TestClient[Any], scope: Scope, timeout: float | None = None) -> None:
        self.client = client
        self.scope = scope
        self.timeout = timeout
        self.accepted_subprotocol: str | None = None
        """The subprotocol the app chose when it accepted, or ``None``."""
        self.extra_headers: list[tuple[bytes, bytes]] = []
        """The headers the app added to its ``websocket.accept``."""
        self._connection: _Connection | None = None
        self._portal: BlockingPortal | None = None
        self._stack = ExitStack()

    def __enter__(self) -> Self:
        client = self.client
        portal = client._portal
        if portal is None:
            portal = self._stack.enter_context(start_blocking_portal(client.backend, client.backend_options))
        self._portal = portal
        state = dict(client._runner._state) if client._runner is not None else {}
        scope = {**self.scope, "state": state}
        connection = portal.call(_Connection.create, client.app, scope, client.raise_server_exceptions)
        self._connection = connection
        portal.start_task_soon(connection.run)
        try:
            accept = portal.call(connection.connect, self.timeout)
        except BaseException:
            portal.call(connection.finish)
            self._stack.close()
            raise
        self.accepted_subprotocol = accept.get("subprotocol")
        self.extra_headers = list(accept.get("headers") or [])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        try:
            self._call("finish")
        finally:
            self._stack.close()

    def _conn(self) -> _Connection:
        if self._connection is None:
            raise RuntimeError("The WebSocket session is not open: use it as `with client.websocket_connect(...)`.")
        return self._connection

    def _call(self, name: str, *args: Any) -> Any:
        """Call the connection's coroutine ``name`` on the app's event loop."""
        connection = self._conn()
        portal = cast("BlockingPortal", self._portal)  # set with the connection in `__enter__`
        return portal.call(getattr(connection, name), *args)

    def send(
        self, message: Message | str | bytes, mode: Literal["text", "binary"] = "text", encoding: str = "utf-8"
    ) -> None:
        """Send a raw ASGI message to the app (``websocket.receive`` or ``websocket.disconnect``), or data as Litestar's does.

        Args:
            message: The message; or text or bytes, sent as a message of ``mode``.
            mode: For text or bytes: send a text or a binary message.
            encoding: For text or bytes: how to convert between the two.
        """
        self._call("aput", _data_message(message, mode, encoding))

    def send_text(self, data: str) -> None:
        """Send a text message.

        Args:
            data: The text.
        """
        self.send(_text_message(data))

    def send_bytes(self, data: bytes) -> None:
        """Send a binary message.

        Args:
            data: The bytes.
        """
        self.send(_bytes_message(data))

    def send_json(self, data: Any, mode: Literal["text", "binary"] = "text") -> None:
        """Send a value as JSON.

        Args:
            data: The value.
            mode: As a ``text`` or ``binary`` message.
        """
        self.send(_json_message(data, mode))

    def send_msgpack(self, data: Any) -> None:
        """Send a value as MessagePack, in a binary message.

        Args:
            data: The value.
        """
        self.send(_bytes_message(encode_msgpack(data)))

    def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close the connection from the client's side.

        Args:
            code: The close code.
            reason: The close reason.
        """
        self.send({"type": "websocket.disconnect", "code": code, "reason": reason or ""})

    def receive(self, block: bool = True, timeout: float | None = None) -> Message:
        """Receive the next ASGI message the app sent (``websocket.send`` or ``websocket.close``).

        Args:
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait; the session's ``timeout`` when ``None``.

        Returns:
            The message.

        Raises:
            WebSocketDisconnect: The app returned without closing (an exception it raised is re-raised instead
                when the client has ``raise_server_exceptions``).
            ReceiveTimeout: Nothing came within the timeout, or nothing was waiting with ``block=False`` (a
                ``TimeoutError``, a ``queue.Empty`` and an ``anyio.WouldBlock``).
        """
        message: Message = self._call("next", self.timeout if timeout is None else timeout, block)
        return message

    def receive_text(self, block: bool = True, timeout: float | None = None) -> str:
        """Receive the next message as text.

        Args:
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait.

        Returns:
            The text.

        Raises:
            WebSocketDisconnect: The app closed the connection (``code`` and ``detail`` are its code and reason).
        """
        return str(_payload(self.receive(block, timeout), "text"))

    def receive_bytes(self, block: bool = True, timeout: float | None = None) -> bytes:
        """Receive the next message as bytes.

        Args:
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait.

        Returns:
            The bytes.

        Raises:
            WebSocketDisconnect: The app closed the connection.
        """
        payload = _payload(self.receive(block, timeout), "binary")
        return payload if isinstance(payload, bytes) else payload.encode()

    def receive_json(
        self, mode: Literal["text", "binary"] = "text", block: bool = True, timeout: float | None = None
    ) -> Any:
        """Receive the next message and parse it as JSON.

        Args:
            mode: Read the ``text`` or ``binary`` payload.
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait.

        Returns:
            The parsed value.
        """
        return _decode_json(_payload(self.receive(block, timeout), mode))

    def receive_msgpack(self, block: bool = True, timeout: float | None = None) -> Any:
        """Receive the next (binary) message and parse it as MessagePack.

        Args:
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait.

        Returns:
            The parsed value.
        """
        return _decode_msgpack(_payload(self.receive(block, timeout), "binary"))


class AsyncWebSocketTestSession:
    """The client's side of a WebSocket connection to the app of an ``AsyncTestClient``; use it with ``async with``.

    Args:
        client: The test client.
        scope: The connection's scope.
        timeout: Seconds to wait for each message from the app; ``None`` waits forever.
    """

    __test__ = False

    def __init__(self, client: AsyncTestClient[Any], scope: Scope, timeout: float | None = None) -> None:
        self.client = client
        self.scope = scope
        self.timeout = timeout
        self.accepted_subprotocol: str | None = None
        """The subprotocol the app chose when it accepted, or ``None``."""
        self.extra_headers: list[tuple[bytes, bytes]] = []
        """The headers the app added to its ``websocket.accept``."""
        self._connection: _Connection | None = None
        self._task_group: TaskGroup | None = None

    async def __aenter__(self) -> Self:
        client = self.client
        runner = client._runner
        state = dict(runner._state) if runner is not None else {}
        connection = _Connection(client.app, {**self.scope, "state": state}, client.raise_server_exceptions)
        self._connection = connection
        if runner is not None:
            runner._group().start_soon(connection.run)
        else:
            task_group = self._task_group = anyio.create_task_group()
            await task_group.__aenter__()
            task_group.start_soon(connection.run)
        try:
            accept = await connection.connect(self.timeout)
        except BaseException:
            await self._leave()
            raise
        self.accepted_subprotocol = accept.get("subprotocol")
        self.extra_headers = list(accept.get("headers") or [])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self._leave()

    async def _leave(self) -> None:
        task_group, self._task_group = self._task_group, None
        try:
            await self._conn().finish()
        finally:
            if task_group is not None:
                await task_group.__aexit__(None, None, None)

    def _conn(self) -> _Connection:
        if self._connection is None:
            raise RuntimeError(
                "The WebSocket session is not open: use it as `async with await client.websocket_connect(...)`."
            )
        return self._connection

    async def send(
        self, message: Message | str | bytes, mode: Literal["text", "binary"] = "text", encoding: str = "utf-8"
    ) -> None:
        """Send a raw ASGI message to the app (``websocket.receive`` or ``websocket.disconnect``), or data as Litestar's does.

        Args:
            message: The message; or text or bytes, sent as a message of ``mode``.
            mode: For text or bytes: send a text or a binary message.
            encoding: For text or bytes: how to convert between the two.
        """
        self._conn().put(_data_message(message, mode, encoding))

    async def send_text(self, data: str) -> None:
        """Send a text message.

        Args:
            data: The text.
        """
        await self.send(_text_message(data))

    async def send_bytes(self, data: bytes) -> None:
        """Send a binary message.

        Args:
            data: The bytes.
        """
        await self.send(_bytes_message(data))

    async def send_json(self, data: Any, mode: Literal["text", "binary"] = "text") -> None:
        """Send a value as JSON.

        Args:
            data: The value.
            mode: As a ``text`` or ``binary`` message.
        """
        await self.send(_json_message(data, mode))

    async def send_msgpack(self, data: Any) -> None:
        """Send a value as MessagePack, in a binary message.

        Args:
            data: The value.
        """
        await self.send(_bytes_message(encode_msgpack(data)))

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close the connection from the client's side.

        Args:
            code: The close code.
            reason: The close reason.
        """
        await self.send({"type": "websocket.disconnect", "code": code, "reason": reason or ""})

    async def receive(self, block: bool = True, timeout: float | None = None) -> Message:
        """Receive the next ASGI message the app sent (``websocket.send`` or ``websocket.close``).

        Args:
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait; the session's ``timeout`` when ``None``.

        Returns:
            The message.
        """
        return await self._conn().next(self.timeout if timeout is None else timeout, block)

    async def receive_text(self, block: bool = True, timeout: float | None = None) -> str:
        """Receive the next message as text.

        Args:
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait.

        Returns:
            The text.

        Raises:
            WebSocketDisconnect: The app closed the connection.
        """
        return str(_payload(await self.receive(block, timeout), "text"))

    async def receive_bytes(self, block: bool = True, timeout: float | None = None) -> bytes:
        """Receive the next message as bytes.

        Args:
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait.

        Returns:
            The bytes.

        Raises:
            WebSocketDisconnect: The app closed the connection.
        """
        payload = _payload(await self.receive(block, timeout), "binary")
        return payload if isinstance(payload, bytes) else payload.encode()

    async def receive_json(
        self, mode: Literal["text", "binary"] = "text", block: bool = True, timeout: float | None = None
    ) -> Any:
        """Receive the next message and parse it as JSON.

        Args:
            mode: Read the ``text`` or ``binary`` payload.
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait.

        Returns:
            The parsed value.
        """
        return _decode_json(_payload(await self.receive(block, timeout), mode))

    async def receive_msgpack(self, block: bool = True, timeout: float | None = None) -> Any:
        """Receive the next (binary) message and parse it as MessagePack.

        Args:
            block: Wait for a message; ``False`` takes one only if the app has already sent it.
            timeout: Seconds to wait.

        Returns:
            The parsed value.
        """
        return _decode_msgpack(_payload(await self.receive(block, timeout), "binary"))
