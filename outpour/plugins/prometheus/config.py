"""``PrometheusConfig``: what the Prometheus middleware records, and the middleware it builds."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.base import DefineMiddleware
from outpour.plugins.prometheus.middleware import PrometheusMiddleware

if TYPE_CHECKING:
    from outpour.connection import Request
    from outpour.types import Method, Scopes

__all__ = ["PrometheusConfig"]

_METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


@dataclass
class PrometheusConfig:
    """Configuration of the Prometheus middleware; add ``config.middleware`` to the app's ``middleware``.

    Every request is counted in ``{prefix}_requests_total`` (and ``{prefix}_requests_error_total`` for a 5xx status),
    timed in the ``{prefix}_request_duration_seconds`` histogram and shown while it runs in the
    ``{prefix}_requests_in_progress`` gauge, with the labels ``method``, ``path``, ``status_code`` and ``app_name``
    plus those of ``labels``.
    """

    app_name: str = field(default="litestar")
    """The value of the ``app_name`` label. Litestar's default, so that dashboards built for a Litestar app keep
    working."""
    prefix: str = "litestar"
    """The prefix of the metric names (Litestar's default, as for ``app_name``)."""
    labels: Mapping[str, str | Callable[[Request[Any, Any, Any]], Any]] | None = field(default=None)
    """Extra labels: a value is a string, or a callable taking the request and returning the value."""
    exemplars: Callable[[Request[Any, Any, Any]], dict[str, str]] | None = field(default=None)
    """A callable taking the request and returning an exemplar's labels (e.g. a trace id); only the OpenMetrics
    format shows exemplars."""
    buckets: list[str | float] | None = field(default=None)
    """The buckets of the duration histogram, in seconds; prometheus-client's defaults when ``None``."""
    excluded_http_methods: Method | Sequence[Method] | None = field(default=None)
    """An HTTP method, or several, whose requests are not recorded."""
    exclude_unhandled_paths: bool = field(default=False)
    """Leave out requests for paths no route serves. The middleware runs inside routes, so such requests are never
    recorded either way."""
    exclude: str | list[str] | None = field(default=None)
    """A regular expression, or several, for paths not recorded."""
    exclude_opt_key: str | None = field(default=None)
    """A key in a route's ``opt`` with which the route opts out of the metrics."""
    scopes: Scopes | None = field(default=None)
    """The scope types recorded; ``http`` and ``websocket`` when ``None``."""
    middleware_class: type[PrometheusMiddleware] = field(default=PrometheusMiddleware)
    """The middleware class to build, ``PrometheusMiddleware`` or a subclass of it."""
    group_path: bool = field(default=False)
    """Label requests with the route's path template (``/users/{user_id}``) instead of the requested path, so that
    ``/users/1`` and ``/users/2`` share one series."""

    def __post_init__(self) -> None:
        if not _METRIC_NAME.fullmatch(self.prefix):
            raise ImproperlyConfiguredException(
                f"PrometheusConfig `prefix` {self.prefix!r} is not a valid start of a metric name: use letters, "
                "digits, `_` and `:`, not starting with a digit."
            )
        invalid = [name for name in self.labels or {} if not _LABEL_NAME.fullmatch(name) or name.startswith("__")]
        if invalid:
            raise ImproperlyConfiguredException(
                f"PrometheusConfig `labels` has invalid label names {invalid!r}: use letters, digits and `_`, not "
                "starting with a digit or `__`."
            )
        reserved = {"method", "path", "status_code", "app_name", "le"}.intersection(self.labels or {})
        if reserved:
            raise ImproperlyConfiguredException(
                f"PrometheusConfig `labels` may not set {', '.join(f'`{name}`' for name in sorted(reserved))}: the "
                "middleware sets these labels itself. Rename the extra label."
            )
        if not (isinstance(self.middleware_class, type) and issubclass(self.middleware_class, PrometheusMiddleware)):
            raise ImproperlyConfiguredException(
                f"PrometheusConfig `middleware_class` must be `PrometheusMiddleware` or a subclass of it, not "
                f"`{self.middleware_class!r}`."
            )

    @property
    def middleware(self) -> DefineMiddleware:
        """The middleware to add to ``middleware=[...]``: ``middleware_class`` built with this config."""
        return DefineMiddleware(self.middleware_class, config=self)
