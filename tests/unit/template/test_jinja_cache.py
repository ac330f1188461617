"""The Jinja engine keeps loaded templates (checked for changes with ``auto_reload``) and the Content-Type cache."""

from __future__ import annotations

import os
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import pytest

from outpour import Outpour, Request, get
from outpour.exceptions import TemplateNotFoundException
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.response import Template
from outpour.response import template as template_module
from outpour.template import TemplateConfig
from outpour.testing import TestClient


def test_a_loaded_template_is_kept_while_its_file_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "a.html"
    page.write_text("A{{ x }}", encoding="utf-8")
    engine = JinjaTemplateEngine(tmp_path)
    loads: list[str] = []
    real = engine.engine.get_template

    def counting(name: str, *args: Any, **kwargs: Any) -> jinja2.Template:
        loads.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(engine.engine, "get_template", counting)
    first = engine.get_template("a.html")
    assert engine.get_template("a.html") is first
    assert engine.render_by_name("a.html", {"x": 1}) == "A1"
    assert loads == ["a.html"]
    stat = page.stat()
    os.utime(page, (stat.st_atime, stat.st_mtime + 10))
    assert engine.get_template("a.html") is not first
    assert loads == ["a.html", "a.html"]


@pytest.mark.parametrize(
    ("auto_reload", "seen_next"),
    [pytest.param(True, "new", id="auto-reload"), pytest.param(False, "old", id="no-auto-reload")],
)
def test_an_edited_template_is_seen_on_the_next_render_with_auto_reload(
    tmp_path: Path, auto_reload: bool, seen_next: str
) -> None:
    page = tmp_path / "p.html"
    page.write_text("old", encoding="utf-8")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), auto_reload=auto_reload)
    engine = JinjaTemplateEngine.from_environment(environment)
    assert engine.render_by_name("p.html", {}) == "old"
    page.write_text("new", encoding="utf-8")
    stat = page.stat()
    os.utime(page, (stat.st_atime, stat.st_mtime + 10))  # a different modification time, whatever the clock
    assert engine.render_by_name("p.html", {}) == seen_next


def test_kept_templates_leave_jinjas_cache_alone(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("{{ greet() }}", encoding="utf-8")
    engine = JinjaTemplateEngine(tmp_path)
    engine.engine.globals["greet"] = lambda: "hi"
    kept = engine.get_template("a.html")
    original = engine.engine.get_template("a.html")
    assert kept is not original
    assert isinstance(original.globals, ChainMap)
    assert type(kept.globals) is dict
    assert kept.render() == original.render() == "hi"


def test_a_callable_registered_after_a_render_is_seen(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("{{ late() if late is defined else 'none' }}", encoding="utf-8")
    engine = JinjaTemplateEngine(tmp_path)
    assert engine.render_by_name("a.html", {}) == "none"
    engine.register_template_callable("late", lambda context: "late")
    assert engine.render_by_name("a.html", {}) == "late"


def test_a_missing_template_is_not_kept(tmp_path: Path) -> None:
    engine = JinjaTemplateEngine(tmp_path)
    with pytest.raises(TemplateNotFoundException):
        engine.get_template("later.html")
    (tmp_path / "later.html").write_text("here", encoding="utf-8")
    assert engine.render_by_name("later.html", {}) == "here"


def test_inheritance_includes_macros_and_callables_through_kept_templates(tmp_path: Path) -> None:
    (tmp_path / "base.html").write_text("<main>{% block body %}{% endblock %}</main>", encoding="utf-8")
    (tmp_path / "macros.html").write_text("{% macro em(t) %}<em>{{ t }}</em>{% endmacro %}", encoding="utf-8")
    (tmp_path / "part.html").write_text("[{{ who }}]", encoding="utf-8")
    (tmp_path / "page.html").write_text(
        '{% extends "base.html" %}{% import "macros.html" as m %}'
        "{% block body %}{{ m.em(who) }}{% include 'part.html' %}{{ url_for('page') }}{% endblock %}",
        encoding="utf-8",
    )

    @get("/page", name="page")
    async def page() -> Template:
        return Template(template_name="page.html", context={"who": "<Ann>"})

    config: TemplateConfig[Any] = TemplateConfig(engine=JinjaTemplateEngine, directory=tmp_path)
    with TestClient(Outpour([page], template_config=config, openapi_config=None)) as client:
        bodies = {client.get("/page").text for _ in range(3)}
    assert bodies == {"<main><em>&lt;Ann&gt;</em>[&lt;Ann&gt;]/page</main>"}


def test_the_content_type_is_remembered_and_a_subclass_is_asked_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(template_module, "_CONTENT_TYPES", {})
    monkeypatch.setattr(template_module, "_CONTENT_TYPES_MAX", 2)
    asked: list[str] = []

    class ByQuery(Template):
        def resolve_media_type(self, request: Request[Any, Any, Any] | None) -> str:
            kind = request.query_params.get("kind", "html") if request is not None else "html"
            asked.append(kind)
            return f"text/{kind}"

    @get("/by-query")
    async def by_query() -> ByQuery:
        return ByQuery(template_str="x")

    @get("/named/{name:str}")
    async def named(name: str) -> Template:
        return Template(template_str="x") if name == "str" else Template(template_name=name)

    for name in ("a.txt", "b.csv", "c.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    config: TemplateConfig[Any] = TemplateConfig(engine=JinjaTemplateEngine, directory=tmp_path)
    with TestClient(Outpour([by_query, named], template_config=config, openapi_config=None)) as client:
        kinds = [client.get(f"/by-query?kind={kind}").headers["content-type"] for kind in ("plain", "csv")]
        types = [client.get(f"/named/{name}").headers["content-type"] for name in ("a.txt", "b.csv", "c.html", "str")]
    assert kinds == ["text/plain; charset=utf-8", "text/csv; charset=utf-8"]
    assert asked == ["plain", "csv"]
    assert types == [
        "text/plain; charset=utf-8",
        "text/csv; charset=utf-8",
        "text/html; charset=utf-8",
        "text/html; charset=utf-8",
    ]
    assert len(template_module._CONTENT_TYPES) <= 2  # cleared when full


def test_an_engine_without_render_by_name_renders_through_get_template(tmp_path: Path) -> None:
    class Plain:
        def __init__(self, directory: Any = None, engine_instance: Any = None) -> None:
            self.inner = JinjaTemplateEngine(tmp_path)

        def get_template(self, template_name: str) -> Any:
            return self.inner.get_template(template_name)

        def render_string(self, template_string: str, context: Mapping[str, Any]) -> str:
            return self.inner.render_string(template_string, context)

        def register_template_callable(self, key: str, template_callable: Any) -> None:
            self.inner.register_template_callable(key, template_callable)

    (tmp_path / "k.html").write_text("{{ n }}", encoding="utf-8")

    @get("/")
    async def page() -> Template:
        return Template(template_name="k.html", context={"n": 5})

    with TestClient(Outpour([page], template_config=TemplateConfig(instance=Plain()), openapi_config=None)) as client:
        assert client.get("/").text == "5"


@pytest.mark.parametrize(
    ("is_head", "body"), [pytest.param(False, b"hi", id="get"), pytest.param(True, b"", id="head-keeps-the-length")]
)
def test_rendered_template_headers(is_head: bool, body: bytes) -> None:
    """Built only for a status that allows a body (a template with a bodyless status is refused before)."""
    rendered = template_module._RenderedTemplate(b"hi", b"text/html", 200, is_head)
    assert rendered.encode_headers() == [(b"content-type", b"text/html"), (b"content-length", b"2")]
    assert rendered.body == body
