"""Choosing what is traced and adding to the spans: excluded paths, a request hook, captured headers."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Span

from outpour import Outpour, get
from outpour.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from outpour.types import Scope

exporter = InMemorySpanExporter()
tracer_provider = TracerProvider()
tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))


def tag_tenant(span: Span, scope: dict[str, Any]) -> None:
    """Called as each request's span starts."""
    for name, value in scope["headers"]:
        if name == b"x-tenant":
            span.set_attribute("shop.tenant", value.decode())


def name_span(scope: Scope) -> tuple[str, dict[str, Any]]:
    """Name spans ``shop <METHOD> <path>``."""
    name = f"shop {scope.get('method', 'WS')} {scope['path']}"
    return name, {"http.route": name}


@get("/health")
async def health() -> str:
    return "ok"


@get("/orders")
async def list_orders() -> list[int]:
    return [1, 2]


config = OpenTelemetryConfig(
    tracer_provider=tracer_provider,
    exclude=["^/health$"],  # probes make no spans
    server_request_hook_handler=tag_tenant,
    scope_span_details_extractor=name_span,
    http_capture_headers_server_request=["x-request-id"],
    exclude_spans=["receive", "send"],  # one span per request, without the ASGI message spans
)

app = Outpour([health, list_orders], plugins=[OpenTelemetryPlugin(config)])
