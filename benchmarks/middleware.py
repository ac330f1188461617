"""Middleware benchmark, in process: CORS (preflight and simple request) and gzip compression, against the baseline.

``python -m benchmarks.middleware`` calls each framework's apps (``benchmarks/apps/middleware/``) directly, as
``benchmarks.inprocess`` does: ``cors_app`` (the framework's CORS allowing one origin), ``gzip_app`` (its gzip
compression, with its defaults) and ``plain_app`` (neither: the baseline of each pair). Every response is checked:
the first fully (CORS headers; ``Content-Encoding`` and the decompressed body), the next ones against it (status,
and the body's bytes, or its length for compressed bodies, whose gzip header may carry a time). Rounds interleave
the frameworks in a shuffled order; the figure is the median over rounds. The defaults (10 rounds of 300 requests)
take about 40 s on two cores: ``GET /json-100k, gzip`` costs about 2 ms per request (zlib at level 9).

``GET /sse`` yields its 10 events back to back (outpour sends them as one body message), ``GET /sse-paced`` lets the
loop run between two (one body message each: the per-chunk path of a compressed stream). ``--only /sse`` runs both.

``--e2e`` measures throughput through a real server instead: each framework's ``gzip_app`` and ``plain_app`` under
uvicorn (one worker, 127.0.0.1, started with :mod:`benchmarks.e2e`'s helpers), loaded by ``wrk`` with
``Accept-Encoding: gzip`` on ``/sse``, ``/sse-paced`` and ``/json-large``; rounds interleave the servers (shuffled).
Per request, the server's HTTP parsing counts too. Three rounds take about a minute per framework.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import os
import random
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from benchmarks import e2e, report
from benchmarks.apps.middleware import ALLOW_HEADERS, BIG_RECORDS, FRAMEWORKS, ORIGIN, SSE_EVENTS, records
from benchmarks.endpoints import Check, Endpoint, Reply, expect_json, expect_sse, expect_text
from benchmarks.inprocess import AsgiHarness, EndpointResult

__all__ = ["ENDPOINTS", "PAIRS", "MiddlewareOptions", "main", "middleware_tables", "run_middleware"]

_ORIGIN = ORIGIN.encode()
_GZIP = ((b"accept-encoding", b"gzip, deflate"),)


def _has_token(reply: Reply, name: bytes, token: bytes) -> bool:
    values = b",".join(reply.header_values(name)).lower()
    return token.lower() in (item.strip() for item in values.split(b","))


def expect_cors(then: Check | None = None, preflight: bool = False) -> Check:
    """Build the check of a CORS answer to :data:`ORIGIN`: allow-origin, ``Vary: Origin``; a preflight's grants."""

    def check(reply: Reply) -> str | None:
        if reply.header(b"access-control-allow-origin") != _ORIGIN:
            return f"access-control-allow-origin is `{reply.header(b'access-control-allow-origin')!r}`"
        if preflight:
            if not _has_token(reply, b"access-control-allow-methods", b"GET"):
                return f"access-control-allow-methods is `{reply.header(b'access-control-allow-methods')!r}`"
            if not _has_token(reply, b"access-control-allow-headers", ALLOW_HEADERS[0].encode()):
                return f"access-control-allow-headers is `{reply.header(b'access-control-allow-headers')!r}`"
        elif not _has_token(reply, b"vary", b"origin"):
            return f"vary is `{reply.header_values(b'vary')!r}`, expected it to name `Origin`"
        return None if then is None else then(reply)

    return check


def expect_gzip(then: Check) -> Check:
    """Build the check of a gzip-compressed answer: ``Content-Encoding``, ``Vary``, then ``then`` on the decompressed body."""

    def check(reply: Reply) -> str | None:
        if reply.header(b"content-encoding") != b"gzip":
            return f"content-encoding is `{reply.header(b'content-encoding')!r}`, expected `gzip`"
        if not _has_token(reply, b"vary", b"accept-encoding"):
            return f"vary is `{reply.header_values(b'vary')!r}`, expected it to name `Accept-Encoding`"
        try:
            body = zlib.decompress(reply.body, wbits=31)
        except zlib.error as exc:
            return f"the body is not gzip: {exc}"
        return then(Reply(reply.status, reply.headers, body))

    return check


