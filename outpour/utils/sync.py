"""``litestar.utils.sync``: ``AsyncIteratorWrapper``, a sync iterator walked from a worker thread.

A ``Stream`` or ``ServerSentEvent`` given a sync iterator does this on its own, faster (it fetches chunks ahead in
batches, ``outpour/response/_threaded.py``); the wrapper is for code that wants an async iterator of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Generic, TypeVar

import anyio.to_thread

__all__ = ["AsyncIteratorWrapper"]

T = TypeVar("T")

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
