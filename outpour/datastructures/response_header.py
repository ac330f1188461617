"""``ResponseHeader``: a header a route sends on every response, and documents in OpenAPI."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from outpour.datastructures._validation import check_header_name, check_header_value
from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour.openapi.spec import Example

__all__ = ["ResponseHeader"]


@dataclass
class ResponseHeader:
    """A response header declared on a layer (``response_headers=[...]``), validated when built.

    The fields come in Litestar's order; give them by keyword. Two headers hash alike when their names are equal
    ignoring case.

    Attributes:
        name: The header name: an RFC 9110 token.
        documentation_only: Only document the header in OpenAPI; do not send it.
        value: The value sent; needed unless ``documentation_only``.
        description: A description for the OpenAPI document.
        required: Documented as always present.
        deprecated: Documented as deprecated.
        allow_empty_value: Deprecated, as in Litestar: OpenAPI allows it on query parameters only, so it is ignored
            for a header and left out of its OpenAPI object (a ``DeprecationWarning`` when given); Litestar 4 removes
            it.
        style: How the value is serialized, for the OpenAPI document (``simple`` is the default for headers).
        explode: Whether an array or object value is exploded, for the OpenAPI document.
        allow_reserved: Deprecated, as ``allow_empty_value``: ignored for a header.
        example: An example value for the OpenAPI document.
        examples: Named examples (``Example`` objects) for the OpenAPI document.

    Raises:
        ImproperlyConfiguredException: When the value is missing, the name or value is invalid, or
            ``documentation_only`` is not a ``bool`` (such as a value given positionally in its place).
    """

    name: str
    documentation_only: bool = False
    value: str | None = None
    description: str | None = None
    required: bool = False
    deprecated: bool = False
    allow_empty_value: bool | None = None
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool | None = None
    example: Any = None
    examples: dict[str, Example] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise ImproperlyConfiguredException(f"A `ResponseHeader` name must be a string, got `{self.name!r}`.")
        check_header_name(self.name, error=ImproperlyConfiguredException)
        if not isinstance(self.documentation_only, bool):
            raise ImproperlyConfiguredException(
                f"ResponseHeader `{self.name}`: `documentation_only` must be a `bool`, got "
                f"`{self.documentation_only!r}`. The second positional field is `documentation_only`, as in Litestar: "
                f"give the value by keyword, `ResponseHeader(name={self.name!r}, value=...)`."
            )
        for option in ("allow_empty_value", "allow_reserved"):
            if getattr(self, option) is None:
                setattr(self, option, False)
            else:
                warnings.warn(
                    f"ResponseHeader `{self.name}`: `{option}` is deprecated and ignored, since OpenAPI allows it on "
                    "query parameters only; it goes away in Litestar 4. Remove it.",
                    DeprecationWarning,
                    stacklevel=3,
                )
        if self.value is None:
            if not self.documentation_only:
                raise ImproperlyConfiguredException(
                    f"ResponseHeader `{self.name}` needs a `value`, or set `documentation_only=True`."
                )
            return
        check_header_value(str(self.value), name=self.name, error=ImproperlyConfiguredException)

    def __hash__(self) -> int:
        return hash(self.name.lower())
