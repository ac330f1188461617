"""Flash a message, redirect, and show it once on the next page (Jinja; ``pip install 'outpour[jinja]'``)."""

from __future__ import annotations

from pathlib import Path

from outpour import Outpour, Request, get, post
from outpour.middleware.session.server_side import ServerSideSessionConfig
from outpour.plugins.flash import FlashConfig, FlashPlugin, flash
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.response import Redirect, Template
from outpour.template.config import TemplateConfig

template_config: TemplateConfig[JinjaTemplateEngine] = TemplateConfig(
    engine=JinjaTemplateEngine, directory=Path(__file__).parent / "templates"
)
flash_plugin = FlashPlugin(config=FlashConfig(template_config=template_config))


@get("/")
async def index() -> Template:
    return Template(
        template_str="""<h1>Your profile</h1>
{% for message in get_flashes() %}<p class="{{ message.category }}">{{ message.message }}</p>
{% endfor %}"""
    )


@post("/profile")
async def save_profile(request: Request, data: dict[str, str]) -> Redirect:
    if not data.get("name"):
        flash(request, "A name is required.", category="error")
    else:
        flash(request, f"Saved, {data['name']}!", category="success")
    return Redirect("/")


app = Outpour(
    route_handlers=[index, save_profile],
    plugins=[flash_plugin],
    template_config=template_config,
    middleware=[ServerSideSessionConfig().middleware],
)
