"""Template callables: the built-in ``url_for`` and your own, registered through ``engine_callback``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from outpour import Outpour, get
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.response import Template
from outpour.template.config import TemplateConfig


# A template callable receives the template context first, then the arguments the template passes.
def shout(context: Mapping[str, Any], word: str) -> str:
    return f"{word.upper()} from {context['request'].url.path}"


def register_callables(engine: JinjaTemplateEngine) -> None:
    engine.register_template_callable("shout", shout)


template_config = TemplateConfig(
    directory=Path(__file__).parent / "templates",
    engine=JinjaTemplateEngine,
    engine_callback=register_callables,
)


# `request.app.state` is reachable from the template through `request`.
@get("/visits")
async def visits() -> Template:
    return Template(template_name="visits.html.jinja2")


# A `.txt` template is sent as text/plain.
@get("/report/{name:str}")
async def report(name: str) -> Template:
    return Template(template_name="report.txt.jinja2", context={"name": name, "items": [1, 2, 3]})


app = Outpour(route_handlers=[visits, report], template_config=template_config, state={"visits": 7})
