"""``outpour.plugins.flash``: one-time messages kept in the session and shown by templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from outpour import Outpour, Request, get, post
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.rate_limit import RateLimitConfig
from outpour.middleware.session.base import BaseBackendConfig
from outpour.middleware.session.client_side import CookieBackendConfig
from outpour.middleware.session.server_side import ServerSideSessionConfig
from outpour.plugins.flash import FlashConfig, FlashPlugin, flash, get_flashes
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.plugins.mako import MakoTemplateEngine
from outpour.plugins.minijinja import MiniJinjaTemplateEngine
from outpour.response import Redirect, Template
from outpour.template.config import TemplateConfig
from outpour.testing import create_test_client

JINJA = '{% for m in get_flashes() %}<p class="{{ m.category }}">{{ m.message }}</p>{% endfor %}'
MAKO = """<% messages = get_flashes() %>\\
% for m in messages:
<p class="${m['category']}">${m['message']}</p>\\
% endfor
"""


@post("/save", sync_to_thread=False)
def save(request: Request) -> Redirect:
    flash(request, "Saved.", category="success")
    flash(request, "Check your e-mail.", category="info")
    return Redirect("/page")


@get("/page", sync_to_thread=False)
def page() -> Template:
    return Template(template_name="page.html")


def _template_config(tmp_path: Path, engine: Any, source: str) -> TemplateConfig[Any]:
    (tmp_path / "page.html").write_text(source)
    return TemplateConfig(directory=tmp_path, engine=engine)


@pytest.mark.parametrize(
    ("engine", "source"),
    [
        pytest.param(JinjaTemplateEngine, JINJA, id="jinja"),
        pytest.param(MakoTemplateEngine, MAKO, id="mako"),
        pytest.param(MiniJinjaTemplateEngine, JINJA, id="minijinja"),
    ],
)
def test_flashed_messages_survive_a_redirect_and_are_shown_once(tmp_path: Path, engine: Any, source: str) -> None:
    config = _template_config(tmp_path, engine, source)
    with create_test_client(
        [save, page],
        plugins=[FlashPlugin(FlashConfig(template_config=config))],
        template_config=config,
        session_config=ServerSideSessionConfig(),
    ) as client:
        shown = client.post("/save")
        again = client.get("/page")
    assert shown.text == '<p class="success">Saved.</p><p class="info">Check your e-mail.</p>'
    assert (again.status_code, again.text) == (200, "")


@pytest.mark.parametrize(
    "session_config",
    [
        pytest.param(ServerSideSessionConfig(), id="server-side"),
        pytest.param(CookieBackendConfig(secret=b"k" * 32), id="cookie"),
    ],
)
def test_messages_wait_in_the_session_until_a_template_reads_them(
    tmp_path: Path, session_config: BaseBackendConfig[Any]
) -> None:
    @post("/api/save", sync_to_thread=False)
    def api_save(request: Request) -> dict[str, bool]:
        flash(request, "Saved from the API.", category="success")
        return {"ok": True}

    @get("/api/other", sync_to_thread=False)
    def other() -> str:
        return "other"

    config = _template_config(tmp_path, JinjaTemplateEngine, JINJA)
    with create_test_client(
        [api_save, other, page],
        plugins=[FlashPlugin(FlashConfig(template_config=config))],
        template_config=config,
        session_config=session_config,
    ) as client:
        client.post("/api/save")
        client.get("/api/other")
        first = client.get("/page")
        second = client.get("/page")
    assert (first.text, second.text) == ('<p class="success">Saved from the API.</p>', "")


def test_messages_flashed_while_rendering_the_same_request_are_shown(tmp_path: Path) -> None:
    @get("/now", sync_to_thread=False)
    def now(request: Request) -> Template:
        flash(request, "Right away", category="warning")
        return Template(template_str=JINJA)

    config = _template_config(tmp_path, JinjaTemplateEngine, JINJA)
    with create_test_client(
        [now],
        plugins=[FlashPlugin(FlashConfig(template_config=config))],
        template_config=config,
        session_config=ServerSideSessionConfig(),
    ) as client:
        assert client.get("/now").text == '<p class="warning">Right away</p>'


def test_routes_without_a_session_show_no_messages(tmp_path: Path) -> None:
    config = _template_config(tmp_path, JinjaTemplateEngine, "[{{ get_flashes() | length }}]")
    with create_test_client(
        [page],
        plugins=[FlashPlugin(FlashConfig(template_config=config))],
        template_config=config,
        session_config=ServerSideSessionConfig(exclude="/page"),
    ) as client:
        assert client.get("/page").text == "[0]"


def test_get_flashes_needs_the_request_in_the_context() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="`get_flashes` needs `request`"):
        get_flashes({})


@pytest.mark.parametrize(
    "middleware",
    [
        pytest.param([], id="none"),
        pytest.param([RateLimitConfig(rate_limit=("minute", 10)).middleware], id="not-a-session-middleware"),
    ],
)
def test_app_without_a_session_middleware_is_refused(tmp_path: Path, middleware: list[Any]) -> None:
    config = _template_config(tmp_path, JinjaTemplateEngine, JINJA)
    with pytest.raises(ImproperlyConfiguredException, match="has no session middleware"):
        Outpour([page], plugins=[FlashPlugin(FlashConfig(template_config=config))], middleware=middleware)


def test_app_rendering_with_another_engine_is_refused(tmp_path: Path) -> None:
    flash_templates = _template_config(tmp_path, JinjaTemplateEngine, JINJA)
    app_templates: TemplateConfig[JinjaTemplateEngine] = TemplateConfig(directory=tmp_path, engine=JinjaTemplateEngine)
    with pytest.raises(ImproperlyConfiguredException, match="Pass the same `TemplateConfig`"):
        Outpour(
            [page],
            plugins=[FlashPlugin(FlashConfig(template_config=flash_templates))],
            template_config=app_templates,
            middleware=[ServerSideSessionConfig().middleware],
        )
