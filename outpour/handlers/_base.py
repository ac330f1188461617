"""What every route handler shares: its paths, its function and its layered options."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self

from outpour._options import Layer, split_handler_options
from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour.types import AnyCallable, EmptyType

__all__ = ["BaseRouteHandler", "normalize_path"]


def normalize_path(path: str) -> str:
    """Return ``path`` with one leading slash and no trailing one (the root stays ``/``)."""
    if not isinstance(path, str):
        raise ImproperlyConfiguredException(f"A route path must be a string, got `{path!r}`.")
    path = "/" + path.strip("/")
    while "//" in path:
        path = path.replace("//", "/")
    return path


def join_paths(*parts: str) -> str:
    """Join path fragments into one normalized path."""
    return normalize_path("/".join(p.strip("/") for p in parts if p and p != "/"))


class BaseRouteHandler:
    """A route handler: a function with the paths it answers and its own layer of options.

    Args:
        path: A path or a list of paths; ``/`` when not given.
        fn: The handler function (also set by calling the handler as a decorator).
        options: The options of ``layer`` in ``outpour._options.OPTIONS``; any other keyword goes into ``opt``.

    Raises:
        ImproperlyConfiguredException: An option Litestar takes but outpour does not implement yet was given.
    """

    layer: ClassVar[Layer]
    """The row of ``outpour._options.OPTIONS`` this kind of handler takes its options from."""

    # Set from the options in __init__; declared for type checkers.
    name: str | None
    opt: dict[str, Any]
    request_max_body_size: int | EmptyType | None
    dependencies: Mapping[str, Any] | None
    middleware: Sequence[Any] | None
    guards: Sequence[Any] | None
    tags: Sequence[str] | None
    include_in_schema: bool | EmptyType

    def __init__(
        self, path: str | Sequence[str] | None = None, *, fn: AnyCallable | None = None, **options: Any
    ) -> None:
        if path is None:
            paths = ["/"]
        elif isinstance(path, str):
            paths = [path]
        else:
            paths = list(path)
        where = f"`@{self.decorator_name}({'' if path is None else repr(path)})`"
        if fn is not None:
            where += f" on `{getattr(fn, '__qualname__', fn)}`"
        known, extra = split_handler_options(self.layer, options, where)
        self.paths = list(dict.fromkeys(normalize_path(p) for p in paths))
        for option, value in known.items():  # the options of `self.layer`, as declared in outpour._options
            setattr(self, option, value)
        # As in Litestar, any other keyword is an `opt` entry (`@get("/", no_timeout=True)`). `opt` is a dict even
        # before the app merges the layers' `opt` into it (guards read it directly).
        self.opt = {**(self.opt or {}), **extra}
        self.fn: Any = None
        self.owner: Any = None
        self._localns: Mapping[str, Any] = {}
        if fn is not None:
            self._set_fn(fn, depth=2)

    def __call__(self, fn: AnyCallable) -> Self:
        """Attach the handler function: used as a decorator."""
        self._set_fn(fn, depth=1)
        return self

    def _set_fn(self, fn: AnyCallable, depth: int) -> None:
        if not callable(fn):
            raise ImproperlyConfiguredException(f"A route handler must decorate a callable, got `{fn!r}`.")
        self.fn = fn
        # Handlers declared inside functions (tests, factories) may annotate with local names under
        # `from __future__ import annotations`; keep the declaring frame's locals to resolve them at app creation.
        try:
            frame = sys._getframe(depth + 1)
        except ValueError:  # pragma: no cover - no such frame
            return
        if frame.f_code.co_name != "<module>":
            self._localns = dict(frame.f_locals)

    @property
    def decorator_name(self) -> str:
        """The decorator declaring this kind of handler, for messages."""
        return "route"

    @property
    def handler_name(self) -> str:
        """The function's qualified name, for messages."""
        return getattr(self.fn, "__qualname__", repr(self.fn))

    @property
    def route_name(self) -> str:
        """The name used for reverse routing: ``name`` or the function's qualified name."""
        return self.name or f"{getattr(self.fn, '__module__', '')}.{self.handler_name}"

    def bound_copy(self, owner: Any, instance: Any | None = None) -> BaseRouteHandler:
        """Return a copy owned by ``owner``, with the function bound to ``instance`` (a controller) if given."""
        clone = copy.copy(self)
        clone.owner = owner
        if instance is not None and self.fn is not None and hasattr(self.fn, "__get__"):
            clone.fn = self.fn.__get__(instance, type(instance))
        return clone

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.handler_name} {self.paths}>"


def as_callable(value: Any) -> Callable[..., Any] | None:
    """Return ``value`` if it is callable, else None."""
    return value if callable(value) else None
