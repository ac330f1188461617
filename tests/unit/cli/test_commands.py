from __future__ import annotations

import builtins
import importlib
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import outpour
from outpour.cli import main
from outpour.cli._commands import cli

APP = """
from outpour import MediaType, Outpour, get
from outpour.response import Stream


@get("/", media_type=MediaType.HTML)
async def index() -> str:
    return "<h1>hi</h1>"


@get("/items/{item_id:int}")
async def item(item_id: int) -> dict[str, int]:
    return {"id": item_id}


@get("/stream")
async def stream() -> Stream:
    return Stream([b"x"])


@get("/schema/extra")
async def extra() -> str:
    return ""


{tail}
"""

SCHEMA_TAIL = """
from outpour.openapi import OpenAPIConfig

app = Outpour([index, item, stream, extra], openapi_config=OpenAPIConfig(title="Démo", version="1"))
"""

# An app whose `openapi_schema` gives `DOCUMENT` (Litestar's gives an object with `to_schema()`), to test the errors.
STAND_IN_TAIL = """
from typing import Any


class WithSchema(Outpour):
    @property
    def openapi_schema(self) -> Any:
        return DOCUMENT


class Document:
    def to_schema(self) -> dict[str, Any]:
        return {"openapi": "3.1.0", "info": {"title": "Démo", "version": "1"}, "paths": {}}


DOCUMENT: Any = Document()
app = WithSchema([index, item, stream, extra])
"""


def write_app(directory: Path, tail: str = "app = Outpour([index, item, stream, extra])", name: str = "app.py") -> Path:
    path = directory / name
    path.write_text(APP.replace("{tail}", textwrap.dedent(tail)))
    return path


def invoke(args: list[str], directory: Path | None = None) -> Result:
    runner = CliRunner()
    if directory is None:
        return runner.invoke(cli, args, prog_name="outpour")
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        return runner.invoke(cli, args, prog_name="outpour")
    finally:
        os.chdir(cwd)


# -- version ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "output"),
    [
        pytest.param(["version"], f"outpour {outpour.__version__}\n", id="version"),
        pytest.param(["version", "--short"], f"{outpour.__version__}\n", id="short"),
        pytest.param(["--version"], f"outpour {outpour.__version__}\n", id="option"),
        pytest.param(["-V"], f"outpour {outpour.__version__}\n", id="short-option"),
    ],
)
def test_version(args: list[str], output: str) -> None:
    """``outpour version`` and ``outpour --version`` print the same line."""
    result = invoke(args)
    assert (result.exit_code, result.output) == (0, output)


def test_help_lists_the_commands() -> None:
    result = invoke(["-h"])
    assert result.exit_code == 0
    for command in ("info", "run", "routes", "schema", "version"):
        assert f"  {command} " in result.output


# -- routes -----------------------------------------------------------------------------------------------------------


def test_routes_table(tmp_path: Path) -> None:
    write_app(tmp_path)
    result = invoke(["routes"], tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Routes of app:app" in lines[0]
    rows = [[cell.strip() for cell in line.strip("│").split("│")] for line in lines if line.startswith("│")]
    assert rows == [  # `/schema/extra` is under the OpenAPI path (on by default): hidden without --schema
        ["/", "GET", "index", "HTML"],
        ["/items/{item_id:int}", "GET", "item", "JSON"],
        ["/stream", "GET", "stream", "stream"],
    ]


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        pytest.param(["routes"], ["/", "/items/{item_id:int}", "/stream"], id="schema-hidden"),
        pytest.param(
            ["routes", "--schema"],
            [
                "/",
                "/items/{item_id:int}",
                "/schema",
                "/schema/_assets/{plugin:str}/{filename:str}",  # the pages' scripts and stylesheets
                "/schema/elements",
                "/schema/extra",
                "/schema/oauth2-redirect.html",  # Swagger UI's OAuth2 redirect page
                "/schema/openapi.json",
                "/schema/openapi.yaml",
                "/schema/openapi.yml",
                "/schema/rapidoc",
                "/schema/redoc",
                "/schema/scalar",
                "/schema/swagger",
                "/stream",
            ],
            id="schema-shown",
        ),
        pytest.param(["routes", "--exclude", "^/items", "--exclude", "stream"], ["/"], id="exclude"),
    ],
)
def test_routes_filters(tmp_path: Path, args: list[str], shown: list[str]) -> None:
    write_app(tmp_path, SCHEMA_TAIL)
    result = invoke(args, tmp_path)
    assert result.exit_code == 0, result.output
    paths = [line.strip("│").split("│")[0].strip() for line in result.output.splitlines() if line.startswith("│")]
    assert paths == shown


