"""``DefineMiddleware``: a middleware with the arguments to build it with.

Kept apart from ``base`` so that ``constraints`` can recognise it while ``base`` checks constraints when it builds a
stack (``base`` imports ``constraints``, which imports this module).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from outpour.types import ASGIApp

__all__ = ["DefineMiddleware"]


class DefineMiddleware:
    """A middleware class (or factory) with the arguments to build it with.

    Args:
        middleware: A callable taking the next app as ``app`` plus ``args``/``kwargs``.
        *args: Positional arguments.
        **kwargs: Keyword arguments.
    """

    __slots__ = ("args", "kwargs", "middleware")

    def __init__(self, middleware: Callable[..., ASGIApp], *args: Any, **kwargs: Any) -> None:
        self.middleware = middleware
        self.args = args
        self.kwargs = kwargs

    def __call__(self, app: ASGIApp) -> ASGIApp:
        """Build the middleware around ``app``."""
        return self.middleware(*self.args, app=app, **self.kwargs)
