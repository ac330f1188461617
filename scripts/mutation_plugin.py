"""A pytest plugin that ``make mutation`` loads: each test starts with outpour's memoised results forgotten.

mutmut runs the tests once in its own process, recording which functions each test calls, then forks a child per
mutant that runs only the tests recorded for the mutated function. A ``functools.lru_cache`` (``parse_etag_list``,
``parse_query``, ...) would break both steps: a test answered from the cache filled by an earlier one is not recorded
as calling the function behind it, and a child inherits the clean run's entries and never calls the mutated function.
Either way the mutant would survive whatever the tests check.
"""

from __future__ import annotations

import sys

import pytest


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Clear every ``lru_cache`` held by a module of the ``outpour`` package."""
    for name, module in list(sys.modules.items()):
        if name != "outpour" and not name.startswith("outpour."):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()
