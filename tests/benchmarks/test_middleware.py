"""Smoke tests of the middleware benchmark: every app passes its CORS and gzip checks, and the checks can fail."""

from __future__ import annotations

import gzip

import pytest

from benchmarks import e2e
from benchmarks.apps.middleware import FRAMEWORKS, ORIGIN
from benchmarks.endpoints import Reply, expect_text
from benchmarks.middleware import (
    ENDPOINTS,
    MiddlewareE2EOptions,
    MiddlewareOptions,
    expect_cors,
    expect_gzip,
    middleware_e2e_tables,
    middleware_tables,
    run_middleware,
    run_middleware_e2e,
)

_PEER = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize(
    "framework", [pytest.param(name, id=name, marks=() if name == "outpour" else _PEER) for name in FRAMEWORKS]
)
def test_middleware_app_passes_every_check_it_supports(framework: str) -> None:
    options = MiddlewareOptions(frameworks=[framework], rounds=1, requests=3, warmup=0, seed=0)

    outcome = run_middleware(options)

    if framework != "outpour" and all(result.status == "unavailable" for result in outcome.results):
        pytest.skip(f"{framework} is not installed: {outcome.results[0].error}")
    assert [(r.endpoint, r.status, r.error) for r in outcome.results if r.status not in ("ok", "n/a")] == []
    assert len(outcome.results) == len(ENDPOINTS)
    assert "GET /sse, gzip ÷ uncompressed" in middleware_tables(outcome, options)


_HELLO = expect_text("Hello, world!")
_TEXT = (b"content-type", b"text/plain")
_ALLOWED = (b"access-control-allow-origin", ORIGIN.encode())


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        pytest.param([_TEXT, _ALLOWED, (b"vary", b"Accept-Encoding, Origin")], None, id="right"),
        pytest.param([_TEXT, (b"vary", b"Origin")], "access-control-allow-origin is `None`", id="no-allow-origin"),
        pytest.param([_TEXT, (b"access-control-allow-origin", b"*"), (b"vary", b"Origin")], "is `b'*'`", id="star"),
        pytest.param([_TEXT, _ALLOWED], "expected it to name `Origin`", id="no-vary"),
    ],
)
def test_cors_check(headers: list[tuple[bytes, bytes]], problem: str | None) -> None:
    found = expect_cors(_HELLO)(Reply(200, headers, b"Hello, world!"))

    assert found == problem if problem is None else problem in (found or "")


def test_preflight_check_needs_the_requested_header() -> None:
    reply = Reply(204, [_ALLOWED, (b"access-control-allow-methods", b"GET, POST")], b"")

    assert "access-control-allow-headers is `None`" in (expect_cors(preflight=True)(reply) or "")


@pytest.mark.parametrize(
    ("headers", "body", "problem"),
    [
        pytest.param([_TEXT, (b"content-encoding", b"gzip"), (b"vary", b"accept-encoding")], None, None, id="right"),
        pytest.param([_TEXT, (b"vary", b"accept-encoding")], None, "expected `gzip`", id="not-encoded"),
        pytest.param([_TEXT, (b"content-encoding", b"gzip")], None, "to name `Accept-Encoding`", id="no-vary"),
        pytest.param(
            [_TEXT, (b"content-encoding", b"gzip"), (b"vary", b"accept-encoding")], b"plain", "not gzip", id="bad-body"
        ),
    ],
)
def test_gzip_check(headers: list[tuple[bytes, bytes]], body: bytes | None, problem: str | None) -> None:
    found = expect_gzip(_HELLO)(Reply(200, headers, gzip.compress(b"Hello, world!") if body is None else body))

    assert found == problem if problem is None else problem in (found or "")


@pytest.mark.skipif(not e2e.wrk_available(), reason="needs wrk")
def test_e2e_mode_serves_both_apps_under_uvicorn_and_reports_the_ratio() -> None:
    endpoints = [me for me in ENDPOINTS if me.endpoint.path == "/sse"]
    options = MiddlewareE2EOptions(["outpour"], endpoints, rounds=1, connections=4, duration=1, warmup=0, seed=0)

    outcome = run_middleware_e2e(options)

    assert [(result.endpoint, result.status, result.error) for result in outcome.results] == [
        ("GET /sse, gzip", "ok", None),
        ("GET /sse, uncompressed", "ok", None),
    ]
    assert all(result.requests_per_second for result in outcome.results)
    assert all(outcome.cpu_us[key] for key in [("outpour", "GET /sse, gzip"), ("outpour", "GET /sse, uncompressed")])
    assert "| GET /sse, gzip ÷ uncompressed |" in middleware_e2e_tables(outcome, options)
