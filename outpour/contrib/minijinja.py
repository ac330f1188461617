"""The minijinja template engine at its older import path, ``outpour.contrib.minijinja``: the same names as ``outpour.plugins.minijinja``.

Litestar's older documentation imports template engines from ``litestar.contrib.*``; apps written against it run
unchanged. New code should import from ``outpour.plugins.minijinja``.
"""

from __future__ import annotations

from outpour.plugins.minijinja import *  # noqa: F403
from outpour.plugins.minijinja import __all__ as __all__
