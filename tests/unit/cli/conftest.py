"""Isolation for CLI tests: modules imported from temporary folders, ``sys.path`` and the variables ``run`` sets."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

_VARIABLES = ("OUTPOUR_APP", "OUTPOUR_APP_DIR", "OUTPOUR_DEBUG", "PYTHONPATH")


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Forget modules imported by a test, restore ``sys.path`` and the environment, and widen rich's tables."""
    before = set(sys.modules)
    path = list(sys.path)
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    yield
    for name in set(sys.modules) - before:
        del sys.modules[name]
    sys.path[:] = path
