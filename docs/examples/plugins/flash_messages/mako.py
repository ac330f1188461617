"""Registering ``FlashPlugin`` with the MakoTemplateEngine (``pip install 'outpour[mako]'``)."""

from __future__ import annotations

from pathlib import Path

from outpour import Outpour, Request, get
from outpour.middleware.session.server_side import ServerSideSessionConfig
from outpour.plugins.flash import FlashConfig, FlashPlugin, flash
from outpour.plugins.mako import MakoTemplateEngine
from outpour.response import Template
from outpour.template.config import TemplateConfig

template_config: TemplateConfig[MakoTemplateEngine] = TemplateConfig(
    engine=MakoTemplateEngine, directory=Path(__file__).parent / "templates"
)
flash_plugin = FlashPlugin(config=FlashConfig(template_config=template_config))


@get("/")
async def index(request: Request) -> Template:
    flash(request, "Welcome back!", category="info")
    return Template(template_name="messages.html.mako")


app = Outpour(
    route_handlers=[index],
    plugins=[flash_plugin],
    template_config=template_config,
    middleware=[ServerSideSessionConfig().middleware],
)
