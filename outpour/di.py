"""Dependency injection: ``Provide`` wraps a callable whose result is injected into handlers by parameter name."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.types import AnyCallable

__all__ = ["Provide"]


class Provide:
    """A dependency provider: a sync or async callable, a generator (cleanup after the response), or a class.

    The provider's own parameters are resolved like a handler's: other dependencies, path, query, header and cookie
    parameters, ``request``, ``state`` and the rest.

    Args:
        dependency: The callable that provides the value.
        use_cache: Call it once and reuse the value for the app's lifetime.
        sync_to_thread: Run a sync callable in a worker thread; by default it runs on the event loop.
    """

    __slots__ = (
        "cached_value",
        "dependency",
        "has_sync_callable",
        "is_async_generator",
        "is_generator",
        "sync_to_thread",
        "use_cache",
    )

    def __init__(self, dependency: AnyCallable, use_cache: bool = False, sync_to_thread: bool | None = None) -> None:
        if not callable(dependency):
            raise TypeError(f"`Provide` needs a callable, got `{dependency!r}`.")
        self.dependency = dependency
        self.use_cache = use_cache
        self.sync_to_thread = bool(sync_to_thread)
        self.cached_value: Any = Empty
        target = (
            dependency if inspect.isroutine(dependency) or inspect.isclass(dependency) else type(dependency).__call__
        )
        self.is_generator = inspect.isgeneratorfunction(target)
        self.is_async_generator = inspect.isasyncgenfunction(target)
        self.has_sync_callable = not (self.is_async_generator or inspect.iscoroutinefunction(target))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Provide) and other.dependency == self.dependency and other.use_cache == self.use_cache

    def __hash__(self) -> int:
        return hash((self.dependency, self.use_cache))

    def __repr__(self) -> str:
        return f"Provide({getattr(self.dependency, '__qualname__', self.dependency)!r})"