def expect_identity(then: Check) -> Check:
    """Build the check of an uncompressed answer: no ``Content-Encoding``, then ``then``."""

    def check(reply: Reply) -> str | None:
        if reply.header(b"content-encoding") is not None:
            return f"content-encoding is `{reply.header(b'content-encoding')!r}`, expected none"
        return then(reply)

    return check


_PREFLIGHT_HEADERS = (
    (b"origin", _ORIGIN),
    (b"access-control-request-method", b"GET"),
    (b"access-control-request-headers", ALLOW_HEADERS[0].encode()),
)
_HELLO = expect_text("Hello, world!")
_LARGE = expect_json(records(100))
_BIG = expect_json(records(BIG_RECORDS))
_EVENTS = expect_sse(SSE_EVENTS)


@dataclass(frozen=True, slots=True)
class MiddlewareEndpoint:
    """An endpoint of the middleware benchmark and the app (``cors_app``, ``gzip_app``, ``plain_app``) it is sent to."""

    app: str
    endpoint: Endpoint


def _endpoint(app: str, name: str, path: str, check: Check, **options: Any) -> MiddlewareEndpoint:
    return MiddlewareEndpoint(app, Endpoint(name, options.pop("method", "GET"), path, check=check, **options))


_PREFLIGHT_STATUS: Mapping[str, int] = {"*": 204, "starlette": 200}

ENDPOINTS: tuple[MiddlewareEndpoint, ...] = (
    _endpoint(
        "cors_app",
        "OPTIONS /cors, preflight",
        "/cors",
        expect_cors(preflight=True),
        method="OPTIONS",
        headers=_PREFLIGHT_HEADERS,
        expected_status=_PREFLIGHT_STATUS,
    ),
    _endpoint("cors_app", "GET /cors, CORS", "/cors", expect_cors(_HELLO), headers=((b"origin", _ORIGIN),)),
    _endpoint("plain_app", "GET /cors, no CORS config", "/cors", _HELLO, headers=((b"origin", _ORIGIN),)),
    _endpoint(
        "gzip_app", "GET /json-large, gzip", "/json-large", expect_gzip(_LARGE), headers=_GZIP, compare_length_only=True
    ),
    _endpoint("plain_app", "GET /json-large, uncompressed", "/json-large", expect_identity(_LARGE), headers=_GZIP),
    _endpoint(
        "gzip_app", "GET /json-100k, gzip", "/json-100k", expect_gzip(_BIG), headers=_GZIP, compare_length_only=True
    ),
    _endpoint("plain_app", "GET /json-100k, uncompressed", "/json-100k", expect_identity(_BIG), headers=_GZIP),
    _endpoint("gzip_app", "GET /sse, gzip", "/sse", expect_gzip(_EVENTS), headers=_GZIP, compare_length_only=True),
    _endpoint("plain_app", "GET /sse, uncompressed", "/sse", expect_identity(_EVENTS), headers=_GZIP),
    _endpoint(
        "gzip_app", "GET /sse-paced, gzip", "/sse-paced", expect_gzip(_EVENTS), headers=_GZIP, compare_length_only=True
    ),
    _endpoint("plain_app", "GET /sse-paced, uncompressed", "/sse-paced", expect_identity(_EVENTS), headers=_GZIP),
)
"""Every endpoint, in display order. The uncompressed ones send ``Accept-Encoding: gzip`` too, to an app without
compression, so that the pair differs only by the middleware."""

PAIRS: tuple[tuple[str, str], ...] = (
    ("GET /cors, CORS", "GET /cors, no CORS config"),
    ("GET /json-large, gzip", "GET /json-large, uncompressed"),
    ("GET /json-100k, gzip", "GET /json-100k, uncompressed"),
    ("GET /sse, gzip", "GET /sse, uncompressed"),
    ("GET /sse-paced, gzip", "GET /sse-paced, uncompressed"),
)
"""(with middleware, baseline) pairs whose throughput ratio is reported (issue 16: ``/sse`` with gzip >= 0.8x)."""


@dataclass(frozen=True, slots=True)
class MiddlewareOptions:
    """Options of the middleware benchmark."""

    frameworks: Sequence[str]
    endpoints: Sequence[MiddlewareEndpoint] = ENDPOINTS
    rounds: int = 10
    requests: int = 300
    warmup: int = 100
    seed: int | None = None


