"""httpx transports that hand requests to an ASGI app in-process and stream its responses back."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, cast

import anyio
import httpx
from anyio.from_thread import start_blocking_portal

from outpour.testing._exchange import read_timeout
from outpour.testing._runner import AppRunner

if TYPE_CHECKING:
    from anyio.from_thread import BlockingPortal

    from outpour.testing._client import AsyncTestClient, TestClient
    from outpour.testing._exchange import Exchange
    from outpour.types import Message

__all__ = ["AsyncTestClientTransport", "TestClientTransport"]


def _response(start: Message, stream: httpx.SyncByteStream | httpx.AsyncByteStream) -> httpx.Response:
    return httpx.Response(start["status"], headers=start.get("headers") or [], stream=stream)


class _SyncResponseStream(httpx.SyncByteStream):
    """A response body read from the app through the client's portal, one ASGI message at a time."""

    __slots__ = ("_exchange", "_portal", "_stack", "_timeout")

    def __init__(
        self, portal: BlockingPortal, exchange: Exchange, timeout: float | None, stack: ExitStack | None
    ) -> None:
        self._portal = portal
        self._exchange = exchange
        self._timeout = timeout
        self._stack = stack

    def __iter__(self) -> Iterator[bytes]:
        call, next_chunk, timeout = self._portal.call, self._exchange.next_chunk, self._timeout
        more = True
        while more:
            chunk, more = call(next_chunk, timeout)
            if chunk:
                yield chunk

    def close(self) -> None:
        try:
            if not self._exchange.closed:
                self._portal.call(self._exchange.aclose)
        finally:
            stack, self._stack = self._stack, None
            if stack is not None:
                stack.close()


class _AsyncResponseStream(httpx.AsyncByteStream):
    """A response body read from the app, one ASGI message at a time.

    It is its own iterator rather than an async generator, so that a body abandoned half-way needs no finalizing.
    """

    __slots__ = ("_exchange", "_more", "_timeout")

    def __init__(self, exchange: Exchange, timeout: float | None) -> None:
        self._exchange = exchange
        self._timeout = timeout
        self._more = True

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        while self._more:
            chunk, self._more = await self._exchange.next_chunk(self._timeout)
            if chunk:
                return chunk
        raise StopAsyncIteration

    async def aclose(self) -> None:
        await self._exchange.aclose()


class TestClientTransport(httpx.BaseTransport):
    """The transport of :class:`~outpour.testing.TestClient`: runs the app in the client's blocking portal.

    A client used as a context manager keeps one portal (an event loop in a thread) open; otherwise each request opens
    its own, closed with the response.

    Args:
        client: The test client, whose ``app``, ``backend`` and ``backend_options`` are used.
        raise_server_exceptions: Re-raise the app's exceptions in the test; otherwise an exception before the response
            started becomes a 500 response.
        root_path: The scope's ``root_path``.
    """

    __test__ = False

    def __init__(self, client: TestClient[Any], raise_server_exceptions: bool = True, root_path: str = "") -> None:
        self.client = client
        self.raise_server_exceptions = raise_server_exceptions
        self.root_path = root_path

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to the app and return its response, whose body streams from the app.

        Args:
            request: The request.

        Returns:
            The response, once the app sent ``http.response.start``.
        """
        try:
            body = [request.content]
        except httpx.RequestNotRead:
            body = list(cast("Iterable[bytes]", request.stream))
        timeout = read_timeout(request)
        client = self.client
        portal, runner = client._portal, client._runner
        stack = None
        if portal is None or runner is None:
            stack = ExitStack()
            portal = stack.enter_context(start_blocking_portal(client.backend, client.backend_options))
            runner = AppRunner(client.app)
            portal.start_task(runner.serve)
            stack.callback(portal.call, runner.stop)
        try:
            exchange, start = portal.call(
                runner.open, request, body, self.root_path, self.raise_server_exceptions, timeout
            )
        except BaseException:
            if stack is not None:
                stack.close()
            raise
        return _response(start, _SyncResponseStream(portal, exchange, timeout, stack))


class AsyncTestClientTransport(httpx.AsyncBaseTransport):
    """The transport of :class:`~outpour.testing.AsyncTestClient`: runs the app on the current event loop.

    Inside ``async with client`` the response body streams from the app; a client that was not entered runs the app
    to its end and returns the whole response (so it cannot read an endless stream).

    Args:
        client: The test client, whose ``app`` is used.
        raise_server_exceptions: Re-raise the app's exceptions in the test; otherwise an exception before the response
            started becomes a 500 response.
        root_path: The scope's ``root_path``.
    """

    __test__ = False

    def __init__(self, client: AsyncTestClient[Any], raise_server_exceptions: bool = True, root_path: str = "") -> None:
        self.client = client
        self.raise_server_exceptions = raise_server_exceptions
        self.root_path = root_path

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to the app and return its response.

        Args:
            request: The request.

        Returns:
            The response, once the app sent ``http.response.start``.
        """
        try:
            body = [request.content]
        except httpx.RequestNotRead:
            body = [chunk async for chunk in cast("AsyncIterable[bytes]", request.stream)]
        timeout = read_timeout(request)
        runner = self.client._runner
        if runner is not None:
            exchange, start = await runner.open(request, body, self.root_path, self.raise_server_exceptions, timeout)
            return _response(start, _AsyncResponseStream(exchange, timeout))
        return await self._run_to_end(request, body, timeout)

    async def _run_to_end(self, request: httpx.Request, body: list[bytes], timeout: float | None) -> httpx.Response:
        runner = AppRunner(self.client.app)
        error: BaseException | None = None
        chunks: list[bytes] = []
        start: Message = {}
        # Errors are raised after the task group is left, so that they are not wrapped in an exception group.
        async with anyio.create_task_group() as task_group:
            runner.attach(task_group)
            try:
                exchange, start = await runner.open(
                    request, body, self.root_path, self.raise_server_exceptions, timeout
                )
                try:
                    more = True
                    while more:
                        chunk, more = await exchange.next_chunk(timeout)
                        chunks.append(chunk)
                finally:
                    await exchange.aclose()
            except Exception as exc:
                error = exc
            finally:
                runner.stop()
        if error is not None:
            raise error
        return _response(start, httpx.ByteStream(b"".join(chunks)))
