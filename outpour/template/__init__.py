"""Templates: ``TemplateConfig`` and the protocol template engines follow.

The engines themselves are optional extras: ``outpour.plugins.jinja.JinjaTemplateEngine``,
``outpour.plugins.mako.MakoTemplateEngine`` and ``outpour.plugins.minijinja.MiniJinjaTemplateEngine``.
"""

from __future__ import annotations

from outpour.template.base import TemplateCallableType, TemplateEngineProtocol, TemplateProtocol, url_for
from outpour.template.config import TemplateConfig

__all__ = ["TemplateCallableType", "TemplateConfig", "TemplateEngineProtocol", "TemplateProtocol", "url_for"]
