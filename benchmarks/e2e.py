"""End-to-end benchmark: each app under a real server (uvicorn, granian), loaded with ``wrk`` over loopback.

One server runs at a time, on 127.0.0.1 and a free port. Before an endpoint is loaded, one request checks that it
answers correctly; then ``wrk`` runs for a bounded time and its requests/s and latency percentiles are parsed.
Rounds interleave the frameworks (shuffled) so that drifts of a noisy machine hit them alike; servers are always
killed (their whole process group), even on errors or Ctrl-C.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import importlib.util
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.apps import app_target, load_app
from benchmarks.endpoints import Endpoint, Reply

__all__ = [
    "SERVERS",
    "E2EOptions",
    "E2EResult",
    "WrkResult",
    "parse_wrk",
    "run_e2e",
    "server_command",
    "wrk_available",
]

SERVERS: tuple[str, ...] = ("uvicorn", "granian")
"""The servers every app runs under, in display order."""

ROOT = Path(__file__).resolve().parent.parent
"""The repository root: servers run there so that ``benchmarks.apps`` is importable."""


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def server_command(server: str, framework: str, port: int, target: str | None = None) -> list[str]:
    """Return the command line serving ``framework``'s app with ``server`` on ``127.0.0.1:port`` (one worker).

    ``target`` (``module:attribute``) serves another app than ``framework``'s main one.

    Raises:
        ValueError: ``server`` is not one of :data:`SERVERS`.
    """
    target = target or app_target(framework)
    if server == "uvicorn":
        command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", "1", "--no-access-log", "--log-level", "warning"]
        if _installed("uvloop"):
            command += ["--loop", "uvloop"]
        if _installed("httptools"):
            command += ["--http", "httptools"]
        return command
    if server == "granian":
        command = [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", "1", "--http", "1", "--no-ws", "--log-level", "warning"]
        if _installed("uvloop"):
            command += ["--loop", "uvloop"]
        return [*command, target]
    raise ValueError(f"unknown server `{server}`; choose among {', '.join(SERVERS)}")


def wrk_available() -> bool:
    """Whether the ``wrk`` load generator is on ``PATH``."""
    return shutil.which("wrk") is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerFailed(Exception):
    """The server did not start, or died."""


@contextlib.contextmanager
def _running_server(
    server: str, framework: str, startup_timeout: float = 30.0, target: str | None = None
) -> Iterator[int]:
    """Start ``framework`` (or ``target``) under ``server`` in its own process group, yield its port once it answers,
    then kill it.

    Raises:
        ServerFailed: The server exited or did not answer within ``startup_timeout`` seconds.
    """
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            server_command(server, framework, port, target),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + startup_timeout
            while True:
                if process.poll() is not None:
                    raise ServerFailed(f"{server} exited with {process.returncode}: {_tail(log)}")
                if _answers(port):
                    break
                if time.monotonic() > deadline:
                    raise ServerFailed(f"{server} did not answer within {startup_timeout}s: {_tail(log)}")
                time.sleep(0.1)
            yield port
            if process.poll() is not None:
                raise ServerFailed(f"{server} died during the run with {process.returncode}: {_tail(log)}")
        finally:
            _kill(process)


def _tail(log: Any, limit: int = 600) -> str:
    log.flush()
    log.seek(0)
    text: str = log.read().decode(errors="replace").strip()
    return text[-limit:] or "(no output)"


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Terminate the process group of ``process``; kill it if it does not exit within 5 seconds."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)
    with contextlib.suppress(ProcessLookupError):  # workers that outlived their parent
        os.killpg(process.pid, signal.SIGKILL)


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1.0)
        try:
            connection.request("GET", "/")
            connection.getresponse().read()
        finally:
            connection.close()
    except OSError:
        return False
    return True


def fetch(port: int, endpoint: Endpoint) -> Reply:
    """Send ``endpoint``'s request to ``127.0.0.1:port`` and return the response."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10.0)
    try:
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in endpoint.headers}
        connection.request(endpoint.method, endpoint.path, body=endpoint.body or None, headers=headers)
        response = connection.getresponse()
        body = response.read()
        reply_headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response.getheaders()
        ]
        return Reply(response.status, reply_headers, body)
    finally:
        connection.close()


