"""The DTO exceptions, at Litestar's module path; the same classes as ``outpour.exceptions``."""

from __future__ import annotations

from outpour.exceptions import DTOFactoryException, InvalidAnnotationException

__all__ = ["DTOFactoryException", "InvalidAnnotationException"]
