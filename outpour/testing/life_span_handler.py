"""``LifeSpanHandler``: drive an app's ASGI lifespan by hand, for tests that need start-up without a test client.

The test clients run the lifespan themselves when entered (``with TestClient(app):``); this is the same machinery
with each step exposed::

    async with anyio.create_task_group() as tg:
        handler = LifeSpanHandler(app)
        scope = anyio.CancelScope()
        tg.start_soon(handler.lifespan, scope)
        await handler.wait_startup()  # on_startup hooks and lifespan context managers have run
        ...
        await handler.wait_shutdown()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from outpour.testing._lifespan import Lifespan

if TYPE_CHECKING:
    import anyio

    from outpour.types import ASGIApp, LifeSpanSendMessage

__all__ = ["LifeSpanHandler"]


class LifeSpanHandler:
    """Calls an app with the lifespan scope and exchanges its start-up and shutdown messages.

    Create it inside the event loop, start :meth:`lifespan` in a task group, then await :meth:`wait_startup` and
    :meth:`wait_shutdown`.

    Args:
        app: The ASGI app.
    """

    __slots__ = ("_lifespan", "app")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._lifespan = Lifespan(app, {})

    async def lifespan(self, cs: anyio.CancelScope) -> None:
        """Call the app with the lifespan scope, inside ``cs``: cancel ``cs`` to abandon the call.

        An exception the app raises is kept and raised by the next :meth:`receive`, :meth:`wait_startup` or
        :meth:`wait_shutdown`.

        Args:
            cs: A cancel scope not yet entered.
        """
        with cs:
            await self._lifespan.run()
        if cs.cancel_called:  # abandoned: nobody will wait for start-up or shutdown any more
            self._lifespan.close()

    async def receive(self) -> LifeSpanSendMessage:
        """Wait for the next message the app sends, such as ``lifespan.startup.complete``.

        Returns:
            The message.

        Raises:
            RuntimeError: If the app's lifespan call returned without sending another message.
            Exception: What the app's lifespan call raised.
        """
        import anyio

        try:
            message = await self._lifespan.receive()
        except anyio.EndOfStream:
            raise RuntimeError(
                "The app's lifespan call returned without sending a message; it does not support the lifespan "
                "protocol, or it has already shut down."
            ) from None
        return cast("LifeSpanSendMessage", message)

    async def wait_startup(self) -> None:
        """Send ``lifespan.startup`` and wait until the app has started (nothing to do if it has no lifespan support).

        Raises:
            LifespanFailure: If the app answered ``lifespan.startup.failed`` (a ``RuntimeError``).
        """
        try:
            await self._lifespan.startup()
        except BaseException:
            self._lifespan.close()  # the app has given up: there will be no shutdown
            raise

    async def wait_shutdown(self) -> None:
        """Send ``lifespan.shutdown`` and wait until the app has shut down.

        Raises:
            LifespanFailure: If the app answered ``lifespan.shutdown.failed`` (a ``RuntimeError``).
        """
        try:
            await self._lifespan.shutdown()
        finally:
            self._lifespan.close()
