"""A ``Template`` response rendered by Jinja."""

from __future__ import annotations

from pathlib import Path

from examples.demo._catalog import Example
from outpour import get
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.response import Template
from outpour.template import TemplateConfig

__all__ = ["EXAMPLES", "ROUTES", "TEMPLATE_CONFIG"]

TEMPLATE_CONFIG: TemplateConfig[JinjaTemplateEngine] = TemplateConfig(
    directory=Path(__file__).resolve().parent / "templates", engine=JinjaTemplateEngine
)


@get("/template")
async def greeting(name: str = "world") -> Template:
    return Template(template_name="greeting.html.jinja2", context={"name": name, "fruits": ["apple", "pear"]})


ROUTES = [greeting]

EXAMPLES = [Example("template", "/template", "Jinja; the media type comes from the .html suffix of the name.")]
