"""``FieldDefinition``: an annotation parsed once into what the framework and plugins ask of it.

Built when the app is created (never per request), it is a frozen, slotted dataclass: ``raw`` is the annotation as
written; ``annotation`` is the type without ``Annotated``, ``Required``/``NotRequired`` and type aliases; ``origin``,
``args`` and ``inner_types`` describe its generic form, each argument parsed in turn.
"""

from __future__ import annotations

import collections.abc as abc
import dataclasses
import inspect
import typing
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ForwardRef, Literal, NewType, NotRequired, Required, TypeVar, cast, get_args, get_origin

import typing_extensions

from outpour._annotations import (
    TYPE_ALIAS_TYPES,
    UNION_ORIGINS,
    NoneType,
    instantiable_origin,
    is_type_alias,
    resolve_type_vars,
    safe_generic_origin,
    unwrap,
)
from outpour.exceptions import ImproperlyConfiguredException
from outpour.params import DependencyKwarg, KwargDefinition, ParameterKwarg
from outpour.types import Empty

__all__ = ["FieldDefinition"]

T = TypeVar("T")

_KWARG_TYPES = (KwargDefinition, DependencyKwarg)
_REQUIRED = (Required, typing_extensions.Required)
_NOT_REQUIRED = (NotRequired, typing_extensions.NotRequired)
_STRINGS = (str, bytes)
_GENERIC = cast("type[Any]", typing.Generic)


def _is_class_subclass(annotation: Any, cl: type[Any] | tuple[type[Any], ...]) -> bool:
    """Whether ``annotation`` (a ``NewType`` counting as its supertype) is a class and a subclass of ``cl``."""
    while isinstance(annotation, NewType):
        annotation = annotation.__supertype__
    annotation = get_origin(annotation) or annotation
    try:
        return inspect.isclass(annotation) and issubclass(annotation, cl)
    except TypeError:  # a class whose metaclass refuses ``issubclass`` (a ``TypedDict``, say)
        return False


