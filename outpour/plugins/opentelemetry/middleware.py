"""``OpenTelemetryInstrumentationMiddleware``: opentelemetry's ASGI middleware around the app, with outpour's filters."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any, TypeVar

from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.util.http import get_excluded_urls

from outpour.middleware.base import AbstractMiddleware

if TYPE_CHECKING:
    from collections.abc import Callable

    from outpour.plugins.opentelemetry.config import OpenTelemetryConfig
    from outpour.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["OpenTelemetryInstrumentationMiddleware"]

logger = logging.getLogger("outpour.plugins.opentelemetry")

HookT = TypeVar("HookT", bound="Callable[..., Any]")


def _guarded(hook: HookT | None, name: str) -> HookT | None:
    """Wrap a user hook so that an error in it is logged instead of failing the request with a 500."""
    if hook is None:
        return None

    @functools.wraps(hook)
    def call(*args: Any) -> Any:
        try:
            return hook(*args)
        except Exception:
            logger.exception("OpenTelemetryConfig(%s=...) raised; the request goes on", name)
            return None

    return call  # type: ignore[return-value]


class OpenTelemetryInstrumentationMiddleware(AbstractMiddleware):
    """Traces and measures each request with opentelemetry's ``OpenTelemetryMiddleware``.

    Given in the app's ``middleware`` (or by ``OpenTelemetryPlugin``), it wraps the whole app, before routing, as in
    Litestar. Requests whose path matches the config's ``exclude``, or outside its ``scopes``, go straight to the app,
    untraced.

    Args:
        app: The next ASGI app.
        config: The instrumentation's configuration.
    """

    __slots__ = ("open_telemetry_middleware",)

    wraps_whole_app = True
    """Built once around the whole app, before routing, so that 404s, 405s and middleware errors are traced too."""

    def __init__(self, app: ASGIApp, config: OpenTelemetryConfig) -> None:
        super().__init__(
            app=app,
            exclude=config.exclude,
            exclude_opt_key=config.exclude_opt_key,
            scopes=set(config.scopes) if config.scopes else None,
        )
        extractor = config.scope_span_details_extractor
        self.open_telemetry_middleware = OpenTelemetryMiddleware(
            app=_holding_error_end(app),
            excluded_urls=get_excluded_urls(config.exclude_urls_env_key),
            default_span_details=functools.partial(_span_details, extractor),
            server_request_hook=_guarded(config.server_request_hook_handler, "server_request_hook_handler"),
            client_request_hook=_guarded(config.client_request_hook_handler, "client_request_hook_handler"),
            client_response_hook=_guarded(config.client_response_hook_handler, "client_response_hook_handler"),
            tracer_provider=config.tracer_provider,
            meter_provider=config.meter_provider,
            tracer=config.tracer,
            meter=config.meter,
            http_capture_headers_server_request=config.http_capture_headers_server_request,
            http_capture_headers_server_response=config.http_capture_headers_server_response,
            http_capture_headers_sanitize_fields=config.http_capture_headers_sanitize_fields,
            exclude_spans=config.exclude_spans,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request inside a server span."""
        await self.open_telemetry_middleware(scope, receive, send)  # type: ignore[arg-type]


def _span_details(extractor: Callable[[Scope], tuple[str, dict[str, Any]]], scope: Scope) -> tuple[str, dict[str, Any]]:
    """Run the configured extractor; if it fails, log it and name the span after the path rather than fail."""
    try:
        return extractor(scope)
    except Exception:
        logger.exception(
            "OpenTelemetryConfig(scope_span_details_extractor=...) raised; the span is named after the path"
        )
        return str(scope.get("path", "")), {}


def _holding_error_end(app: ASGIApp) -> ASGIApp:
    """Hold the last message of a 5xx answer until the app returns.

    The server span ends as that message is sent, and outpour runs the ``after_exception`` hooks after answering: held
    back, the exception ``OpenTelemetryPlugin`` records in its hook lands on the span, still open.
    """

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        status = 0
        held: Message | None = None

        async def holding_send(message: Message) -> None:
            nonlocal status, held
            if message["type"] == "http.response.start":
                status = message["status"]
            elif status >= 500 and message["type"] == "http.response.body" and not message.get("more_body", False):
                held = message
                return
            await send(message)

        try:
            await app(scope, receive, holding_send)
        finally:
            if held is not None:
                await send(held)

    return serve
