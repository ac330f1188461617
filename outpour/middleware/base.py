"""Middleware building blocks and how a route's middleware stack is built at start-up."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware._define import DefineMiddleware
from outpour.middleware._exclusion import compile_exclude, is_excluded
from outpour.middleware.constraints import check_middleware_constraints

if TYPE_CHECKING:
    from outpour.middleware.constraints import MiddlewareConstraints
    from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["ASGIMiddleware", "AbstractMiddleware", "DefineMiddleware", "MiddlewareProtocol", "build_middleware_stack"]


class MiddlewareProtocol(Protocol):
    """An ASGI middleware: built with the next ``app`` and called like an ASGI app."""

    app: ASGIApp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...  # noqa: D102


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
        self.exclude_pattern = compile_exclude(exclude or type(self).exclude, type(self).__name__)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own_call = cls.__dict__.get("__call__")
        if own_call is None:
            return

        async def wrapped_call(self: AbstractMiddleware, scope: Scope, receive: Receive, send: Send) -> None:
            if is_excluded(scope, self.scopes, self.exclude_pattern, self.exclude_opt_key):
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
    ``exclude_opt_key`` filter which requests reach ``handle``, and ``constraints`` (a
    :class:`~outpour.middleware.constraints.MiddlewareConstraints`) states where the middleware must sit in each
    route's stack, checked when the app is created.
    """

    scopes: tuple[str, ...] = ("http", "websocket")
    exclude_path_pattern: str | tuple[str, ...] | None = None
    exclude_opt_key: str | None = None
    constraints: MiddlewareConstraints | None = None

    def __call__(self, app: ASGIApp) -> ASGIApp:
        """Build the middleware around ``app``."""
        pattern = compile_exclude(self.exclude_path_pattern, type(self).__name__)
        handle = self.handle
        scopes = self.scopes
        opt_key = self.exclude_opt_key

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if is_excluded(scope, scopes, pattern, opt_key):
                await app(scope, receive, send)
                return
            await handle(scope, receive, send, app)

        return middleware

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        """Handle a request; call ``next_app`` to go on."""


def build_middleware_stack(middleware: Sequence[Any], app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` in ``middleware``, the first item outermost, once the stack meets its middleware's constraints.

    Args:
        middleware: A route's middleware, outermost first: the app's, then its routers', controller's and handler's.
        app: The route's app.

    Returns:
        The app wrapped in every middleware.

    Raises:
        MiddlewareConstraintError: The stack breaks a constraint (see ``check_middleware_constraints``).
        ImproperlyConfiguredException: An item is not a middleware.
    """
    check_middleware_constraints(middleware)
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
