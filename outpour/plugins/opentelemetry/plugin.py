"""``OpenTelemetryPlugin``: puts the instrumentation middleware first and records exceptions on the request's span."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode

from outpour.plugins.base import InitPlugin
from outpour.plugins.opentelemetry.config import OpenTelemetryConfig

if TYPE_CHECKING:
    from outpour.config.app import AppConfig
    from outpour.middleware.base import DefineMiddleware
    from outpour.types import Scope

__all__ = ["OpenTelemetryPlugin"]


class OpenTelemetryPlugin(InitPlugin):
    """Instruments the app with OpenTelemetry: ``Outpour(plugins=[OpenTelemetryPlugin()])``.

    The middleware goes first in the app's middleware, so that it traces everything after it; an exception raised
    while serving a request is recorded on the request's span (status ``ERROR``) before the config's
    ``after_exception_hook_handler`` is called.

    Args:
        config: The instrumentation's configuration; ``OpenTelemetryConfig()`` (global providers) by default.
    """

    __slots__ = ("_middleware", "config")

    def __init__(self, config: OpenTelemetryConfig | None = None) -> None:
        self.config = config or OpenTelemetryConfig()
        self._middleware: DefineMiddleware | None = None

    @property
    def middleware(self) -> DefineMiddleware:
        """The middleware the plugin installs (built once)."""
        if self._middleware is None:
            self._middleware = self.config.middleware
        return self._middleware

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Put the middleware first and add the exception-recording hook.

        Args:
            app_config: The app's configuration.

        Returns:
            ``app_config``, changed.
        """
        app_config.middleware.insert(0, self.middleware)
        app_config.after_exception.append(self._after_exception)
        return app_config

    async def _after_exception(self, exc: Exception, scope: Scope) -> None:
        span = trace.get_current_span()
        if span.is_recording():
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))
        hook = self.config.after_exception_hook_handler
        if hook is not None:
            result = hook(exc, scope)
            if inspect.isawaitable(result):
                await result
