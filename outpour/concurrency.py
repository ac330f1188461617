"""Running synchronous callables in worker threads: sync handlers, dependencies and background tasks.

By default a callable runs in anyio's worker threads, at most 40 at a time (anyio's default limiter), on asyncio and
trio alike. Two settings change that, each for its own event loop:

* ``set_asyncio_executor(executor)``: on asyncio, run them in this ``concurrent.futures.ThreadPoolExecutor`` instead;
  its ``max_workers`` bounds how many run at once.
* ``set_trio_capacity_limiter(limiter)``: on trio, run them in trio's worker threads, at most ``limiter``'s number of
  tokens at a time.

Set them before the app starts serving: changing either from inside a running event loop raises ``RuntimeError``,
since requests already being served would otherwise see two different settings.

::

    from concurrent.futures import ThreadPoolExecutor

    from outpour.concurrency import set_asyncio_executor

    set_asyncio_executor(ThreadPoolExecutor(max_workers=8, thread_name_prefix="handlers"))
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import anyio.to_thread

if TYPE_CHECKING:
    import trio

__all__ = [
    "get_asyncio_executor",
    "get_trio_capacity_limiter",
    "set_asyncio_executor",
    "set_trio_capacity_limiter",
    "sync_to_thread",
]

P = ParamSpec("P")
T = TypeVar("T")


class _Settings:
    """The configured executor and limiter; ``None`` means anyio's default worker threads."""

    executor: ThreadPoolExecutor | None = None
    limiter: trio.CapacityLimiter | None = None


def _in_asyncio_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _in_trio_run() -> bool:
    trio_module = sys.modules.get("trio")  # if trio was never imported, no trio loop is running
    if trio_module is None:
        return False
    try:
        trio_module.lowlevel.current_task()
    except RuntimeError:
        return False
    return True


def get_asyncio_executor() -> ThreadPoolExecutor | None:
    """Return the executor synchronous callables run in on asyncio.

    Returns:
        The executor given to :func:`set_asyncio_executor`, or ``None`` when anyio's worker threads are used.
    """
    return _Settings.executor


def set_asyncio_executor(executor: ThreadPoolExecutor | None) -> None:
    """Run synchronous callables in ``executor`` on asyncio; ``None`` goes back to anyio's worker threads.

    outpour does not shut the executor down: the application owns it.

    Args:
        executor: The executor, or ``None``.

    Raises:
        RuntimeError: If called while an asyncio event loop is running in this thread.
    """
    if _in_asyncio_loop():
        raise RuntimeError(
            "`set_asyncio_executor` was called from a running event loop. Call it before the app starts serving, "
            "e.g. at import time or before `uvicorn.run(...)`."
        )
    _Settings.executor = executor


def get_trio_capacity_limiter() -> trio.CapacityLimiter | None:
    """Return the capacity limiter bounding synchronous callables' threads on trio.

    Returns:
        The limiter given to :func:`set_trio_capacity_limiter`, or ``None`` when anyio's worker threads are used.
    """
    return _Settings.limiter


def set_trio_capacity_limiter(limiter: trio.CapacityLimiter | None) -> None:
    """Run synchronous callables in trio's worker threads, at most ``limiter``'s tokens at a time, on trio.

    ``None`` goes back to anyio's worker threads.

    Args:
        limiter: A ``trio.CapacityLimiter``, or ``None``.

    Raises:
        RuntimeError: If called from inside ``trio.run``.
    """
    if _in_trio_run():
        raise RuntimeError(
            "`set_trio_capacity_limiter` was called from inside `trio.run`. Call it before the app starts serving."
        )
    _Settings.limiter = limiter


async def sync_to_thread(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call ``fn(*args, **kwargs)`` in a worker thread and return its result, without blocking the event loop.

    The thread sees the caller's context variables. Which threads are used follows :func:`set_asyncio_executor` and
    :func:`set_trio_capacity_limiter`.

    Args:
        fn: A synchronous callable.
        *args: Its positional arguments.
        **kwargs: Its keyword arguments.

    Returns:
        What ``fn`` returned.
    """
    call = functools.partial(fn, *args, **kwargs)
    executor, limiter = _Settings.executor, _Settings.limiter
    if executor is not None and _in_asyncio_loop():
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(executor, context.run, call)
    if limiter is not None and _in_trio_run():
        import trio

        return await trio.to_thread.run_sync(call, limiter=limiter)
    return await anyio.to_thread.run_sync(call)