def _check(port: int, endpoint: Endpoint, framework: str) -> str | None:
    """Request ``endpoint`` once; return what is wrong with the answer, or ``None``."""
    try:
        reply = fetch(port, endpoint)
    except OSError as exc:
        return f"request failed: {type(exc).__name__}: {exc}"
    expected = endpoint.status_for(framework)
    if reply.status != expected:
        return f"status {reply.status}, expected {expected}; body `{reply.body[:120]!r}`"
    return endpoint.check(reply)


def _lua_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def wrk_script(endpoint: Endpoint) -> str:
    """Return the wrk Lua script sending ``endpoint``'s method, headers and body."""
    lines = [f"wrk.method = {_lua_string(endpoint.method)}"]
    for name, value in endpoint.headers:
        lines.append(f"wrk.headers[{_lua_string(name.decode('latin-1'))}] = {_lua_string(value.decode('latin-1'))}")
    if endpoint.body:
        lines.append(f"wrk.body = {_lua_string(endpoint.body.decode('latin-1'))}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class WrkResult:
    """What one ``wrk`` run reported.

    Attributes:
        requests_per_second: The ``Requests/sec`` line.
        p50_ms: Median latency, milliseconds.
        p99_ms: 99th percentile latency, milliseconds.
        requests: Total requests completed.
        bad_responses: ``Non-2xx or 3xx responses`` count.
        socket_errors: The ``Socket errors`` line, if any.
    """

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_responses: int
    socket_errors: str | None


_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def parse_wrk(output: str) -> WrkResult:
    """Parse ``wrk --latency`` output.

    Raises:
        ValueError: A required figure is missing from ``output``.
    """
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    percentiles = {
        match[1]: float(match[2]) * _UNITS_MS[match[3]]
        for match in re.finditer(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    }
    if rps is None or total is None or "50" not in percentiles or "99" not in percentiles:
        raise ValueError(f"cannot parse wrk output: `{output.strip()[-400:]}`")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:\s*(.+)$", output, re.MULTILINE)
    return WrkResult(
        requests_per_second=float(rps[1]),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        requests=int(total[1]),
        bad_responses=int(bad[1]) if bad else 0,
        socket_errors=socket_errors[1].strip() if socket_errors else None,
    )


def _wrk(port: int, endpoint: Endpoint, script: Path, threads: int, connections: int, duration: int) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script)]
    command.append(f"http://127.0.0.1:{port}{endpoint.path}")
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    if completed.returncode != 0:
        output = (completed.stderr.strip() or completed.stdout.strip())[-400:]
        raise RuntimeError(f"wrk exited with {completed.returncode}: {output}")
    return parse_wrk(completed.stdout)