def test_routes_bad_exclude_pattern(tmp_path: Path) -> None:
    write_app(tmp_path)
    result = invoke(["routes", "--exclude", "("], tmp_path)
    assert result.exit_code == 2
    assert "Invalid value for --exclude" in result.output


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--app", "web:api", "routes"], id="group-option"),
        pytest.param(["routes", "--app", "web:api"], id="command-option"),
        pytest.param(["--app", "nope:nope", "routes", "--app", "web:api"], id="command-wins"),
    ],
)
def test_app_option(tmp_path: Path, args: list[str]) -> None:
    write_app(tmp_path, "api = Outpour([index])", name="web.py")
    result = invoke(args, tmp_path)
    assert result.exit_code == 0, result.output
    assert "Routes of web:api" in result.output


def test_app_dir_option(tmp_path: Path) -> None:
    write_app(tmp_path)
    result = invoke(["--app-dir", str(tmp_path), "routes"])
    assert result.exit_code == 0, result.output
    assert "/items/{item_id:int}" in result.output


def test_discovery_error_is_a_clean_message(tmp_path: Path) -> None:
    result = invoke(["routes"], tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith("Error: No app found in `")
    assert "Traceback" not in result.output


# -- schema openapi ---------------------------------------------------------------------------------------------------


def test_schema_openapi_json_file(tmp_path: Path) -> None:
    write_app(tmp_path, SCHEMA_TAIL)
    result = invoke(["schema", "openapi", "--output", "out.json"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "Wrote the OpenAPI schema of app:app to out.json" in result.output
    assert json.loads((tmp_path / "out.json").read_text("utf-8"))["info"]["title"] == "Démo"


def test_schema_openapi_default_file(tmp_path: Path) -> None:
    write_app(tmp_path, SCHEMA_TAIL)
    assert invoke(["schema", "openapi"], tmp_path).exit_code == 0
    assert json.loads((tmp_path / "openapi_schema.json").read_text("utf-8"))["openapi"] == "3.1.0"


@pytest.mark.parametrize("suffix", [pytest.param(".yaml", id="yaml"), pytest.param(".yml", id="yml")])
def test_schema_openapi_yaml(tmp_path: Path, suffix: str) -> None:
    yaml = pytest.importorskip("yaml")
    write_app(tmp_path, SCHEMA_TAIL)
    result = invoke(["schema", "openapi", "-o", f"schema{suffix}"], tmp_path)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((tmp_path / f"schema{suffix}").read_text("utf-8"))["info"]["title"] == "Démo"


def test_schema_openapi_yaml_without_pyyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_app(tmp_path, SCHEMA_TAIL)
    monkeypatch.setitem(sys.modules, "yaml", None)
    result = invoke(["schema", "openapi", "-o", "schema.yaml"], tmp_path)
    assert result.exit_code == 1
    assert "Writing `schema.yaml` needs PyYAML: `pip install pyyaml`" in result.output


def test_schema_openapi_of_a_document_object(tmp_path: Path) -> None:
    write_app(tmp_path, STAND_IN_TAIL)
    result = invoke(["schema", "openapi", "-o", "-"], tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["info"] == {"title": "Démo", "version": "1"}


def test_schema_openapi_of_the_default_config(tmp_path: Path) -> None:
    write_app(tmp_path)
    result = invoke(["schema", "openapi", "-o", "-"], tmp_path)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["info"] == {"title": "Outpour API", "version": "1.0.0"}
    assert set(document["paths"]) == {"/", "/items/{item_id}", "/stream", "/schema/extra"}


def test_schema_openapi_stdout_with_a_mapping(tmp_path: Path) -> None:
    write_app(tmp_path, STAND_IN_TAIL + "\nDOCUMENT = {'openapi': '3.1.0'}\n")
    result = invoke(["schema", "openapi", "-o", "-"], tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"openapi": "3.1.0"}


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        pytest.param(
            "app = Outpour([index], openapi_config=None)",
            "The app has no OpenAPI schema: it was created with `openapi_config=None`",
            id="none",
        ),
        pytest.param(
            STAND_IN_TAIL + "\nDOCUMENT = [1]\n",
            "`app.openapi_schema` gave `list`, not a mapping.",
            id="not-a-mapping",
        ),
        pytest.param(
            STAND_IN_TAIL + "\nWithSchema.openapi_schema = property(lambda self: 1 / 0)\n",
            "Building the OpenAPI schema failed: `ZeroDivisionError: division by zero`",
            id="raises",
        ),
    ],
)
def test_schema_openapi_errors(tmp_path: Path, tail: str, message: str) -> None:
    write_app(tmp_path, tail)
    result = invoke(["schema", "openapi"], tmp_path)
    assert result.exit_code == 1
    assert message in result.output


def test_schema_openapi_unwritable(tmp_path: Path) -> None:
    write_app(tmp_path, SCHEMA_TAIL)
    result = invoke(["schema", "openapi", "-o", "missing/dir/out.json"], tmp_path)
    assert result.exit_code == 1
    assert "Cannot write `missing/dir/out.json`: No such file or directory." in result.output


# -- run --------------------------------------------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, dict[str, Any]]] = []
        self.environ: dict[str, str] = {}

    def __call__(self, target: Any, **kwargs: Any) -> Recorder:
        self.calls.append((target, kwargs))
        self.environ = dict(os.environ)
        return self

    def serve(self) -> None:
        return None


@pytest.fixture
def uvicorn_run(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    import uvicorn

    recorder = Recorder()
    monkeypatch.setattr(uvicorn, "run", recorder)
    return recorder


@pytest.fixture
def granian_class(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    import granian

    recorder = Recorder()
    monkeypatch.setattr(granian, "Granian", recorder)
    return recorder


def test_run_uvicorn_single_worker_passes_the_app(tmp_path: Path, uvicorn_run: Recorder) -> None:
    write_app(tmp_path)
    result = invoke(["run", "--port", "9001", "--debug"], tmp_path)
    assert result.exit_code == 0, result.output
    ((target, kwargs),) = uvicorn_run.calls
    assert isinstance(target, outpour.Outpour)
    assert target.debug is True
    assert kwargs == {
        "host": "127.0.0.1",
        "port": 9001,
        "log_level": "debug",
        "http": "h11",
        "h11_max_incomplete_event_size": 65_536 + 16_384,
    }
    assert "serving app:app on http://127.0.0.1:9001 with uvicorn (h11, 1 worker, debug)" in " ".join(
        result.output.split()
    )


def test_run_uvicorn_workers_use_the_import_target(tmp_path: Path, uvicorn_run: Recorder) -> None:
    write_app(tmp_path, "def create_app():\n    return Outpour([index])")
    result = invoke(["run", "-W", "3", "-H", "::1"], tmp_path)
    assert result.exit_code == 0, result.output
    ((target, kwargs),) = uvicorn_run.calls
    assert target == "outpour.cli._serve:app"
    assert kwargs == {
        "host": "::1",
        "port": 8000,
        "workers": 3,
        "reload": False,
        "reload_dirs": None,
        "log_level": "info",
        "http": "h11",
        "h11_max_incomplete_event_size": 65_536 + 16_384,
    }
    environ = uvicorn_run.environ
    assert (environ["OUTPOUR_APP"], environ["OUTPOUR_APP_DIR"], environ["OUTPOUR_DEBUG"]) == (
        "app:create_app",
        str(tmp_path.resolve()),
        "0",
    )
    assert environ["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path.resolve())
    assert "http://[::1]:8000 with uvicorn (h11, 3 workers)" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("tail", "args", "protocol"),
    [
        pytest.param(
            "app = Outpour([index], request_max_header_size=1000)",
            [],
            {"http": "h11", "h11_max_incomplete_event_size": 1000 + 16_384},
            id="h11-follows-the-app-limit",
        ),
        pytest.param(
            "app = Outpour([index], request_max_header_size=None)",
            [],
            {"http": "h11", "h11_max_incomplete_event_size": sys.maxsize},
            id="h11-unbounded-like-the-app",
        ),
        pytest.param(
            "app = Outpour([index])",
            ["--http", "h11"],
            {"http": "h11", "h11_max_incomplete_event_size": 65_536 + 16_384},
            id="h11-explicit",
        ),
        pytest.param("app = Outpour([index])", ["--http", "httptools"], {"http": "httptools"}, id="httptools"),
    ],
)
def test_run_uvicorn_http_parser(
    tmp_path: Path, uvicorn_run: Recorder, tail: str, args: list[str], protocol: dict[str, Any]
) -> None:
    write_app(tmp_path, tail)
    for workers in ("1", "2"):
        result = invoke(["run", "--workers", workers, *args], tmp_path)
        assert result.exit_code == 0, result.output
        kwargs = uvicorn_run.calls[-1][1]
        assert {key: value for key, value in kwargs.items() if key.startswith(("http", "h11"))} == protocol
        assert f"with uvicorn ({protocol['http']}, {workers} worker" in " ".join(result.output.split())


def test_run_uvicorn_reload(tmp_path: Path, uvicorn_run: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    write_app(tmp_path)
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    result = invoke(["run", "--reload"], tmp_path)
    assert result.exit_code == 0, result.output
    ((target, kwargs),) = uvicorn_run.calls
    assert (target, kwargs["reload"], kwargs["workers"], kwargs["reload_dirs"]) == (
        "outpour.cli._serve:app",
        True,
        None,
        [str(tmp_path.resolve())],
    )
    assert uvicorn_run.environ["PYTHONPATH"] == os.pathsep.join([str(tmp_path.resolve()), "/somewhere"])


def test_run_granian(tmp_path: Path, granian_class: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    from granian.constants import Interfaces
    from granian.log import LogLevels

    write_app(tmp_path)
    result = invoke(["run", "--server", "granian", "--workers", "2", "--reload", "--debug"], tmp_path)
    assert result.exit_code == 2  # --reload with several workers
    result = invoke(["run", "--server", "granian", "--workers", "2", "--debug", "--port", "0"], tmp_path)
    assert result.exit_code == 0, result.output
    ((target, kwargs),) = granian_class.calls
    assert target == f"{Path(outpour.cli.__file__).with_name('_serve.py')}:app"
    assert kwargs == {
        "address": "127.0.0.1",
        "port": 0,
        "interface": Interfaces.ASGI,
        "workers": 2,
        "reload": False,
        "reload_paths": None,
        "log_level": LogLevels.debug,
    }
    assert granian_class.environ["OUTPOUR_DEBUG"] == "1"
    monkeypatch.delenv("OUTPOUR_DEBUG")  # exported for the workers, and read by `--debug`
    result = invoke(["run", "--server", "granian", "--reload"], tmp_path)
    assert result.exit_code == 0, result.output
    assert granian_class.calls[-1][1]["reload_paths"] == [tmp_path.resolve()]
    assert granian_class.calls[-1][1]["log_level"] == LogLevels.info


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["run", "--reload", "--workers", "2"],
            "`--reload` and `--workers 2` cannot be combined",
            id="reload-workers",
        ),
        pytest.param(["run", "--workers", "0"], "Invalid value for '--workers'", id="no-workers"),
        pytest.param(["run", "--port", "70000"], "Invalid value for '--port'", id="port"),
        pytest.param(["run", "--server", "hypercorn"], "Invalid value for '--server'", id="server"),
        pytest.param(["run", "--http", "zttp"], "Invalid value for '--http'", id="http"),
        pytest.param(
            ["run", "--server", "granian", "--http", "h11"],
            "`--http h11` chooses uvicorn's parser, and granian has its own: drop `--http`, or add `--server uvicorn`.",
            id="http-with-granian",
        ),
    ],
)
def test_run_usage_errors(tmp_path: Path, args: list[str], message: str, uvicorn_run: Recorder) -> None:
    write_app(tmp_path)
    result = invoke(args, tmp_path)
    assert result.exit_code == 2
    assert message in result.output
    assert uvicorn_run.calls == []


@pytest.mark.parametrize(
    ("server", "module", "extra"),
    [
        pytest.param("uvicorn", "uvicorn", "standard", id="uvicorn"),
        pytest.param("granian", "granian", "granian", id="granian"),
    ],
)
def test_run_missing_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: str, module: str, extra: str
) -> None:
    write_app(tmp_path)
    monkeypatch.setitem(sys.modules, module, None)
    result = invoke(["run", "--server", server], tmp_path)
    assert result.exit_code == 1
    assert f"{server} is not installed: `pip install 'outpour[{extra}]'`." in result.output


# -- the worker's import target ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("debug", "expected"), [pytest.param("1", True, id="debug"), pytest.param("0", False, id="no-debug")]
)
def test_serve_module_builds_the_app_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, debug: str, expected: bool
) -> None:
    write_app(tmp_path, "def create_app():\n    return Outpour([index], openapi_config=None)", name="svc.py")
    monkeypatch.setenv("OUTPOUR_APP", "svc:create_app")
    monkeypatch.setenv("OUTPOUR_APP_DIR", str(tmp_path))
    monkeypatch.setenv("OUTPOUR_DEBUG", debug)
    module = importlib.import_module("outpour.cli._serve")
    assert isinstance(module.app, outpour.Outpour)
    assert module.app.debug is expected
    assert [entry.path for entry in module.app.routes] == ["/"]


