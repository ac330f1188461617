"""Memory of a slow download: a large file sent by outpour's ``File`` under uvicorn to a reader that stalls.

The server streams the file in ``chunk_size`` pieces and waits on the server's flow control, so its resident memory
must stay flat however large the file and however slow the client. This script measures it over loopback:

1. writes a sparse file of ``--size-mib`` MiB (1024 by default: no disk space used, it reads as zeros) and a tiny
   app serving it, into a temporary directory;
2. starts uvicorn on 127.0.0.1 and a free port, in its own process group (always killed at the end);
3. reads the server's RSS (``VmRSS`` in ``/proc/<pid>/status``) after one warm-up request: the baseline;
4. downloads the file through a socket with a small receive buffer, first stalling (``--stalls`` reads of 16 KiB,
   ``--stall-seconds`` apart: a server ignoring back-pressure would buffer the file meanwhile), then reading the
   rest, sampling the server's RSS every 64 MiB;
5. prints the growth (peak minus baseline) and exits with 1 when it is ``--limit-mib`` MiB or more.

Run it with ``python -m benchmarks.file_memory`` (Linux: it reads ``/proc``). ``tests/e2e/test_file_servers.py``
runs the same measurement for 1 GiB as a test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MemoryResult", "main", "measure"]

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
GIB = 1024 * MIB

_APP = """
import os

from outpour import Outpour, get
from outpour.response import File

FILE = os.environ["FILE_MEMORY_PATH"]


@get("/warm-up")
async def warm_up() -> str:
    return "ok"


@get("/file")
async def download() -> File:
    return File(FILE)


app = Outpour([warm_up, download])
"""


@dataclass(frozen=True)
class MemoryResult:
    """What one download measured.

    Attributes:
        size: The file's size in bytes.
        received: The bytes of body received.
        baseline_rss: The server's RSS before the download, in bytes.
        peak_rss: The largest RSS sampled during the download, in bytes.
        seconds: How long the download took.
    """

    size: int
    received: int
    baseline_rss: int
    peak_rss: int
    seconds: float

    @property
    def growth(self) -> int:
        """How much the server's RSS grew during the download, in bytes."""
        return self.peak_rss - self.baseline_rss


def rss_bytes(pid: int) -> int:
    """Return the resident memory of process ``pid`` in bytes (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS in /proc/{pid}/status")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def _uvicorn(directory: Path, file: Path) -> Iterator[tuple[int, int]]:
    """Run the app under uvicorn; yield its port and process id."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "file_memory_app:app", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--no-access-log", "--log-level", "warning"]
    env = {**os.environ, "FILE_MEMORY_PATH": str(file), "PYTHONPATH": os.pathsep.join([str(directory), str(ROOT)])}
    process = subprocess.Popen(
        command, cwd=directory, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start (exit code {process.poll()})") from None
                time.sleep(0.1)
        yield port, process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a server that ignores SIGTERM
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _get(port: int, path: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("ascii"))
    return sock


def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    head = b""
    while b"\r\n\r\n" not in head:
        data = sock.recv(4096)
        if not data:
            raise RuntimeError(f"the server closed the connection before the headers end: {head!r}")
        head += data
    header_block, _, rest = head.partition(b"\r\n\r\n")
    return header_block, rest


def measure(size: int = GIB, *, stalls: int = 10, stall_seconds: float = 0.2) -> MemoryResult:
    """Download a sparse file of ``size`` bytes from uvicorn through a stalling reader; measure the server's RSS.

    Args:
        size: The file's size in bytes.
        stalls: How many small reads, ``stall_seconds`` apart, start the download.
        stall_seconds: The pause after each of the first reads.

    Returns:
        The measurement.

    Raises:
        RuntimeError: The server did not start or answered something else than 200 with the file.
    """
    with tempfile.TemporaryDirectory(prefix="outpour-file-memory-") as tmp:
        directory = Path(tmp)
        file = directory / "huge.bin"
        with file.open("wb") as f:
            f.truncate(size)  # sparse: no disk space, reads as zeros
        (directory / "file_memory_app.py").write_text(_APP)
        with _uvicorn(directory, file) as (port, pid):
            with _get(port, "/warm-up") as sock:
                _read_head(sock)
            baseline = peak = rss_bytes(pid)
            started = time.perf_counter()
            with _get(port, "/file") as sock:
                header_block, first = _read_head(sock)
                if not header_block.startswith(b"HTTP/1.1 200"):
                    raise RuntimeError(f"expected 200, got {header_block.splitlines()[0]!r}")
                received = len(first)
                for _ in range(stalls):
                    received += len(sock.recv(16 * 1024))
                    time.sleep(stall_seconds)
                    peak = max(peak, rss_bytes(pid))
                next_sample = received + 64 * MIB
                while received < size:
                    chunk = sock.recv(MIB)
                    if not chunk:
                        break
                    received += len(chunk)
                    if received >= next_sample:
                        peak = max(peak, rss_bytes(pid))
                        next_sample += 64 * MIB
                peak = max(peak, rss_bytes(pid))
            seconds = time.perf_counter() - started
    return MemoryResult(size=size, received=received, baseline_rss=baseline, peak_rss=peak, seconds=seconds)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurement from the command line; return the exit code (1 when the growth reaches the limit)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.file_memory", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--size-mib", type=int, default=1024, help="the file's size in MiB (1024)")
    parser.add_argument("--limit-mib", type=float, default=50.0, help="the largest acceptable RSS growth (50)")
    parser.add_argument("--stalls", type=int, default=10, help="small reads at the start (10)")
    parser.add_argument("--stall-seconds", type=float, default=0.2, help="pause after each small read (0.2)")
    args = parser.parse_args(argv)
    result = measure(args.size_mib * MIB, stalls=args.stalls, stall_seconds=args.stall_seconds)
    ok = result.received == result.size and result.growth < args.limit_mib * MIB
    print(
        f"uvicorn, {result.size / MIB:.0f} MiB file, slow reader: received {result.received / MIB:.0f} MiB in "
        f"{result.seconds:.1f} s; server RSS {result.baseline_rss / MIB:.1f} -> {result.peak_rss / MIB:.1f} MiB, "
        f"grew {result.growth / MIB:.1f} MiB (limit {args.limit_mib:.0f} MiB): {'ok' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
