"""Tracing every request with ``OpenTelemetryPlugin``: one server span per request, exported by the SDK.

Here spans go to an in-memory exporter, to look at them; a deployment gives ``BatchSpanProcessor`` an OTLP exporter.
"""

from __future__ import annotations

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from outpour import Outpour, get
from outpour.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin

exporter = InMemorySpanExporter()
tracer_provider = TracerProvider()
tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))


@get("/books/{book_id:int}")
async def get_book(book_id: int) -> dict[str, int | str]:
    return {"id": book_id, "title": "Dune"}


@get("/books/{book_id:int}/cover")
async def get_cover(book_id: int) -> None:
    raise RuntimeError("the cover store is down")


app = Outpour(
    [get_book, get_cover],
    plugins=[OpenTelemetryPlugin(OpenTelemetryConfig(tracer_provider=tracer_provider))],
)
