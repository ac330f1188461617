"""Smoke tests of ``benchmarks.stores`` and ``benchmarks.channels``: a few operations, every result checked."""

from __future__ import annotations

import asyncio
import importlib.util

import pytest

from benchmarks.channels import ChannelsOptions, RunResult, measure, results_table
from benchmarks.stores import cache_table, run_cache, run_stores, stores_table
from tests._services import redis_url

_LITESTAR = pytest.mark.skipif(importlib.util.find_spec("litestar") is None, reason="the bench group is not installed")
# The peers' own deprecation warnings are not ours to fail on.
_PEER = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize("framework", ["outpour", pytest.param("litestar", marks=[_LITESTAR, _PEER])])
def test_cache_hits_and_misses_are_checked_and_timed(framework: str) -> None:
    cases = run_cache([framework], ["memory"], rounds=2, requests=5)

    assert [(c.endpoint, c.error, len(c.per_request_ns)) for c in cases] == [
        ("GET /uncached", None, 2),
        ("GET /cached", None, 2),
    ]
    assert f"| {framework}" in cache_table(cases)


def test_cache_on_redis_and_store_operations_against_raw_redis() -> None:
    with redis_url() as url:
        cache_cases = run_cache(["outpour"], ["redis"], rounds=1, requests=3, redis_url=url)
        store_cases = run_stores(["outpour redis", "raw redis"], rounds=1, operations=5, redis_url=url)

    assert [c.error for c in cache_cases] == [None, None]
    assert [(c.implementation, c.operation, c.error) for c in store_cases] == [
        ("outpour redis", "set", None),
        ("outpour redis", "get", None),
        ("raw redis", "set", None),
        ("raw redis", "get", None),
    ]
    table = stores_table(store_cases)
    assert "| raw redis     | get       |" in table
    assert "1.00x" in table  # raw redis-py against itself


def test_memory_stores_get_back_what_was_set() -> None:
    cases = run_stores(["outpour memory"], rounds=1, operations=5)

    assert [(c.operation, c.error, len(c.per_op_ns)) for c in cases] == [("set", None, 1), ("get", None, 1)]


_SMALL = ChannelsOptions(subscribers=3, rate=20, duration=0.2, burst=4, timeout=30)


def test_channels_memory_backend_delivers_every_event_to_every_subscriber() -> None:
    result = asyncio.run(measure("outpour", "memory", _SMALL))

    assert result.error is None
    assert len(result.latencies_ns) == 3 * 4  # every subscriber got the 4 events of the latency phase
    assert all(latency > 0 for latency in result.latencies_ns)
    assert result.delivered_per_second > 0
    assert result.rss_idle_mib > 0


def test_channels_redis_backend_spreads_subscribers_over_two_processes() -> None:
    with redis_url() as url:
        options = ChannelsOptions(subscribers=4, rate=20, duration=0.2, burst=4, redis_url=url, timeout=30)
        result = asyncio.run(measure("outpour", "redis", options))

    assert result.error is None
    assert result.processes == 2
    assert len(result.latencies_ns) == 4 * 4


def test_channels_table_reports_medians_ratios_and_errors() -> None:
    ours = RunResult("outpour", "memory", 1, 10, 40.0, 41.0, [1_000_000] * 99 + [9_000_000], 2000.0)
    theirs = RunResult("litestar", "memory", 1, 10, 50.0, 52.0, [2_000_000] * 100, 1000.0)
    broken = RunResult("outpour", "redis", 2, 10, error="TimeoutError: slow")

    table = results_table([ours, theirs, broken])

    assert "| uvicorn | memory  | outpour   |         1 |             1.0 / 9.0 |" in table
    assert "2.00x" in table  # 2000 events/s against 1000
    assert "102.4" in table  # 1 MiB over 10 subscribers, in KiB
    assert "[1] outpour redis (uvicorn): TimeoutError: slow" in table


def test_channels_under_granian_count_the_worker_process() -> None:
    # granian serves from a child process: its CPU time and memory are the server's.
    result = asyncio.run(measure("outpour", "memory", _SMALL, server="granian"))

    assert result.error is None
    assert result.server == "granian"
    assert len(result.latencies_ns) == 3 * 4
    assert result.rss_idle_mib > 60  # the parent alone holds about 34 MiB; with its worker, about 85
