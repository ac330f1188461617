"""Files end to end, under real servers on 127.0.0.1: zero-copy under granian, streaming and bounded memory under uvicorn.

Each server runs the small app written below into a temporary directory, in its own process group, and is always
killed afterwards. The memory test runs ``benchmarks/file_memory.py`` (also a command:
``python -m benchmarks.file_memory``): a 1 GiB (sparse) file downloaded through a reader that stalls must grow the
server's resident memory by less than 50 MiB, since the file is streamed in ``chunk_size`` pieces and the server's
flow control holds the sender back.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import file_memory
from tests.e2e._serving import free_port, running

ROOT = Path(__file__).resolve().parents[2]
GIB = 1024**3

APP = """
import json
import os

from outpour import Outpour, get
from outpour.response import File

SENT = []
FILES = os.environ["E2E_FILES"]


@get("/small")
async def small() -> File:
    return File(os.path.join(FILES, "small.bin"))


@get("/large")
async def large() -> File:
    return File(os.path.join(FILES, "large.bin"), chunk_size=64 * 1024)


@get("/grown")
async def grown() -> File:
    # The file has grown since it was described: 100 bytes announced, 200 on the disk.
    path = os.path.join(FILES, "grown.bin")
    return File(path, file_info={"name": path, "size": 100, "type": "file", "mtime": os.stat(path).st_mtime})


inner = Outpour([small, large, grown])


async def app(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == "/log":
        body = json.dumps({"sent": SENT, "extensions": sorted(scope.get("extensions") or {})}).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
        SENT.clear()
        return

    async def recording_send(message):
        if scope["type"] == "http":
            SENT.append(message["type"])
        await send(message)

    await inner(scope, receive, recording_send)
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("e2e-files")
    (directory / "small.bin").write_bytes(os.urandom(4096))
    (directory / "large.bin").write_bytes(os.urandom(3 * 1024 * 1024 + 5))
    (directory / "grown.bin").write_bytes(os.urandom(200))
    (directory / "e2e_app.py").write_text(APP)
    return directory


@contextlib.contextmanager
def server(kind: str, files: Path) -> Iterator[tuple[int, int]]:
    """Run the app under ``kind``; yield its port and the server's process id. A server that does not start fails."""
    port = free_port()
    if kind == "uvicorn":
        command = [sys.executable, "-m", "uvicorn", "e2e_app:app", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--no-access-log", "--log-level", "warning"]
    else:
        command = [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", "1", "--log-level", "warning", "e2e_app:app"]
    env = {"E2E_FILES": str(files), "PYTHONPATH": os.pathsep.join([str(files), str(ROOT)])}
    with running(command, port, cwd=files, env=env) as process:
        yield port, process.pid


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def sent_log(port: int) -> dict[str, list[str]]:
    result: dict[str, list[str]] = json.loads(fetch(port, "/log")[2])
    return result


@pytest.mark.parametrize("kind", ["uvicorn", "granian"])
def test_files_under_a_real_server(files: Path, kind: str) -> None:
    with server(kind, files) as (port, _):
        sent_log(port)
        status, headers, body = fetch(port, "/small")
        small_log = sent_log(port)
        assert (status, body) == (200, (files / "small.bin").read_bytes())
        assert headers["content-length"] == "4096"
        offered = "http.response.pathsend" in small_log["extensions"]
        expected = "http.response.pathsend" if offered else "http.response.body"
        assert small_log["sent"] == ["http.response.start", expected]
        if kind == "granian":
            assert offered, "granian offers the pathsend extension"

        status, headers, body = fetch(port, "/large")
        assert (status, body) == (200, (files / "large.bin").read_bytes())
        large_sent = sent_log(port)["sent"]
        assert large_sent[:2] == ["http.response.start", "http.response.body"]  # in pieces, even under granian
        assert len(large_sent) > 3

        sent_log(port)
        status, headers, body = fetch(port, "/large", {"range": "bytes=100-199,-10"})
        assert status == 206
        large = (files / "large.bin").read_bytes()
        assert large[100:200] in body
        assert large[-10:] in body
        assert sent_log(port)["sent"][:2] == ["http.response.start", "http.response.body"]  # ranges stream


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's RSS from /proc (Linux)")
@pytest.mark.parametrize("kind", ["uvicorn", "granian"])
def test_a_file_grown_since_described_never_overruns_content_length(files: Path, kind: str) -> None:
    with server(kind, files) as (port, _):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for _ in range(2):  # the second response on the same connection proves nothing extra was sent
                connection.request("GET", "/grown")
                response = connection.getresponse()
                assert (response.status, response.getheader("content-length")) == (200, "100")
                assert response.read() == (files / "grown.bin").read_bytes()[:100]
        finally:
            connection.close()
        expected = "http.response.pathsend" if kind == "granian" else "http.response.body"
        assert sent_log(port)["sent"][-1] == expected


def test_slow_reader_of_a_1_gib_file_keeps_uvicorn_memory_bounded() -> None:
    # The measurement of `python -m benchmarks.file_memory`, for the full 1 GiB.
    result = file_memory.measure(GIB)
    assert result.received == GIB
    assert result.growth < 50 * 1024 * 1024, f"server RSS grew by {result.growth / 2**20:.1f} MiB"
