"""Marking model fields for DTOs: ``dto_field``, ``DTOField`` and ``Mark``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from outpour.typing import FieldDefinition

__all__ = ["DTO_FIELD_META_KEY", "DTOField", "Mark", "dto_field", "extract_dto_field"]

DTO_FIELD_META_KEY = "__dto__"
"""The key of a ``DTOField`` in a field's metadata (``dataclasses.field(metadata=...)``, ``msgspec.Meta(extra=...)``)."""


class Mark(StrEnum):
    """How a DTO treats a marked field."""

    READ_ONLY = "read-only"
    """Sent to the client, never accepted from it."""
    WRITE_ONLY = "write-only"
    """Accepted from the client, never sent to it."""
    PRIVATE = "private"
    """Neither accepted from the client nor sent to it."""


@dataclass(frozen=True)
class DTOField:
    """The DTO settings of one model field.

    Args:
        mark: ``Mark.READ_ONLY``, ``Mark.WRITE_ONLY`` or ``Mark.PRIVATE`` (or their values); ``None``: transferred
            both ways.
    """

    mark: Mark | Literal["read-only", "write-only", "private"] | None = None


def dto_field(mark: Literal["read-only", "write-only", "private"] | Mark) -> dict[str, DTOField]:
    """Return the metadata marking a model field for DTOs.

    Args:
        mark: ``"read-only"``, ``"write-only"`` or ``"private"`` (or a ``Mark``).

    Returns:
        ``{DTO_FIELD_META_KEY: DTOField(mark=...)}``: pass it as ``dataclasses.field(metadata=...)`` or
        ``msgspec.Meta(extra=...)``.
    """
    return {DTO_FIELD_META_KEY: DTOField(mark=Mark(mark))}


def extract_dto_field(field_definition: FieldDefinition, field_info_mapping: Mapping[str, Any]) -> DTOField:
    """Return the ``DTOField`` of a model field, from its metadata mapping.

    Args:
        field_definition: The field (unused: the mapping holds the settings).
        field_info_mapping: The field's metadata, such as a dataclass field's ``metadata``.

    Returns:
        The field's ``DTOField``, or a default ``DTOField()`` when it has none.

    Raises:
        TypeError: The metadata holds something else than a ``DTOField`` under ``DTO_FIELD_META_KEY``.
    """
    found = field_info_mapping.get(DTO_FIELD_META_KEY)
    if found is None:
        return DTOField()
    if not isinstance(found, DTOField):
        raise TypeError(f"The DTO settings of a field must be a `DTOField` (use `dto_field(...)`), got `{found!r}`.")
    return found
