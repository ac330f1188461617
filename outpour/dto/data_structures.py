"""What DTOs hand to handlers and describe models with: ``DTOData`` and ``DTOFieldDefinition``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from outpour.typing import FieldDefinition

if TYPE_CHECKING:
    from outpour.dto._backend import DTOBackend
    from outpour.dto.field import DTOField

__all__ = ["DTOData", "DTOFieldDefinition"]

T = TypeVar("T")


class DTOData(Generic[T]):
    """The client data a DTO validated, not yet made an instance of the model: annotate ``data: DTOData[Model]``.

    Args:
        backend: The DTO's compiled plan of the model.
        data_as_builtins: The validated data as a ``dict`` of field names (nested models as ``dict`` too), holding
            only the fields the client sent (with ``partial=True``) or all transferred fields.
    """

    __slots__ = ("_backend", "_data_as_builtins")

    def __init__(self, backend: DTOBackend, data_as_builtins: Any) -> None:
        self._backend = backend
        self._data_as_builtins = data_as_builtins

    def create_instance(self, **kwargs: Any) -> T:
        """Build an instance of the model from the data, with more values.

        Args:
            **kwargs: Values of fields the client does not send (``id=1``); a double underscore reaches into a nested
                model (``address__id=2``).

        Returns:
            The model instance.
        """
        data = _deep_copy(self._data_as_builtins)
        for key, value in kwargs.items():
            _set_nested(data, key.split("__"), value)
        result: T = self._backend.from_builtins(data)
        return result

    def update_instance(self, instance: T, **kwargs: Any) -> T:
        """Set the fields the client sent (and ``kwargs``) on an existing instance of the model.

        Args:
            instance: The instance to update, in place.
            **kwargs: More values to set (a double underscore reaches into a nested model, as in ``create_instance``).

        Returns:
            ``instance``.
        """
        data = _deep_copy(self._data_as_builtins)
        for key, value in kwargs.items():
            _set_nested(data, key.split("__"), value)
        self._backend.update_instance(instance, data)
        return instance

    def as_builtins(self) -> Any:
        """Return the data as built-in types: a ``dict`` of field names (nested models as ``dict`` too)."""
        return _deep_copy(self._data_as_builtins)

    def __repr__(self) -> str:
        return f"DTOData({self._data_as_builtins!r})"


def _deep_copy(value: Any) -> Any:
    if type(value) is dict:
        return {key: _deep_copy(item) for key, item in value.items()}
    if type(value) is list:
        return [_deep_copy(item) for item in value]
    return value


def _set_nested(data: dict[str, Any], path: list[str], value: Any) -> None:
    for key in path[:-1]:
        inner = data.get(key)
        if not isinstance(inner, dict):
            inner = data[key] = {}
        data = inner
    data[path[-1]] = value


@dataclass(frozen=True, slots=True)
class DTOFieldDefinition(FieldDefinition):
    """A model field as a DTO sees it: its parsed annotation, default, model and DTO settings.

    Args:
        model_name: The name of the model class holding the field.
        default_factory: What makes the field's default, or ``None``.
        dto_field: The field's DTO settings (its ``Mark``).
        passthrough_constraints: Whether the annotation's constraints (``Annotated[int, Meta(ge=0)]``) are checked
            on client data.
    """

    model_name: str
    default_factory: Callable[[], Any] | None
    dto_field: DTOField
    passthrough_constraints: bool = True

    def __hash__(self) -> int:
        return hash((self.model_name, self.name))

    @classmethod
    def from_field_definition(
        cls,
        field_definition: FieldDefinition,
        model_name: str,
        default_factory: Callable[[], Any] | None,
        dto_field: DTOField,
        passthrough_constraints: bool = True,
    ) -> DTOFieldDefinition:
        """Make a ``DTOFieldDefinition`` of a parsed model field.

        Args:
            field_definition: The field's parsed annotation, name and default.
            model_name: The name of the model class holding the field.
            default_factory: What makes the field's default, or ``None``.
            dto_field: The field's DTO settings.
            passthrough_constraints: Whether the annotation's constraints are checked on client data.

        Returns:
            The field definition.
        """
        return cls(
            raw=field_definition.raw,
            annotation=field_definition.annotation,
            type_wrappers=field_definition.type_wrappers,
            origin=field_definition.origin,
            args=field_definition.args,
            metadata=field_definition.metadata,
            instantiable_origin=field_definition.instantiable_origin,
            safe_generic_origin=field_definition.safe_generic_origin,
            inner_types=field_definition.inner_types,
            default=field_definition.default,
            extra=field_definition.extra,
            kwarg_definition=field_definition.kwarg_definition,
            name=field_definition.name,
            model_name=model_name,
            default_factory=default_factory,
            dto_field=dto_field,
            passthrough_constraints=passthrough_constraints,
        )
