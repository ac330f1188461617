"""The testing page's examples run as tests."""

from __future__ import annotations

from docs.examples.core import testing_request_factory, testing_subprocess


def test_request_factory_example() -> None:
    testing_request_factory.test_guard_rejects_a_missing_key()
    testing_request_factory.test_guard_accepts_the_key()


def test_subprocess_example() -> None:
    testing_subprocess.test_ticks_over_a_real_socket()