@dataclass(frozen=True, slots=True)
class FieldDefinition:
    """A type annotation, or a function parameter with its annotation, default and parameter options, parsed.

    Build one with ``from_annotation``, ``from_kwarg`` or ``from_parameter``; the constructor takes every attribute.
    Plugins receive one (``SerializationPlugin.supports_type``, ``OpenAPISchemaPlugin.to_openapi_schema``).

    Args:
        raw: The annotation as written.
        annotation: ``raw`` without ``Annotated``, ``Required``/``NotRequired``/``ReadOnly`` and type aliases.
        type_wrappers: The wrappers removed from ``raw``, in the order met.
        origin: ``get_origin(annotation)``: ``list`` for ``list[int]``, ``Union`` for ``Optional[int]``, else ``None``.
        args: ``get_args(annotation)``: ``(int,)`` for ``list[int]``; ``()`` for a ``Callable``.
        metadata: The ``Annotated`` metadata, in order.
        instantiable_origin: A class to build values of ``origin`` with (``list`` for ``Sequence``).
        safe_generic_origin: A form of ``origin`` that can be subscripted with other arguments (``Union`` for
            ``X | Y``).
        inner_types: Each of ``args`` parsed as a ``FieldDefinition``.
        default: The default value, ``Empty`` when there is none.
        extra: Free-form values attached by whoever builds it.
        kwarg_definition: The parameter's options: a ``KwargDefinition`` (``QueryParameter(...)``, ``Body(...)``)
            or a ``DependencyKwarg``, from the ``Annotated`` metadata or the default; ``None`` when there are none.
        name: The parameter's name, ``""`` for a bare annotation.
    """

    raw: Any
    annotation: Any
    type_wrappers: tuple[Any, ...]
    origin: Any
    args: tuple[Any, ...]
    metadata: tuple[Any, ...]
    instantiable_origin: Any
    safe_generic_origin: Any
    inner_types: tuple[FieldDefinition, ...]
    default: Any
    extra: dict[str, Any]
    kwarg_definition: KwargDefinition | DependencyKwarg | None
    name: str

    def __hash__(self) -> int:
        try:
            return hash((self.name, self.raw))
        except TypeError:  # unhashable ``Annotated`` metadata
            return hash(self.name)

    @classmethod
    def from_annotation(cls, annotation: Any, **kwargs: Any) -> FieldDefinition:
        """Parse an annotation.

        Args:
            annotation: The annotation; ``Empty`` (none given) is read as ``Any``.
            **kwargs: Attributes to set instead of the parsed ones: ``name``, ``default``, ``kwarg_definition``,
                ``extra``, ``inner_types``, ... A ``KwargDefinition`` or ``DependencyKwarg`` given as ``default``
                (``limit: int = Parameter(gt=0)``) becomes ``kwarg_definition``.

        Returns:
            The parsed annotation.

        Raises:
            TypeError: A keyword is not an attribute that can be set.
        """
        if unknown := kwargs.keys() - _SETTABLE:
            raise TypeError(
                f"`FieldDefinition.from_annotation()` got unknown keywords {sorted(unknown)}; "
                f"it takes {sorted(_SETTABLE)}."
            )
        return cls._parse(annotation, frozenset(), kwargs)

    @classmethod
    def _parse(cls, raw: Any, seen_aliases: frozenset[Any], given: dict[str, Any]) -> FieldDefinition:
        annotation, metadata, wrappers, seen_aliases = unwrap(Any if raw is Empty else raw, seen_aliases)
        origin = get_origin(annotation)
        # ``Callable[[int], str]`` has a list of types among its arguments, which is no annotation.
        args = () if origin is abc.Callable else get_args(annotation)
        default = given.get("default", Empty)
        kwarg_definition = given.get("kwarg_definition")
        if kwarg_definition is None:
            if isinstance(default, _KWARG_TYPES):
                kwarg_definition, default = default, Empty
            else:
                kwarg_definition = next((item for item in metadata if isinstance(item, _KWARG_TYPES)), None)
        if default is Empty and isinstance(kwarg_definition, DependencyKwarg):
            default = kwarg_definition.default
        inner_types = given.get("inner_types")
        if inner_types is None:
            inner_types = tuple(cls._parse(arg, seen_aliases, {}) for arg in args)
        parsed: dict[str, Any] = {
            "type_wrappers": wrappers,
            "origin": origin,
            "args": args,
            "metadata": metadata,
            "instantiable_origin": instantiable_origin(origin),
            "safe_generic_origin": safe_generic_origin(origin),
            "extra": {},
            "name": "",
        }
        parsed.update(given)
        parsed.update(inner_types=inner_types, default=default, kwarg_definition=kwarg_definition)
        return cls(raw=raw, annotation=annotation, **parsed)

    @classmethod
    def from_kwarg(
        cls,
        annotation: Any,
        name: str,
        default: Any = Empty,
        inner_types: tuple[FieldDefinition, ...] | None = None,
        kwarg_definition: KwargDefinition | DependencyKwarg | None = None,
        extra: dict[str, Any] | None = None,
    ) -> FieldDefinition:
        """Parse the annotation of a named field or parameter.

        Args:
            annotation: The annotation.
            name: The field's name.
            default: Its default, ``Empty`` for none.
            inner_types: The parsed arguments, when already known; parsed from ``annotation`` otherwise.
            kwarg_definition: Its parameter options; found in the metadata or the default when not given.
            extra: Free-form values to attach.

        Returns:
            The parsed field.
        """
        given: dict[str, Any] = {"name": name, "default": default, "extra": {} if extra is None else extra}
        if inner_types is not None:
            given["inner_types"] = inner_types
        if kwarg_definition is not None:
            given["kwarg_definition"] = kwarg_definition
        return cls._parse(annotation, frozenset(), given)

    @classmethod
    def from_parameter(cls, parameter: inspect.Parameter, fn_type_hints: dict[str, Any]) -> FieldDefinition:
        """Parse a function parameter.

        Args:
            parameter: The parameter, from ``inspect.signature``.
            fn_type_hints: The function's resolved annotations (``typing.get_type_hints(fn, include_extras=True)``),
                so that forward references and string annotations are types.

        Returns:
            The parsed parameter, named after it, with its default.

        Raises:
            ImproperlyConfiguredException: The parameter has no annotation.
        """
        annotation = fn_type_hints.get(parameter.name, parameter.annotation)
        if annotation is inspect.Parameter.empty:
            raise ImproperlyConfiguredException(
                f"Parameter `{parameter.name}` has no type annotation. Annotate it; use `{parameter.name}: Any` "
                "to accept any value."
            )
        default = Empty if parameter.default is inspect.Parameter.empty else parameter.default
        return cls.from_kwarg(annotation, parameter.name, default=default)

    @property
    def type_(self) -> Any:
        """The type without its arguments: ``origin`` when there is one (``list`` for ``list[int]``), else ``annotation``."""
        return self.origin if self.origin is not None else self.annotation

    @property
    def has_default(self) -> bool:
        """Whether a default is set (neither ``Empty`` nor ``...``)."""
        return self.default is not Empty and self.default is not Ellipsis

    @property
    def is_annotated(self) -> bool:
        """Whether ``raw`` was ``Annotated[...]``."""
        return typing.Annotated in self.type_wrappers

    @property
    def is_any(self) -> bool:
        """Whether the type is ``Any``, or a union with ``Any`` among its members."""
        if self.annotation is Any:
            return True
        return self.is_union and any(arg is Any for arg in self.args)

    @property
    def is_union(self) -> bool:
        """Whether the type is a union: ``Union[X, Y]``, ``Optional[X]`` or ``X | Y``."""
        return self.origin in UNION_ORIGINS

    @property
    def is_optional(self) -> bool:
        """Whether the type is a union with ``None`` among its members (``Optional[X]``, ``X | None``)."""
        return self.is_union and NoneType in self.args

    @property
    def is_none_type(self) -> bool:
        """Whether the type is ``None``."""
        return self.annotation is None or self.annotation is NoneType

    @property
    def is_literal(self) -> bool:
        """Whether the type is ``Literal[...]``."""
        return self.origin is Literal

    @property
    def is_forward_ref(self) -> bool:
        """Whether the type is an unresolved forward reference: a string or a ``ForwardRef``."""
        return isinstance(self.annotation, str | ForwardRef)

    @property
    def is_type_var(self) -> bool:
        """Whether the type is a ``TypeVar``."""
        return isinstance(self.annotation, TypeVar)

    @property
    def is_new_type(self) -> bool:
        """Whether the type is a ``NewType`` (``UserId = NewType("UserId", int)``)."""
        return isinstance(self.annotation, NewType)

    @property
    def is_type_alias_type(self) -> bool:
        """Whether ``raw`` names a ``TypeAliasType`` (``type X = ...`` or ``TypeAliasType("X", ...)``).

        Aliases are unwrapped into ``annotation``; a recursive alias is left as it is where it recurs.
        """
        return any(wrapper in TYPE_ALIAS_TYPES for wrapper in self.type_wrappers) or is_type_alias(self.type_)

    @property
    def is_generic(self) -> bool:
        """Whether the type is a user class that extends ``Generic`` (``Page[int]``, or ``Page`` itself)."""
        return _is_class_subclass(self.type_, _GENERIC)

    @property
    def is_dataclass_type(self) -> bool:
        """Whether the type is a dataclass (parametrized or not)."""
        return inspect.isclass(self.type_) and dataclasses.is_dataclass(self.type_)

    @property
    def is_typeddict_type(self) -> bool:
        """Whether the type is a ``TypedDict`` (parametrized or not)."""
        return typing_extensions.is_typeddict(self.type_)

    @property
    def is_enum(self) -> bool:
        """Whether the type is an ``Enum`` subclass."""
        return self.is_subclass_of(Enum)

    @property
    def is_tuple(self) -> bool:
        """Whether the type is ``tuple`` or a subclass (``tuple[int, ...]``, a ``NamedTuple``)."""
        return self.is_subclass_of(tuple)

    @property
    def is_mapping(self) -> bool:
        """Whether the type is a ``Mapping`` (``dict[str, int]``, ``Mapping[str, Any]``, a ``TypedDict`` class...)."""
        return self.is_subclass_of(Mapping)

    @property
    def is_collection(self) -> bool:
        """Whether the type is a ``Collection`` (``str`` included)."""
        return self.is_subclass_of(Collection)

    @property
    def is_non_string_collection(self) -> bool:
        """Whether the type is a ``Collection`` other than ``str`` and ``bytes``; of a union, all its members."""
        return self._is_non_string(Collection, self.inner_types if self.is_union else (self,))

    @property
    def is_non_string_iterable(self) -> bool:
        """Whether the type is an ``Iterable`` other than ``str`` and ``bytes``; of a union, its non-``None`` members."""
        return self._is_non_string(Iterable, self._non_none_members())

    @property
    def is_non_string_sequence(self) -> bool:
        """Whether the type is a ``Sequence`` other than ``str`` and ``bytes``; of a union, its non-``None`` members."""
        return self._is_non_string(Sequence, self._non_none_members())

    @property
    def is_simple_type(self) -> bool:
        """Whether the type is a single value (``int``, ``str``, a model): no union, container or user generic."""
        return not (
            self.is_generic or self.is_optional or self.is_union or self.is_mapping or self.is_non_string_iterable
        )

    @property
    def is_required(self) -> bool:
        """Whether a value must be given.

        In order: ``required=`` of a parameter's options when set; ``NotRequired[...]`` (not required) and
        ``Required[...]`` (required); otherwise when the type is neither optional nor ``Any`` and there is no
        default.
        """
        if isinstance(self.kwarg_definition, ParameterKwarg) and self.kwarg_definition.required is not None:
            return self.kwarg_definition.required
        if any(wrapper in _NOT_REQUIRED for wrapper in self.type_wrappers):
            return False
        if any(wrapper in _REQUIRED for wrapper in self.type_wrappers):
            return True
        return not self.is_optional and not self.is_any and not self.has_default

    @property
    def is_const(self) -> bool:
        """Whether the parameter's options set ``const=True`` (the value must equal the default)."""
        return isinstance(self.kwarg_definition, KwargDefinition) and bool(self.kwarg_definition.const)

    @property
    def is_di_field(self) -> bool:
        """Whether the field is a dependency (``NamedDependency[T]``, ``= Dependency(...)``)."""
        return isinstance(self.kwarg_definition, DependencyKwarg)

    @property
    def is_parameter_field(self) -> bool:
        """Whether the field is a path, query, header or cookie parameter with options (``FromQuery[int]``...)."""
        return isinstance(self.kwarg_definition, ParameterKwarg)

    @property
    def is_non_marker_parameter_field(self) -> bool:
        """Whether the field is a parameter whose options declare more than where it comes from (``gt=0``, ``name=``)."""
        return isinstance(self.kwarg_definition, ParameterKwarg) and not self.kwarg_definition.is_marker

    @property
    def bound_types(self) -> tuple[FieldDefinition, ...] | None:
        """For a ``TypeVar``, its bound (each member of a union bound) or its constraints; else ``None``."""
        if not self.is_type_var:
            return None
        bound = self.annotation.__bound__
        if bound is None:
            members = self.annotation.__constraints__
        else:
            members = get_args(bound) if get_origin(bound) in UNION_ORIGINS else (bound,)
        return tuple(FieldDefinition.from_annotation(member) for member in members) or None

    @property
    def generic_types(self) -> tuple[FieldDefinition, ...] | None:
        """For a user generic, its arguments (``Page[int]``) or its type variables (``Page``); else ``None``."""
        if not self.is_generic:
            return None
        if self.inner_types:
            return self.inner_types
        return tuple(FieldDefinition.from_annotation(p) for p in getattr(self.annotation, "__parameters__", ()))

    def is_subclass_of(self, cl: type[Any] | tuple[type[Any], ...]) -> bool:
        """Whether the type is a subclass of ``cl``; a union when all its members are.

        A ``NewType`` counts as its supertype, a ``TypeVar`` as its bound (or any of its constraints); ``Any``,
        ``Literal`` and forward references are subclasses of nothing.

        Args:
            cl: A class, or a tuple of classes.

        Returns:
            Whether it is.
        """
        if self.is_union:
            return all(inner.is_subclass_of(cl) for inner in self.inner_types)
        if self.is_type_var:
            return any(bound.is_subclass_of(cl) for bound in self.bound_types or ())
        return self.annotation is not Any and _is_class_subclass(self.type_, cl)

    def has_inner_subclass_of(self, cl: type[Any] | tuple[type[Any], ...]) -> bool:
        """Whether any of the type's arguments is a subclass of ``cl`` (``Optional[int]`` for ``int``).

        Args:
            cl: A class, or a tuple of classes.

        Returns:
            Whether one is.
        """
        return any(inner.is_subclass_of(cl) for inner in self.inner_types)

    def has_metadata(self, type_: Any) -> bool:
        """Whether the ``Annotated`` metadata holds ``type_``.

        Args:
            type_: A class (an instance of it, or the class itself, is looked for) or a value (compared with ``==``).

        Returns:
            Whether it does.
        """
        if inspect.isclass(type_):
            return any(item is type_ or isinstance(item, type_) for item in self.metadata)
        return type_ in self.metadata

    def get_from_metadata(self, type_: type[T]) -> T | None:
        """Return the first ``Annotated`` metadata item that is an instance of ``type_``.

        Args:
            type_: The class looked for.

        Returns:
            The item, or ``None`` when there is none.
        """
        return next((item for item in self.metadata if isinstance(item, type_)), None)

    def match_predicate_recursively(self, predicate: Callable[[FieldDefinition], bool]) -> bool:
        """Whether ``predicate`` holds for the field or for any of its inner types, at any depth.

        Args:
            predicate: A test of a ``FieldDefinition``.

        Returns:
            Whether it holds somewhere.
        """
        return predicate(self) or any(inner.match_predicate_recursively(predicate) for inner in self.inner_types)

    def get_type_hints(
        self, *, include_extras: bool = False, resolve_generics: bool = False, namespace: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Return the resolved annotations of the type (a class's fields, say), forward references included.

        Args:
            include_extras: Keep ``Annotated[...]`` around the hints.
            resolve_generics: Replace type variables by the type's arguments (``items: list[T]`` of ``Page[int]``
                becomes ``list[int]``), through generic base classes too.
            namespace: Names to resolve forward references with, besides the type's module.

        Returns:
            The annotations by name.
        """
        hints = typing.get_type_hints(self.type_, localns=namespace, include_extras=include_extras)
        if resolve_generics and inspect.isclass(self.type_):
            return resolve_type_vars(self.type_, self.args, hints)
        return hints

    @staticmethod
    def _is_non_string(cl: type[Any], members: tuple[FieldDefinition, ...]) -> bool:
        return bool(members) and all(m.is_subclass_of(cl) and not m.is_subclass_of(_STRINGS) for m in members)

    def _non_none_members(self) -> tuple[FieldDefinition, ...]:
        if self.is_union:
            return tuple(inner for inner in self.inner_types if not inner.is_none_type)
        return (self,)


_SETTABLE = frozenset(f.name for f in dataclasses.fields(FieldDefinition)) - {"raw", "annotation"}
