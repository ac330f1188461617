"""pydantic models: serialization options, dependency injection and OpenAPI schemas (extra ``pydantic``).

outpour decodes, encodes and documents pydantic models without any plugin. ``PydanticPlugin`` adds the options of
``model_dump`` and ``model_validate``::

    app = Outpour([...], plugins=[PydanticPlugin(prefer_alias=True, exclude_none=True)])

It registers ``PydanticInitPlugin`` (the options), ``PydanticSchemaPlugin`` and ``PydanticDIPlugin`` (a model as a
dependency is built from the request's query parameters, by field). Pydantic DTOs are not supported yet:
``PydanticDTO`` raises when used.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Set
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException
from outpour.plugins._openapi import schema_object
from outpour.plugins.base import DIPlugin, InitPlugin, OpenAPISchemaPlugin

if TYPE_CHECKING:
    from outpour.config.app import AppConfig
    from outpour.openapi.spec import Schema

__all__ = [
    "PydanticDIPlugin",
    "PydanticDTO",
    "PydanticInitPlugin",
    "PydanticPlugin",
    "PydanticSchemaPlugin",
]

T = TypeVar("T")

PydanticV2FieldsListType: TypeAlias = "Set[int] | Set[str] | Mapping[int, Any] | Mapping[str, Any]"
"""What ``model_dump``'s ``include`` and ``exclude`` take."""


def _base_model() -> type[Any]:
    try:
        import pydantic
    except ModuleNotFoundError as exc:  # pragma: no cover - pydantic is installed with the test group
        raise MissingDependencyException("pydantic") from exc
    return pydantic.BaseModel


def _is_model(value: Any) -> bool:
    return inspect.isclass(value) and issubclass(value, _base_model())


class PydanticInitPlugin(InitPlugin):
    """Applies ``model_dump`` and ``model_validate`` options to every pydantic model the app sends or receives.

    With every option at its default, nothing is registered: outpour's own handling is the same.

    Args:
        exclude: Fields left out of responses.
        exclude_defaults: Leave out fields equal to their default.
        exclude_none: Leave out fields that are ``None``.
        exclude_unset: Leave out fields that were not set.
        include: The only fields sent.
        prefer_alias: Send fields under their alias.
        validate_strict: Validate request data in strict mode (no ``"1"`` for an ``int``).
        round_trip: Dump so that the output validates back (``Json`` fields as strings).
    """

    __slots__ = (
        "exclude",
        "exclude_defaults",
        "exclude_none",
        "exclude_unset",
        "include",
        "prefer_alias",
        "round_trip",
        "validate_strict",
    )

    def __init__(
        self,
        exclude: PydanticV2FieldsListType | None = None,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        exclude_unset: bool = False,
        include: PydanticV2FieldsListType | None = None,
        prefer_alias: bool = False,
        validate_strict: bool = False,
        round_trip: bool = False,
    ) -> None:
        self.exclude = exclude
        self.exclude_defaults = exclude_defaults
        self.exclude_none = exclude_none
        self.exclude_unset = exclude_unset
        self.include = include
        self.prefer_alias = prefer_alias
        self.validate_strict = validate_strict
        self.round_trip = round_trip

    def _dump_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {
            "exclude": self.exclude,
            "exclude_defaults": self.exclude_defaults,
            "exclude_none": self.exclude_none,
            "exclude_unset": self.exclude_unset,
            "include": self.include,
            "by_alias": self.prefer_alias,
            "round_trip": self.round_trip,
        }
        return {name: value for name, value in options.items() if value}

    @classmethod
    def encoders(
        cls,
        exclude: PydanticV2FieldsListType | None = None,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        exclude_unset: bool = False,
        include: PydanticV2FieldsListType | None = None,
        prefer_alias: bool = False,
        round_trip: bool = False,
    ) -> dict[Any, Callable[[Any], Any]]:
        """The ``type_encoders`` that send pydantic models with these ``model_dump`` options.

        An app sends models, secrets (masked) and URLs without them; they serve where a serializer is built by hand,
        as in ``get_serializer(PydanticInitPlugin.encoders(prefer_alias=True))``.

        Args:
            exclude: Fields left out.
            exclude_defaults: Leave out fields equal to their default.
            exclude_none: Leave out fields that are ``None``.
            exclude_unset: Leave out fields that were not set.
            include: The only fields sent.
            prefer_alias: Send fields under their alias.
            round_trip: Dump so that the output validates back.

        Returns:
            Encoders for ``BaseModel``, ``SecretStr`` and ``SecretBytes`` (``"**********"``, or ``""`` when empty) and
            ``AnyUrl`` (its text).
        """
        import pydantic

        dump_options = PydanticInitPlugin(
            exclude=exclude,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            exclude_unset=exclude_unset,
            include=include,
            prefer_alias=prefer_alias,
            round_trip=round_trip,
        )._dump_options()

        def dump(model: Any) -> Any:
            return model.model_dump(mode="json", **dump_options)

        def mask(secret: Any) -> str:
            return "**********" if secret.get_secret_value() else ""

        return {pydantic.BaseModel: dump, pydantic.SecretStr: mask, pydantic.SecretBytes: mask, pydantic.AnyUrl: str}

    @classmethod
    def decoders(cls, validate_strict: bool = False) -> list[tuple[Callable[[Any], bool], Callable[[Any, Any], Any]]]:
        """The ``type_decoders`` that build pydantic models with ``model_validate``.

        Args:
            validate_strict: Validate in strict mode (no ``"1"`` for an ``int``).

        Returns:
            One ``(predicate, decoder)`` pair for pydantic model classes.
        """

        def validate(target: Any, value: Any) -> Any:
            return target.model_validate(value, strict=validate_strict)

        return [(_is_model, validate)]

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Register the encoder and decoder of pydantic models that apply the options.

        A ``type_encoders`` entry for ``BaseModel`` given to the app wins over the plugin's.

        Args:
            app_config: The app's configuration.

        Returns:
            ``app_config``, with the encoder in ``type_encoders`` and the strict decoder in ``type_decoders``.
        """
        base = _base_model()
        options = self._dump_options()
        if options:

            def dump(model: Any) -> Any:
                return model.model_dump(mode="json", **options)

            app_config.type_encoders = {base: dump, **(app_config.type_encoders or {})}
        if self.validate_strict:

            def validate(target: Any, value: Any) -> Any:
                return target.model_validate(value, strict=True)

            app_config.type_decoders = [*(app_config.type_decoders or []), (_is_model, validate)]
        return app_config


class PydanticPlugin(PydanticInitPlugin):
    """Registers ``PydanticInitPlugin`` with these options, ``PydanticSchemaPlugin`` and ``PydanticDIPlugin``.

    Args:
        exclude: Fields left out of responses.
        exclude_defaults: Leave out fields equal to their default.
        exclude_none: Leave out fields that are ``None``.
        exclude_unset: Leave out fields that were not set.
        include: The only fields sent.
        prefer_alias: Send (and document) fields under their alias.
        validate_strict: Validate request data in strict mode.
        round_trip: Dump so that the output validates back.
    """

    __slots__ = ()

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Add the three pydantic plugins to the app's plugins; they run after this one.

        Args:
            app_config: The app's configuration.

        Returns:
            ``app_config``, with the plugins added.
        """
        app_config.plugins.extend(
            [
                PydanticInitPlugin(
                    exclude=self.exclude,
                    exclude_defaults=self.exclude_defaults,
                    exclude_none=self.exclude_none,
                    exclude_unset=self.exclude_unset,
                    include=self.include,
                    prefer_alias=self.prefer_alias,
                    validate_strict=self.validate_strict,
                    round_trip=self.round_trip,
                ),
                PydanticSchemaPlugin(prefer_alias=self.prefer_alias),
                PydanticDIPlugin(),
            ]
        )
        return app_config


