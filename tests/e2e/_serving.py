"""Running a server process for end-to-end tests: a free port on 127.0.0.1, a bounded wait, a killed process group."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

__all__ = ["ServerFailedError", "free_port", "running"]


class ServerFailedError(Exception):
    """The server exited or did not listen in time; the message holds the end of its output."""


def free_port() -> int:
    """Return a port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running(
    command: Sequence[str],
    port: int,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 30,
    log_dir: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command`` in its own process group, wait until ``port`` accepts connections, and always kill it.

    The server's output goes to ``server-<port>.log`` in ``log_dir`` (``cwd`` when not given).

    Raises:
        ServerFailedError: The process exited, or nothing listened on ``port`` within ``timeout`` seconds.
    """
    log = (log_dir or cwd) / f"server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-3000:]
                    raise ServerFailedError(
                        f"`{' '.join(command)}` did not listen on port {port} (exit code {process.poll()}):\n{tail}"
                    ) from None
                time.sleep(0.1)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
