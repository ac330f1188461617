"""``Header``: the base of typed headers (``CacheControlHeader``, ``ETag``), which parse and render one value.

Typed headers are mostly built at start-up and render once, so they are plain dataclasses.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar, Self

from outpour.exceptions import ImproperlyConfiguredException

__all__ = ["Header"]


@dataclass
class Header(ABC):
    """Base of typed headers such as ``CacheControlHeader`` and ``ETag``.

    Attributes:
        HEADER_NAME: The header's name.
        documentation_only: Only document the header in OpenAPI; do not send it.
    """

    HEADER_NAME: ClassVar[str] = ""

    documentation_only: bool = field(default=False, kw_only=True)

    @abstractmethod
    def _get_header_value(self) -> str:
        """Render the header's value."""

    @classmethod
    @abstractmethod
    def from_header(cls, header_value: str) -> Self:
        """Parse a header value.

        Args:
            header_value: The value, without the header name.

        Returns:
            The typed header.

        Raises:
            ImproperlyConfiguredException: When the value is malformed.
        """

    def to_header(self, include_header_name: bool = False) -> str:
        """Render the header.

        Args:
            include_header_name: Prefix the value with ``"<name>: "``.

        Returns:
            The value, or ``"<name>: <value>"``.

        Raises:
            ImproperlyConfiguredException: When the class sets no ``HEADER_NAME``.
        """
        if not self.HEADER_NAME:
            raise ImproperlyConfiguredException(
                f"`{type(self).__name__}` has no `HEADER_NAME`: set the class attribute to the name of the header it "
                'renders, such as `HEADER_NAME = "x-my-header"`.'
            )
        value = self._get_header_value()
        return f"{self.HEADER_NAME}: {value}" if include_header_name else value