class PydanticSchemaPlugin(OpenAPISchemaPlugin):
    """Documents pydantic models with pydantic's own JSON Schema.

    Args:
        prefer_alias: Name the properties by their alias.
    """

    __slots__ = ("prefer_alias",)

    def __init__(self, prefer_alias: bool = False) -> None:
        self.prefer_alias = prefer_alias

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        """Tell whether ``value`` is a pydantic model class.

        Args:
            value: A type.

        Returns:
            Whether it is.
        """
        return _is_model(value)

    def to_openapi_schema(self, field_definition: Any, schema_creator: Any) -> Schema:
        """Return the model's schema, as pydantic writes it (validation mode).

        Args:
            field_definition: The model class, or an object whose ``annotation`` is the class.
            schema_creator: Unused: pydantic documents its nested models itself.

        Returns:
            The schema.
        """
        model = getattr(field_definition, "annotation", field_definition)
        return schema_object(model.model_json_schema(by_alias=self.prefer_alias))


class PydanticDIPlugin(DIPlugin):
    """Gives the signature of pydantic models used as dependencies: one keyword parameter per field."""

    __slots__ = ()

    def has_typed_init(self, type_: Any) -> bool:
        """Tell whether ``type_`` is a pydantic model class.

        Args:
            type_: A class used as a dependency.

        Returns:
            Whether it is.
        """
        return _is_model(type_)

    def get_typed_init(self, type_: Any) -> tuple[inspect.Signature, dict[str, Any]]:
        """Return the model's signature (its fields, by alias when pydantic uses it) and their annotations.

        Args:
            type_: A pydantic model class.

        Returns:
            The signature and the annotations by parameter name.
        """
        signature = inspect.signature(type_)
        return signature, {name: param.annotation for name, param in signature.parameters.items()}


class PydanticDTO(Generic[T]):
    """A DTO for pydantic models; pydantic DTOs are not supported yet, so using one raises.

    Raises:
        ImproperlyConfiguredException: On ``PydanticDTO[Model]`` or ``PydanticDTO()``.
    """

    _MESSAGE = (
        "Pydantic DTOs are not supported yet: `PydanticDTO` cannot be used. Annotate `data` and the return type with "
        "the model itself (outpour validates and serializes pydantic models without a DTO), or use `DataclassDTO` / "
        "`MsgspecDTO` from `outpour.dto` with a dataclass or msgspec Struct."
    )

    def __class_getitem__(cls, item: Any) -> Any:
        raise ImproperlyConfiguredException(cls._MESSAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise ImproperlyConfiguredException(self._MESSAGE)
