"""``subprocess_sync_client`` / ``subprocess_async_client``: an app served by a real uvicorn in a child process.

For what the in-process clients cannot emulate (endless streams, real sockets, server timeouts). The server listens on
``127.0.0.1`` on a free port and is always stopped when the ``with`` block ends, even on errors.
"""

from __future__ import annotations

import math
import os
import pathlib
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import httpx

__all__ = ["StartupError", "run_app", "subprocess_async_client", "subprocess_sync_client"]

_HOST = "127.0.0.1"
_STARTUP_TIMEOUT = 30.0
_STOP_TIMEOUT = 5.0
_POLL_INTERVAL = 0.1
_DEFAULT_RETRY_COUNT = 300


class StartupError(RuntimeError):
    """The app's server did not start: its process exited, or it did not accept connections in time."""


def _free_port() -> int:
    """Ask the OS for a port on the loopback interface that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection((_HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server: politely first (uvicorn shuts down on SIGTERM), then by force."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def _serve(workdir: pathlib.Path, app: str, capture_output: bool, attempts: int) -> Iterator[str]:
    """Run ``app`` under uvicorn in a child process and yield its base URL once it accepts connections.

    The server is given ``attempts`` tries, ``_POLL_INTERVAL`` seconds apart, to accept a connection.
    """
    port = _free_port()
    output = None if capture_output else subprocess.DEVNULL
    command = [sys.executable, "-m", "uvicorn", app, "--host", _HOST, "--port", str(port), "--app-dir", str(workdir)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, cwd=workdir, stdout=output, stderr=output, env=env)
    try:
        for _ in range(attempts):
            if _accepts_connections(port):
                break
            if proc.poll() is not None:
                msg = (
                    f"The server for `{app}` in `{workdir}` exited with code `{proc.returncode}` before accepting "
                    "connections: check that the app string is `module:attribute` importable from `workdir`"
                )
                raise StartupError(msg)
            time.sleep(_POLL_INTERVAL)
        else:
            msg = (
                f"The server for `{app}` did not accept connections within `{attempts * _POLL_INTERVAL:g}` seconds "
                f"(`{attempts}` attempts); allow it more time"
            )
            raise StartupError(msg)
        yield f"http://{_HOST}:{port}"
    finally:
        _stop(proc)


def _attempts(startup_timeout: float) -> int:
    return max(1, math.ceil(startup_timeout / _POLL_INTERVAL))


@contextmanager
def run_app(
    workdir: pathlib.Path, app: str, retry_count: int = _DEFAULT_RETRY_COUNT, capture_output: bool = True
) -> Iterator[str]:
    """Serve an app with uvicorn in a child process and yield its base URL, ``http://127.0.0.1:<port>``.

    The building block of :func:`subprocess_sync_client` and :func:`subprocess_async_client`, for tests that bring
    their own HTTP client.

    Args:
        workdir: The directory the app's module is imported from (and the child's working directory).
        app: The app as uvicorn names it, ``"module:attribute"``, e.g. ``"main:app"``.
        retry_count: How many times to try connecting to the server, 0.1 seconds apart, before giving up.
        capture_output: Let the server write to this process's stdout/stderr; ``False`` discards its output.

    Yields:
        The server's base URL; the server stops when the block ends.

    Raises:
        StartupError: The server exited or did not accept connections within ``retry_count`` attempts.
    """
    with _serve(workdir, app, capture_output, retry_count) as url:
        yield url


@contextmanager
def subprocess_sync_client(
    workdir: pathlib.Path, app: str, capture_output: bool = True, *, startup_timeout: float = _STARTUP_TIMEOUT
) -> Iterator[httpx.Client]:
    """Serve an app with uvicorn in a child process and yield an ``httpx.Client`` pointed at it.

    Args:
        workdir: The directory the app's module is imported from (and the child's working directory).
        app: The app as uvicorn names it, ``"module:attribute"``, e.g. ``"main:app"``.
        capture_output: Let the server write to this process's stdout/stderr; ``False`` discards its output.
        startup_timeout: Seconds to wait for the server to accept connections.

    Yields:
        A client whose ``base_url`` is the server; the server stops when the block ends.

    Raises:
        StartupError: The server exited or did not accept connections in time.
    """
    with _serve(workdir, app, capture_output, _attempts(startup_timeout)) as url, httpx.Client(base_url=url) as client:
        yield client


@asynccontextmanager
async def subprocess_async_client(
    workdir: pathlib.Path, app: str, capture_output: bool = True, *, startup_timeout: float = _STARTUP_TIMEOUT
) -> AsyncIterator[httpx.AsyncClient]:
    """Serve an app with uvicorn in a child process and yield an ``httpx.AsyncClient`` pointed at it.

    Args:
        workdir: The directory the app's module is imported from (and the child's working directory).
        app: The app as uvicorn names it, ``"module:attribute"``, e.g. ``"main:app"``.
        capture_output: Let the server write to this process's stdout/stderr; ``False`` discards its output.
        startup_timeout: Seconds to wait for the server to accept connections.

    Yields:
        An async client whose ``base_url`` is the server; the server stops when the block ends.

    Raises:
        StartupError: The server exited or did not accept connections in time.
    """
    with _serve(workdir, app, capture_output, _attempts(startup_timeout)) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            yield client
