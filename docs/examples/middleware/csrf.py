"""CSRF: a form page whose template inserts the token, and a form handler the middleware protects."""

from __future__ import annotations

from typing import Annotated, Any

from outpour import Outpour, Request, get, post
from outpour.config.csrf import CSRFConfig
from outpour.contrib.jinja import JinjaTemplateEngine
from outpour.enums import RequestEncodingType
from outpour.params import Body
from outpour.response import Template
from outpour.template import TemplateConfig

PAGE = """<form method="post" action="/transfer">
  {{ csrf_input | safe }}
  <input name="amount"><button>Send</button>
</form>
<script>const token = "{{ csrf_token() }}";</script>"""


@get("/")
async def form_page() -> Template:
    return Template(template_str=PAGE)


@post("/transfer")
async def transfer(data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]) -> str:
    return f"sent {data['amount']}"


@post("/api/transfer")
async def api_transfer(request: Request[Any, Any, Any]) -> str:
    return "sent by script"


@post("/webhooks/payment", opt={"exclude_from_csrf": True})  # called by a payment provider, not a browser
async def payment_webhook() -> str:
    return "ok"


app = Outpour(
    route_handlers=[form_page, transfer, api_transfer, payment_webhook],
    csrf_config=CSRFConfig(secret="change-me-to-a-long-random-string", cookie_secure=False),
    template_config=TemplateConfig(instance=JinjaTemplateEngine()),
)