Progress = Callable[[str], None]


@dataclass(slots=True)
class MiddlewareResults:
    """The results, and the size of each framework's first body per endpoint (compressed sizes, for the record)."""

    results: list[EndpointResult]
    body_sizes: dict[tuple[str, str], int]


async def _run(options: MiddlewareOptions, progress: Progress) -> MiddlewareResults:
    results = {
        (fw, me.endpoint.name): EndpointResult(fw, me.endpoint.name)
        for me in options.endpoints
        for fw in options.frameworks
    }
    harnesses: dict[tuple[str, str], AsgiHarness] = {}
    references: dict[tuple[str, str], Reply] = {}
    try:
        for framework in options.frameworks:
            name = f"benchmarks.apps.middleware.{framework}_app"
            sys.modules.pop(name, None)
            try:
                module = importlib.import_module(name)
            except Exception as exc:  # the framework is missing or broken
                for me in options.endpoints:
                    results[framework, me.endpoint.name].status = "unavailable"
                    results[framework, me.endpoint.name].error = f"import failed: {type(exc).__name__}: {exc}"
                continue
            unsupported = frozenset(getattr(module, "UNSUPPORTED", ()))
            for me in options.endpoints:
                result = results[framework, me.endpoint.name]
                if me.endpoint.name in unsupported:
                    result.status = "n/a"
                    continue
                harness = harnesses.get((framework, me.app))
                try:
                    if harness is None:
                        harness = harnesses[framework, me.app] = AsgiHarness(getattr(module, me.app))
                        await harness.startup()
                    reference = references[framework, me.endpoint.name] = await harness.validate(me.endpoint, framework)
                    if options.warmup:
                        await harness.timed_batch(me.endpoint, reference, options.warmup)
                except Exception as exc:
                    result.status, result.error = "error", f"{type(exc).__name__}: {exc}"

        rng = random.Random(options.seed)
        for number in range(1, options.rounds + 1):
            progress(f"round {number}/{options.rounds}")
            for me in options.endpoints:
                order = list(options.frameworks)
                rng.shuffle(order)
                for framework in order:
                    result = results[framework, me.endpoint.name]
                    if result.status != "ok":
                        continue
                    try:
                        elapsed = await harnesses[framework, me.app].timed_batch(
                            me.endpoint, references[framework, me.endpoint.name], options.requests
                        )
                    except Exception as exc:
                        result.status, result.error = "error", f"{type(exc).__name__}: {exc}"
                        continue
                    result.per_request_ns.append(elapsed / options.requests)
    finally:
        for harness in harnesses.values():
            with contextlib.suppress(Exception):
                await harness.shutdown()
    ordered = [results[fw, me.endpoint.name] for me in options.endpoints for fw in options.frameworks]
    sizes = {key: len(reply.body) for key, reply in references.items()}
    return MiddlewareResults(ordered, sizes)


def run_middleware(options: MiddlewareOptions, progress: Progress | None = None) -> MiddlewareResults:
    """Run the middleware benchmark in a fresh event loop."""
    return asyncio.run(_run(options, progress or (lambda _message: None)))


def _size(size: int | None) -> str:
    return "-" if size is None else f"{size:,}"


def middleware_tables(outcome: MiddlewareResults, options: MiddlewareOptions) -> str:
    """Render the in-process tables, the with/without ratios of :data:`PAIRS`, and the compressed sizes."""
    endpoints = [me.endpoint for me in options.endpoints]
    tables = report.inprocess_tables(outcome.results, options.frameworks, endpoints, options.rounds, options.requests)
    rates = {(r.framework, r.endpoint): r.requests_per_second for r in outcome.results}
    names = {endpoint.name for endpoint in endpoints}
    rows = []
    for with_name, without_name in PAIRS:
        if with_name not in names or without_name not in names:
            continue
        cells = [f"{with_name} ÷ {without_name.rpartition(', ')[2]}"]
        for framework in options.frameworks:
            with_rate, without_rate = rates[framework, with_name], rates[framework, without_name]
            cells.append("-" if with_rate is None or without_rate is None else f"{with_rate / without_rate:.2f}x")
        rows.append(cells)
    parts = [tables]
    if rows:
        title = "Requests/s with the middleware ÷ requests/s of the same endpoint without it (same run; 1.00x: free):"
        table = report.markdown_table(["pair", *options.frameworks], rows, ["l"] + ["r"] * len(options.frameworks))
        parts += [title, table]
    size_rows = [
        [endpoint.name, *(_size(outcome.body_sizes.get((fw, endpoint.name))) for fw in options.frameworks)]
        for endpoint in endpoints
        if "gzip" in endpoint.name
    ]
    if size_rows:
        parts += [
            "Compressed body sizes, bytes (the first response of each):",
            report.markdown_table(
                ["endpoint", *options.frameworks], size_rows, ["l"] + ["r"] * len(options.frameworks)
            ),
        ]
    return "\n\n".join(parts)


