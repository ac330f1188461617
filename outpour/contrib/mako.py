"""The mako template engine at its older import path, ``outpour.contrib.mako``: the same names as ``outpour.plugins.mako``.

Litestar's older documentation imports template engines from ``litestar.contrib.*``; apps written against it run
unchanged. New code should import from ``outpour.plugins.mako``.
"""

from __future__ import annotations

from outpour.plugins.mako import *  # noqa: F403
from outpour.plugins.mako import __all__ as __all__
