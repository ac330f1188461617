"""DTOs of dataclasses: ``DataclassDTO[Model]``."""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from outpour.dto.base_dto import AbstractDTO
from outpour.dto.data_structures import DTOFieldDefinition
from outpour.dto.field import DTOField, Mark, extract_dto_field
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.typing import FieldDefinition

__all__ = ["DataclassDTO", "T"]

T = TypeVar("T")


class DataclassDTO(AbstractDTO[T], Generic[T]):
    """The DTO of a dataclass: ``DataclassDTO[User]``.

    Mark a field with ``field(metadata=dto_field("read-only"))``. Fields with ``init=False`` and properties are
    read-only: they are sent to the client, never read from it.
    """

    __slots__ = ()

    @classmethod
    def generate_field_definitions(cls, model_type: type[Any]) -> Generator[DTOFieldDefinition, None, None]:
        """Yield the dataclass's fields, then its public properties (read-only)."""
        fields = {field.name: field for field in dataclasses.fields(model_type)}
        for name, definition in cls.get_model_type_hints(model_type).items():
            field = fields.get(name)
            if field is None:
                continue
            default = field.default if field.default is not dataclasses.MISSING else Empty
            factory = field.default_factory if field.default_factory is not dataclasses.MISSING else None
            dto_field = extract_dto_field(definition, field.metadata)
            if not field.init:
                dto_field = DTOField(mark=Mark.READ_ONLY)
            yield dataclasses.replace(
                DTOFieldDefinition.from_field_definition(definition, model_type.__name__, factory, dto_field),
                name=name,
                default=default,
            )
        for name, definition in cls.get_property_fields(model_type).items():
            if name.startswith("_") or name in fields:
                continue
            yield DTOFieldDefinition.from_field_definition(
                definition, model_type.__name__, None, DTOField(mark=Mark.READ_ONLY)
            )

    @classmethod
    def detect_nested_field(cls, field_definition: FieldDefinition) -> bool:
        """Whether the field's type is a dataclass."""
        return field_definition.is_dataclass_type
