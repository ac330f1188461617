"""The jinja template engine at its older import path, ``outpour.contrib.jinja``: the same names as ``outpour.plugins.jinja``.

Litestar's older documentation imports template engines from ``litestar.contrib.*``; apps written against it run
unchanged. New code should import from ``outpour.plugins.jinja``.
"""

from __future__ import annotations

from outpour.plugins.jinja import *  # noqa: F403
from outpour.plugins.jinja import __all__ as __all__
