"""OpenTelemetry instrumentation: every request traced and measured by ``opentelemetry-instrumentation-asgi``.

Needs the extra: ``pip install 'outpour[opentelemetry]'``; importing this module without it raises
``MissingDependencyException`` (an ``ImportError``) saying so. See :doc:`/usage/metrics-opentelemetry`.
"""

from __future__ import annotations

from outpour.exceptions import MissingDependencyException

try:
    import opentelemetry.instrumentation.asgi  # noqa: F401 - fail here, naming the extra
except ImportError as error:  # pragma: no cover - the extra is installed in every test environment
    raise MissingDependencyException(
        "opentelemetry", install_package="opentelemetry-instrumentation-asgi", extra="opentelemetry"
    ) from error

from outpour.plugins.opentelemetry.config import OpenTelemetryConfig
from outpour.plugins.opentelemetry.middleware import OpenTelemetryInstrumentationMiddleware
from outpour.plugins.opentelemetry.plugin import OpenTelemetryPlugin

__all__ = ["OpenTelemetryConfig", "OpenTelemetryInstrumentationMiddleware", "OpenTelemetryPlugin"]
