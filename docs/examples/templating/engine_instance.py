"""Bring your own engine instance (a configured ``jinja2.Environment``), and reach the engine from the config."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from outpour import Outpour, get
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.response import Template
from outpour.template.config import TemplateConfig

environment = Environment(loader=DictLoader({"index.html": "<p>{{ greeting }}, {{ who }}!</p>"}), autoescape=True)
template_config = TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))

# The engine is built once, on first use; its `engine` attribute is the jinja2 Environment.
template_config.engine_instance.engine.globals["greeting"] = "Bonjour"


@get("/{who:str}")
async def index(who: str) -> Template:
    return Template(template_name="index.html", context={"who": who})


app = Outpour(route_handlers=[index], template_config=template_config)
