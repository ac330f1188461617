"""Prometheus metrics: a middleware counting and timing requests, and a controller serving them.

Needs prometheus-client: ``pip install 'outpour[prometheus]'``; importing this module without it raises
``MissingDependencyException`` (an ``ImportError``) saying so. See :doc:`/usage/metrics-prometheus`.
"""

from __future__ import annotations

from outpour.exceptions import MissingDependencyException

try:
    import prometheus_client  # noqa: F401 - fail here, naming the extra, before a submodule's import does
except ImportError as error:  # pragma: no cover - the extra is installed in every test environment
    raise MissingDependencyException(
        "prometheus_client", install_package="prometheus-client", extra="prometheus"
    ) from error

from outpour.plugins.prometheus.config import PrometheusConfig
from outpour.plugins.prometheus.controller import PrometheusController
from outpour.plugins.prometheus.middleware import PrometheusMiddleware

__all__ = ["PrometheusConfig", "PrometheusController", "PrometheusMiddleware"]
