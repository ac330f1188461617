"""Template responses with the Jinja2, Mako and MiniJinja engines: files, strings, context, callables and errors."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

from outpour import MediaType, Outpour, Request, get
from outpour.background_tasks import BackgroundTask
from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException, TemplateNotFoundException
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.plugins.mako import MakoTemplateEngine
from outpour.plugins.minijinja import MiniJinjaTemplateEngine, StateContext, StateProtocol, minijinja_from_state
from outpour.response import Template
from outpour.template import TemplateConfig, TemplateEngineProtocol, TemplateProtocol
from outpour.template.base import normalize_directories, safe_template_name, url_for
from outpour.testing import TestClient

ENGINES = [
    pytest.param(JinjaTemplateEngine, "{{ %s }}", id="jinja"),
    pytest.param(MakoTemplateEngine, "${%s}", id="mako"),
    pytest.param(MiniJinjaTemplateEngine, "{{ %s }}", id="minijinja"),
]


@pytest.fixture
def template_dir(tmp_path: Path) -> Path:
    (tmp_path / "pages").mkdir()
    return tmp_path


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8")


def client_for(handlers: list[Any], engine: type, directory: Path | None, **options: Any) -> TestClient[Outpour]:
    """A client of an app rendering with ``engine``; without ``directory``, an engine for template strings only."""
    config = (
        TemplateConfig(engine=engine, directory=directory, **options)
        if directory is not None
        else TemplateConfig(instance=engine(), **options)
    )
    return TestClient(Outpour(handlers, template_config=config, state={"motto": "carpe diem"}))


@pytest.mark.parametrize(("engine", "expr"), ENGINES)
def test_file_template_with_context_and_request(engine: type, expr: str, template_dir: Path) -> None:
    write(
        template_dir,
        "pages/hi.html.tpl",
        f"<p>{expr % 'name'} at {expr % 'request.url.path'} says {expr % 'request.app.state.motto'}</p>",
    )

    @get("/hi/{name:str}")
    async def hi(name: str) -> Template:
        return Template(template_name="pages/hi.html.tpl", context={"name": name})

    with client_for([hi], engine, template_dir) as client:
        response = client.get("/hi/<Ann>")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "&lt;Ann&gt;" in response.text
    assert "says carpe diem" in response.text


@pytest.mark.parametrize(("engine", "expr"), ENGINES)
def test_string_template_is_html_and_escaped(engine: type, expr: str) -> None:
    @get("/")
    async def inline() -> Template:
        return Template(template_str=f"<b>{expr % 'x'}</b>", context={"x": "<i>"})

    with client_for([inline], engine, None) as client:
        response = client.get("/")
    assert (response.status_code, response.text) == (200, "<b>&lt;i&gt;</b>")
    assert response.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(("engine", "expr"), ENGINES)
def test_url_for_and_static_assets_and_custom_callables(engine: type, expr: str, template_dir: Path) -> None:
    write(
        template_dir,
        "links.html",
        expr % "url_for('user', user_id=7)"
        + "|"
        + expr % "url_for_static_asset('static', 'css/site.css')"
        + "|"
        + expr % "shout('hey')"
        + "|"
        + expr % "csrf_token()",
    )

    @get("/users/{user_id:int}", name="user")
    async def user(user_id: int) -> str:
        return str(user_id)

    @get("/static/{file_path:path}", name="static")
    async def static(file_path: str) -> str:
        return file_path

    @get("/links")
    async def links() -> Template:
        return Template(template_name="links.html", context={"who": "Ann"})

    def shout(context: Mapping[str, Any], word: str) -> str:
        return f"{word.upper()} {context['who']}"

    def register(engine_instance: Any) -> None:
        engine_instance.register_template_callable("shout", shout)

    with client_for([user, static, links], engine, template_dir, engine_callback=register) as client:
        response = client.get("/links")
    assert response.text == "/users/7|/static/css/site.css|HEY Ann|"


@pytest.mark.parametrize(("engine", "expr"), ENGINES)
@pytest.mark.parametrize("debug", [pytest.param(False, id="production"), pytest.param(True, id="debug")])
def test_missing_template_is_a_500_named_only_in_debug(
    engine: type, expr: str, template_dir: Path, debug: bool
) -> None:
    """The name and the searched directories are internals: the client sees them only in debug mode."""

    @get("/")
    async def missing() -> Template:
        return Template(template_name="nope.html")

    config: TemplateConfig[Any] = TemplateConfig(engine=engine, directory=template_dir)
    with TestClient(Outpour([missing], template_config=config, debug=debug)) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert ("Template nope.html not found." in response.text) is debug
    assert (str(template_dir) in response.text) is debug
    if not debug:
        assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}


@pytest.mark.parametrize(("engine", "expr"), ENGINES)
@pytest.mark.parametrize("name", ["../secret.txt", "/etc/passwd", "pages/../../secret.txt", ""])
def test_names_leaving_the_directories_are_not_found(engine: type, expr: str, template_dir: Path, name: str) -> None:
    (template_dir.parent / "secret.txt").write_text("secret", encoding="utf-8")
    config: TemplateConfig[Any] = TemplateConfig(engine=engine, directory=template_dir / "pages")

    @get("/")
    async def sneaky() -> Template:
        return Template(template_name=name)

    with TestClient(Outpour([sneaky], template_config=config)) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "secret" not in response.text.replace("secret.txt", "")


@pytest.mark.parametrize(
    ("template_name", "handler_media_type", "response_media_type", "expected"),
    [
        pytest.param("a.html.jinja2", None, None, "text/html; charset=utf-8", id="html-suffix"),
        pytest.param("a.txt.jinja2", None, None, "text/plain; charset=utf-8", id="txt-suffix"),
        pytest.param("a.json.jinja2", None, None, "application/json", id="json-suffix"),
        pytest.param("a.jinja2", None, None, "text/plain; charset=utf-8", id="no-known-suffix"),
        pytest.param("page.jinja", None, None, "text/plain; charset=utf-8", id="jinja-suffix-only"),
        pytest.param("a.jinja2", MediaType.HTML, None, "text/html; charset=utf-8", id="no-suffix-handler-html"),
        pytest.param("a.txt.jinja2", MediaType.HTML, None, "text/html; charset=utf-8", id="handler-wins"),
        pytest.param("a.html.jinja2", None, "text/csv", "text/csv; charset=utf-8", id="response-wins"),
    ],
)
def test_media_type(
    template_dir: Path,
    template_name: str,
    handler_media_type: MediaType | None,
    response_media_type: str | None,
    expected: str,
) -> None:
    write(template_dir, template_name, "{{ 1 + 1 }}")

    @get("/", media_type=handler_media_type)
    async def page() -> Template:
        return Template(template_name=template_name, media_type=response_media_type)

    with client_for([page], JinjaTemplateEngine, template_dir) as client:
        response = client.get("/")
    assert (response.text, response.headers["content-type"]) == ("2", expected)


def test_status_headers_cookies_background_and_head(template_dir: Path) -> None:
    write(template_dir, "x.html", "hello")
    ran: list[str] = []

    @get("/")
    async def page() -> Template:
        return Template(
            template_name="x.html",
            status_code=203,
            headers={"x-extra": "1"},
            cookies={"seen": "yes"},
            background=BackgroundTask(ran.append, "done"),
        )

    with client_for([page], JinjaTemplateEngine, template_dir) as client:
        response = client.get("/")
        head = client.head("/")
    assert (response.status_code, response.text, response.headers["x-extra"]) == (203, "hello", "1")
    assert response.cookies["seen"] == "yes"
    assert (head.status_code, head.content, head.headers["content-length"]) == (203, b"", "5")
    assert ran == ["done", "done"]


@pytest.mark.parametrize("debug", [pytest.param(False, id="production"), pytest.param(True, id="debug")])
def test_template_without_template_config_is_a_500(debug: bool) -> None:
    @get("/")
    async def page() -> Template:
        return Template(template_str="x")

    with TestClient(Outpour([page], debug=debug)) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert ("template_config=TemplateConfig(" in response.text) is debug


@pytest.mark.parametrize(
    "kwargs",
    [pytest.param({}, id="neither"), pytest.param({"template_name": "a", "template_str": "b"}, id="both")],
)
def test_template_takes_a_name_or_a_string(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="either `template_name`"):
        Template(**kwargs)


def test_template_needs_a_request() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="renders with the request"):
        Template(template_str="x").to_asgi_response(None)


class _FakeRequest:
    def __init__(self, scope: dict[str, Any]) -> None:
        self.scope = scope


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        pytest.param({}, '<input type="hidden" name="_csrf_token" value="" />', id="no-token"),
        pytest.param({"_csrf_token": "t0k"}, '<input type="hidden" name="_csrf_token" value="t0k" />', id="token"),
        pytest.param(
            {"_csrf_token": '"><b>'},
            '<input type="hidden" name="_csrf_token" value="&quot;&gt;&lt;b&gt;" />',
            id="token-escaped",
        ),
    ],
)
def test_create_template_context_adds_the_request_and_csrf_input(scope: dict[str, Any], field: str) -> None:
    request = _FakeRequest(scope)
    context = Template(template_str="x", context={"a": 1}).create_template_context(request)  # type: ignore[arg-type]
    assert context == {"a": 1, "request": request, "csrf_input": field}


CSRF_INPUT_ENGINES = [
    pytest.param(JinjaTemplateEngine, "{{ csrf_input | safe }}", id="jinja"),
    pytest.param(MakoTemplateEngine, "${csrf_input | n}", id="mako"),
    pytest.param(MiniJinjaTemplateEngine, "{{ csrf_input | safe }}", id="minijinja"),
]


@pytest.mark.parametrize(("engine", "source"), CSRF_INPUT_ENGINES)
def test_every_engine_can_render_the_csrf_form_field_without_csrf_protection(
    engine: type, source: str, template_dir: Path
) -> None:
    write(template_dir, "form.html", f"<form>{source}</form>")

    @get("/form")
    async def form() -> Template:
        return Template(template_name="form.html")

    with client_for([form], engine, template_dir) as client:
        response = client.get("/form")
    assert response.status_code == 200
    assert response.text == '<form><input type="hidden" name="_csrf_token" value="" /></form>'


# -- TemplateConfig ---------------------------------------------------------------------------------------------------


def test_engine_is_built_once_and_the_callback_runs_once(template_dir: Path) -> None:
    calls: list[Any] = []
    config = TemplateConfig(engine=JinjaTemplateEngine, directory=template_dir, engine_callback=calls.append)
    first = config.engine_instance
    assert config.engine_instance is first
    assert calls == [first]
    assert isinstance(first, JinjaTemplateEngine)
    assert config.to_engine() is not first


def test_instance_and_engine_object_are_used_as_given(template_dir: Path) -> None:
    engine = MakoTemplateEngine(directory=template_dir)
    assert TemplateConfig(instance=engine).engine_instance is engine
    assert TemplateConfig(engine=engine).engine_instance is engine


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({}, "needs an `engine`", id="nothing"),
        pytest.param({"instance": object(), "directory": "x"}, "not both", id="instance-and-directory"),
        pytest.param(
            {"engine": JinjaTemplateEngine}, r"engine=JinjaTemplateEngine\)` needs the `directory`", id="jinja"
        ),
        pytest.param({"engine": MakoTemplateEngine}, r"engine=MakoTemplateEngine\)` needs the `directory`", id="mako"),
        pytest.param({"engine": MiniJinjaTemplateEngine}, r"engine=MiniJinjaTemplateEngine\)` needs", id="minijinja"),
        pytest.param({"engine": JinjaTemplateEngine, "directory": []}, "needs the `directory`", id="no-directories"),
        pytest.param(
            {"engine": MakoTemplateEngine, "instance": object()},
            r"engine class \(`engine=MakoTemplateEngine`, built from `directory`\) or a ready engine `instance`, not both",
            id="engine-class-and-instance",
        ),
    ],
)
def test_template_config_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        TemplateConfig(**kwargs)


def test_the_engine_is_built_when_the_app_is_created(template_dir: Path) -> None:
    built: list[Any] = []
    config: TemplateConfig[Any] = TemplateConfig(
        engine=JinjaTemplateEngine, directory=template_dir, engine_callback=built.append
    )
    app = Outpour([], template_config=config)
    assert len(built) == 1
    assert app.template_engine is built[0] is config.engine_instance
    assert isinstance(app.template_engine, JinjaTemplateEngine)


def test_a_failing_engine_callback_fails_the_app_creation(template_dir: Path) -> None:
    def broken(engine: Any) -> None:
        raise ImproperlyConfiguredException("no such filter")

    config: TemplateConfig[Any] = TemplateConfig(
        engine=MakoTemplateEngine, directory=template_dir, engine_callback=broken
    )
    with pytest.raises(ImproperlyConfiguredException, match="no such filter"):
        Outpour([], template_config=config)


def _reloading(engine: Any) -> None:
    """Configure ``engine`` to load edited templates again; Jinja (``auto_reload``) and Mako do by default."""
    if isinstance(engine, MiniJinjaTemplateEngine):
        engine.engine.reload_before_render = True


@pytest.mark.parametrize(("engine", "expr"), ENGINES)
def test_an_edited_template_is_rendered_anew_on_the_next_request(engine: type, expr: str, template_dir: Path) -> None:
    page = template_dir / "page.html"
    page.write_text(f"old {expr % 'n'}", encoding="utf-8")

    @get("/")
    async def show() -> Template:
        return Template(template_name="page.html", context={"n": 1})

    with client_for([show], engine, template_dir, engine_callback=_reloading) as client:
        before = client.get("/").text
        page.write_text(f"new {expr % 'n'}", encoding="utf-8")
        stat = page.stat()
        os.utime(page, (stat.st_atime, stat.st_mtime + 10))  # a new modification time, however coarse the clock
        after = client.get("/").text
    assert (before, after) == ("old 1", "new 1")


@pytest.mark.parametrize("engine", [JinjaTemplateEngine, MakoTemplateEngine, MiniJinjaTemplateEngine])
def test_engines_refuse_directory_and_instance_or_a_foreign_instance(engine: type, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="not both"):
        engine(directory=tmp_path, engine_instance=object())
    with pytest.raises(ImproperlyConfiguredException, match="as `engine_instance`"):
        engine(directory=None, engine_instance=object())


def test_engines_follow_the_protocol(tmp_path: Path) -> None:
    for engine in (JinjaTemplateEngine(tmp_path), MakoTemplateEngine(tmp_path), MiniJinjaTemplateEngine(tmp_path)):
        assert isinstance(engine, TemplateEngineProtocol)
        assert engine.search_path == [str(tmp_path)]
    write(tmp_path, "t.html", "x")
    assert isinstance(JinjaTemplateEngine(tmp_path).get_template("t.html"), TemplateProtocol)


def test_from_environment_and_from_template_lookup(tmp_path: Path) -> None:
    import jinja2
    import minijinja
    from mako.lookup import TemplateLookup

    jinja = JinjaTemplateEngine.from_environment(jinja2.Environment(loader=jinja2.DictLoader({"a": "A{{ 1 }}"})))
    assert jinja.get_template("a").render() == "A1"
    assert jinja.search_path == []
    mako = MakoTemplateEngine.from_template_lookup(TemplateLookup(directories=[str(tmp_path)]))
    assert mako.search_path == [str(tmp_path)]
    mini = MiniJinjaTemplateEngine.from_environment(minijinja.Environment(templates={"a": "M{{ 2 }}"}))
    assert mini.get_template("a").render({"unused": 1}) == "M2"
    assert mini.render_string("{{ x }}", {"x": 3}) == "3"


def test_minijinja_errors_other_than_not_found_propagate(tmp_path: Path) -> None:
    import minijinja

    write(tmp_path, "bad.html", "{{ 1 | no_such_filter }}")
    with pytest.raises(minijinja.TemplateError):
        MiniJinjaTemplateEngine(tmp_path).get_template("bad.html").render()


def test_minijinja_state_helpers() -> None:
    class FakeState:
        def lookup(self, key: str) -> Any:
            return {"a": 1}.get(key)

    context = StateContext(FakeState())
    assert (context["a"], context.get("b"), list(context), len(context)) == (1, None, [], 0)
    with pytest.raises(KeyError):
        context["b"]
    assert minijinja_from_state(lambda ctx, n: ctx["a"] + n, FakeState(), 2) == 3
    assert minijinja_from_state(lambda ctx: ctx["a"], {"a": 5}) == 5


def test_minijinja_callables_get_a_context_with_the_state_api(template_dir: Path) -> None:
    seen: dict[str, Any] = {}

    def probe(ctx: StateProtocol) -> str:
        seen.update(name=ctx.name, block=ctx.current_block, escape=ctx.auto_escape, env=ctx.env)
        return str(ctx.lookup("flavour") or "none") + "/" + str(ctx.lookup("undefined_name"))

    def register(engine: MiniJinjaTemplateEngine) -> None:
        engine.register_template_callable(key="probe", template_callable=probe)

    write(template_dir, "probe.txt", "{{ probe() }}")

    @get("/probe")
    async def handler(flavour: str | None = None) -> Template:
        return Template(template_name="probe.txt", context={"flavour": flavour} if flavour else None)

    with client_for([handler], MiniJinjaTemplateEngine, template_dir, engine_callback=register) as client:
        with_value = client.get("/probe", params={"flavour": "mint"}).text
        without_value = client.get("/probe").text
        engine = client.app.template_config.engine_instance
    assert (with_value, without_value) == ("mint/None", "none/None")
    assert seen["name"] == "probe.txt"
    assert seen["block"] is None
    assert seen["escape"] is None
    assert seen["env"] is engine.engine


def test_url_for_without_a_request_says_what_to_do() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="needs `request`"):
        url_for({}, "home")


def test_url_for_static_asset_uses_the_app_builder_when_there_is_one() -> None:
    from outpour.template.base import url_for_static_asset

    class App:
        def url_for_static_asset(self, name: str, path: str) -> str:
            return f"/{name}/{path}"

    class FakeRequest:
        app = App()
        scope: ClassVar[dict[str, Any]] = {}

    assert url_for_static_asset({"request": FakeRequest()}, "assets", "a.css") == "/assets/a.css"


def test_url_for_keeps_the_root_path() -> None:
    class App:
        def route_reverse(self, name: str, **params: Any) -> str:
            return "/home"

    class FakeRequest:
        app = App()
        scope: ClassVar[dict[str, Any]] = {"root_path": "/mounted/"}

    assert url_for({"request": FakeRequest()}, "home") == "/mounted/home"


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        pytest.param("a/b.html", True, id="nested"),
        pytest.param("a/./b.html", True, id="dot"),
        pytest.param("a\\b.html", True, id="backslash"),
        pytest.param("../b.html", False, id="parent"),
        pytest.param("a/../../b", False, id="climb"),
        pytest.param("/abs", False, id="absolute"),
        pytest.param("a\x00b", False, id="nul"),
        pytest.param("", False, id="empty"),
    ],
)
def test_safe_template_name(name: str, ok: bool) -> None:
    if ok:
        assert ".." not in safe_template_name(name)
    else:
        with pytest.raises(TemplateNotFoundException):
            safe_template_name(name)


def test_normalize_directories() -> None:
    assert normalize_directories(None) == []
    assert normalize_directories("a") == [Path("a")]
    assert normalize_directories([Path("a"), "b"]) == [Path("a"), Path("b")]
    with pytest.raises(ImproperlyConfiguredException, match=r"must be a `str` or `pathlib\.Path`"):
        normalize_directories([1])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("module", "package", "extra"),
    [
        pytest.param("outpour.plugins.jinja", "jinja2", "jinja", id="jinja"),
        pytest.param("outpour.plugins.mako", "mako", "mako", id="mako"),
        pytest.param("outpour.plugins.minijinja", "minijinja", "minijinja", id="minijinja"),
    ],
)
def test_a_missing_engine_library_names_the_extra(
    module: str, package: str, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(sys.modules):
        if name == package or name.startswith(package + "."):
            monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, module)
    with pytest.raises(MissingDependencyException, match=rf"outpour\[{extra}\]"):
        importlib.import_module(module)


def test_request_is_the_outpour_request(template_dir: Path) -> None:
    seen: list[Any] = []

    def grab(context: Mapping[str, Any]) -> str:
        seen.append(context["request"])
        return ""

    write(template_dir, "r.html", "{{ grab() }}")

    @get("/")
    async def page() -> Template:
        return Template(template_name="r.html")

    with client_for(
        [page], JinjaTemplateEngine, template_dir, engine_callback=lambda e: e.register_template_callable("grab", grab)
    ) as client:
        client.get("/")
    assert isinstance(seen[0], Request)


def test_resolve_media_type_without_a_request() -> None:
    assert Template(template_name="a.txt").resolve_media_type(None) == "text/plain"
    assert Template(template_str="x").resolve_media_type(None) == "text/html"


def test_minijinja_includes_cannot_leave_the_directories(template_dir: Path) -> None:
    write(template_dir, "secret.html", "secret")
    write(template_dir / "pages", "page.html", "{% include '../secret.html' %}")
    engine = MiniJinjaTemplateEngine(template_dir / "pages")
    with pytest.raises(TemplateNotFoundException):
        engine.get_template("page.html").render()


@pytest.mark.parametrize("status", [pytest.param(204, id="no-content"), pytest.param(304, id="not-modified")])
def test_a_body_with_a_bodyless_status_is_refused(status: int, caplog: pytest.LogCaptureFixture) -> None:
    @get("/")
    async def page() -> Template:
        return Template(template_str="not sent", status_code=status)

    @get("/empty")
    async def empty() -> Template:
        return Template(template_str="", status_code=status)

    with client_for([page, empty], JinjaTemplateEngine, None) as client:
        refused = client.get("/")
        response = client.get("/empty")
    assert refused.status_code == 500
    assert f"A `Template` has status code {status}, which forbids a response body" in caplog.text
    assert (response.status_code, response.content, response.headers.get("content-length")) == (status, b"", None)
    assert "content-type" not in response.headers


@pytest.mark.parametrize("engine", ["jinja", "mako", "minijinja"])
def test_the_older_contrib_import_paths_give_the_same_engines(engine: str) -> None:
    import importlib

    old = importlib.import_module(f"outpour.contrib.{engine}")
    new = importlib.import_module(f"outpour.plugins.{engine}")
    assert old.__all__ == new.__all__
    assert all(getattr(old, name) is getattr(new, name) for name in new.__all__)


def test_the_app_exposes_its_template_engine(tmp_path: Path) -> None:
    from outpour import Outpour
    from outpour.plugins.jinja import JinjaTemplateEngine
    from outpour.template.config import TemplateConfig

    config: TemplateConfig[Any] = TemplateConfig(directory=tmp_path, engine=JinjaTemplateEngine)
    app = Outpour([], template_config=config)
    assert isinstance(app.template_engine, JinjaTemplateEngine)
    assert app.template_engine is config.engine_instance
    assert Outpour([]).template_engine is None
