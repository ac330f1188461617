"""``outpour run --workers 2`` under uvicorn and under granian: both worker processes answer, ``--debug`` reaches them.

The app is a factory in a temporary folder, found by the CLI's discovery. ``/pid`` blocks its worker's event loop for
a moment (``sync_to_thread=False``), so that concurrent requests spread over both workers.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.e2e._serving import free_port, running

ROOT = Path(__file__).resolve().parents[2]

APP = """
import os
import time

from outpour import Outpour, Request, get


@get("/pid", sync_to_thread=False)
def pid() -> dict[str, int]:
    time.sleep(0.05)
    return {"pid": os.getpid()}


@get("/debug")
async def debug(request: Request) -> dict[str, bool]:
    return {"debug": request.app.debug}


def create_app() -> Outpour:
    return Outpour([pid, debug])
"""


def _pid(port: int) -> int:
    with httpx.Client(timeout=10) as client:  # a new connection each time
        response = client.get(f"http://127.0.0.1:{port}/pid")
    response.raise_for_status()
    value: int = response.json()["pid"]
    return value


@pytest.mark.parametrize("server", [pytest.param("uvicorn", id="uvicorn"), pytest.param("granian", id="granian")])
def test_two_workers_answer(tmp_path: Path, server: str) -> None:
    (tmp_path / "app.py").write_text(APP)
    port = free_port()
    command = [sys.executable, "-m", "outpour.cli", "run", "--workers", "2", "--server", server, "--port", str(port)]
    # Empty values count as unset: the app is found by discovery in the working directory, whatever the caller set.
    env = {"PYTHONPATH": str(ROOT), "OUTPOUR_APP": "", "OUTPOUR_APP_DIR": "", "OUTPOUR_DEBUG": ""}
    with running([*command, "--debug"], port, tmp_path, env) as process:
        pids: set[int] = set()
        deadline = time.monotonic() + 20
        with ThreadPoolExecutor(max_workers=6) as pool:
            while len(pids) < 2 and time.monotonic() < deadline:
                pids.update(pool.map(_pid, [port] * 6))
        assert len(pids) == 2, f"only worker(s) {sorted(pids)} answered"
        assert process.pid not in pids
        assert httpx.get(f"http://127.0.0.1:{port}/debug", timeout=10).json() == {"debug": True}