@pytest.mark.parametrize(
    ("pdb", "expected"), [pytest.param("1", True, id="pdb"), pytest.param("0", False, id="no-pdb")]
)
@pytest.mark.filterwarnings("ignore:Debugger on exception:outpour.exceptions.OutpourWarning")
def test_serve_module_applies_pdb_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pdb: str, expected: bool
) -> None:
    write_app(tmp_path, "app = Outpour([index], openapi_config=None, pdb_on_exception=False)", name="svc.py")
    monkeypatch.setenv("OUTPOUR_APP", "svc:app")
    monkeypatch.setenv("OUTPOUR_APP_DIR", str(tmp_path))
    monkeypatch.setenv("OUTPOUR_PDB", pdb)
    module = importlib.import_module("outpour.cli._serve")
    assert module.app.pdb_on_exception is expected


def test_serve_module_defaults_to_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_app(tmp_path)
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module("outpour.cli._serve")
    assert module.build_app().debug is False


# -- main -------------------------------------------------------------------------------------------------------------


def test_main_runs_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["version", "--short"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"{outpour.__version__}\n"


def fail_import(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.delitem(sys.modules, "outpour.cli._commands")
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == missing:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


@pytest.mark.parametrize("missing", [pytest.param("click", id="click"), pytest.param("rich.table", id="rich")])
def test_main_without_the_cli_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], missing: str
) -> None:
    fail_import(monkeypatch, missing)
    with pytest.raises(SystemExit) as info:
        main(["version"])
    assert info.value.code == 1
    assert f"needs `{missing}`, which is not installed: `pip install 'outpour[cli]'`." in capsys.readouterr().err


def test_main_reraises_other_missing_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    fail_import(monkeypatch, "msgspec")
    with pytest.raises(ModuleNotFoundError, match="msgspec"):
        main(["version"])


def test_python_dash_m(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["outpour", "version"])
    sys.modules.pop("outpour.cli.__main__", None)
    with pytest.raises(SystemExit) as info:
        importlib.import_module("outpour.cli.__main__")
    assert info.value.code == 0
    assert capsys.readouterr().out == f"outpour {outpour.__version__}\n"
