"""``EventListener`` and its decorator name ``listener``: a callable run when the app emits one of its event ids."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from outpour.concurrency import sync_to_thread
from outpour.exceptions import ImproperlyConfiguredException
from outpour.utils.predicates import is_async_callable

__all__ = ["EventListener", "listener"]


class EventListener:
    """A callable listening to one or more event ids; ``@listener("user_created")`` makes one of a function.

    Give the listeners to the app as ``Outpour(listeners=[...])``; ``app.emit(event_id, *args, **kwargs)`` then calls
    each listener of ``event_id`` with those arguments, in a task of its own, after the emitting code has moved on.

    ::

        @listener("user_created", "password_changed")
        async def send_email(email: str, **kwargs: Any) -> None: ...
    """

    __slots__ = ("event_ids", "fn")

    fn: Callable[..., Awaitable[Any]]
    """The listener as an async callable: the function itself when it is ``async``; for a sync function, an async
    function calling it in a worker thread (``outpour.concurrency.sync_to_thread``); ``__wrapped__`` is the function."""

    def __init__(self, *event_ids: str) -> None:
        """Create the decorator of a listener of ``event_ids``.

        Args:
            *event_ids: The ids of the events to listen to, one argument each: ``listener("a", "b")``.

        Raises:
            ImproperlyConfiguredException: No event id was given, or one is not a non-empty ``str``.
        """
        if not event_ids:
            raise ImproperlyConfiguredException(
                "`listener()` was given no event id: name the events to listen to, as in "
                "`@listener('user_created')` or `@listener('user_created', 'user_deleted')`."
            )
        for event_id in event_ids:
            if not isinstance(event_id, str) or not event_id:
                raise ImproperlyConfiguredException(
                    f"`listener{event_ids!r}`: every event id must be a non-empty `str`, got `{event_id!r}`. Give "
                    "each id as its own argument, as in `@listener('user_created', 'user_deleted')`."
                )
        self.event_ids: frozenset[str] = frozenset(event_ids)
        """The event ids listened to."""

    def __call__(self, fn: Callable[..., Any]) -> EventListener:
        """Make ``fn`` the listener (used as a decorator).

        Args:
            fn: A sync or async callable, called with the arguments given to ``emit``.

        Returns:
            This listener, to give to the app's ``listeners``.

        Raises:
            ImproperlyConfiguredException: ``fn`` is not callable.
        """
        if not callable(fn):
            raise ImproperlyConfiguredException(
                f"`@listener({', '.join(map(repr, sorted(self.event_ids)))})` decorates a function, but was given "
                f"`{fn!r}`, which is not callable. Put the decorator on the (sync or async) function to call."
            )
        self.fn = fn if is_async_callable(fn) else _in_thread(fn)
        return self

    def __repr__(self) -> str:
        fn = getattr(self, "fn", None)
        name = getattr(getattr(fn, "__wrapped__", fn), "__qualname__", repr(fn))
        return f"EventListener({', '.join(map(repr, sorted(self.event_ids)))}, fn={name})"


listener = EventListener
"""The decorator making an ``EventListener`` of a function: ``@listener("event_id", ...)``."""


def _in_thread(fn: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """An async function calling the sync ``fn`` in a worker thread, so a blocking listener never stalls the loop."""

    async def call_in_thread(*args: Any, **kwargs: Any) -> Any:
        return await sync_to_thread(fn, *args, **kwargs)

    # Sets `__wrapped__` to `fn`; names a callable instance lacks are skipped.
    return functools.update_wrapper(call_in_thread, fn, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
