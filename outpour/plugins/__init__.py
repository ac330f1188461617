"""Plugins: the kinds an app accepts in ``plugins=[...]`` and the registry holding them, plus integrations.

- ``InitPlugin`` (``on_app_init``), ``DIPlugin``, ``OpenAPISchemaPlugin``, ``SerializationPlugin``, ``CLIPlugin``,
  ``ReceiveRoutePlugin`` and ``PluginRegistry`` (``app.plugins``); see ``outpour.plugins.base`` for what runs.
- ``outpour.plugins.attrs``: ``AttrsSchemaPlugin``, ``is_attrs_class``.
- ``outpour.plugins.pydantic``: ``PydanticPlugin`` and its parts (extra ``pydantic``).
- ``outpour.plugins.htmx``: ``HTMXPlugin``, ``HTMXRequest`` and the HTMX responses (``HTMXTemplate``, ...).
- ``outpour.plugins.jinja``: ``JinjaTemplateEngine`` (extra ``jinja``).
- ``outpour.plugins.mako``: ``MakoTemplateEngine`` (extra ``mako``).
- ``outpour.plugins.minijinja``: ``MiniJinjaTemplateEngine`` (extra ``minijinja``).
- ``outpour.plugins.flash``: ``FlashPlugin``, ``flash`` and the ``get_flashes`` template callable.
- ``outpour.plugins.problem_details``: ``ProblemDetailsPlugin``, RFC 9457 ``application/problem+json`` errors.
- ``outpour.plugins.prometheus``: ``PrometheusConfig``, ``PrometheusController``, ``PrometheusMiddleware``: request
  metrics (extra ``prometheus``).
- ``outpour.plugins.opentelemetry``: ``OpenTelemetryPlugin``, ``OpenTelemetryConfig``: request traces and metrics
  (extra ``opentelemetry``).
"""

from __future__ import annotations

from outpour.plugins.base import (
    CLIPlugin,
    DIPlugin,
    InitPlugin,
    InitPluginProtocol,
    OpenAPISchemaPlugin,
    PluginProtocol,
    PluginRegistry,
    ReceiveRoutePlugin,
    SerializationPlugin,
)

__all__ = [
    "CLIPlugin",
    "DIPlugin",
    "InitPlugin",
    "InitPluginProtocol",
    "OpenAPISchemaPlugin",
    "PluginProtocol",
    "PluginRegistry",
    "ReceiveRoutePlugin",
    "SerializationPlugin",
]
