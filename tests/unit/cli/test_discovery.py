from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from outpour import Outpour
from outpour.cli._discovery import AppDiscoveryError, load_app

APP = """
from outpour import Outpour, get


@get("/")
async def index() -> str:
    return "{name}"


{body}
"""


def write(directory: Path, relative: str, body: str, name: str = "hello") -> None:
    target = directory / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(APP.format(name=name, body=textwrap.dedent(body)))


def paths(app: Outpour) -> list[str]:
    """The app's own routes: those of the OpenAPI document and pages (on by default, under `/schema`) left out."""
    return [entry.path for entry in app.routes if entry.path.split("/")[1] != "schema"]


@pytest.mark.parametrize(
    ("relative", "body", "spec", "import_path", "is_factory"),
    [
        pytest.param("app.py", "app = Outpour([index])", None, "app:app", False, id="app-py"),
        pytest.param(
            "application.py",
            "application = Outpour([index])",
            None,
            "application:application",
            False,
            id="application-py",
        ),
        pytest.param("app/__init__.py", "app = Outpour([index])", None, "app:app", False, id="app-package"),
        pytest.param("app.py", "server = Outpour([index])", None, "app:server", False, id="any-instance-name"),
        pytest.param(
            "app.py", "def create_app():\n    return Outpour([index])", None, "app:create_app", True, id="create-app"
        ),
        pytest.param(
            "app.py",
            "def create_application():\n    return Outpour([index])",
            None,
            "app:create_application",
            True,
            id="create-application",
        ),
        pytest.param(
            "app.py",
            "def build() -> Outpour:\n    return Outpour([index])",
            None,
            "app:build",
            True,
            id="annotated-factory",
        ),
        pytest.param("svc.py", "api = Outpour([index])", "svc:api", "svc:api", False, id="spec-instance"),
        pytest.param(
            "svc.py", "def make():\n    return Outpour([index])", "svc:make", "svc:make", True, id="spec-factory"
        ),
        pytest.param("svc.py", "api = Outpour([index])", "svc", "svc:api", False, id="spec-module-only"),
        pytest.param(
            "pkg/web.py", "api = Outpour([index])", "pkg/web.py:api", "pkg.web:api", False, id="spec-file-path"
        ),
        pytest.param("pkg/web.py", "api = Outpour([index])", "pkg.web:api", "pkg.web:api", False, id="spec-dotted"),
    ],
)
def test_finds_the_app(
    tmp_path: Path, relative: str, body: str, spec: str | None, import_path: str, is_factory: bool
) -> None:
    write(tmp_path, relative, body)
    loaded = load_app(spec, tmp_path)
    assert (loaded.import_path, loaded.is_factory, loaded.app_dir) == (import_path, is_factory, tmp_path.resolve())
    assert paths(loaded.app) == ["/"]


def test_environment_variable_names_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "app.py", "app = Outpour([index])")
    write(tmp_path, "other.py", "other = Outpour([index])")
    monkeypatch.setenv("OUTPOUR_APP", "other:other")
    assert load_app(None, tmp_path).import_path == "other:other"
    assert load_app("app:app", tmp_path).import_path == "app:app"


def test_defaults_to_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "app.py", "app = Outpour([index])")
    monkeypatch.chdir(tmp_path)
    assert load_app().app_dir == tmp_path.resolve()


def test_app_is_preferred_over_factories(tmp_path: Path) -> None:
    write(tmp_path, "app.py", "def create_app():\n    raise RuntimeError\n\napp = Outpour([index])")
    assert load_app(None, tmp_path).import_path == "app:app"


def test_annotated_factory_must_be_defined_in_the_module(tmp_path: Path) -> None:
    write(tmp_path, "helpers.py", "def build() -> Outpour:\n    return Outpour([index])")
    write(
        tmp_path,
        "app.py",
        "from helpers import build\nfrom outpour import Outpour as O\n\ndef local() -> O:\n    return O()",
    )
    assert load_app(None, tmp_path).import_path == "app:local"


@pytest.mark.parametrize(
    ("files", "spec", "match"),
    [
        pytest.param(
            {}, None, r"No app found in `.*`: looked for `app.py`, `app/__init__.py`, `application.py`", id="nothing"
        ),
        pytest.param(
            {},
            "missing:app",
            r"Cannot import module `missing` \(from `--app missing:app`\): no such module",
            id="no-module",
        ),
        pytest.param({}, ":app", r"`:app` \(from `--app :app`\) names no module", id="empty-module"),
        pytest.param(
            {"app.py": "import not_a_real_package_xyz\napp = Outpour([index])"},
            None,
            r"Importing module `app` \(found `.*app.py`\) failed: No module named 'not_a_real_package_xyz'",
            id="import-inside",
        ),
        pytest.param(
            {"app.py": "raise ValueError('boom')"},
            None,
            r"Importing module `app` \(found .*\) raised `ValueError: boom`",
            id="module-raises",
        ),
        pytest.param(
            {"app.py": "x = 1"}, None, r"Module `app` \(found .*\) has no `Outpour` app: looked for", id="no-app"
        ),
        pytest.param(
            {"app.py": "a = Outpour([index])\nb = Outpour([index])"},
            None,
            r"holds several `Outpour` apps: `a`, `b`. Choose one with `--app app:a`",
            id="several",
        ),
        pytest.param({"app.py": "app = Outpour([index])"}, "app:nope", r"has no attribute `nope`", id="no-attribute"),
        pytest.param(
            {"app.py": "app = Outpour([index])\nx = 3"},
            "app:x",
            r"`app:x` .* is `3`, not an `Outpour` app",
            id="not-an-app",
        ),
        pytest.param(
            {"app.py": "app = Outpour([index])"},
            "app:Outpour",
            r"is `<class .*Outpour'>`, not an `Outpour` app",
            id="a-class",
        ),
        pytest.param(
            {"app.py": "def make():\n    raise KeyError('k')"},
            "app:make",
            r"Calling the factory `app:make` .* raised `KeyError: 'k'`",
            id="factory-raises",
        ),
        pytest.param(
            {"app.py": "def make():\n    return 42"},
            "app:make",
            r"The factory `app:make` .* returned `42`",
            id="factory-returns",
        ),
    ],
)
def test_errors_say_what_was_looked_for(tmp_path: Path, files: dict[str, str], spec: str | None, match: str) -> None:
    for name, text in files.items():
        write(tmp_path, name, text)
    with pytest.raises(AppDiscoveryError, match=match):
        load_app(spec, tmp_path)


def test_error_names_the_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTPOUR_APP", "nowhere:app")
    with pytest.raises(AppDiscoveryError, match=r"from `OUTPOUR_APP=nowhere:app`"):
        load_app(None, tmp_path)
