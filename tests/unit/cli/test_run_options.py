"""``outpour run``'s serving options: what reaches uvicorn and granian, what each refuses, and their variables."""

from __future__ import annotations

import fnmatch
import importlib
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import outpour
from tests.unit.cli.test_commands import Recorder, invoke, write_app

H11 = {"http": "h11", "h11_max_incomplete_event_size": 65_536 + 16_384}


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


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """Two files standing for a certificate and its key: the servers that would read them are recorders here."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    key.write_text("-----BEGIN PRIVATE KEY-----\n")
    return cert, key


def _only(kwargs: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: kwargs[name] for name in names if name in kwargs}


# -- uvicorn ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected", "where"),
    [
        pytest.param(["--uds", "/tmp/x.sock"], {"uds": "/tmp/x.sock"}, "unix:/tmp/x.sock", id="uds"),
        pytest.param(["-U", "/tmp/y.sock"], {"uds": "/tmp/y.sock"}, "unix:/tmp/y.sock", id="uds-short"),
        pytest.param(["--fd", "3"], {"fd": 3}, "file descriptor 3", id="fd"),
        pytest.param(["--file-descriptor", "4"], {"fd": 4}, "file descriptor 4", id="fd-long"),
        pytest.param(["--root-path", "/api"], {"root_path": "/api"}, "http://127.0.0.1:8000/api", id="root-path"),
        pytest.param(["--proxy-headers"], {"proxy_headers": True}, "http://127.0.0.1:8000", id="proxy-headers"),
        pytest.param(["--no-proxy-headers"], {"proxy_headers": False}, "http://127.0.0.1:8000", id="no-proxy-headers"),
        pytest.param(
            ["--forwarded-allow-ips", "10.0.0.1,10.0.0.2"],
            {"forwarded_allow_ips": "10.0.0.1,10.0.0.2"},
            "http://127.0.0.1:8000",
            id="forwarded-allow-ips",
        ),
    ],
)
def test_run_uvicorn_forwards(
    tmp_path: Path, uvicorn_run: Recorder, args: list[str], expected: dict[str, Any], where: str
) -> None:
    write_app(tmp_path)
    result = invoke(["run", *args], tmp_path)
    assert result.exit_code == 0, result.output
    ((_, kwargs),) = uvicorn_run.calls
    assert _only(kwargs, "uds", "fd", "root_path", "proxy_headers", "forwarded_allow_ips") == expected
    assert f"on {where} with uvicorn" in " ".join(result.output.split())


def test_run_uvicorn_defaults_pass_nothing_extra(tmp_path: Path, uvicorn_run: Recorder) -> None:
    """Without the new options, uvicorn gets its own defaults: no socket, root path, proxy or TLS settings."""
    write_app(tmp_path)
    result = invoke(["run"], tmp_path)
    assert result.exit_code == 0, result.output
    ((_, kwargs),) = uvicorn_run.calls
    assert kwargs == {"host": "127.0.0.1", "port": 8000, "log_level": "info", **H11}


def test_run_uvicorn_tls(tmp_path: Path, uvicorn_run: Recorder, certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    write_app(tmp_path)
    result = invoke(["run", "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)], tmp_path)
    assert result.exit_code == 0, result.output
    ((_, kwargs),) = uvicorn_run.calls
    assert _only(kwargs, "ssl_certfile", "ssl_keyfile") == {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
    assert "on https://127.0.0.1:8000 with uvicorn" in " ".join(result.output.split())


def test_run_uvicorn_reload_options(tmp_path: Path, uvicorn_run: Recorder) -> None:
    write_app(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "lib").mkdir()
    args = ["run", "--reload", "-R", "src", "--reload-dir", "lib", "-I", "*.html", "-E", "*.log", "-E", "tmp/*"]
    result = invoke(args, tmp_path)
    assert result.exit_code == 0, result.output
    ((target, kwargs),) = uvicorn_run.calls
    assert target == "outpour.cli._serve:app"
    assert _only(kwargs, "reload", "workers", "reload_dirs", "reload_includes", "reload_excludes") == {
        "reload": True,
        "workers": None,
        "reload_dirs": ["src", "lib"],
        "reload_includes": ["*.html"],
        "reload_excludes": ["*.log", "tmp/*"],
    }


def test_run_web_concurrency_is_workers(tmp_path: Path, uvicorn_run: Recorder) -> None:
    write_app(tmp_path)
    for flag in ("--web-concurrency", "--wc", "-W", "--workers"):
        result = invoke(["run", flag, "3"], tmp_path)
        assert result.exit_code == 0, result.output
        assert uvicorn_run.calls[-1][1]["workers"] == 3


# -- granian ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["--uds", "/tmp/g.sock"], {"uds": Path("/tmp/g.sock")}, id="uds"),
        pytest.param(["--root-path", "/api"], {"url_path_prefix": "/api"}, id="root-path"),
        pytest.param(
            ["--reload", "-R", "src", "-E", "*.log"],
            {"reload_paths": [Path("src")], "reload_ignore_patterns": [fnmatch.translate("*.log")]},
            id="reload",
        ),
    ],
)
def test_run_granian_forwards(
    tmp_path: Path, granian_class: Recorder, args: list[str], expected: dict[str, Any]
) -> None:
    write_app(tmp_path)
    (tmp_path / "src").mkdir()
    result = invoke(["run", "--server", "granian", *args], tmp_path)
    assert result.exit_code == 0, result.output
    ((_, kwargs),) = granian_class.calls
    assert _only(kwargs, *expected) == expected


def test_run_granian_tls(tmp_path: Path, granian_class: Recorder, certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    write_app(tmp_path)
    result = invoke(["run", "--server", "granian", "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)], tmp_path)
    assert result.exit_code == 0, result.output
    ((_, kwargs),) = granian_class.calls
    assert _only(kwargs, "ssl_cert", "ssl_key") == {"ssl_cert": cert, "ssl_key": key}


@pytest.mark.parametrize(
    ("args", "trusted"),
    [
        pytest.param([], None, id="off-by-default"),
        pytest.param(["--proxy-headers"], "127.0.0.1", id="proxy-headers"),
        pytest.param(["--forwarded-allow-ips", "10.0.0.1, 10.0.0.2"], "10.0.0.1, 10.0.0.2", id="allow-ips"),
        pytest.param(["--no-proxy-headers"], None, id="no-proxy-headers"),
    ],
)
def test_run_granian_proxy_headers(
    tmp_path: Path, granian_class: Recorder, monkeypatch: pytest.MonkeyPatch, args: list[str], trusted: str | None
) -> None:
    """granian has no proxy headers of its own: the workers wrap the app with granian's helper, for these hosts."""
    monkeypatch.setenv("OUTPOUR_GRANIAN_TRUSTED_HOSTS", "")
    write_app(tmp_path)
    result = invoke(["run", "--server", "granian", *args], tmp_path)
    assert result.exit_code == 0, result.output
    assert (granian_class.environ["OUTPOUR_GRANIAN_TRUSTED_HOSTS"] or None) == trusted


