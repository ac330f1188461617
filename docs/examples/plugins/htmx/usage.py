"""``HTMXPlugin`` and ``HTMXTemplate``: the whole page for a browser, only the rows for HTMX's live search."""

from __future__ import annotations

from pathlib import Path

from outpour import Outpour, get
from outpour.plugins.htmx import HTMXPlugin, HTMXRequest, HTMXTemplate
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.response import Template
from outpour.template.config import TemplateConfig

CONTACTS = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Katherine Johnson"]


@get("/contacts")
async def contacts(request: HTMXRequest, q: str = "") -> Template:
    names = [name for name in CONTACTS if q.lower() in name.lower()]
    if request.htmx:  # sent by HTMX (`HX-Request: true`): only the rows, and the search in the address bar
        return HTMXTemplate(
            template_name="rows.html",
            context={"names": names},
            push_url=f"/contacts?q={q}" if q else "/contacts",
        )
    return Template(template_name="contacts.html", context={"names": names, "q": q})


app = Outpour(
    route_handlers=[contacts],
    plugins=[HTMXPlugin()],
    template_config=TemplateConfig(directory=Path(__file__).parent / "templates", engine=JinjaTemplateEngine),
)
