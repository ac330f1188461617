"""Litestar's import paths for the few helpers that code written for Litestar imports from ``litestar.utils``.

outpour's own helpers live in modules named after what they do (STYLE.md, section 3); this package only re-exports.
"""

from outpour.utils.sync import AsyncIteratorWrapper

__all__ = ["AsyncIteratorWrapper"]