def test_run_granian_proxy_headers_need_the_helper(
    tmp_path: Path, granian_class: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "granian.utils.proxies", None)
    write_app(tmp_path)
    result = invoke(["run", "--server", "granian", "--proxy-headers"], tmp_path)
    assert result.exit_code == 1
    assert "This granian has no proxy-headers helper (`granian.utils.proxies`)" in result.output
    assert granian_class.calls == []


@pytest.mark.parametrize(
    ("trusted", "wrapped"), [pytest.param("10.0.0.1, 10.0.0.2", True, id="wrapped"), pytest.param("", False, id="bare")]
)
def test_serve_module_wraps_for_granian_proxies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted: str, wrapped: bool
) -> None:
    write_app(tmp_path, name="svc.py")
    monkeypatch.setenv("OUTPOUR_APP", "svc:app")
    monkeypatch.setenv("OUTPOUR_APP_DIR", str(tmp_path))
    monkeypatch.setenv("OUTPOUR_GRANIAN_TRUSTED_HOSTS", trusted)
    module = importlib.import_module("outpour.cli._serve")
    assert isinstance(module.app, outpour.Outpour) is not wrapped
    assert callable(module.app)


# -- refusals ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--server", "granian", "--fd", "3"],
            "granian cannot serve on an inherited file descriptor (`--fd`): bind with `--uds` or `--host`/`--port`, "
            "or add `--server uvicorn`.",
            id="granian-fd",
        ),
        pytest.param(
            ["--server", "granian", "--reload", "-I", "*.html"],
            "granian watches every file of the reload folders and cannot narrow them to patterns "
            "(`--reload-include`): drop it (`--reload-exclude` works), or add `--server uvicorn`.",
            id="granian-reload-include",
        ),
        pytest.param(
            ["--uds", "/tmp/a.sock", "--fd", "3"],
            "`--uds` and `--fd` both name the socket to serve on: choose one.",
            id="uds-and-fd",
        ),
        pytest.param(
            ["-E", "*.log"],
            "`--reload-exclude` only applies with `--reload`: add `--reload`, or drop `--reload-exclude`.",
            id="exclude-without-reload",
        ),
        pytest.param(
            ["-I", "*.html"],
            "`--reload-include` only applies with `--reload`: add `--reload`, or drop `--reload-include`.",
            id="include-without-reload",
        ),
        pytest.param(
            ["-R", "."],
            "`--reload-dir` only applies with `--reload`: add `--reload`, or drop `--reload-dir`.",
            id="dir-without-reload",
        ),
        pytest.param(
            ["--no-proxy-headers", "--forwarded-allow-ips", "*"],
            "`--forwarded-allow-ips` names the proxies whose headers are trusted, and `--no-proxy-headers` trusts "
            "none: drop one of them.",
            id="no-proxy-headers-with-ips",
        ),
        pytest.param(["--fd", "-1"], "Invalid value for '--fd' / '--file-descriptor' / '-F'", id="negative-fd"),
    ],
)
def test_run_refuses(
    tmp_path: Path, uvicorn_run: Recorder, granian_class: Recorder, args: list[str], message: str
) -> None:
    write_app(tmp_path)
    result = invoke(["run", *args], tmp_path)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert (uvicorn_run.calls, granian_class.calls) == ([], [])


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        pytest.param("--ssl-certfile", "--ssl-keyfile", id="cert-only"),
        pytest.param("--ssl-keyfile", "--ssl-certfile", id="key-only"),
    ],
)
def test_run_tls_needs_both_files(
    tmp_path: Path, uvicorn_run: Recorder, certificate: tuple[Path, Path], given: str, missing: str
) -> None:
    write_app(tmp_path)
    result = invoke(["run", given, str(certificate[0])], tmp_path)
    assert result.exit_code == 2
    assert f"`{given}` needs `{missing}` too: HTTPS takes both the certificate and its private key." in " ".join(
        result.output.split()
    )
    assert uvicorn_run.calls == []


