"""DTOs of msgspec Structs: ``MsgspecDTO[Model]``."""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec

from outpour.dto.base_dto import AbstractDTO
from outpour.dto.data_structures import DTOFieldDefinition
from outpour.dto.field import DTO_FIELD_META_KEY, extract_dto_field
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.typing import FieldDefinition

__all__ = ["MsgspecDTO"]

T = TypeVar("T", bound=msgspec.Struct)


class MsgspecDTO(AbstractDTO[T], Generic[T]):
    """The DTO of a msgspec ``Struct``: ``MsgspecDTO[User]``.

    Mark a field with ``Annotated[int, msgspec.Meta(extra=dto_field("read-only"))]``.
    """

    __slots__ = ()

    @classmethod
    def generate_field_definitions(cls, model_type: type[Any]) -> Generator[DTOFieldDefinition, None, None]:
        """Yield the Struct's fields."""
        struct_fields = {field.name: field for field in msgspec.structs.fields(model_type)}
        for name, definition in cls.get_model_type_hints(model_type).items():
            field = struct_fields.get(name)
            if field is None:
                continue
            extra: dict[str, Any] = {}
            for item in definition.metadata:
                if isinstance(item, msgspec.Meta) and item.extra and DTO_FIELD_META_KEY in item.extra:
                    extra = item.extra
            default = Empty if field.default is msgspec.NODEFAULT else field.default
            factory = None if field.default_factory is msgspec.NODEFAULT else field.default_factory
            yield dataclasses.replace(
                DTOFieldDefinition.from_field_definition(
                    definition, model_type.__name__, factory, extract_dto_field(definition, extra)
                ),
                name=name,
                default=default,
            )

    @classmethod
    def detect_nested_field(cls, field_definition: FieldDefinition) -> bool:
        """Whether the field's type is a ``Struct``."""
        return field_definition.is_subclass_of(msgspec.Struct)