E2E_PATHS: tuple[str, ...] = ("/sse", "/sse-paced", "/json-large")
"""The paths the end-to-end mode loads (``--e2e``), each with gzip and uncompressed."""


@dataclass(frozen=True, slots=True)
class MiddlewareE2EOptions:
    """Options of the end-to-end mode: each framework's ``gzip_app`` and ``plain_app`` under uvicorn, loaded by wrk."""

    frameworks: Sequence[str]
    endpoints: Sequence[MiddlewareEndpoint]
    rounds: int = 3
    connections: int = 32
    duration: int = 3
    warmup: int = 1
    seed: int | None = None


@dataclass(slots=True)
class MiddlewareE2EResults:
    """wrk's results, and the server's CPU time per request in each round (microseconds; Linux only).

    On a single-worker server, the CPU time per request is what bounds throughput, and unlike wrk's requests/s it
    barely moves when other processes share the machine.
    """

    results: list[e2e.E2EResult]
    cpu_us: dict[tuple[str, str], list[float]]


def _listening_pid(port: int) -> int | None:
    """The process listening on ``127.0.0.1:port``, from ``/proc`` (``None`` elsewhere than on Linux)."""
    inode = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
                inode = fields[9]
                break
    if inode is None:
        return None
    link = f"socket:[{inode}]"
    for process in Path("/proc").iterdir():
        if process.name.isdigit():
            with contextlib.suppress(OSError):
                if any(os.readlink(fd) == link for fd in (process / "fd").iterdir()):
                    return int(process.name)
    return None


def _cpu_seconds(pid: int | None) -> float | None:
    """User and system CPU time of process ``pid`` so far, seconds."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(
    port: int,
    endpoint: Endpoint,
    framework: str,
    result: e2e.E2EResult,
    script: Path,
    options: MiddlewareE2EOptions,
    pid: int | None,
) -> float | None:
    """Check ``endpoint``, warm it up, run wrk once into ``result``; return the server's CPU microseconds per request."""
    problem = e2e._check(port, endpoint, framework)
    if problem is not None:
        result.status, result.error = "error", problem
        return None
    try:
        if options.warmup > 0:
            e2e._wrk(port, endpoint, script, 1, options.connections, options.warmup)
        before = _cpu_seconds(pid)
        run = e2e._wrk(port, endpoint, script, 1, options.connections, options.duration)
        after = _cpu_seconds(pid)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
        result.status, result.error = "error", f"{type(exc).__name__}: {exc}"
        return None
    if run.bad_responses:
        result.status = "error"
        result.error = f"{run.bad_responses} of {run.requests} responses were not 2xx/3xx"
        return None
    result.runs.append(run)
    if before is None or after is None or not run.requests:
        return None
    return (after - before) / run.requests * 1e6


