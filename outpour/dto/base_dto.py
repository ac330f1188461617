"""The base of every DTO: ``AbstractDTO``, narrowed to a model as ``SomeDTO[Model]``."""

from __future__ import annotations

import inspect
import typing
from abc import abstractmethod
from collections.abc import Callable, Collection, Generator
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import msgspec

from outpour.dto._backend import DTOBackend, model_fields_namespace
from outpour.dto._backend import resolve_model_type as _resolve_model_type
from outpour.dto._backend import resolve_wrapper as _resolve_wrapper
from outpour.dto.config import DTOConfig
from outpour.exceptions import ImproperlyConfiguredException, InvalidAnnotationException
from outpour.typing import FieldDefinition

if TYPE_CHECKING:
    from outpour.connection import ASGIConnection
    from outpour.dto.data_structures import DTOFieldDefinition

__all__ = ["AbstractDTO"]

T = TypeVar("T")


class AbstractDTO(Generic[T]):
    """A data transfer object: how a model is read from client data and written into responses.

    Subscript a DTO class with the model (``DataclassDTO[User]``) and give it a ``config`` by subclassing it
    (``class UserDTO(DataclassDTO[User]): config = DTOConfig(exclude={"id"})``) or in ``Annotated``
    (``DataclassDTO[Annotated[User, DTOConfig(...)]]``). Pass it as ``dto=`` (client data, and return data unless
    ``return_dto`` is given) or ``return_dto=`` on the app, a router, a controller or a handler.

    The app compiles each DTO, for each handler annotation it applies to, when it is created. A subclass for another
    modelling library implements ``generate_field_definitions`` and ``detect_nested_field``.

    Args:
        asgi_connection: The connection the DTO works for (its handler's compiled DTO is used).
    """

    __slots__ = ("asgi_connection",)

    config: ClassVar[DTOConfig]
    """What the DTO transfers of its model, and under which names."""
    model_type: ClassVar[type[Any]]
    """The model the DTO is narrowed with."""
    attribute_accessor: ClassVar[Callable[[object, str], Any]] = getattr
    """How the value of a model's field is read from an instance."""
    _handler_backend_map: ClassVar[dict[tuple[str, str], DTOBackend]]

    def __init__(self, asgi_connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        self.asgi_connection = asgi_connection

    def __class_getitem__(cls, annotation: Any) -> Any:
        field = FieldDefinition.from_annotation(annotation)
        if (field.is_optional and len(field.args) > 2) or (field.is_union and not field.is_optional):
            raise InvalidAnnotationException(
                f"`{cls.__name__}[{annotation!r}]`: a DTO is narrowed with one model, not a union. Give each model "
                "its own DTO."
            )
        if field.is_forward_ref:
            raise InvalidAnnotationException(
                f"`{cls.__name__}[{annotation!r}]`: a DTO is narrowed with the model class, not a forward reference. "
                "Define or import the model before the DTO."
            )
        config = cls.get_dto_config_from_annotated_type(field)
        if config is None:
            if field.is_type_var:
                return cls
            config = getattr(cls, "config", None) or DTOConfig()
        namespace: dict[str, Any] = {"config": config, "_handler_backend_map": {}}
        if not field.is_type_var:
            namespace["model_type"] = field.annotation
        return type(f"{cls.__name__}[{getattr(field.annotation, '__name__', annotation)}]", (cls,), namespace)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handler_backend_map = {}
        config = cls.__dict__.get("config")
        if config is not None and not isinstance(config, DTOConfig):
            raise ImproperlyConfiguredException(
                f"DTO `{cls.__qualname__}` has `config = {config!r}`: it must be a `DTOConfig(...)`."
            )

    # -- per request ------------------------------------------------------------------------------------------------

    def _backend(self, key: str) -> DTOBackend:
        handler = getattr(self.asgi_connection, "route_handler", None)
        backend = type(self)._handler_backend_map.get((handler_key(handler), key))
        if backend is None:
            raise ImproperlyConfiguredException(
                f"`{type(self).__name__}` is not the {'`dto`' if key == 'data' else '`return_dto`'} of the handler "
                "of this connection: use it as the handler's DTO, or call the DTO the handler has."
            )
        return backend

    def decode_builtins(self, value: dict[str, Any]) -> Any:
        """Validate built-in client data (a form's fields, say) and make the handler's ``data`` of it.

        Raises:
            msgspec.ValidationError: The data does not fit the DTO.
        """
        backend = self._backend("data")
        return backend.to_handler_value(msgspec.convert(value, backend.annotation, strict=False))

    def decode_bytes(self, value: bytes) -> Any:
        """Decode and validate a JSON body, and make the handler's ``data`` of it.

        Raises:
            msgspec.ValidationError: The data does not fit the DTO.
            msgspec.DecodeError: ``value`` is not JSON.
        """
        backend = self._backend("data")
        return backend.to_handler_value(msgspec.json.decode(value, type=backend.annotation))

    def data_to_encodable_type(self, data: T | Collection[T]) -> Any:
        """Make the handler's return value encodable: the model's transferred fields, under their client names."""
        return self._backend("return").encode_data(data)

    # -- start-up ---------------------------------------------------------------------------------------------------

    @classmethod
    @abstractmethod
    def generate_field_definitions(cls, model_type: type[Any]) -> Generator[DTOFieldDefinition, None, None]:
        """Yield the fields of ``model_type``, each with its annotation, default and DTO settings."""

    @classmethod
    @abstractmethod
    def detect_nested_field(cls, field_definition: FieldDefinition) -> bool:
        """Whether a field's type is a model this DTO transfers as a nested model."""

    @classmethod
    def is_supported_model_type_field(cls, field_definition: FieldDefinition) -> bool:
        """Whether an annotation holds the DTO's model: the model, a collection of it or a generic wrapper of it."""
        model = getattr(cls, "model_type", None)
        if model is None:
            return False
        resolved = cls.resolve_model_type(field_definition)
        return resolved.is_subclass_of(model) or _resolve_wrapper(resolved, model) is not None

    @classmethod
    def create_for_field_definition(
        cls, field_definition: FieldDefinition, handler_id: str, backend_cls: type[DTOBackend] | None = None
    ) -> None:
        """Compile the DTO for a handler's ``data`` annotation (named ``"data"``) or return annotation.

        Raises:
            InvalidAnnotationException: The annotation does not hold the DTO's model.
        """
        if getattr(cls, "model_type", None) is None:
            raise InvalidAnnotationException(
                f"`{cls.__name__}` is not narrowed with a model: use `{cls.__name__}[Model]`, or a subclass of it."
            )
        key = "data" if field_definition.name == "data" else "return"
        cls._handler_backend_map[(handler_id, key)] = (backend_cls or DTOBackend)(cls, field_definition, handler_id)

    @classmethod
    def create_openapi_schema(cls, field_definition: FieldDefinition, handler_id: str, schema_creator: Any) -> Any:
        """The OpenAPI schema of the DTO's transfer type for a handler annotation (as ``schema_creator`` makes it)."""
        key = "data" if field_definition.name == "data" else "return"
        backend = cls._handler_backend_map.get((handler_id, key))
        if backend is None:
            backend = DTOBackend(cls, field_definition, handler_id)
        return schema_creator.for_field_definition(FieldDefinition.from_annotation(backend.annotation))

    @classmethod
    def get_config_for_model_type(cls, config: DTOConfig, model_type: type[Any]) -> DTOConfig:
        """The config of the DTO for ``model_type``: ``config`` (a library's DTO may merge its own settings in)."""
        return config

    @staticmethod
    def get_dto_config_from_annotated_type(field_definition: FieldDefinition) -> DTOConfig | None:
        """The ``DTOConfig`` in the ``Annotated`` metadata of the model (``DTO[Annotated[Model, DTOConfig()]]``)."""
        return next((item for item in field_definition.metadata if isinstance(item, DTOConfig)), None)

    @staticmethod
    def get_model_namespace(model_type: type[Any], namespace: dict[str, Any] | None = None) -> dict[str, Any]:
        """The names the model's annotations are resolved with: its module's, then ``namespace``."""
        return model_fields_namespace(model_type, namespace)

    @staticmethod
    def get_model_type_hints(
        model_type: type[Any], namespace: dict[str, Any] | None = None
    ) -> dict[str, FieldDefinition]:
        """The model's annotations, resolved and parsed, by field name.

        Raises:
            ImproperlyConfiguredException: An annotation names a type that is not defined.
        """
        try:
            # Type variables resolved: a field `spam: T` of `class Model(Base[Inner])` is an `Inner`.
            hints = FieldDefinition.from_annotation(model_type).get_type_hints(
                include_extras=True, resolve_generics=True, namespace=model_fields_namespace(model_type, namespace)
            )
        except NameError as exc:
            raise ImproperlyConfiguredException(
                f"The annotations of `{model_type.__qualname__}` cannot be resolved for its DTO: {exc}. Import the "
                "name in the model's module (not only under `TYPE_CHECKING`)."
            ) from exc
        return {name: FieldDefinition.from_annotation(hint, name=name) for name, hint in hints.items()}

    @classmethod
    def get_property_fields(cls, model_type: type[Any]) -> dict[str, FieldDefinition]:
        """The model's properties, by name, with their return annotation."""
        out: dict[str, FieldDefinition] = {}
        for name, member in inspect.getmembers(model_type, lambda value: isinstance(value, property)):
            hints = typing.get_type_hints(member.fget, include_extras=True) if member.fget is not None else {}
            out[name] = FieldDefinition.from_annotation(hints.get("return", Any), name=name)
        return out

    @classmethod
    def resolve_generic_wrapper_type(
        cls, field_definition: FieldDefinition
    ) -> tuple[FieldDefinition, FieldDefinition, str] | None:
        """The model's annotation in a generic wrapper, that of the attribute holding it, and the attribute's name.

        Wrappers are ``Response[Model]``, ``ClassicPagination[Model]`` and the like; ``None`` for another type.
        """
        found = _resolve_wrapper(field_definition, cls.model_type)
        if found is None:
            return None
        inner, name = found
        return cls.resolve_model_type(inner), inner, name

    @classmethod
    def resolve_model_type(cls, field_definition: FieldDefinition) -> FieldDefinition:
        """The annotation the model should be in (``Model`` of ``DTOData[Model]``, ``list[Model]``, ``Model | None``)."""
        return _resolve_model_type(field_definition)


def handler_key(handler: Any) -> str:
    """The key of a handler's compiled DTOs."""
    return f"{getattr(handler, 'handler_name', 'handler')}::{id(handler)}"
