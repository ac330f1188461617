"""Integrations with optional libraries that need an extra, e.g. ``outpour.contrib.sqlalchemy`` (``outpour[sqlalchemy]``)."""

from __future__ import annotations

__all__: list[str] = []
