"""Middleware benchmark, in process: CORS (preflight and simple request) and gzip compression, against the baseline.

``python -m benchmarks.middleware`` calls each framework's apps (``benchmarks/apps/middleware/``) directly, as
``benchmarks.inprocess`` does: ``cors_app`` (the framework's CORS allowing one origin), ``gzip_app`` (its gzip
compression, with its defaults) and ``plain_app`` (neither: the baseline of each pair). Every response is checked:
the first fully (CORS headers; ``Content-Encoding`` and the decompressed body), the next ones against it (status,
and the body's bytes, or its length for compressed bodies, whose gzip header may carry a time). Rounds interleave
the frameworks in a shuffled order; the figure is the median over rounds. The defaults (10 rounds of 300 requests)
take about 40 s on two cores: ``GET /json-100k, gzip`` costs about 2 ms per request (zlib at level 9).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import random
import shlex
import signal
import sys
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from benchmarks import report
from benchmarks.apps.middleware import ALLOW_HEADERS, BIG_RECORDS, FRAMEWORKS, ORIGIN, records
from benchmarks.assets import SSE_DATA
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
_EVENTS = expect_sse(SSE_DATA)


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
)
"""Every endpoint, in display order. The uncompressed ones send ``Accept-Encoding: gzip`` too, to an app without
compression, so that the pair differs only by the middleware."""

PAIRS: tuple[tuple[str, str], ...] = (
    ("GET /cors, CORS", "GET /cors, no CORS config"),
    ("GET /json-large, gzip", "GET /json-large, uncompressed"),
    ("GET /json-100k, gzip", "GET /json-100k, uncompressed"),
    ("GET /sse, gzip", "GET /sse, uncompressed"),
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
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (10)")
    parser.add_argument("--requests", type=int, default=300, help="requests per timed batch (300)")
    parser.add_argument("--warmup-requests", type=int, default=100, help="untimed requests first (100)")
    parser.add_argument("--only", help="only the endpoints whose name contains this (e.g. gzip, cors)")
    parser.add_argument("--frameworks", help=f"comma-separated frameworks (default: {','.join(FRAMEWORKS)})")
    parser.add_argument("--seed", type=int, help="seed of the shuffled orders (default: random)")
    parser.add_argument("--write-results", action="store_true", help="update benchmarks/RESULTS.md")
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
    options = MiddlewareOptions(frameworks, endpoints, args.rounds, args.requests, args.warmup_requests, args.seed)
    tables = middleware_tables(run_middleware(options, _progress), options)
    print(f"## Middleware\n\n{tables}\n", flush=True)
    if args.write_results:
        report.write_section("middleware", "Middleware: CORS and gzip", f"{report.section_header(command)}\n\n{tables}")
        _progress(f"updated {report.RESULTS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
