"""The testing page's examples run as tests."""

from __future__ import annotations

import pytest

from docs.examples.core import testing_portal, testing_request_factory, testing_subprocess
from outpour import Outpour
from outpour.testing import TestClient


def test_request_factory_example() -> None:
    testing_request_factory.test_guard_rejects_a_missing_key()
    testing_request_factory.test_guard_accepts_the_key()


def test_subprocess_example() -> None:
    testing_subprocess.test_ticks_over_a_real_socket()


def test_portal_example() -> None:
    testing_portal.test_portal_runs_coroutines_next_to_the_app()


def test_blocking_portal_is_there_only_while_the_client_is_open() -> None:
    client = TestClient(_app())
    with pytest.raises(RuntimeError, match="runs only while the client is open: use `blocking_portal` inside"):
        _ = client.blocking_portal
    with client:
        assert client.blocking_portal.call(testing_portal.tick, 3) == 3
    with pytest.raises(RuntimeError, match="runs only while the client is open"):
        _ = client.blocking_portal


def _app() -> Outpour:
    return Outpour([testing_portal.read_ticks])
