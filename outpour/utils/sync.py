"""``litestar.utils.sync``: ``AsyncIteratorWrapper``, a sync iterator walked from a worker thread, and ``ensure_async_callable``.

A ``Stream`` or ``ServerSentEvent`` given a sync iterator does this on its own, faster (it fetches chunks ahead in
batches, ``outpour/response/_threaded.py``); the wrapper is for code that wants an async iterator of its own.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from functools import partial, wraps
from typing import Any, Generic, ParamSpec, TypeVar, cast, overload

import anyio.to_thread

__all__ = ["AsyncIteratorWrapper", "ensure_async_callable"]

T = TypeVar("T")
P = ParamSpec("P")


def _is_async(fn: object) -> bool:
    while isinstance(fn, partial):
        fn = fn.func
    if inspect.iscoroutinefunction(fn):
        return True
    if inspect.isroutine(fn) or inspect.isclass(fn):
        return False
    return inspect.iscoroutinefunction(getattr(fn, "__call__", None))  # noqa: B004


@overload
def ensure_async_callable(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]: ...


@overload
def ensure_async_callable(fn: Callable[P, T]) -> Callable[P, Awaitable[T]]: ...


def ensure_async_callable(fn: Callable[P, Any]) -> Callable[P, Awaitable[Any]]:
    """Return ``fn`` when calling it gives an awaitable, else an async function calling it.

    A function, a bound method, a ``partial`` and an instance with ``__call__`` are all recognised. The wrapped
    sync callable runs on the event loop, not in a thread: give blocking work to ``outpour.concurrency.sync_to_thread``.

    Args:
        fn: The callable.

    Returns:
        An async callable taking the same arguments.
    """
    if _is_async(fn):
        return cast("Callable[P, Awaitable[Any]]", fn)

    async def call(*args: P.args, **kwargs: P.kwargs) -> Any:
        return fn(*args, **kwargs)

    if inspect.isroutine(fn):
        call = wraps(fn)(call)
    return call


_DONE = object()


class AsyncIteratorWrapper(Generic[T]):
    """An async iterator over a sync iterator or iterable, each item fetched in a worker thread.

    A blocking iterator never stalls the event loop; works under asyncio and trio.

    Args:
        iterator: The sync iterator or iterable to go through.
    """

    __slots__ = ("generator", "iterator")

    def __init__(self, iterator: Iterator[T] | Iterable[T]) -> None:
        self.iterator: Iterator[T] = iter(iterator)
        self.generator: AsyncIterator[T] = self._iterate()

    def _next(self) -> T | object:
        return next(self.iterator, _DONE)

    async def _iterate(self) -> AsyncIterator[T]:
        while (item := await anyio.to_thread.run_sync(self._next)) is not _DONE:
            yield item  # type: ignore[misc]

    def __aiter__(self) -> AsyncIteratorWrapper[T]:
        return self

    async def __anext__(self) -> T:
        return await self.generator.__anext__()
