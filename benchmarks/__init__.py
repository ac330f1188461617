"""Benchmarks comparing outpour with its peers (Litestar, Starlette, FastAPI, BlackSheep, a raw ASGI app).

Run them with ``make bench`` or ``python -m benchmarks.run --help``; the figures live in ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations
