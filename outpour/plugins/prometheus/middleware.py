"""``PrometheusMiddleware``: counts, times and labels each request in Prometheus metrics."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, ClassVar

from prometheus_client import REGISTRY, Counter, Gauge, Histogram

from outpour.connection import Request
from outpour.middleware.base import AbstractMiddleware

if TYPE_CHECKING:
    from prometheus_client.metrics import MetricWrapperBase

    from outpour.plugins.prometheus.config import PrometheusConfig
    from outpour.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["PrometheusMiddleware"]

logger = logging.getLogger("outpour")

_DEFAULT_LABELS = ("method", "path", "status_code", "app_name")


class PrometheusMiddleware(AbstractMiddleware):
    """Records each request in Prometheus metrics; build it with ``PrometheusConfig.middleware``.

    The metrics live in prometheus-client's default registry, shared by every app of the process: apps with the same
    ``prefix`` and labels add to the same metrics, and an app whose labels or buckets differ replaces them.

    Args:
        app: The next ASGI app.
        config: The configuration.
    """

    _metrics: ClassVar[dict[str, MetricWrapperBase]] = {}

    def __init__(self, app: ASGIApp, config: PrometheusConfig) -> None:
        super().__init__(
            app=app,
            scopes=set(config.scopes) if config.scopes else None,
            exclude=config.exclude,
            exclude_opt_key=config.exclude_opt_key,
        )
        self._config = config
        methods = config.excluded_http_methods or ()
        self._excluded_methods = {str(m).upper() for m in ([methods] if isinstance(methods, str) else methods)}
        self._label_names = [*_DEFAULT_LABELS, *(config.labels or {})]
        prefix = config.prefix
        buckets: dict[str, Any] = {"buckets": config.buckets} if config.buckets is not None else {}
        self._in_progress = self._metric(
            Gauge, f"{prefix}_requests_in_progress", "Requests in progress", multiprocess_mode="livesum"
        )
        self._count = self._metric(Counter, f"{prefix}_requests_total", "Requests")
        self._errors = self._metric(Counter, f"{prefix}_requests_error_total", "Requests answered with a 5xx status")
        self._duration = self._metric(
            Histogram, f"{prefix}_request_duration_seconds", "Request duration, in seconds", **buckets
        )

    def _metric(self, kind: type[Any], name: str, documentation: str, **kwargs: Any) -> Any:
        """The metric ``name``, made (or remade, when its labels or options changed) in the default registry."""
        key = f"{name}|{kind.__name__}|{self._label_names}|{sorted(kwargs.items())}"
        metric = PrometheusMiddleware._metrics.get(name)
        if metric is not None and getattr(metric, "_outpour_key", None) == key:
            return metric
        if metric is not None:
            REGISTRY.unregister(metric)
        metric = kind(name, documentation, labelnames=self._label_names, **kwargs)
        metric._outpour_key = key  # marks what the metric was made with
        PrometheusMiddleware._metrics[name] = metric
        return metric

    def _labels(self, request: Request[Any, Any, Any], scope: Scope) -> list[str]:
        """The label values of a request, ``status_code`` still 200."""
        method = scope["method"] if scope["type"] == "http" else scope["type"]
        path = scope.get("path_template", scope["path"]) if self._config.group_path else scope["path"]
        values = [method, path, "200", self._config.app_name]
        for name, value in (self._config.labels or {}).items():
            if callable(value):
                try:
                    value = value(request)
                except Exception:  # a broken label callable costs the label, never the response
                    logger.exception("PrometheusConfig label %r raised; recorded as an empty string", name)
                    value = ""
            values.append(str(value))
        return values

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Record the request: in progress while it runs, then counted and timed with its status."""
        if scope["type"] == "http" and scope["method"] in self._excluded_methods:
            await self.app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = Request(scope, receive)
        labels = self._labels(request, scope)
        start = time.perf_counter()
        end: float | None = None
        status = 200
        started = False

        async def timed_send(message: Message) -> None:
            nonlocal status, end, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                end = time.perf_counter()  # a stream counts until its last chunk
            await send(message)

        in_progress = self._in_progress.labels(*labels)
        in_progress.inc()
        try:
            await self.app(scope, receive, timed_send)
        except BaseException:
            if scope["type"] == "http" and not started:
                status = 500  # the app raised before answering: the client gets a 500 from outside
            raise
        finally:
            in_progress.dec()
            labels[2] = str(status)
            self._record(request, labels, status, (end or time.perf_counter()) - start)

    def _record(
        self,
        request: Request[Any, Any, Any],
        labels: list[str],
        status: int,
        duration: float,
    ) -> None:
        """Count and time a finished request, with an exemplar when the config makes them."""
        extra: dict[str, Any] = {}
        if self._config.exemplars is not None:
            try:
                extra["exemplar"] = self._config.exemplars(request)
            except Exception:  # a broken exemplar callable costs the exemplar, never the response
                logger.exception("PrometheusConfig exemplars raised; recorded without an exemplar")
        try:
            if status >= 500:
                self._errors.labels(*labels).inc(**extra)
            self._count.labels(*labels).inc(**extra)
            self._duration.labels(*labels).observe(duration, **extra)
        except Exception:  # metrics never turn a response into an error
            logger.exception("PrometheusMiddleware could not record %s %s", labels[0], labels[1])
