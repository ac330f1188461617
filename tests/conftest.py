"""Shared test configuration: async tests run on asyncio and trio through anyio's pytest plugin.

With ``OUTPOUR_GENERAL_PATH=1`` (every specialisation of the request path off, see ``docs/dev/general-path.md``), tests
marked ``fast_path_only`` are skipped: they check that a specialised path is taken.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(params=[pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Run each ``@pytest.mark.anyio`` test on both backends."""
    return str(request.param)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the ``fast_path_only`` tests when the run takes the general path."""
    if os.environ.get("OUTPOUR_GENERAL_PATH") != "1":
        return
    skip = pytest.mark.skip(reason="checks a specialised path; OUTPOUR_GENERAL_PATH=1 turns them off")
    for item in items:
        if item.get_closest_marker("fast_path_only") is not None:
            item.add_marker(skip)
