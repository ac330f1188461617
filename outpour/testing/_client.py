"""``TestClient`` and ``AsyncTestClient``: httpx clients that call an ASGI app in-process."""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar

import anyio
import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

from outpour.testing._runner import AppRunner
from outpour.testing._session import load_session, store_session
from outpour.testing._transport import AsyncTestClientTransport, TestClientTransport
from outpour.testing.websocket_test_session import (
    AsyncWebSocketTestSession,
    WebSocketTestSession,
    build_websocket_scope,
)
from outpour.types import ASGIApp

if TYPE_CHECKING:
    from anyio.abc import TaskGroup

    from outpour.middleware.session.base import BaseBackendConfig

__all__ = ["AsyncTestClient", "TestClient"]

AppT = TypeVar("AppT", bound=ASGIApp)

_HEADERS = {"user-agent": "testclient"}


class TestClient(httpx.Client, Generic[AppT]):
    """A synchronous httpx client whose requests are handled in-process by an ASGI app.

    The app runs on an event loop in a separate thread (an anyio blocking portal). Used as a context manager the
    client keeps that loop running and runs the app's lifespan: start-up on entry, shutdown on exit. Without ``with``,
    each request starts its own loop and the lifespan does not run.

    Responses stream: ``client.stream(...)`` reads the body as the app sends it, and closing the response early makes
    the app's ``receive`` return ``http.disconnect``. Cookies the app sets are sent on later requests, and redirects
    are followed.

    Args:
        app: The ASGI app under test.
        base_url: The scheme and host of request URLs.
        raise_server_exceptions: Re-raise exceptions the app lets escape in the test; otherwise such an exception
            before the response started gives a 500 response.
        root_path: The ``root_path`` of the request scopes.
        backend: The anyio backend that runs the app, ``"asyncio"`` or ``"trio"``.
        backend_options: Options for the backend, as taken by :func:`anyio.run`.
        session_config: The app's session configuration, for ``get_session_data`` and ``set_session_data``.
        timeout: Seconds to wait for each part of the app's response; ``None`` waits forever.
        cookies: Cookies to send with every request.
    """

    __test__ = False

    def __init__(
        self,
        app: AppT,
        base_url: str = "http://testserver.local",
        raise_server_exceptions: bool = True,
        root_path: str = "",
        backend: Literal["asyncio", "trio"] = "asyncio",
        backend_options: Mapping[str, Any] | None = None,
        session_config: BaseBackendConfig[Any] | None = None,
        timeout: float | None = None,
        cookies: httpx._types.CookieTypes | None = None,
    ) -> None:
        self.app: AppT = app
        self.raise_server_exceptions = raise_server_exceptions
        self.root_path = root_path
        self.backend: Literal["asyncio", "trio"] = backend
        self.backend_options = dict(backend_options) if backend_options is not None else None
        self.session_config = session_config
        self._portal: BlockingPortal | None = None
        self._runner: AppRunner | None = None
        self._exit_stack: ExitStack | None = None
        super().__init__(
            base_url=base_url,
            headers=_HEADERS,
            follow_redirects=True,
            cookies=cookies,
            timeout=timeout,
            transport=TestClientTransport(self, raise_server_exceptions=raise_server_exceptions, root_path=root_path),
        )

    def __enter__(self) -> Self:
        if self._portal is not None:
            raise RuntimeError("The test client is already open; enter it once (`with client:`) and reuse it inside.")
        stack = ExitStack()
        portal = stack.enter_context(start_blocking_portal(self.backend, self.backend_options))
        try:
            runner = AppRunner(self.app)
            portal.start_task(runner.serve)
            stack.callback(portal.call, runner.stop)
            portal.call(runner.startup)
            super().__enter__()
        except BaseException:
            stack.close()
            raise
        self._portal, self._runner, self._exit_stack = portal, runner, stack
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        portal, runner, stack = self._portal, self._runner, self._exit_stack
        self._portal = self._runner = self._exit_stack = None
        try:
            if portal is not None and runner is not None and stack is not None:
                with stack:
                    portal.call(runner.shutdown)
        finally:
            super().__exit__(exc_type, exc_value, traceback)

    def websocket_connect(
        self,
        url: str,
        subprotocols: Sequence[str] | None = None,
        params: httpx._types.QueryParamTypes | None = None,
        headers: httpx._types.HeaderTypes | None = None,
        timeout: float | None = None,
    ) -> WebSocketTestSession:
        """Open a WebSocket connection to the app: ``with client.websocket_connect("/ws") as ws``.

        Entering the session connects and waits for the app to accept.

        Args:
            url: The URL or path; the client's ``base_url``, headers and cookies apply.
            subprotocols: The subprotocols offered (``scope["subprotocols"]``).
            params: Query parameters.
            headers: Headers of the handshake request.
            timeout: Seconds to wait for each message from the app; ``None`` waits forever.

        Returns:
            The session. Entering it raises ``WebSocketDisconnect`` when the app refuses the connection.
        """
        request = self.build_request("GET", url, params=params, headers=headers)
        scope = build_websocket_scope(request, subprotocols, self.root_path, {})
        return WebSocketTestSession(self, scope, timeout)

    @property
    def blocking_portal(self) -> BlockingPortal:
        """The portal to the app's event loop while the client is open (``with client:``), to run async code there.

        Raises:
            RuntimeError: The client is not open; use ``with client:``, or ``client.portal()`` for a portal of its own.
        """
        if self._portal is None:
            raise RuntimeError(
                "The test client's event loop runs only while the client is open: use `blocking_portal` inside "
                "`with client:` (`create_test_client(...)` is entered the same way), or `with client.portal() as "
                "portal:` for a portal of its own."
            )
        return self._portal

    def get_session_data(self) -> dict[str, Any]:
        """The session the client's cookies carry or point to, as the session middleware would load it.

        Returns:
            The session data; ``{}`` when there is none.

        Raises:
            ImproperlyConfiguredException: The client was created without ``session_config``.
        """
        with self.portal() as portal:
            return portal.call(load_session, self.session_config, self.app, self.cookies)

    def set_session_data(self, data: dict[str, Any]) -> None:
        """Make ``data`` the client's session, as if a response of the app had saved it (its cookies are kept).

        Args:
            data: The session data.

        Raises:
            ImproperlyConfiguredException: The client was created without ``session_config``.
        """
        with self.portal() as portal:
            portal.call(store_session, self.session_config, self.app, self.cookies, data, str(self.base_url))

    @contextmanager
    def portal(self) -> Generator[BlockingPortal, None, None]:
        """Give a blocking portal to the app's event loop, to run async code from the test.

        Yields:
            The client's portal while it is open, otherwise a new portal on the client's backend.
        """
        if self._portal is not None:
            yield self._portal
        else:
            with start_blocking_portal(self.backend, self.backend_options) as portal:
                yield portal


