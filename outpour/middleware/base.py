"""Middleware building blocks and how a route's middleware stack is built at start-up."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["ASGIMiddleware", "AbstractMiddleware", "DefineMiddleware", "MiddlewareProtocol", "build_middleware_stack"]


class MiddlewareProtocol(Protocol):
    """An ASGI middleware: built with the next ``app`` and called like an ASGI app."""

    app: ASGIApp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...  # noqa: D102


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


def _compile_patterns(exclude: str | Sequence[str] | None) -> re.Pattern[str] | None:
    if not exclude:
        return None
    patterns = [exclude] if isinstance(exclude, str) else list(exclude)
    return re.compile("|".join(patterns))


def _route_opt(scope: Scope, key: str | None) -> bool:
    if key is None:
        return False
    handler = scope.get("route_handler")
    opt = getattr(handler, "opt", None) or {}
    return bool(opt.get(key))


class AbstractMiddleware:
    """A base for middleware classes: ``exclude`` path patterns, an ``exclude_opt_key`` and ``scopes`` filter calls.

    Subclasses implement ``async __call__(scope, receive, send)`` and call ``self.app``. Excluded requests go straight
    to the next app.

    Args:
        app: The next ASGI app.
        exclude: A regular expression, or several, matched against the path.
        exclude_opt_key: Skip routes whose ``opt`` has this key set.
        scopes: The scope types to act on (``{"http", "websocket"}`` by default).
    """

    scopes: set[str] = {"http", "websocket"}  # noqa: RUF012
    exclude: str | list[str] | None = None
    exclude_opt_key: str | None = None

    def __init__(
        self,
        app: ASGIApp,
        exclude: str | list[str] | None = None,
        exclude_opt_key: str | None = None,
        scopes: set[str] | None = None,
    ) -> None:
        self.app = app
        self.scopes = scopes or set(type(self).scopes)
        self.exclude_opt_key = exclude_opt_key or type(self).exclude_opt_key
        self.exclude_pattern = _compile_patterns(exclude or type(self).exclude)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own_call = cls.__dict__.get("__call__")
        if own_call is None:
            return

        async def wrapped_call(self: AbstractMiddleware, scope: Scope, receive: Receive, send: Send) -> None:
            if (
                scope["type"] not in self.scopes
                or (self.exclude_pattern is not None and self.exclude_pattern.search(scope.get("path", "")))
                or _route_opt(scope, self.exclude_opt_key)
            ):
                await self.app(scope, receive, send)
                return
            await own_call(self, scope, receive, send)

        wrapped_call.__doc__ = own_call.__doc__
        cls.__call__ = wrapped_call  # type: ignore[method-assign]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the next app; subclasses override this."""
        await self.app(scope, receive, send)


class ASGIMiddleware(ABC):
    """A middleware written as one ``handle(scope, receive, send, next_app)`` method.

    Instances are given in ``middleware=[...]`` directly; the class attributes ``scopes``, ``exclude_path_pattern`` and
    ``exclude_opt_key`` filter which requests reach ``handle``.
    """

    scopes: tuple[str, ...] = ("http", "websocket")
    exclude_path_pattern: str | tuple[str, ...] | None = None
    exclude_opt_key: str | None = None

    def __call__(self, app: ASGIApp) -> ASGIApp:
        """Build the middleware around ``app``."""
        pattern = _compile_patterns(self.exclude_path_pattern)
        handle = self.handle
        scopes = self.scopes
        opt_key = self.exclude_opt_key

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if (
                scope["type"] not in scopes
                or (pattern is not None and pattern.search(scope.get("path", "")))
                or _route_opt(scope, opt_key)
            ):
                await app(scope, receive, send)
                return
            await handle(scope, receive, send, app)

        return middleware

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        """Handle a request; call ``next_app`` to go on."""


def build_middleware_stack(middleware: Sequence[Any], app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` in ``middleware``; the first item is outermost."""
    for item in reversed(middleware):
        if isinstance(item, (DefineMiddleware, ASGIMiddleware)):
            app = item(app)
        elif isinstance(item, type):
            app = cast("ASGIApp", item(app=app))
        elif callable(item):
            app = cast("ASGIApp", item(app))
        else:
            raise ImproperlyConfiguredException(
                f"`{item!r}` is not a middleware: give a class taking `app`, a `DefineMiddleware`, an `ASGIMiddleware` "
                "instance or a callable taking the next app."
            )
    return app
