"""Configuring the metrics: names, extra labels, buckets, exemplars, and the OpenMetrics format at another path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from outpour import Outpour, Request, get, post
from outpour.plugins.prometheus import PrometheusConfig, PrometheusController


# Subclass the controller to serve the metrics at another path, or in the OpenMetrics format (which shows exemplars).
class CustomPrometheusController(PrometheusController):
    path = "/custom-path"
    openmetrics_format = True


def api_version(request: Request[Any, Any, Any]) -> str:
    return str(request.headers.get("x-api-version", "v1"))


# Extra labels: a fixed value, or a callable taking the request.
extra_labels: dict[str, str | Callable[[Request[Any, Any, Any]], str]] = {
    "version_no": api_version,
    "location": "earth",
}


# An exemplar links a sample to, say, the trace of the request that made it.
def trace_exemplar(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"trace_id": request.headers.get("x-trace-id", "none")}


prometheus_config = PrometheusConfig(
    app_name="shop",
    prefix="shop",
    labels=extra_labels,
    buckets=[0.1, 0.2, 0.3, 0.4, 0.5],  # seconds
    exemplars=trace_exemplar,
    excluded_http_methods=["POST"],  # POST requests are not recorded
)


@get("/orders", sync_to_thread=False)
def list_orders() -> list[str]:
    return ["order-1"]


@post("/orders", sync_to_thread=False)
def create_order() -> str:
    return "order-2"


app = Outpour(
    route_handlers=[list_orders, create_order, CustomPrometheusController],
    middleware=[prometheus_config.middleware],
)
