"""``subprocess_sync_client`` / ``subprocess_async_client`` serve an app with uvicorn in a child process."""

from __future__ import annotations

import pathlib
import socket

import httpx
import pytest

from outpour.testing import StartupError, subprocess_async_client, subprocess_sync_client
from outpour.testing.client.subprocess_client import run_app

APP_SOURCE = """
from outpour import Outpour, get


@get("/ping", sync_to_thread=False)
def ping() -> dict[str, str]:
    return {"pong": "yes"}


app = Outpour([ping])
"""


@pytest.fixture
def workdir(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "served_app.py").write_text(APP_SOURCE)
    (tmp_path / "broken_app.py").write_text("raise SystemExit(3)\n")
    return tmp_path


def _refuses(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return False
    except OSError:
        return True


def test_sync_client_serves_and_stops(workdir: pathlib.Path) -> None:
    with subprocess_sync_client(workdir, "served_app:app", capture_output=False) as client:
        assert isinstance(client, httpx.Client)
        assert str(client.base_url).startswith("http://127.0.0.1:")
        response = client.get("/ping")
        assert response.json() == {"pong": "yes"}
        url = str(client.base_url).rstrip("/")
    assert _refuses(url)


@pytest.mark.anyio
async def test_async_client_serves_and_stops(workdir: pathlib.Path) -> None:
    async with subprocess_async_client(workdir=workdir, app="served_app:app", capture_output=False) as client:
        assert isinstance(client, httpx.AsyncClient)
        assert (await client.get("/ping")).json() == {"pong": "yes"}
        url = str(client.base_url).rstrip("/")
    assert _refuses(url)


def test_server_stops_when_the_block_raises(workdir: pathlib.Path) -> None:
    urls: list[str] = []

    def use_then_fail() -> None:
        with subprocess_sync_client(workdir, "served_app:app", False) as client:
            urls.append(str(client.base_url).rstrip("/"))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        use_then_fail()
    assert _refuses(urls[0])


@pytest.mark.parametrize(
    ("app", "timeout", "message"),
    [
        pytest.param("broken_app:app", 30.0, "exited with code", id="import-fails"),
        pytest.param("missing_module:app", 30.0, "exited with code", id="no-such-module"),
        pytest.param("served_app:app", 0.0, "did not accept connections within", id="startup-timeout"),
    ],
)
def test_startup_errors(workdir: pathlib.Path, app: str, timeout: float, message: str) -> None:
    with (
        pytest.raises(StartupError, match=message),
        subprocess_sync_client(workdir, app, capture_output=False, startup_timeout=timeout),
    ):
        pytest.fail("the block must not run when the server did not start")


def test_run_app_yields_the_url_and_stops_the_server(workdir: pathlib.Path) -> None:
    with run_app(workdir, "served_app:app", capture_output=False) as url:
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/ping").json() == {"pong": "yes"}
    assert _refuses(url)


def test_run_app_without_retries_gives_up_at_once(workdir: pathlib.Path) -> None:
    with (
        pytest.raises(StartupError, match="within `0` seconds"),
        run_app(workdir, "served_app:app", retry_count=0, capture_output=False),
    ):
        pytest.fail("the block must not run when the server did not start")