def run_middleware_e2e(options: MiddlewareE2EOptions, progress: Progress | None = None) -> MiddlewareE2EResults:
    """Serve each app under uvicorn (one worker, 127.0.0.1) and load its endpoints with ``wrk``, rounds interleaved.

    Every round starts each (framework, app) server once, in a shuffled order, and runs wrk on the app's endpoints; an
    endpoint is checked with one request first (the same checks as in process). One result per framework and endpoint.

    Raises:
        RuntimeError: ``wrk`` is not installed.
    """
    say = progress or (lambda _message: None)
    if not e2e.wrk_available():
        raise RuntimeError("`wrk` is not installed (Debian: `apt-get install -y wrk`)")
    results = {
        (fw, me.endpoint.name): e2e.E2EResult("uvicorn", fw, me.endpoint.name)
        for me in options.endpoints
        for fw in options.frameworks
    }
    for framework in options.frameworks:
        try:  # imported here so that a broken app is reported, not started
            module = importlib.import_module(f"benchmarks.apps.middleware.{framework}_app")
        except Exception as exc:
            for me in options.endpoints:
                result = results[framework, me.endpoint.name]
                result.status, result.error = "unavailable", f"import failed: {type(exc).__name__}: {exc}"
            continue
        for me in options.endpoints:
            if me.endpoint.name in frozenset(getattr(module, "UNSUPPORTED", ())):
                results[framework, me.endpoint.name].status = "n/a"
    apps = sorted({me.app for me in options.endpoints})
    cpu_us: dict[tuple[str, str], list[float]] = {}
    rng = random.Random(options.seed)
    with tempfile.TemporaryDirectory(prefix="outpour-bench-") as tmp:
        scripts = {}
        for index, me in enumerate(options.endpoints):
            scripts[me.endpoint.name] = Path(tmp, f"endpoint{index}.lua")
            scripts[me.endpoint.name].write_text(e2e.wrk_script(me.endpoint))
        for number in range(1, options.rounds + 1):
            servers = [(fw, app) for fw in options.frameworks for app in apps]
            rng.shuffle(servers)
            for framework, app in servers:
                todo = [
                    me
                    for me in options.endpoints
                    if me.app == app and results[framework, me.endpoint.name].status == "ok"
                ]
                if not todo:
                    continue
                say(f"round {number}/{options.rounds}: {framework} {app} under uvicorn")
                target = f"benchmarks.apps.middleware.{framework}_app:{app}"
                try:
                    with e2e._running_server("uvicorn", framework, target=target) as port:
                        pid = _listening_pid(port)
                        for me in todo:
                            key = framework, me.endpoint.name
                            cpu = _measure(
                                port, me.endpoint, framework, results[key], scripts[me.endpoint.name], options, pid
                            )
                            if cpu is not None:
                                cpu_us.setdefault(key, []).append(cpu)
                except e2e.ServerFailed as exc:
                    for me in todo:
                        results[framework, me.endpoint.name].status = "error"
                        results[framework, me.endpoint.name].error = str(exc)
    ordered = [results[fw, me.endpoint.name] for me in options.endpoints for fw in options.frameworks]
    return MiddlewareE2EResults(ordered, cpu_us)


