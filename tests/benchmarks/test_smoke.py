"""Smoke test of the benchmark harness: the in-process benchmark of the raw ASGI app passes every check."""

from __future__ import annotations

import pytest

pytest.importorskip("litestar", reason="the `bench` dependency group is not installed")

from benchmarks.endpoints import ENDPOINTS
from benchmarks.inprocess import InprocessOptions, run_inprocess


def test_inprocess_raw_app_passes_every_check() -> None:
    options = InprocessOptions(frameworks=["raw"], endpoints=ENDPOINTS, rounds=1, requests=10, warmup=0, seed=0)

    results = run_inprocess(options)

    assert [(result.endpoint, result.status, result.error) for result in results] == [
        (endpoint.name, "ok", None) for endpoint in ENDPOINTS
    ]
    assert all(len(result.per_request_ns) == 1 and result.per_request_ns[0] > 0 for result in results)
