"""Integrations with optional libraries; each submodule needs its extra, e.g. ``pip install 'outpour[jinja]'``.

- ``outpour.plugins.jinja``: ``JinjaTemplateEngine`` (extra ``jinja``).
- ``outpour.plugins.mako``: ``MakoTemplateEngine`` (extra ``mako``).
- ``outpour.plugins.minijinja``: ``MiniJinjaTemplateEngine`` (extra ``minijinja``).
"""

from __future__ import annotations

__all__: list[str] = []
