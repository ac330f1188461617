"""``benchmarks.instructions``: the counted process sends checked requests; the table compares with outpour."""

from __future__ import annotations

import shutil

import pytest

from benchmarks.inprocess import CheckFailed
from benchmarks.instructions import Count, count, counts_table, send_requests


def test_the_counted_process_checks_its_responses() -> None:
    send_requests("outpour", "GET /json", 3)  # a wrong response would raise CheckFailed
    with pytest.raises(ValueError, match="no endpoint is named `GET /nowhere`"):
        send_requests("outpour", "GET /nowhere", 3)
    assert issubclass(CheckFailed, Exception)


def test_table_shows_thousands_and_ratios_to_outpour() -> None:
    table = counts_table(
        [
            Count("outpour", "GET /plain", 20_000.0),
            Count("litestar", "GET /plain", 150_000.0),
            Count("raw", "GET /plain", None, "exit status 1: boom"),
        ]
    )
    assert "| GET /plain |   20.0k | 150.0k (7.50x) | error |" in table
    assert "[1] raw GET /plain: exit status 1: boom" in table


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_counts_instructions_per_request_under_callgrind() -> None:
    result = count("raw", "GET /plain", few=5, many=105)
    assert result.error is None
    assert result.per_request is not None
    assert 1_000 < result.per_request < 1_000_000  # a request of the raw app: thousands of instructions, not millions
