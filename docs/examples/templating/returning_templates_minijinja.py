"""Returning ``Template`` responses rendered by the MiniJinjaTemplateEngine (``pip install 'outpour[minijinja]'``)."""

from __future__ import annotations

from pathlib import Path

from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.plugins.minijinja import MiniJinjaTemplateEngine
from outpour.response import Template
from outpour.template.config import TemplateConfig


@get("/", name="home")
async def home() -> str:
    return "home"


# A file: the media type follows the name's suffixes (``.html``), and ``request`` is in the context.
@get("/hello/{name:str}")
async def hello(name: str) -> Template:
    return Template(template_name="greeting.html.minijinja", context={"name": name})


# A string: HTML unless the handler or the response says otherwise.
@get("/inline/{name:str}")
async def inline(name: str) -> Template:
    return Template(template_str="<strong>{{ name }}</strong>", context={"name": name})


app = Outpour(
    route_handlers=[home, hello, inline],
    openapi_config=OpenAPIConfig(title="Greetings", version="1.0.0"),
    template_config=TemplateConfig(directory=Path(__file__).parent / "templates", engine=MiniJinjaTemplateEngine),
)
