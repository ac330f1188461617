"""The exceptions and warnings not tied to HTTP, at Litestar's module path; the same classes as ``outpour.exceptions``."""

from __future__ import annotations

from outpour.exceptions import (
    LitestarDeprecationWarning,
    LitestarException,
    LitestarWarning,
    MissingDependencyException,
    OutpourDeprecationWarning,
    OutpourException,
    OutpourWarning,
    SerializationException,
)

__all__ = [
    "LitestarDeprecationWarning",
    "LitestarException",
    "LitestarWarning",
    "MissingDependencyException",
    "OutpourDeprecationWarning",
    "OutpourException",
    "OutpourWarning",
    "SerializationException",
]
