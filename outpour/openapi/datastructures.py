"""``ResponseSpec``: an additional documented response of a handler (``responses={404: ResponseSpec(...)}``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from outpour.enums import MediaType

if TYPE_CHECKING:
    from outpour.openapi.spec import Example

__all__ = ["ResponseSpec"]


@dataclass(frozen=True)
class ResponseSpec:
    """A response a handler may give besides its success response, documented in OpenAPI.

    Attributes:
        data_container: The type of the body (a dataclass, model, container...); None for no body.
        generate_examples: Kept for compatibility; examples come from ``examples``.
        description: The response's description.
        media_type: The body's media type.
        examples: Examples of the body.
    """

    data_container: Any
    generate_examples: bool = True
    description: str = "Additional response"
    media_type: MediaType | str = MediaType.JSON
    examples: list[Example] | None = None
