"""Background tasks: callables run after a response's last body byte is sent."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar

from anyio import create_task_group
from anyio.to_thread import run_sync

if TYPE_CHECKING:
    from outpour.types import Scope

__all__ = ["BackgroundTask", "BackgroundTasks"]

P = ParamSpec("P")
T = TypeVar("T")

logger = logging.getLogger("outpour")


class BackgroundTask(Generic[P]):
    """A sync or async callable with its arguments, run after the response is sent.

    Sync callables run in a worker thread so that they do not block the event loop.

    Args:
        fn: The callable.
        *args: Its positional arguments.
        **kwargs: Its keyword arguments.
    """

    __slots__ = ("args", "fn", "is_async", "kwargs")

    def __init__(self, fn: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        target = getattr(fn, "__call__", None) if not inspect.isroutine(fn) else fn  # noqa: B004
        self.is_async = inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(target)

    async def __call__(self) -> None:
        """Run the task."""
        if self.is_async:
            await self.fn(*self.args, **self.kwargs)
        else:
            await run_sync(lambda: self.fn(*self.args, **self.kwargs))

    def __repr__(self) -> str:
        return f"BackgroundTask({getattr(self.fn, '__qualname__', self.fn)!r})"


class BackgroundTasks:
    """Several background tasks, run in order, or concurrently with ``run_in_task_group=True``.

    A failing task is logged and does not stop the tasks after it, nor cancel its siblings.

    Args:
        tasks: The tasks.
        run_in_task_group: Run the tasks concurrently in an anyio task group (the order is then not kept).
    """

    __slots__ = ("run_in_task_group", "tasks")

    def __init__(self, tasks: Iterable[BackgroundTask[Any]], run_in_task_group: bool = False) -> None:
        self.tasks = list(tasks)
        self.run_in_task_group = run_in_task_group

    async def __call__(self, scope: Scope | None = None) -> None:
        """Run the tasks."""
        if self.run_in_task_group:
            async with create_task_group() as tg:
                for task in self.tasks:
                    tg.start_soon(_run_logged, task, scope)
        else:
            for task in self.tasks:
                await _run_logged(task, scope)


async def _run_logged(task: Callable[[], Awaitable[Any]], scope: Scope | None) -> None:
    try:
        await task()
    except Exception:
        where = f" after {scope.get('method')} {scope.get('path')}" if scope else ""
        logger.exception("Background task %r failed%s", task, where)


async def run_background(background: BackgroundTask[Any] | BackgroundTasks | None, scope: Scope | None) -> None:
    """Run ``background`` (one task or several), logging failures with the request's method and path."""
    if background is None:
        return
    if isinstance(background, BackgroundTasks):
        await background(scope)
    else:
        await _run_logged(background, scope)
