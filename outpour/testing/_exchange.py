"""One HTTP request and its response, exchanged with an ASGI app on the app's event loop.

Every coroutine here runs on the loop that runs the app: the async client awaits them directly, the sync client calls
them through its blocking portal. The app's ``send`` hands each message over only when the client asks for the next
one, so a streamed response is read as the app produces it and an endless one can be abandoned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import anyio
import httpx

if TYPE_CHECKING:
    from outpour.types import ASGIApp, Message, Scope

__all__ = ["DISCONNECT_GRACE", "ClientDisconnected", "Exchange", "build_scope", "read_timeout"]

DISCONNECT_GRACE: Final = 1.0
"""Seconds an app gets to return after the client closed its response, before its task is cancelled."""

_CLIENT: Final = ("testclient", 50000)
_FALLBACK_BODY: Final = b"Internal Server Error"
_FALLBACK_START: Final = {
    "type": "http.response.start",
    "status": 500,
    "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(_FALLBACK_BODY)).encode()),
    ],
}
_DEFAULT_PORTS: Final = {"http": 80, "https": 443, "ws": 80, "wss": 443}


class ClientDisconnected(OSError):
    """Raised by the app's ``send`` once the client closed the response (ASGI HTTP spec 2.4)."""


def build_scope(request: httpx.Request, root_path: str, state: dict[str, object]) -> Scope:
    """Build the ASGI HTTP scope for an httpx request.

    Args:
        request: The request the client is sending.
        root_path: The ``root_path`` the app is mounted at.
        state: The lifespan state; the scope gets a shallow copy.

    Returns:
        The scope: ``path`` is percent-decoded, ``raw_path`` and ``query_string`` are the bytes as sent, header names
        are lower-cased.
    """
    url = request.url
    scheme = url.scheme
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": scheme,
        "path": url.path,
        "raw_path": url.raw_path.partition(b"?")[0],
        "query_string": url.query,
        "root_path": root_path,
        "headers": [(name.lower(), value) for name, value in request.headers.raw],
        "client": _CLIENT,
        "server": (url.host, url.port or _DEFAULT_PORTS.get(scheme, 80)),
        "state": state.copy(),
        "extensions": {},
    }


def read_timeout(request: httpx.Request) -> float | None:
    """Return the read timeout httpx attached to ``request``, in seconds (``None``: wait forever).

    Args:
        request: The request the client is sending.

    Returns:
        The ``read`` entry of the request's ``timeout`` extension.
    """
    timeout: float | None = request.extensions.get("timeout", {}).get("read")
    return timeout


def _is_disconnect(exc: BaseException) -> bool:
    if isinstance(exc, ClientDisconnected):
        return True
    return isinstance(exc, BaseExceptionGroup) and exc.split(ClientDisconnected)[1] is None


