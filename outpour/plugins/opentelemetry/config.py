"""``OpenTelemetryConfig``: the tracer and meter, the hooks and the requests left out of the instrumentation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.base import DefineMiddleware
from outpour.plugins.opentelemetry._utils import get_route_details_from_scope
from outpour.plugins.opentelemetry.middleware import OpenTelemetryInstrumentationMiddleware

if TYPE_CHECKING:
    from opentelemetry.metrics import Meter, MeterProvider
    from opentelemetry.trace import Span, Tracer, TracerProvider

    from outpour.types import AfterExceptionHookHandler, Scope, Scopes

__all__ = ["OpenTelemetryConfig"]

ServerRequestHookHandler = Callable[["Span", dict[str, Any]], None]
"""Called with the server span and the scope when a request starts."""
ClientRequestHookHandler = Callable[["Span", dict[str, Any], dict[str, Any]], None]
"""Called with the ``receive`` span, the scope and each message the app receives."""
ClientResponseHookHandler = Callable[["Span", dict[str, Any], dict[str, Any]], None]
"""Called with the ``send`` span, the scope and each message the app sends."""


@dataclass
class OpenTelemetryConfig:
    """Configuration of the OpenTelemetry instrumentation: pass ``OpenTelemetryPlugin(config)`` to the app.

    Args:
        after_exception_hook_handler: Also called with ``(exception, scope)`` after an exception raised while serving
            a request (the plugin records the exception on the request's span first).
        scope_span_details_extractor: Returns the span name and its first attributes from the scope.
        server_request_hook_handler: Called with ``(span, scope)`` when a request's span starts.
        client_request_hook_handler: Called with ``(span, scope, message)`` for each message received.
        client_response_hook_handler: Called with ``(span, scope, message)`` for each message sent.
        meter_provider: The meter provider; the global one by default.
        tracer_provider: The tracer provider; the global one by default.
        tracer: The tracer; one from ``tracer_provider`` by default.
        meter: The meter; one from ``meter_provider`` by default.
        exclude: A regular expression, or several, for the paths left untraced.
        exclude_opt_key: Routes whose ``opt`` has this key set are left untraced.
        exclude_urls_env_key: The prefix of the environment variable listing URLs left untraced
            (``OTEL_PYTHON_<KEY>_EXCLUDED_URLS``, comma-separated regular expressions).
        exclude_spans: Leave out the ``receive`` and/or ``send`` child spans.
        scopes: The scope types traced (``http`` and ``websocket`` by default).
        http_capture_headers_server_request: Request headers recorded as span attributes.
        http_capture_headers_server_response: Response headers recorded as span attributes.
        http_capture_headers_sanitize_fields: Captured headers whose values are redacted.
        middleware_class: The middleware class built by :attr:`middleware`.
    """

    after_exception_hook_handler: AfterExceptionHookHandler | None = field(default=None)
    scope_span_details_extractor: Callable[[Scope], tuple[str, dict[str, Any]]] = field(
        default=get_route_details_from_scope
    )
    server_request_hook_handler: ServerRequestHookHandler | None = field(default=None)
    client_request_hook_handler: ClientRequestHookHandler | None = field(default=None)
    client_response_hook_handler: ClientResponseHookHandler | None = field(default=None)
    meter_provider: MeterProvider | None = field(default=None)
    tracer_provider: TracerProvider | None = field(default=None)
    tracer: Tracer | None = field(default=None)
    meter: Meter | None = field(default=None)
    exclude: str | list[str] | None = field(default=None)
    exclude_opt_key: str | None = field(default=None)
    exclude_urls_env_key: str = "LITESTAR"
    exclude_spans: list[Literal["receive", "send"]] | None = field(default=None)
    scopes: Scopes | None = field(default=None)
    http_capture_headers_server_request: list[str] | None = field(default=None)
    http_capture_headers_server_response: list[str] | None = field(default=None)
    http_capture_headers_sanitize_fields: list[str] | None = field(default=None)
    middleware_class: type[OpenTelemetryInstrumentationMiddleware] = field(
        default=OpenTelemetryInstrumentationMiddleware
    )

    def __post_init__(self) -> None:
        if not (
            isinstance(self.middleware_class, type)
            and issubclass(self.middleware_class, OpenTelemetryInstrumentationMiddleware)
        ):
            raise ImproperlyConfiguredException(
                "OpenTelemetryConfig(middleware_class=...) must be a subclass of "
                f"OpenTelemetryInstrumentationMiddleware, got {self.middleware_class!r}."
            )
        for span in self.exclude_spans or ():
            if span not in ("receive", "send"):
                raise ImproperlyConfiguredException(
                    f"OpenTelemetryConfig(exclude_spans=...) takes 'receive' and/or 'send', got {span!r}."
                )

    @property
    def middleware(self) -> DefineMiddleware:
        """The instrumentation middleware, to put first in ``middleware=[...]`` (the plugin does so)."""
        return DefineMiddleware(self.middleware_class, config=self)
