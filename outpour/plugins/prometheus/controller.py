"""``PrometheusController``: serves the metrics in Prometheus' text format or in OpenMetrics."""

from __future__ import annotations

import os
from typing import ClassVar

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.openmetrics.exposition import CONTENT_TYPE_LATEST as OPENMETRICS_CONTENT_TYPE
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics

from outpour.controller import Controller
from outpour.handlers import get
from outpour.response import Response

__all__ = ["PrometheusController"]


class PrometheusController(Controller):
    """Serves the metrics of the default registry at ``path``; subclass it to change ``path`` or the format.

    With ``PROMETHEUS_MULTIPROC_DIR`` set (several worker processes), the metrics of every process are collected.
    """

    path: ClassVar[str] = "/metrics"
    """The path the metrics are served at."""
    openmetrics_format: ClassVar[bool] = False
    """Serve the OpenMetrics text format (which shows exemplars) instead of Prometheus' text format."""

    @get(sync_to_thread=False)
    def get(self) -> Response[bytes]:
        """The metrics, in Prometheus' text format or in OpenMetrics."""
        registry = REGISTRY
        if "PROMETHEUS_MULTIPROC_DIR" in os.environ or "prometheus_multiproc_dir" in os.environ:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        if self.openmetrics_format:
            body = generate_openmetrics(registry)  # type: ignore[no-untyped-call]
            return Response(body, headers={"Content-Type": OPENMETRICS_CONTENT_TYPE})
        return Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})