class Exchange:
    """Runs the app for one request and hands its response messages to the client one at a time.

    Create it on the app's event loop, start :meth:`run` in a task group, then call :meth:`response_start`, then
    :meth:`next_chunk` until it reports the end, and finally :meth:`aclose`.

    Args:
        app: The ASGI app.
        scope: The request's HTTP scope.
        body: The request body's chunks.
        request: The httpx request (named in timeout errors).
        raise_server_exceptions: Re-raise the app's exceptions in the client; otherwise an exception before the
            response started becomes a 500 response and a later one ends the body early.
        registry: The set of open exchanges this one removes itself from once closed.
    """

    __slots__ = (
        "_app",
        "_body",
        "_cancel_scope",
        "_exc",
        "_fallback",
        "_finished",
        "_from_app",
        "_is_head",
        "_over",
        "_raise",
        "_registry",
        "_request",
        "_scope",
        "_sent_last",
        "_started",
        "_to_client",
        "closed",
        "complete",
    )

    def __init__(
        self,
        app: ASGIApp,
        scope: Scope,
        body: list[bytes],
        request: httpx.Request,
        raise_server_exceptions: bool,
        registry: set[Exchange],
    ) -> None:
        self._app = app
        self._scope = scope
        chunks = [chunk for chunk in body if chunk]
        chunks.reverse()
        self._body: list[bytes] | None = chunks
        self._request = request
        self._raise = raise_server_exceptions
        self._registry = registry
        self._is_head = scope["method"] == "HEAD"
        self._to_client, self._from_app = anyio.create_memory_object_stream[dict[str, Any]](0)
        self._finished = anyio.Event()
        self._over = anyio.Event()
        self._cancel_scope = anyio.CancelScope()
        self._exc: Exception | None = None
        self._started = False
        self._sent_last = False
        self._fallback = False
        self.complete = False
        """The client received the last piece of the response body."""
        self.closed = False
        """The client is done with this exchange: nothing is left to wait for or to report."""
        registry.add(self)

    async def run(self) -> None:
        """Run the app to its end, keeping any exception it raises for the client."""
        try:
            with self._cancel_scope:
                await self._app(self._scope, self._receive, self._send)
        except Exception as exc:
            self._exc = exc
        finally:
            self._finished.set()
            self._to_client.close()

    async def _receive(self) -> Message:
        chunks = self._body
        if chunks is not None:
            if len(chunks) > 1:
                return {"type": "http.request", "body": chunks.pop(), "more_body": True}
            self._body = None
            return {"type": "http.request", "body": chunks[0] if chunks else b"", "more_body": False}
        await self._over.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: Message) -> None:
        if self._over.is_set() and not self._sent_last:
            raise ClientDisconnected("The client closed the response; stop sending.")
        kind = message["type"]
        if kind == "http.response.body":
            if not self._started:
                raise RuntimeError(
                    "The app sent `http.response.body` before `http.response.start`; send the start message first."
                )
            if self._sent_last:
                raise RuntimeError(
                    "The app sent `http.response.body` after the response was complete (a body message without "
                    "`more_body`); send `more_body=True` on every body message but the last."
                )
            more_body = message.get("more_body", False)
            if self._is_head:
                if more_body:
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            elif more_body and not message.get("body"):
                return
            self._sent_last = not more_body
            await self._hand_over(message)
        elif kind == "http.response.start":
            if self._started:
                raise RuntimeError("The app sent `http.response.start` twice; send it once per response.")
            self._started = True
            await self._hand_over(message)
        elif kind == "http.response.push":
            # The test client takes no pushed responses, like an HTTP/2 client that disables push (RFC 9113,
            # section 8.4): the promise is dropped and the response goes on.
            return
        else:
            raise RuntimeError(
                f"The app sent a message of type `{kind}` on an HTTP connection; the test client supports only "
                "`http.response.start` and `http.response.body`."
            )

    async def _hand_over(self, message: Message) -> None:
        try:
            await self._to_client.send(message)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            raise ClientDisconnected("The client closed the response; stop sending.") from None

    async def _next_message(self, timeout: float | None) -> Message | None:
        """Return the app's next message, or ``None`` once the app has returned."""
        try:
            with anyio.fail_after(timeout):
                return await self._from_app.receive()
        except anyio.EndOfStream:
            return None
        except TimeoutError:
            self.abort()
            raise httpx.ReadTimeout(
                f"The app sent nothing for `{timeout}` seconds; answer sooner or raise the client's `timeout`.",
                request=self._request,
            ) from None

    def _finish(self) -> None:
        """Mark the exchange closed and re-raise the app's exception if the client wants it."""
        self.closed = True
        self._registry.discard(self)
        self._from_app.close()
        exc, self._exc = self._exc, None
        if exc is not None and self._raise and not _is_disconnect(exc):
            raise exc

    async def response_start(self, timeout: float | None) -> Message:
        """Wait for the app's ``http.response.start`` message.

        Args:
            timeout: Seconds to wait (``None``: forever).

        Returns:
            The start message; a 500 one if the app raised first and server exceptions are not raised.

        Raises:
            RuntimeError: If the app returned without starting a response.
            httpx.ReadTimeout: If the app sent nothing within ``timeout``.
        """
        message = await self._next_message(timeout)
        if message is not None:
            return message
        app_failed = self._exc is not None
        self._finish()  # raises the app's exception when asked to
        if app_failed:
            self._fallback = True
            return _FALLBACK_START
        raise RuntimeError(
            "The app returned without sending `http.response.start`; answer every HTTP request with a "
            "`http.response.start` message followed by `http.response.body` messages."
        )

    async def next_chunk(self, timeout: float | None) -> tuple[bytes, bool]:
        """Wait for the next piece of the response body.

        The last piece is returned only once the app has returned, so that work it does after responding (background
        tasks, hooks) is finished when the client has the whole response.

        Args:
            timeout: Seconds to wait for the app (``None``: forever).

        Returns:
            The chunk and whether more follow.

        Raises:
            RuntimeError: If the app returned without finishing the response.
            httpx.ReadTimeout: If the app sent nothing within ``timeout``.
        """
        if self._fallback:
            self.complete = True
            return _FALLBACK_BODY, False
        message = await self._next_message(timeout)
        if message is None:
            app_failed = self._exc is not None
            self._finish()  # raises the app's exception when asked to
            if app_failed:
                return b"", False
            raise RuntimeError(
                "The app returned without finishing the response; send a last `http.response.body` message with "
                "`more_body` false."
            )
        body: bytes = message.get("body", b"")
        if message.get("more_body", False):
            return body, True
        self.complete = True
        self._over.set()
        await self._finished.wait()
        self._finish()
        return body, False

    async def aclose(self) -> None:
        """Release the exchange once the client is done with the response.

        If the response was not read to its end the client counts as disconnected: the app's ``receive`` returns
        ``http.disconnect``, its ``send`` raises :class:`ClientDisconnected`, and after :data:`DISCONNECT_GRACE`
        seconds its task is cancelled. Otherwise this waits for the app to return.
        """
        if self.closed:
            return
        if not self.complete:
            self._over.set()
            self._from_app.close()
            with anyio.move_on_after(DISCONNECT_GRACE):
                await self._finished.wait()
            self._cancel_scope.cancel()
        await self._finished.wait()
        self._finish()

    def abort(self) -> None:
        """Disconnect the client and cancel the app's task at once, discarding any exception it raises."""
        self.closed = True
        self._registry.discard(self)
        self._over.set()
        self._from_app.close()
        self._to_client.close()
        self._cancel_scope.cancel()
