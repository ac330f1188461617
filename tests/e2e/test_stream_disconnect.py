"""End to end under uvicorn on 127.0.0.1: a client reads two chunks of a stream and leaves; the stream's ``finally``
runs, and the server logs no error."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytest.importorskip("uvicorn")

HERE = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class Server:
    def __init__(self, url: str, markers: Path, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.markers = markers
        self.process = process
        self.log = log

    def wait_for_marker(self, name: str, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (self.markers / name).exists():
                return True
            time.sleep(0.02)
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    markers = tmp_path_factory.mktemp("markers")
    log = markers.parent / "uvicorn.log"
    port = free_port()
    env = {**os.environ, "OUTPOUR_E2E_MARKERS": str(markers), "PYTHONPATH": str(HERE.parent.parent)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(HERE),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "_stream_app:app",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start: {log.read_text()}") from None
                time.sleep(0.05)
        yield Server(f"http://127.0.0.1:{port}", markers, process, log)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait(5)


@pytest.mark.parametrize(
    ("path", "first_two"),
    [
        pytest.param("/ticks", [b"tick 0\n", b"tick 1\n"], id="async-generator-between-chunks"),
        pytest.param("/waiting", [b"first\n", b"second\n"], id="async-generator-waiting"),
        pytest.param("/sync-ticks", [b"tick 0\n", b"tick 1\n"], id="sync-generator"),
        pytest.param("/sse", [b"data: 1\r\n\r\n", b"data: 2\r\n\r\n"], id="server-sent-events"),
    ],
)
def test_reading_two_chunks_and_closing_runs_the_finally(server: Server, path: str, first_two: list[bytes]) -> None:
    with httpx.Client(timeout=5) as client, client.stream("GET", server.url + path) as response:
        assert response.status_code == 200
        received = b""
        for chunk in response.iter_raw():
            received += chunk
            if len(received) >= len(b"".join(first_two)):
                break
    assert received.startswith(b"".join(first_two))
    assert server.wait_for_marker(path.strip("/")), f"the generator of {path} was not closed"
    assert server.process.poll() is None
    log = server.log.read_text()
    assert "Traceback" not in log
    assert "ERROR" not in log
