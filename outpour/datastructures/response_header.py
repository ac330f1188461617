"""``ResponseHeader``: a header a route sends on every response, and documents in OpenAPI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from outpour.datastructures._validation import check_header_name, check_header_value
from outpour.exceptions import ImproperlyConfiguredException

__all__ = ["ResponseHeader"]


@dataclass
class ResponseHeader:
    """A response header declared on a layer (``response_headers=[...]``), validated when built.

    Two headers hash alike when their names are equal ignoring case.

    Attributes:
        name: The header name: an RFC 9110 token.
        value: The value sent; needed unless ``documentation_only``.
        description: A description for the OpenAPI document.
        documentation_only: Only document the header in OpenAPI; do not send it.
        required: Documented as always present.
        deprecated: Documented as deprecated.
        allow_empty_value: Documented as allowing an empty value.
        example: An example value for the OpenAPI document.

    Raises:
        ImproperlyConfiguredException: When the value is missing, or the name or value is invalid.
    """

    name: str
    value: str | None = None
    description: str | None = None
    documentation_only: bool = False
    required: bool = False
    deprecated: bool = False
    allow_empty_value: bool = False
    example: Any = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise ImproperlyConfiguredException(f"A `ResponseHeader` name must be a string, got `{self.name!r}`.")
        check_header_name(self.name, error=ImproperlyConfiguredException)
        if self.value is None:
            if not self.documentation_only:
                raise ImproperlyConfiguredException(
                    f"ResponseHeader `{self.name}` needs a `value`, or set `documentation_only=True`."
                )
            return
        check_header_value(str(self.value), name=self.name, error=ImproperlyConfiguredException)

    def __hash__(self) -> int:
        return hash(self.name.lower())
