"""Where the app's built-in middleware sit, decided when the app is built.

``allowed_hosts`` and ``cors_config`` wrap everything, before routing; ``csrf_config`` and ``compression_config`` wrap
each route's handler, inside the route's own middleware.

An app without these options gets its routes' apps back unchanged, and its requests pay nothing for the feature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from outpour.config.allowed_hosts import AllowedHostsConfig
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.allowed_hosts import AllowedHostsMiddleware
from outpour.middleware.base import DefineMiddleware, build_middleware_stack
from outpour.middleware.cors import CORSMiddleware
from outpour.middleware.csrf import CSRFMiddleware

if TYPE_CHECKING:
    from outpour.config.compression import CompressionConfig
    from outpour.config.cors import CORSConfig
    from outpour.config.csrf import CSRFConfig
    from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["allowed_hosts_config", "exempt_from_host_check", "outer_wrap", "split_app_wrappers", "wrap_handler"]

Wrap = Callable[["ASGIApp"], "ASGIApp"]


def allowed_hosts_config(value: Sequence[str] | AllowedHostsConfig | None) -> AllowedHostsConfig | None:
    """The app's ``allowed_hosts`` as a config: a list of host names is ``AllowedHostsConfig(allowed_hosts=...)``.

    Raises:
        ImproperlyConfiguredException: ``value`` is a single string, or neither a sequence nor a config.
    """
    if value is None or isinstance(value, AllowedHostsConfig):
        return value
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ImproperlyConfiguredException(
            f"`allowed_hosts={value!r}` is not a list of host names: give `allowed_hosts=[{value!r}]` or an "
            "`AllowedHostsConfig`."
        )
    return AllowedHostsConfig(allowed_hosts=list(value))


class _HostCheckExempt:
    """A route's app that ``allowed_hosts`` leaves alone: its route's ``opt`` has the config's ``exclude_opt_key``."""

    __slots__ = ("app",)

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def exempt_from_host_check(allowed_hosts: AllowedHostsConfig | None, opt: Mapping[str, Any], app: ASGIApp) -> ASGIApp:
    """Mark ``app`` as exempt from the host check when its route's ``opt`` has the config's ``exclude_opt_key``."""
    key = allowed_hosts.exclude_opt_key if allowed_hosts is not None else None
    return _HostCheckExempt(app) if key is not None and opt.get(key) else app


def split_app_wrappers(middleware: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """Split the app's middleware into those of each route and those wrapping the whole app (before routing).

    A middleware class with ``wraps_whole_app = True`` (``OpenTelemetryInstrumentationMiddleware``) also sees the
    requests no route takes (404, 405) and the errors answered before routing, as in Litestar.
    """
    routes: list[Any] = []
    whole: list[Any] = []
    for item in middleware:
        factory = item.middleware if isinstance(item, DefineMiddleware) else item
        (whole if getattr(factory, "wraps_whole_app", False) is True else routes).append(item)
    return routes, whole


def outer_wrap(
    allowed_hosts: AllowedHostsConfig | None,
    cors_config: CORSConfig | None,
    before_send: Wrap | None,
    app_wrappers: Sequence[Any] = (),
) -> Wrap | None:
    """What wraps every app the route table serves, and every error answered before routing; ``None`` for nothing.

    From the outside in: the middleware wrapping the whole app (``app_wrappers``), the ``before_send`` hooks (they see
    the final headers), CORS (a preflight is answered before the host check and the route; error answers get the CORS
    headers too), then the host check.
    """
    if app_wrappers:
        return _wrap_whole_app(app_wrappers, outer_wrap(allowed_hosts, cors_config, before_send))
    if allowed_hosts is None and cors_config is None:
        return before_send

    def wrap(app: ASGIApp) -> ASGIApp:
        if allowed_hosts is not None and not isinstance(app, _HostCheckExempt):
            app = AllowedHostsMiddleware(app, allowed_hosts)
        if cors_config is not None:
            app = CORSMiddleware(app, cors_config)
        return before_send(app) if before_send is not None else app

    return wrap


_next_app: ContextVar[ASGIApp] = ContextVar("outpour_next_app")


def _wrap_whole_app(app_wrappers: Sequence[Any], inner: Wrap | None) -> Wrap:
    """Wrap every route's app (and every error answered before routing) in the same middleware instances.

    The middleware are built once, around a call of the app being served: one OpenTelemetry middleware (one set of
    instruments) for the whole app, not one per route or per error answer.
    """

    async def serve_next(scope: Scope, receive: Receive, send: Send) -> None:
        await _next_app.get()(scope, receive, send)

    shared = build_middleware_stack(list(app_wrappers), serve_next)

    def wrap(app: ASGIApp) -> ASGIApp:
        target = inner(app) if inner is not None else app

        async def through_app_middleware(scope: Scope, receive: Receive, send: Send) -> None:
            token = _next_app.set(target)
            try:
                await shared(scope, receive, send)
            finally:
                _next_app.reset(token)

        return through_app_middleware

    return wrap


def wrap_handler(csrf_config: CSRFConfig | None, compression_config: CompressionConfig | None, app: ASGIApp) -> ASGIApp:
    """Wrap a route's app in the CSRF check and the compression (outermost), inside the route's own middleware.

    The route's middleware (a ``LoggingMiddleware`` among them) see the compressed response.
    """
    if csrf_config is not None:
        app = CSRFMiddleware(app, csrf_config)
    if compression_config is not None:
        app = compression_config.middleware_class(app, compression_config)
    return app
