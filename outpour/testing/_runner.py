"""The task group, on the app's event loop, in which a test client runs the app's lifespan and its requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio

from outpour.testing._exchange import Exchange, build_scope
from outpour.testing._lifespan import Lifespan

if TYPE_CHECKING:
    import httpx
    from anyio.abc import TaskGroup, TaskStatus

    from outpour.types import ASGIApp, Message

__all__ = ["AppRunner"]


class AppRunner:
    """Runs an app's lifespan and request exchanges as tasks of one task group.

    All methods run on the app's event loop. The sync client starts :meth:`serve` through its portal, the async client
    :meth:`attach`-es a task group it entered itself.

    Args:
        app: The ASGI app.
    """

    __slots__ = ("_exchanges", "_lifespan", "_state", "_task_group", "app")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._state: dict[str, object] = {}
        self._exchanges: set[Exchange] = set()
        self._lifespan: Lifespan | None = None
        self._task_group: TaskGroup | None = None

    async def serve(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Hold a task group open for the app's tasks until :meth:`stop` is called.

        Args:
            task_status: Signalled once requests can be opened.
        """
        async with anyio.create_task_group() as task_group:
            self._task_group = task_group
            task_status.started()
            await anyio.sleep_forever()

    def attach(self, task_group: TaskGroup) -> None:
        """Run the app's tasks in ``task_group``, which the caller has entered.

        Args:
            task_group: The task group; :meth:`stop` cancels it.
        """
        self._task_group = task_group

    def _group(self) -> TaskGroup:
        if self._task_group is None:  # pragma: no cover - the clients always serve or attach first
            raise RuntimeError("The app runner has no task group; call `serve` or `attach` first.")
        return self._task_group

    async def startup(self) -> None:
        """Start the app's lifespan call and run its start-up."""
        lifespan = self._lifespan = Lifespan(self.app, self._state)
        self._group().start_soon(lifespan.run)
        await lifespan.startup()

    async def open(
        self,
        request: httpx.Request,
        body: list[bytes],
        root_path: str,
        raise_server_exceptions: bool,
        timeout: float | None,
    ) -> tuple[Exchange, Message]:
        """Start the app on ``request`` and wait for its ``http.response.start`` message.

        Args:
            request: The request.
            body: The request body's chunks.
            root_path: The scope's ``root_path``.
            raise_server_exceptions: Re-raise the app's exceptions in the client.
            timeout: Seconds to wait for the start message (``None``: forever).

        Returns:
            The exchange, to read the body from, and the start message.
        """
        scope = build_scope(request, root_path, self._state)
        exchange = Exchange(self.app, scope, body, request, raise_server_exceptions, self._exchanges)
        self._group().start_soon(exchange.run)
        return exchange, await exchange.response_start(timeout)

    async def shutdown(self) -> None:
        """Disconnect responses still open, run the lifespan shutdown, then :meth:`stop`."""
        try:
            for exchange in list(self._exchanges):
                exchange.abort()
            if self._lifespan is not None:
                await self._lifespan.shutdown()
        finally:
            self.stop()

    def stop(self) -> None:
        """Disconnect responses still open and cancel every task of the app."""
        for exchange in list(self._exchanges):
            exchange.abort()
        if self._task_group is not None:
            self._task_group.cancel_scope.cancel()
        lifespan, self._lifespan = self._lifespan, None
        if lifespan is not None:
            lifespan.close()
