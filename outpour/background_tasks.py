"""Background tasks: callables run after a response's last body byte is sent.

A response (or a route decorator) takes ``background=BackgroundTask(fn, *args, **kwargs)`` or
``background=BackgroundTasks([...])``. The tasks run once the response is complete, in the request's own task, so the
client already has its answer. Sync callables run in a worker thread (see ``outpour.concurrency``). A failing task is
logged (with the request's method and path) and does not stop the tasks after it.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec

from anyio import create_task_group

from outpour.concurrency import sync_to_thread

if TYPE_CHECKING:
    from outpour.types import Scope

__all__ = ["BackgroundTask", "BackgroundTasks"]

P = ParamSpec("P")

logger = logging.getLogger("outpour")


def _is_async_callable(fn: Any) -> bool:
    while isinstance(fn, functools.partial):
        fn = fn.func
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(type(fn), "__call__", None) if not inspect.isroutine(fn) else None  # noqa: B004
    return call is not None and inspect.iscoroutinefunction(call)


class BackgroundTask(Generic[P]):
    """A sync or async callable with its arguments, run after the response is sent.

    The arguments are type-checked against the callable's signature (``ParamSpec``). Sync callables run in a worker
    thread so that they do not block the event loop.

    Args:
        fn: The callable: a function, a method, or an object with ``__call__``.
        *args: Its positional arguments.
        **kwargs: Its keyword arguments.

    Raises:
        TypeError: If ``fn`` is not callable.
    """

    __slots__ = ("args", "fn", "is_async", "kwargs")

    def __init__(self, fn: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        if not callable(fn):
            raise TypeError(
                f"BackgroundTask needs a callable, got `{fn!r}`: pass the function itself, e.g. "
                "`BackgroundTask(send_email, address)`, not the result of calling it."
            )
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.is_async = _is_async_callable(fn)

    async def __call__(self) -> None:
        """Run the task: await it if it is async, else call it in a worker thread."""
        if self.is_async:
            await self.fn(*self.args, **self.kwargs)
        else:
            await sync_to_thread(self.fn, *self.args, **self.kwargs)

    def __repr__(self) -> str:
        return f"BackgroundTask({getattr(self.fn, '__qualname__', self.fn)!r})"


class BackgroundTasks:
    """Several background tasks, run one after the other, or concurrently with ``run_in_task_group=True``.

    A failing task is logged and does not stop the tasks after it, nor cancel its siblings.

    Args:
        tasks: The tasks (``BackgroundTask`` instances), in the order they run.
        run_in_task_group: Run the tasks concurrently in an anyio task group; their order is then not kept.

    Raises:
        TypeError: If an item of ``tasks`` is not a ``BackgroundTask``.
    """

    __slots__ = ("run_in_task_group", "tasks")

    def __init__(self, tasks: Iterable[BackgroundTask[...]], run_in_task_group: bool = False) -> None:
        self.tasks = list(tasks)
        for task in self.tasks:
            if not isinstance(task, BackgroundTask):
                raise TypeError(
                    f"BackgroundTasks takes `BackgroundTask` instances, got `{task!r}`: wrap it as "
                    "`BackgroundTask(fn, *args, **kwargs)`."
                )
        self.run_in_task_group = run_in_task_group

    async def __call__(self) -> None:
        """Run the tasks, logging each failure."""
        await self._run(None)

    async def _run(self, scope: Scope | None) -> None:
        """Run the tasks, logging each failure with the request's method and path.

        Args:
            scope: The request's ASGI scope, or ``None``.
        """
        if self.run_in_task_group:
            async with create_task_group() as tg:
                for task in self.tasks:
                    tg.start_soon(_run_logged, task, scope)
        else:
            for task in self.tasks:
                await _run_logged(task, scope)

    def __repr__(self) -> str:
        return f"BackgroundTasks({self.tasks!r}, run_in_task_group={self.run_in_task_group})"


async def _run_logged(task: BackgroundTask[Any], scope: Scope | None) -> None:
    try:
        await task()
    except Exception:
        if scope:
            logger.exception(
                "Background task %r failed after %s %s", task, scope.get("method", ""), scope.get("path", "")
            )
        else:
            logger.exception("Background task %r failed", task)


async def run_background(background: BackgroundTask[Any] | BackgroundTasks | None, scope: Scope | None) -> None:
    """Run ``background`` (one task or several), logging failures with the request's method and path.

    Args:
        background: The task(s), or ``None``.
        scope: The request's ASGI scope, for the log of a failing task.
    """
    if background is None:
        return
    if isinstance(background, BackgroundTasks):
        await background._run(scope)
    else:
        await _run_logged(background, scope)
