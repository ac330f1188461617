"""Smoke tests of the benchmark harness: every app passes every check in process, and the SSE parser and the reports."""

from __future__ import annotations

import pytest

# Without the `bench` dependency group the peers are missing: their apps skip, outpour's and the raw app still run.
from benchmarks.apps import FRAMEWORKS
from benchmarks.endpoints import ENDPOINTS, Reply, parse_sse, select_endpoints
from benchmarks.inprocess import EndpointResult, InprocessOptions, run_inprocess
from benchmarks.report import inprocess_tables


def test_inprocess_raw_app_passes_every_check() -> None:
    options = InprocessOptions(frameworks=["raw"], endpoints=ENDPOINTS, rounds=1, requests=10, warmup=0, seed=0)

    results = run_inprocess(options)

    assert [(result.endpoint, result.status, result.error) for result in results] == [
        (endpoint.name, "ok", None) for endpoint in ENDPOINTS
    ]
    assert all(len(result.per_request_ns) == 1 and result.per_request_ns[0] > 0 for result in results)


# The peers' own deprecation warnings (e.g. Litestar's about inferred path parameters) are not ours to fail on.
_PEER = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize(
    "framework",
    [pytest.param(name, id=name, marks=() if name == "outpour" else _PEER) for name in FRAMEWORKS if name != "raw"],
)
def test_inprocess_app_passes_every_check_it_supports(framework: str) -> None:
    options = InprocessOptions(frameworks=[framework], endpoints=ENDPOINTS, rounds=1, requests=3, warmup=0, seed=0)

    results = run_inprocess(options)

    if framework != "outpour" and all(result.status == "unavailable" for result in results):
        pytest.skip(f"{framework} is not installed: {results[0].error}")
    problems = [(r.endpoint, r.status, r.error) for r in results if r.status not in ("ok", "n/a")]
    assert problems == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(b"data: a\r\n\r\ndata: b\r\n\r\n", ["a", "b"], id="crlf"),
        pytest.param(b"data: a\n\ndata:b\n\n", ["a", "b"], id="lf-and-no-space"),
        pytest.param(b"event: message\rdata: a\r\r", ["a"], id="cr-and-event-type"),
        pytest.param(b": ping\n\nretry: 10\n\ndata: x\ndata: y\n\n", ["x\ny"], id="comments-and-multiline"),
        pytest.param(b"data: last", ["last"], id="unterminated"),
    ],
)
def test_parse_sse(body: bytes, expected: list[str]) -> None:
    assert parse_sse(body) == expected


def test_inprocess_tables_report_throughput_of_large_bodies() -> None:
    endpoints = select_endpoints("file")
    results = [
        EndpointResult(fw, ep.name, per_request_ns=[1_000_000.0]) for ep in endpoints for fw in ("outpour", "raw")
    ]

    tables = inprocess_tables(results, ["outpour", "raw"], endpoints, rounds=1, requests=1)

    assert "Throughput (one core, no server), MB/s" in tables
    assert "| GET /file-large |   8,389 | 8,389 |" in tables  # 8 MiB per millisecond


_LAYERED_RESPONSE_HEADERS = [
    (b"x-router", b"1"),
    (b"x-response", b"1"),
    (b"etag", b'"v1"'),
    (b"cache-control", b"max-age=60"),
    (b"set-cookie", b"session=abc123; Path=/"),
    (b"set-cookie", b"theme=dark; Path=/"),
    (b"content-type", b"application/json"),
]


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        pytest.param(Reply(302, [(b"location", b"/plain")], b""), None, id="right"),
        pytest.param(Reply(302, [(b"location", b"/json")], b""), "location is `b'/json'`", id="wrong-location"),
        pytest.param(Reply(302, [], b""), "location is `None`", id="no-location"),
        pytest.param(Reply(302, [(b"location", b"/plain")], b"moved"), "expected an empty body", id="body"),
    ],
)
def test_redirect_check(reply: Reply, problem: str | None) -> None:
    found = select_endpoints("/redirect")[0].check(reply)

    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found


@pytest.mark.parametrize(
    ("drop", "problem"),
    [
        pytest.param(None, None, id="right"),
        pytest.param(b"etag", "header `etag` is `None`", id="no-etag"),
        pytest.param(b"x-response", "header `x-response` is `None`", id="no-response-header"),
        pytest.param(b"set-cookie", "0 Set-Cookie headers", id="no-cookies"),
        pytest.param(b"cache-control", "cache-control is `None`", id="no-cache-control"),
    ],
)
def test_layered_response_check(drop: bytes | None, problem: str | None) -> None:
    headers = [(name, value) for name, value in _LAYERED_RESPONSE_HEADERS if name != drop]

    found = select_endpoints("/layered-response")[0].check(Reply(200, headers, b'{"layers":3}'))

    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found
