"""Isolation for CLI tests: modules imported from temporary folders, ``sys.path`` and the variables ``run`` sets."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

_VARIABLES = ("OUTPOUR_APP", "OUTPOUR_APP_DIR", "OUTPOUR_DEBUG", "OUTPOUR_PDB", "PYTHONPATH")
_BUILD_ON_IMPORT = frozenset({"outpour.cli._serve", "outpour.cli.__main__"})


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Forget the app modules a test imported, restore ``sys.path`` and the environment, and widen rich's tables.

    Only modules from temporary folders (the tests' apps) and the CLI modules that build an app on import are
    forgotten: libraries stay imported (an extension module such as granian's cannot be initialized twice).
    """
    before = set(sys.modules)
    path = list(sys.path)
    for name in _VARIABLES:
        # setenv first: delenv alone records nothing to restore when the variable was absent, and `run` sets them.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("COLUMNS", "200")
    yield
    base = str(tmp_path_factory.getbasetemp())
    for name in set(sys.modules) - before:
        module = sys.modules[name]
        places = [getattr(module, "__file__", None) or "", *list(getattr(module, "__path__", []))]
        if any(place.startswith(base) for place in places) or name in _BUILD_ON_IMPORT:
            del sys.modules[name]
    sys.path[:] = path
