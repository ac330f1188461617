"""``outpour run --uds`` and ``--root-path`` through real uvicorn and granian processes.

The app sits in a temporary folder and is found by the CLI's discovery; each test starts ``python -m outpour.cli run``
in its own process group and always kills it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e._serving import free_port, running

ROOT = Path(__file__).resolve().parents[2]
SERVERS = [pytest.param("uvicorn", id="uvicorn"), pytest.param("granian", id="granian")]
# Empty values count as unset: the app is found by discovery in the working directory, whatever the caller set.
ENV = {"PYTHONPATH": str(ROOT), "OUTPOUR_APP": "", "OUTPOUR_APP_DIR": "", "OUTPOUR_DEBUG": ""}

APP = """
from outpour import Outpour, Request, get


@get("/where", name="where")
async def where(request: Request) -> dict[str, str]:
    return {"root_path": request.scope.get("root_path", ""), "url": str(request.url_for("where"))}


app = Outpour([where])
"""


@contextlib.contextmanager
def serving_on_socket(command: list[str], socket_path: Path, cwd: Path, timeout: float = 30) -> Iterator[None]:
    """Start ``command``, wait until ``socket_path`` accepts a request, and always kill the process group."""
    log = cwd / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **ENV}, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.socket(socket.AF_UNIX) as probe:
                    probe.connect(str(socket_path))
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-3000:]
                    raise AssertionError(f"the server did not listen on {socket_path}:\n{tail}") from None
                time.sleep(0.1)
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.parametrize("server", SERVERS)
def test_run_on_a_unix_domain_socket(tmp_path: Path, server: str) -> None:
    (tmp_path / "app.py").write_text(APP)
    socket_path = tmp_path / "outpour.sock"
    command = [sys.executable, "-m", "outpour.cli", "run", "--server", server, "--uds", str(socket_path)]
    with (
        serving_on_socket(command, socket_path, tmp_path),
        httpx.Client(transport=httpx.HTTPTransport(uds=str(socket_path)), timeout=10) as client,
    ):
        response = client.get("http://outpour/where")
    assert response.status_code == 200
    assert response.json()["root_path"] == ""
    assert socket_path.is_socket() or not socket_path.exists()  # removed on shutdown by some servers


@pytest.mark.parametrize("server", SERVERS)
def test_run_under_a_root_path(tmp_path: Path, server: str) -> None:
    """Behind a proxy that strips ``/api``, the app still routes ``/where`` and builds its URLs under ``/api``."""
    (tmp_path / "app.py").write_text(APP)
    port = free_port()
    command = [sys.executable, "-m", "outpour.cli", "run", "--server", server, "--port", str(port)]
    with running([*command, "--root-path", "/api"], port, tmp_path, ENV):
        response = httpx.get(f"http://127.0.0.1:{port}/where", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"root_path": "/api", "url": f"http://127.0.0.1:{port}/api/where"}


@pytest.mark.parametrize(
    ("args", "status", "output"),
    [
        pytest.param(["info"], 0, "│ Routes          │ 1 ", id="info"),
        pytest.param(["--version"], 0, "outpour 0.1.0", id="version"),
        pytest.param(
            ["run", "--server", "granian", "--fd", "3"], 2, "granian cannot serve on an inherited file", id="granian-fd"
        ),
    ],
)
def test_cli_in_a_subprocess(tmp_path: Path, args: list[str], status: int, output: str) -> None:
    (tmp_path / "app.py").write_text(APP)
    result = subprocess.run(
        [sys.executable, "-m", "outpour.cli", *args],
        cwd=tmp_path,
        env={**os.environ, **ENV, "COLUMNS": "120"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == status, result.stdout + result.stderr
    assert output in result.stdout + result.stderr
