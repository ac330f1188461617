"""``litestar.utils.warnings``: the warning classes, as ``-W`` and ``filterwarnings`` entries written for Litestar name them."""

from __future__ import annotations

from outpour.exceptions import LitestarDeprecationWarning, LitestarWarning

__all__ = ["LitestarDeprecationWarning", "LitestarWarning"]