def middleware_e2e_tables(outcome: MiddlewareE2EResults, options: MiddlewareE2EOptions) -> str:
    """Render requests/s, latency and server CPU per request, and the with/without ratios of :data:`PAIRS`."""
    by_key = {(r.framework, r.endpoint): r for r in outcome.results}
    notes: list[str] = []

    def cpu(framework: str, name: str) -> float | None:
        samples = outcome.cpu_us.get((framework, name))
        return statistics.median(samples) if samples else None

    def cell(result: e2e.E2EResult) -> str:
        if result.status != "ok" or result.requests_per_second is None:
            return report.status_cell(notes, result.framework, result.status, result.error)
        used = cpu(result.framework, result.endpoint)
        cpu_text = "" if used is None else f"; {used:.1f} µs CPU"
        return f"{result.requests_per_second:,.0f} ({result.p50_ms:.2f} / {result.p99_ms:.2f} ms{cpu_text})"

    def ratio(framework: str, with_name: str, without_name: str) -> str:
        with_result, without_result = by_key[framework, with_name], by_key[framework, without_name]
        ok = with_result.status == without_result.status == "ok"
        if not ok or not with_result.runs or len(with_result.runs) != len(without_result.runs):
            return "-"
        rates = [
            run.requests_per_second / base.requests_per_second
            for run, base in zip(with_result.runs, without_result.runs, strict=True)
        ]
        with_cpu, without_cpu = cpu(framework, with_name), cpu(framework, without_name)
        by_cpu = "" if with_cpu is None or without_cpu is None else f" (CPU {without_cpu / with_cpu:.2f}x)"
        return f"{statistics.median(rates):.2f}x{by_cpu}"

    names = [me.endpoint.name for me in options.endpoints]
    rows = [[name, *(cell(by_key[fw, name]) for fw in options.frameworks)] for name in names]
    align = ["l"] + ["r"] * len(options.frameworks)
    parts = [
        f"uvicorn, one worker, 127.0.0.1; wrk -t1 -c{options.connections} -d{options.duration}s; median over "
        f"{options.rounds} rounds: requests/s (p50 / p99 latency; the server's CPU time per request):",
        report.markdown_table(["endpoint", *options.frameworks], rows, align),
    ]
    ratio_rows = [
        [
            f"{with_name} ÷ {without_name.rpartition(', ')[2]}",
            *(ratio(fw, with_name, without_name) for fw in options.frameworks),
        ]
        for with_name, without_name in PAIRS
        if with_name in names and without_name in names
    ]
    if ratio_rows:
        parts += [
            "Requests/s with gzip ÷ requests/s uncompressed, through the server: the median of the rounds' ratios, and"
            " (CPU) the uncompressed CPU time per request ÷ the compressed one, which a shared machine disturbs less:",
            report.markdown_table(["pair", *options.frameworks], ratio_rows, align),
        ]
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join(parts)


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _terminate(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the middleware benchmark; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.middleware",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds (10; --e2e: 3)")
    parser.add_argument("--requests", type=int, default=300, help="requests per timed batch (300)")
    parser.add_argument("--warmup-requests", type=int, default=100, help="untimed requests first (100)")
    parser.add_argument("--only", help="only the endpoints whose name contains this (e.g. gzip, cors, /sse)")
    parser.add_argument("--frameworks", help=f"comma-separated frameworks (default: {','.join(FRAMEWORKS)})")
    parser.add_argument("--seed", type=int, help="seed of the shuffled orders (default: random)")
    parser.add_argument("--write-results", action="store_true", help="update benchmarks/RESULTS.md")
    parser.add_argument(
        "--e2e",
        action="store_true",
        help=f"through uvicorn and wrk instead, for {', '.join(E2E_PATHS)} (rounds default to 3; ~1 min per framework)",
    )
    parser.add_argument("--duration", type=int, default=3, help="--e2e: seconds of each wrk run (3)")
    parser.add_argument("--connections", type=int, default=32, help="--e2e: wrk connections (32)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    command = shlex.join(["python", "-m", "benchmarks.middleware", *(sys.argv[1:] if argv is None else argv)])
    frameworks = list(FRAMEWORKS)
    if args.frameworks:
        wanted = [name.strip().lower() for name in args.frameworks.split(",") if name.strip()]
        unknown = [name for name in wanted if name not in FRAMEWORKS]
        if unknown:
            raise SystemExit(f"--frameworks: unknown `{','.join(unknown)}`; choose among {', '.join(FRAMEWORKS)}")
        frameworks = [name for name in FRAMEWORKS if name in wanted]
    endpoints = [me for me in ENDPOINTS if not args.only or args.only.lower() in me.endpoint.name.lower()]
    if not endpoints:
        raise SystemExit(f"--only `{args.only}` matches no endpoint")
    if args.e2e:
        endpoints = [me for me in endpoints if me.endpoint.path in E2E_PATHS]
        if not endpoints:
            raise SystemExit(f"--e2e: --only `{args.only}` matches none of {', '.join(E2E_PATHS)}")
        e2e_options = MiddlewareE2EOptions(
            frameworks, endpoints, args.rounds or 3, args.connections, args.duration, seed=args.seed
        )
        e2e_tables = middleware_e2e_tables(run_middleware_e2e(e2e_options, _progress), e2e_options)
        print(f"## Middleware, end to end\n\n{e2e_tables}\n", flush=True)
        if args.write_results:
            header = report.section_header(command, with_wrk=True)
            report.write_section("middleware-e2e", "Middleware: gzip end to end", f"{header}\n\n{e2e_tables}")
            _progress(f"updated {report.RESULTS_PATH}")
        return 0
    rounds = args.rounds or 10
    options = MiddlewareOptions(frameworks, endpoints, rounds, args.requests, args.warmup_requests, args.seed)
    tables = middleware_tables(run_middleware(options, _progress), options)
    print(f"## Middleware\n\n{tables}\n", flush=True)
    if args.write_results:
        report.write_section("middleware", "Middleware: CORS and gzip", f"{report.section_header(command)}\n\n{tables}")
        _progress(f"updated {report.RESULTS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
