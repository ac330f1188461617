"""The command-line and deployment docs examples run and behave as the pages say."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docs.examples.cli import app_factory
from docs.examples.deployment import behind_proxy
from outpour.cli._commands import cli
from outpour.testing import TestClient

ROOT = Path(__file__).resolve().parents[2]


def test_app_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREETING", "hi")
    with TestClient(app_factory.create_app()) as client:
        assert client.get("/").text == "Hello from a factory!"
        assert client.get("/settings").json() == {"greeting": "hi"}


def test_app_factory_routes_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(
        cli, ["--app-dir", str(ROOT / "docs/examples/cli"), "--app", "app_factory:create_app", "routes"]
    )
    assert result.exit_code == 0, result.output
    rows = [[cell.strip() for cell in line.strip("│").split("│")] for line in result.output.splitlines() if "│" in line]
    assert rows == [["/", "GET", "index", "text"], ["/settings", "GET", "settings", "JSON"]]


def test_behind_proxy_links_follow_root_path() -> None:
    with TestClient(behind_proxy.app, root_path="/api") as client:
        links = client.get("/links").json()
    assert links == {"home": "http://testserver.local/api/", "export": "http://testserver.local/api/export"}


def test_behind_proxy_streams_are_not_buffered() -> None:
    with TestClient(behind_proxy.app) as client:
        export = client.get("/export")
        ticks = client.get("/ticks")
    assert export.headers["x-accel-buffering"] == "no"
    assert export.text == "id,name\n1,item 1\n2,item 2\n3,item 3\n"
    assert (ticks.headers["x-accel-buffering"], ticks.headers["cache-control"]) == ("no", "no-cache")
    assert [line for line in ticks.text.splitlines() if line.startswith("data:")] == ["data: 0", "data: 1", "data: 2"]


def test_nginx_example_strips_the_prefix() -> None:
    conf = (ROOT / "docs/examples/deployment/nginx.conf").read_text()
    assert "location /api/ {" in conf
    assert "proxy_pass http://outpour/;" in conf