# -- environment variables --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        pytest.param({"OUTPOUR_PORT": "9100"}, {"port": 9100}, id="outpour-port"),
        pytest.param({"LITESTAR_PORT": "9200"}, {"port": 9200}, id="litestar-port"),
        pytest.param({"OUTPOUR_PORT": "9100", "LITESTAR_PORT": "9200"}, {"port": 9100}, id="outpour-wins"),
        pytest.param({"LITESTAR_HOST": "0.0.0.0"}, {"host": "0.0.0.0"}, id="litestar-host"),
        pytest.param({"WEB_CONCURRENCY": "2"}, {"workers": 2}, id="web-concurrency"),
        pytest.param({"LITESTAR_WEB_CONCURRENCY": "3"}, {"workers": 3}, id="litestar-web-concurrency"),
        pytest.param({"OUTPOUR_UDS": "/tmp/e.sock"}, {"uds": "/tmp/e.sock"}, id="uds"),
        pytest.param({"LITESTAR_FD": "5"}, {"fd": 5}, id="fd"),
        pytest.param({"OUTPOUR_ROOT_PATH": "/api"}, {"root_path": "/api"}, id="root-path"),
        pytest.param({"OUTPOUR_PROXY_HEADERS": "0"}, {"proxy_headers": False}, id="proxy-headers"),
        pytest.param({"FORWARDED_ALLOW_IPS": "*"}, {"forwarded_allow_ips": "*"}, id="forwarded-allow-ips"),
        pytest.param({"OUTPOUR_HTTP": "httptools"}, {"http": "httptools"}, id="http"),
        pytest.param({"LITESTAR_DEBUG": "1"}, {"log_level": "debug"}, id="debug"),
        pytest.param({"LITESTAR_RELOAD": "true"}, {"reload": True}, id="reload"),
    ],
)
def test_run_reads_environment_variables(
    tmp_path: Path,
    uvicorn_run: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
    expected: dict[str, Any],
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    write_app(tmp_path)
    result = invoke(["run"], tmp_path)
    assert result.exit_code == 0, result.output
    assert _only(uvicorn_run.calls[-1][1], *expected) == expected


def test_run_command_line_beats_environment(
    tmp_path: Path, uvicorn_run: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTPOUR_PORT", "9100")
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    write_app(tmp_path)
    result = invoke(["run", "--port", "9300", "-W", "2"], tmp_path)
    assert result.exit_code == 0, result.output
    assert _only(uvicorn_run.calls[-1][1], "port", "workers") == {"port": 9300, "workers": 2}


def test_run_server_from_environment(tmp_path: Path, granian_class: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITESTAR_SERVER", "granian")
    write_app(tmp_path)
    result = invoke(["run"], tmp_path)
    assert result.exit_code == 0, result.output
    assert len(granian_class.calls) == 1


@pytest.mark.parametrize(
    ("args", "variables", "exported"),
    [
        pytest.param(["--pdb"], {}, "1", id="flag"),
        pytest.param(["-P"], {}, "1", id="short-flag"),
        pytest.param([], {"LITESTAR_PDB": "1"}, "1", id="litestar-variable"),
        pytest.param([], {"OUTPOUR_PDB": "1"}, "1", id="outpour-variable"),
        pytest.param([], {}, "0", id="off"),
    ],
)
@pytest.mark.filterwarnings("ignore:Debugger on exception:outpour.exceptions.OutpourWarning")
def test_run_pdb_switches_pdb_on_exception_on(
    tmp_path: Path,
    uvicorn_run: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    variables: dict[str, str],
    exported: str,
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    write_app(tmp_path)
    result = invoke(["run", *args], tmp_path)
    assert result.exit_code == 0, result.output
    assert len(uvicorn_run.calls) == 1
    assert uvicorn_run.environ["OUTPOUR_PDB"] == exported  # the workers build the app with it


@pytest.mark.parametrize(
    "variable", [pytest.param("LITESTAR_APP", id="litestar"), pytest.param("OUTPOUR_APP", id="outpour")]
)
def test_app_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    write_app(tmp_path, name="service.py")
    monkeypatch.setenv(variable, "service:app")
    result = invoke(["routes"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "Routes of service:app" in result.output


def test_outpour_app_wins_over_litestar_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_app(tmp_path, name="mine.py")
    monkeypatch.setenv("OUTPOUR_APP", "mine:app")
    monkeypatch.setenv("LITESTAR_APP", "theirs:app")
    result = invoke(["routes"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "Routes of mine:app" in result.output


def test_run_help_shows_examples_and_variables() -> None:
    result = invoke(["run", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Examples: outpour run " in text
    for variable in ("OUTPOUR_PORT, LITESTAR_PORT", "WEB_CONCURRENCY", "OUTPOUR_UDS", "LITESTAR_ROOT_PATH"):
        assert variable in text


# -- info -------------------------------------------------------------------------------------------------------------


def test_info(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        "from outpour.openapi import OpenAPIConfig\n"
        "def create_app():\n"
        "    return Outpour([index, item, stream], debug=True, openapi_config=OpenAPIConfig(title='Shop', version='2'))",
    )
    result = invoke(["info"], tmp_path)
    assert result.exit_code == 0, result.output
    rows = dict(
        (match.group(1).strip(), match.group(2).strip())
        for match in re.finditer(r"│ ([^│]+?) +│ ([^│]+?) +│", result.output)
    )
    assert rows["App"] == "app:create_app (factory)"
    assert rows["Debug"] == "on"
    assert rows["Routes"] == "3"
    assert rows["OpenAPI"] == "/schema (Shop 2)"
    assert rows["Plugins"] == "none"
    assert rows["outpour"] == outpour.__version__
    assert rows["Python"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}.")
    assert rows["uvicorn"] != "not installed"


def test_info_without_openapi_and_a_missing_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    real_version = importlib.metadata.version

    def version(name: str) -> str:
        if name == "granian":
            raise importlib.metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    write_app(tmp_path, "app = Outpour([index], openapi_config=None)")
    result = invoke(["info"], tmp_path)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "│ OpenAPI │ off" in text
    assert "│ granian │ not installed" in text
    assert "│ Debug │ off" in text