@dataclass(slots=True)
class E2EResult:
    """The outcome of one framework on one endpoint under one server.

    Attributes:
        server: The server name.
        framework: The framework name.
        endpoint: The endpoint name.
        status: ``"ok"``, ``"error"``, ``"n/a"`` or ``"unavailable"``.
        runs: The wrk results, one per round.
        error: What went wrong, if anything.
    """

    server: str
    framework: str
    endpoint: str
    status: str = "ok"
    runs: list[WrkResult] = field(default_factory=list)
    error: str | None = None

    def _median(self, pick: Callable[[WrkResult], float]) -> float | None:
        if self.status != "ok" or not self.runs:
            return None
        return statistics.median(pick(run) for run in self.runs)

    @property
    def requests_per_second(self) -> float | None:
        """Median requests/s over rounds."""
        return self._median(lambda run: run.requests_per_second)

    @property
    def p50_ms(self) -> float | None:
        """Median over rounds of the median latency."""
        return self._median(lambda run: run.p50_ms)

    @property
    def p99_ms(self) -> float | None:
        """Median over rounds of the 99th percentile latency."""
        return self._median(lambda run: run.p99_ms)

    def as_json(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return {
            "server": self.server,
            "framework": self.framework,
            "endpoint": self.endpoint,
            "status": self.status,
            "requests_per_second": self.requests_per_second,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "runs": [dataclasses.asdict(run) for run in self.runs],
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class E2EOptions:
    """Options of the end-to-end benchmark.

    Attributes:
        frameworks: The frameworks, in display order.
        endpoints: The endpoints, in display order.
        servers: The servers, in display order.
        rounds: Number of interleaved rounds (each starts every server once per framework).
        threads: ``wrk -t``.
        connections: ``wrk -c``.
        duration: ``wrk -d``, whole seconds.
        warmup: Whole seconds of untimed load per endpoint before each measured run (0: none).
        seed: Seed of the shuffles (``None``: random).
    """

    frameworks: Sequence[str]
    endpoints: Sequence[Endpoint]
    servers: Sequence[str] = SERVERS
    rounds: int = 2
    threads: int = 1
    connections: int = 32
    duration: int = 5
    warmup: int = 1
    seed: int | None = None


def run_e2e(options: E2EOptions, progress: Callable[[str], None] | None = None) -> list[E2EResult]:
    """Run the end-to-end benchmark.

    Args:
        options: What to run.
        progress: Called with short progress messages (e.g. print to stderr).

    Returns:
        One result per server, endpoint and framework, in display order.

    Raises:
        RuntimeError: ``wrk`` is not installed.
    """
    report = progress or (lambda _message: None)
    if not wrk_available():
        raise RuntimeError("`wrk` is not installed (Debian: `apt-get install -y wrk`)")
    results = {
        (server, fw, ep.name): E2EResult(server, fw, ep.name)
        for server in options.servers
        for ep in options.endpoints
        for fw in options.frameworks
    }
    available: list[str] = []
    for framework in options.frameworks:
        loaded = load_app(framework)  # import once here so that a broken app is reported, not started
        for (_, fw, endpoint_name), result in results.items():
            if fw != framework:
                continue
            if loaded.error is not None:
                result.status, result.error = "unavailable", loaded.error
            elif endpoint_name in loaded.unsupported:
                result.status = "n/a"
        if loaded.error is None:
            available.append(framework)
    rng = random.Random(options.seed)
    with tempfile.TemporaryDirectory(prefix="outpour-bench-") as tmp:
        scripts = {}
        for index, endpoint in enumerate(options.endpoints):
            scripts[endpoint.name] = Path(tmp, f"endpoint{index}.lua")
            scripts[endpoint.name].write_text(wrk_script(endpoint))
        for round_number in range(1, options.rounds + 1):
            order = list(available)
            rng.shuffle(order)
            for framework in order:
                servers = list(options.servers)
                rng.shuffle(servers)
                for server in servers:
                    todo = [ep for ep in options.endpoints if results[server, framework, ep.name].status == "ok"]
                    if not todo:
                        continue
                    report(f"round {round_number}/{options.rounds}: {framework} under {server}")
                    try:
                        with _running_server(server, framework) as port:
                            for endpoint in todo:
                                _measure(
                                    port,
                                    endpoint,
                                    framework,
                                    results[server, framework, endpoint.name],
                                    scripts[endpoint.name],
                                    options,
                                )
                    except ServerFailed as exc:
                        for endpoint in todo:
                            result = results[server, framework, endpoint.name]
                            result.status, result.error = "error", str(exc)
    return list(results.values())


def _measure(
    port: int, endpoint: Endpoint, framework: str, result: E2EResult, script: Path, options: E2EOptions
) -> None:
    problem = _check(port, endpoint, framework)
    if problem is not None:
        result.status, result.error = "error", problem
        return
    try:
        if options.warmup > 0:
            _wrk(port, endpoint, script, options.threads, options.connections, options.warmup)
        run = _wrk(port, endpoint, script, options.threads, options.connections, options.duration)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
        result.status, result.error = "error", f"{type(exc).__name__}: {exc}"
        return
    if run.bad_responses:
        result.status = "error"
        result.error = f"{run.bad_responses} of {run.requests} responses were not 2xx/3xx"
        return
    result.runs.append(run)