class AsyncTestClient(httpx.AsyncClient, Generic[AppT]):
    """An async httpx client whose requests are handled in-process by an ASGI app, on the current event loop.

    Used as an async context manager (``async with``) the client runs the app's lifespan (start-up on entry, shutdown
    on exit) and its responses stream like those of :class:`TestClient`. A client that was not entered runs the app
    to the end of each response before returning it, and runs no lifespan.

    Args:
        app: The ASGI app under test.
        base_url: The scheme and host of request URLs.
        raise_server_exceptions: Re-raise exceptions the app lets escape in the test; otherwise such an exception
            before the response started gives a 500 response.
        root_path: The ``root_path`` of the request scopes.
        backend: Kept for compatibility: the app runs on the caller's event loop, whichever backend that is.
        backend_options: Kept for compatibility, unused.
        session_config: The app's session configuration, for ``get_session_data`` and ``set_session_data``.
        timeout: Seconds to wait for each part of the app's response; ``None`` waits forever.
        cookies: Cookies to send with every request.
    """

    __test__ = False

    def __init__(
        self,
        app: AppT,
        base_url: str = "http://testserver.local",
        raise_server_exceptions: bool = True,
        root_path: str = "",
        backend: Literal["asyncio", "trio"] = "asyncio",
        backend_options: Mapping[str, Any] | None = None,
        session_config: BaseBackendConfig[Any] | None = None,
        timeout: float | None = None,
        cookies: httpx._types.CookieTypes | None = None,
    ) -> None:
        self.app: AppT = app
        self.raise_server_exceptions = raise_server_exceptions
        self.root_path = root_path
        self.backend: Literal["asyncio", "trio"] = backend
        self.backend_options = dict(backend_options) if backend_options is not None else None
        self.session_config = session_config
        self._runner: AppRunner | None = None
        self._task_group: TaskGroup | None = None
        super().__init__(
            base_url=base_url,
            headers=_HEADERS,
            follow_redirects=True,
            cookies=cookies,
            timeout=timeout,
            transport=AsyncTestClientTransport(
                self, raise_server_exceptions=raise_server_exceptions, root_path=root_path
            ),
        )

    async def get_session_data(self) -> dict[str, Any]:
        """The session the client's cookies carry or point to, as the session middleware would load it.

        Returns:
            The session data; ``{}`` when there is none.

        Raises:
            ImproperlyConfiguredException: The client was created without ``session_config``.
        """
        return await load_session(self.session_config, self.app, self.cookies)

    async def set_session_data(self, data: dict[str, Any]) -> None:
        """Make ``data`` the client's session, as if a response of the app had saved it (its cookies are kept).

        Args:
            data: The session data.

        Raises:
            ImproperlyConfiguredException: The client was created without ``session_config``.
        """
        await store_session(self.session_config, self.app, self.cookies, data, str(self.base_url))

    async def __aenter__(self) -> Self:
        if self._runner is not None:
            raise RuntimeError(
                "The test client is already open; enter it once (`async with client:`) and reuse it inside."
            )
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        runner = AppRunner(self.app)
        runner.attach(task_group)
        try:
            await runner.startup()
            await super().__aenter__()
        except BaseException as exc:
            runner.stop()
            await _leave(task_group, exc)
            raise
        self._runner, self._task_group = runner, task_group
        return self

    async def websocket_connect(
        self,
        url: str,
        subprotocols: Sequence[str] | None = None,
        params: httpx._types.QueryParamTypes | None = None,
        headers: httpx._types.HeaderTypes | None = None,
        timeout: float | None = None,
    ) -> AsyncWebSocketTestSession:
        """Open a WebSocket connection to the app: ``async with await client.websocket_connect("/ws") as ws``.

        Args:
            url: The URL or path; the client's ``base_url``, headers and cookies apply.
            subprotocols: The subprotocols offered (``scope["subprotocols"]``).
            params: Query parameters.
            headers: Headers of the handshake request.
            timeout: Seconds to wait for each message from the app; ``None`` waits forever.

        Returns:
            The session. Entering it raises ``WebSocketDisconnect`` when the app refuses the connection.
        """
        request = self.build_request("GET", url, params=params, headers=headers)
        scope = build_websocket_scope(request, subprotocols, self.root_path, {})
        return AsyncWebSocketTestSession(self, scope, timeout)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        runner, task_group = self._runner, self._task_group
        self._runner = self._task_group = None
        try:
            if runner is not None and task_group is not None:
                try:
                    if not isinstance(exc_value, anyio.get_cancelled_exc_class()):
                        await runner.shutdown()
                finally:
                    runner.stop()
                    await _leave(task_group, exc_value)
        finally:
            await super().__aexit__(exc_type, exc_value, traceback)


async def _leave(task_group: TaskGroup, exc: BaseException | None) -> None:
    """Exit ``task_group``, passing on only a cancellation so that other errors are not wrapped in a group."""
    if isinstance(exc, anyio.get_cancelled_exc_class()):
        await task_group.__aexit__(type(exc), exc, exc.__traceback__)
    else:
        await task_group.__aexit__(None, None, None)
