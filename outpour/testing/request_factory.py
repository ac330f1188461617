"""``RequestFactory`` at Litestar's module path, ``litestar.testing.request_factory``."""

from __future__ import annotations

from outpour.testing._request_factory import RequestFactory

__all__ = ["RequestFactory"]
