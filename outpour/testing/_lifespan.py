"""The ASGI lifespan protocol as a test client speaks it: start-up when the client is entered, shutdown on exit."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

import anyio

from outpour.testing._exchange import DISCONNECT_GRACE

if TYPE_CHECKING:
    from outpour.types import ASGIApp

__all__ = ["Lifespan", "LifespanFailure"]

_ASGI: Final = {"version": "3.0", "spec_version": "2.0"}


class LifespanFailure(ExceptionGroup[Exception], RuntimeError):
    """The app answered ``lifespan.startup`` or ``lifespan.shutdown`` with a ``.failed`` or an unexpected message.

    A ``RuntimeError``, and an ``ExceptionGroup`` (as Litestar's clients raise start-up errors from their task group)
    holding the exception the app's lifespan call raised, or a ``RuntimeError`` with the same message.
    """

    @classmethod
    def create(cls, message: str, cause: Exception | None) -> LifespanFailure:
        """Build the failure from its message and the exception behind it, if the app raised one.

        Args:
            message: What went wrong.
            cause: The exception the app's lifespan call raised, or None.

        Returns:
            The failure.
        """
        return cls(message, [cause if cause is not None else RuntimeError(message)])


class Lifespan:
    """Runs one app's lifespan call; create it on the app's event loop and start :meth:`run` in a task group.

    An app that returns from the lifespan call without sending anything does not support lifespan: start-up and
    shutdown then do nothing. An exception the app raises before answering is re-raised to the client.

    Args:
        app: The ASGI app.
        state: The lifespan state dict (``scope["state"]``), copied into every request's scope.
    """

    __slots__ = ("_app", "_exc", "_finished", "_from_app", "_inbox", "_outbox", "_state", "_to_app")

    def __init__(self, app: ASGIApp, state: dict[str, object]) -> None:
        self._app = app
        self._state = state
        self._to_app, self._inbox = anyio.create_memory_object_stream[dict[str, Any]](math.inf)
        self._outbox, self._from_app = anyio.create_memory_object_stream[dict[str, Any]](math.inf)
        self._finished = anyio.Event()
        self._exc: Exception | None = None

    async def run(self) -> None:
        """Call the app with the lifespan scope, keeping any exception it raises for the client."""
        scope = {"type": "lifespan", "asgi": dict(_ASGI), "state": self._state}
        try:
            await self._app(scope, self._inbox.receive, self._outbox.send)
        except Exception as exc:
            self._exc = exc
        finally:
            self._finished.set()
            self._outbox.close()

    async def startup(self) -> None:
        """Send ``lifespan.startup`` and wait for the app's answer.

        Raises:
            LifespanFailure: If the app answered ``lifespan.startup.failed`` or with an unexpected message.
        """
        await self._exchange("startup")

    async def shutdown(self) -> None:
        """Send ``lifespan.shutdown`` and wait for the app's answer (nothing to do if its lifespan call returned).

        Raises:
            LifespanFailure: If the app answered ``lifespan.shutdown.failed`` or with an unexpected message.
        """
        if not self._finished.is_set():
            await self._exchange("shutdown")
        self._reraise()

    def close(self) -> None:
        """Close the lifespan's message streams; call once its task is done or cancelled."""
        for stream in (self._to_app, self._inbox, self._outbox, self._from_app):
            stream.close()

    def _reraise(self) -> None:
        exc, self._exc = self._exc, None
        if exc is not None:
            raise exc

    async def receive(self) -> dict[str, Any]:
        """Wait for the next message the app sends.

        Returns:
            The message.

        Raises:
            anyio.EndOfStream: If the app's lifespan call returned without sending another message.
            Exception: What the app's lifespan call raised, if it raised before sending another message.
        """
        try:
            return await self._from_app.receive()
        except anyio.EndOfStream:
            self._reraise()
            raise

    async def _exchange(self, phase: str) -> None:
        self._to_app.send_nowait({"type": f"lifespan.{phase}"})
        try:
            message = await self.receive()
        except anyio.EndOfStream:
            return
        kind = message.get("type")
        if kind == f"lifespan.{phase}.complete":
            return
        if kind == f"lifespan.{phase}.failed":
            with anyio.move_on_after(DISCONNECT_GRACE):
                await self._finished.wait()
            exc, self._exc = self._exc, None
            raise LifespanFailure.create(
                f"The app's lifespan {phase} failed with message `{message.get('message', '')}`; fix the "
                f"{phase} hook or lifespan context manager that raised.",
                exc,
            ) from exc
        raise LifespanFailure.create(
            f"Received unexpected ASGI message type: the app sent `{kind}` in answer to `lifespan.{phase}`; answer "
            f"with `lifespan.{phase}.complete` or `lifespan.{phase}.failed`.",
            None,
        )
