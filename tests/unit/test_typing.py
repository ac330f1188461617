from __future__ import annotations

import collections.abc as abc
import dataclasses
import enum
import inspect
import sys
import types
import typing
from typing import (
    Annotated,
    Any,
    ForwardRef,
    Generic,
    Literal,
    NamedTuple,
    NewType,
    NotRequired,
    Optional,
    Required,
    TypedDict,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

import pytest
import typing_extensions
from hypothesis import given, settings
from hypothesis import strategies as st

from outpour.di import NamedDependency
from outpour.exceptions import ImproperlyConfiguredException
from outpour.params import (
    Body,
    BodyKwarg,
    Dependency,
    DependencyKwarg,
    FromQuery,
    HeaderParameter,
    Parameter,
    ParameterKwarg,
    QueryParameter,
)
from outpour.types import Empty
from outpour.typing import FieldDefinition

NoneType = type(None)
T = TypeVar("T")
Bound = TypeVar("Bound", bound=int)
Constrained = TypeVar("Constrained", str, bytes)
UserId = NewType("UserId", int)
IntList = typing_extensions.TypeAliasType("IntList", list[int])
MaybeTagged = typing_extensions.TypeAliasType("MaybeTagged", Annotated[str | None, "tag"])
Pair = typing_extensions.TypeAliasType("Pair", tuple[T, T], type_params=(T,))


class Color(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Point:
    x: int


class Movie(TypedDict):
    title: str
    year: NotRequired[int]


class Page(Generic[T]):
    items: list[T]
    total: int


class IntPage(Page[int]):
    pass


class Row(NamedTuple):
    a: int


LIST_OF_T = typing.get_type_hints(Page)["items"]


BOOLEAN_PROPERTIES = (
    "has_default",
    "is_annotated",
    "is_any",
    "is_collection",
    "is_const",
    "is_dataclass_type",
    "is_di_field",
    "is_enum",
    "is_forward_ref",
    "is_generic",
    "is_literal",
    "is_mapping",
    "is_new_type",
    "is_non_marker_parameter_field",
    "is_non_string_collection",
    "is_non_string_iterable",
    "is_non_string_sequence",
    "is_none_type",
    "is_optional",
    "is_parameter_field",
    "is_required",
    "is_simple_type",
    "is_tuple",
    "is_type_alias_type",
    "is_type_var",
    "is_typeddict_type",
    "is_union",
)
_SEQUENCE = {"is_collection", "is_non_string_collection", "is_non_string_iterable", "is_non_string_sequence"}
_SET = {"is_collection", "is_non_string_collection", "is_non_string_iterable"}
_MAPPING = {"is_mapping", *_SET}
_SIMPLE = {"is_required", "is_simple_type"}


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        pytest.param(int, _SIMPLE, id="int"),
        pytest.param(str, {*_SIMPLE, "is_collection"}, id="str"),
        pytest.param(bytes, {*_SIMPLE, "is_collection"}, id="bytes"),
        pytest.param(None, {*_SIMPLE, "is_none_type"}, id="None"),
        pytest.param(NoneType, {*_SIMPLE, "is_none_type"}, id="NoneType"),
        pytest.param(Any, {"is_any", "is_simple_type"}, id="Any"),
        pytest.param(Empty, {"is_any", "is_simple_type"}, id="no-annotation"),
        pytest.param(Optional[int], {"is_optional", "is_union"}, id="Optional"),  # noqa: UP045
        pytest.param(int | None, {"is_optional", "is_union"}, id="pipe-None"),
        pytest.param(Union[int, str], {"is_union", "is_required"}, id="Union"),  # noqa: UP007
        pytest.param(Union[int, Any], {"is_union", "is_any"}, id="Union-Any"),  # noqa: UP007
        pytest.param(list[int], {*_SEQUENCE, "is_required"}, id="list"),
        pytest.param(typing.List[int], {*_SEQUENCE, "is_required"}, id="typing.List"),  # noqa: UP006
        pytest.param(abc.Sequence[int], {*_SEQUENCE, "is_required"}, id="abc.Sequence"),
        pytest.param(typing.Sequence[int], {*_SEQUENCE, "is_required"}, id="typing.Sequence"),
        pytest.param(tuple[int, ...], {*_SEQUENCE, "is_tuple", "is_required"}, id="tuple"),
        pytest.param(Row, {*_SEQUENCE, "is_tuple", "is_required"}, id="NamedTuple"),
        pytest.param(set[int], {*_SET, "is_required"}, id="set"),
        pytest.param(frozenset[str], {*_SET, "is_required"}, id="frozenset"),
        pytest.param(abc.Iterable[int], {"is_non_string_iterable", "is_required"}, id="Iterable"),
        pytest.param(dict[str, int], {*_MAPPING, "is_required"}, id="dict"),
        pytest.param(typing.Dict[str, int], {*_MAPPING, "is_required"}, id="typing.Dict"),  # noqa: UP006
        pytest.param(abc.Mapping[str, int], {*_MAPPING, "is_required"}, id="Mapping"),
        pytest.param(Movie, {*_MAPPING, "is_typeddict_type", "is_required"}, id="TypedDict"),
        pytest.param(Optional[list[int]], {"is_optional", "is_union", "is_non_string_iterable", "is_non_string_sequence"}, id="Optional-list"),  # noqa: UP045
        pytest.param(list[int] | set[int], {*_SET, "is_union", "is_required"}, id="union-of-iterables"),
        pytest.param(list[int] | str, {"is_union", "is_collection", "is_required"}, id="union-with-str"),
        pytest.param(list[int] | None, {"is_union", "is_optional", "is_non_string_iterable", "is_non_string_sequence"}, id="list-or-None"),
        pytest.param(Literal["a", "b"], {*_SIMPLE, "is_literal"}, id="Literal"),
        pytest.param(Annotated[int, "meta"], {*_SIMPLE, "is_annotated"}, id="Annotated"),
        pytest.param(Annotated[int, QueryParameter(gt=0)], {*_SIMPLE, "is_annotated", "is_parameter_field", "is_non_marker_parameter_field"}, id="QueryParameter-options"),
        pytest.param(Annotated[int, QueryParameter(const=True)], {*_SIMPLE, "is_annotated", "is_parameter_field", "is_non_marker_parameter_field", "is_const"}, id="const"),
        pytest.param(Annotated[int | None, QueryParameter(required=True)], {"is_optional", "is_union", "is_annotated", "is_parameter_field", "is_non_marker_parameter_field", "is_required"}, id="required-option"),
        pytest.param(Annotated[int, HeaderParameter(required=False)], {"is_simple_type", "is_annotated", "is_parameter_field", "is_non_marker_parameter_field"}, id="not-required-option"),
        pytest.param(FromQuery[int], {*_SIMPLE, "is_annotated", "is_parameter_field"}, id="FromQuery"),
        pytest.param(Annotated[bytes, Body()], {*_SIMPLE, "is_annotated", "is_collection"}, id="Body"),
        pytest.param(NamedDependency[int], {*_SIMPLE, "is_annotated", "is_di_field"}, id="NamedDependency"),
        pytest.param(Required[int], _SIMPLE, id="Required"),
        pytest.param(Required[int | None], {"is_optional", "is_union", "is_required"}, id="Required-Optional"),
        pytest.param(NotRequired[int], {"is_simple_type"}, id="NotRequired"),
        pytest.param(NotRequired[Annotated[int, 1]], {"is_simple_type", "is_annotated"}, id="NotRequired-Annotated"),
        pytest.param("Point", {*_SIMPLE, "is_forward_ref"}, id="str-forward-ref"),
        pytest.param(ForwardRef("Point"), {*_SIMPLE, "is_forward_ref"}, id="ForwardRef"),
        pytest.param(T, {*_SIMPLE, "is_type_var"}, id="TypeVar"),
        pytest.param(UserId, {*_SIMPLE, "is_new_type"}, id="NewType"),
        pytest.param(Color, {*_SIMPLE, "is_enum"}, id="Enum"),
        pytest.param(Point, {*_SIMPLE, "is_dataclass_type"}, id="dataclass"),
        pytest.param(Page[int], {"is_generic", "is_required"}, id="Generic-parametrized"),
        pytest.param(Page, {"is_generic", "is_required"}, id="Generic-bare"),
        pytest.param(IntList, {*_SEQUENCE, "is_type_alias_type", "is_required"}, id="TypeAliasType"),
        pytest.param(MaybeTagged, {"is_optional", "is_union", "is_annotated", "is_type_alias_type"}, id="alias-Annotated"),
        pytest.param(typing.Callable[[int], str], _SIMPLE, id="Callable"),
    ],
)  # fmt: skip
def test_boolean_properties(annotation: Any, expected: set[str]) -> None:
    """Each property listed is true and every other one false."""
    definition = FieldDefinition.from_annotation(annotation)
    assert {name for name in BOOLEAN_PROPERTIES if getattr(definition, name)} == expected


@pytest.mark.parametrize(
    ("annotation", "bare", "origin", "args", "instantiable", "safe"),
    [
        pytest.param(int, int, None, (), None, None, id="int"),
        pytest.param(list[int], list[int], list, (int,), list, list, id="list"),
        pytest.param(typing.List[int], typing.List[int], list, (int,), list, list, id="typing.List"),  # noqa: UP006
        pytest.param(abc.Sequence[int], abc.Sequence[int], abc.Sequence, (int,), list, abc.Sequence, id="Sequence"),
        pytest.param(typing.Sequence[int], typing.Sequence[int], abc.Sequence, (int,), list, abc.Sequence, id="typing.Sequence"),
        pytest.param(abc.MutableSequence[int], abc.MutableSequence[int], abc.MutableSequence, (int,), list, abc.MutableSequence, id="MutableSequence"),
        pytest.param(abc.Collection[int], abc.Collection[int], abc.Collection, (int,), list, abc.Collection, id="Collection"),
        pytest.param(abc.Set[int], abc.Set[int], abc.Set, (int,), set, abc.Set, id="Set"),
        pytest.param(abc.MutableMapping[str, int], abc.MutableMapping[str, int], abc.MutableMapping, (str, int), dict, abc.MutableMapping, id="MutableMapping"),
        pytest.param(typing.Mapping[str, int], typing.Mapping[str, int], abc.Mapping, (str, int), dict, abc.Mapping, id="typing.Mapping"),
        pytest.param(Optional[int], Optional[int], Union, (int, NoneType), Union, Union, id="Optional"),  # noqa: UP045
        pytest.param(int | str, int | str, types.UnionType, (int, str), types.UnionType, Union, id="pipe-union"),
        pytest.param(tuple[int, ...], tuple[int, ...], tuple, (int, ...), tuple, tuple, id="tuple"),
        pytest.param(Literal[1, "a"], Literal[1, "a"], Literal, (1, "a"), Literal, Literal, id="Literal"),
        pytest.param(typing.Callable[[int], str], typing.Callable[[int], str], abc.Callable, (), abc.Callable, abc.Callable, id="Callable"),
        pytest.param(Annotated[list[int], "m"], list[int], list, (int,), list, list, id="Annotated"),
        pytest.param(Page[int], Page[int], Page, (int,), Page, Page, id="Generic"),
        pytest.param(IntList, list[int], list, (int,), list, list, id="TypeAliasType"),
        pytest.param(Pair[str], tuple[str, str], tuple, (str, str), tuple, tuple, id="generic-TypeAliasType"),
    ],
)  # fmt: skip
def test_origins(annotation: Any, bare: Any, origin: Any, args: tuple[Any, ...], instantiable: Any, safe: Any) -> None:
    definition = FieldDefinition.from_annotation(annotation)
    assert definition.raw is annotation
    assert (definition.annotation, definition.origin, definition.args) == (bare, origin, args)
    assert (definition.instantiable_origin, definition.safe_generic_origin) == (instantiable, safe)
    assert definition.type_ == (bare if origin is None else origin)
    assert [inner.raw for inner in definition.inner_types] == list(args)


@pytest.mark.parametrize(
    ("annotation", "bare", "metadata", "wrappers"),
    [
        pytest.param(Annotated[int, "a", 1], int, ("a", 1), (Annotated,), id="Annotated"),
        pytest.param(Annotated[Annotated[int, "a"], "b"], int, ("a", "b"), (Annotated,), id="nested-flattened"),
        pytest.param(Required[Annotated[int, "a"]], int, ("a",), (Required, Annotated), id="Required-outside"),
        pytest.param(Annotated[NotRequired[int], "a"], int, ("a",), (Annotated, NotRequired), id="NotRequired-inside"),
        pytest.param(typing_extensions.ReadOnly[int], int, (), (typing_extensions.ReadOnly,), id="ReadOnly"),
        pytest.param(Optional[Annotated[int, "a"]], Optional[Annotated[int, "a"]], (), (), id="inside-union-stays"),  # noqa: UP045
        pytest.param(MaybeTagged, str | None, ("tag",), (typing_extensions.TypeAliasType, Annotated), id="alias"),
    ],
)
def test_unwrapping_collects_metadata_and_wrappers(
    annotation: Any, bare: Any, metadata: tuple[Any, ...], wrappers: tuple[Any, ...]
) -> None:
    definition = FieldDefinition.from_annotation(annotation)
    assert (definition.raw, definition.annotation) == (annotation, bare)
    assert (definition.metadata, definition.type_wrappers) == (metadata, wrappers)


def test_optional_inner_keeps_its_metadata() -> None:
    definition = FieldDefinition.from_annotation(Optional[FromQuery[int]])  # noqa: UP045
    assert definition.kwarg_definition is None
    assert definition.inner_types[0].kwarg_definition == QueryParameter()
    assert definition.inner_types[0].annotation is int
    assert definition.has_inner_subclass_of(int)


def test_kwarg_definition_from_metadata_stays_in_metadata() -> None:
    option = QueryParameter(gt=1)
    definition = FieldDefinition.from_annotation(Annotated[int, "doc", option])
    assert definition.kwarg_definition is option
    assert definition.get_from_metadata(QueryParameter) is option
    assert definition.get_from_metadata(BodyKwarg) is None
    assert definition.has_metadata(ParameterKwarg)
    assert definition.has_metadata("doc")
    assert not definition.has_metadata("other")
    assert not definition.has_metadata(BodyKwarg)


def test_has_metadata_finds_a_class_given_as_metadata() -> None:
    assert FieldDefinition.from_annotation(Annotated[int, Point]).has_metadata(Point)


def test_kwarg_definition_given_as_default_moves_out_of_default() -> None:
    definition = FieldDefinition.from_kwarg(int, "limit", default=Parameter(gt=0, query="max"))
    assert definition.kwarg_definition == ParameterKwarg(gt=0, query="max")
    assert (definition.default, definition.has_default, definition.name) == (Empty, False, "limit")
    assert definition.is_required


@pytest.mark.parametrize(
    ("annotation", "default", "expected"),
    [
        pytest.param(int, Dependency(default=3), 3, id="default-Dependency"),
        pytest.param(Annotated[int, DependencyKwarg(default=4)], Empty, 4, id="metadata-Dependency"),
        pytest.param(Annotated[int, DependencyKwarg(default=4)], 5, 5, id="signature-default-wins"),
    ],
)
def test_dependency_default_becomes_the_default(annotation: Any, default: Any, expected: Any) -> None:
    definition = FieldDefinition.from_kwarg(annotation, "db", default=default)
    assert definition.is_di_field
    assert (definition.default, definition.has_default, definition.is_required) == (expected, True, False)


def test_explicit_kwarg_definition_wins_over_metadata() -> None:
    option = HeaderParameter(name="X-Token")
    definition = FieldDefinition.from_kwarg(FromQuery[str], "token", kwarg_definition=option)
    assert definition.kwarg_definition is option


@pytest.mark.parametrize(
    ("default", "has_default", "is_required"),
    [
        pytest.param(Empty, False, True, id="Empty"),
        pytest.param(..., False, True, id="Ellipsis"),
        pytest.param(None, True, False, id="None"),
        pytest.param(0, True, False, id="zero"),
    ],
)
def test_defaults(default: Any, has_default: bool, is_required: bool) -> None:
    definition = FieldDefinition.from_kwarg(int, "n", default=default)
    assert (definition.has_default, definition.is_required) == (has_default, is_required)


def test_from_parameter_resolves_forward_references_with_the_type_hints() -> None:
    def handler(point: Point, limit: Optional[int] = 10) -> None: ...  # noqa: UP045

    hints = typing.get_type_hints(handler, include_extras=True)
    parameters = inspect.signature(handler).parameters
    point = FieldDefinition.from_parameter(parameters["point"], hints)
    limit = FieldDefinition.from_parameter(parameters["limit"], hints)
    assert (point.name, point.annotation, point.is_dataclass_type, point.default) == ("point", Point, True, Empty)
    assert (limit.name, limit.is_optional, limit.default, limit.is_required) == ("limit", True, 10, False)


def test_from_parameter_reads_the_parameter_default_as_options() -> None:
    def handler(token: str = Parameter(header="X-Token")) -> None: ...

    parameter = inspect.signature(handler).parameters["token"]
    definition = FieldDefinition.from_parameter(parameter, typing.get_type_hints(handler))
    assert definition.kwarg_definition == ParameterKwarg(header="X-Token")
    assert (definition.default, definition.is_parameter_field) == (Empty, True)


def test_from_parameter_without_annotation_is_refused() -> None:
    def handler(value) -> None: ...  # type: ignore[no-untyped-def]

    parameter = inspect.signature(handler).parameters["value"]
    with pytest.raises(ImproperlyConfiguredException, match=r"Parameter `value` has no type annotation.*`value: Any`"):
        FieldDefinition.from_parameter(parameter, {})


def test_from_annotation_overrides_and_refuses_unknown_keywords() -> None:
    definition = FieldDefinition.from_annotation(int, name="n", default=1, extra={"k": "v"})
    assert (definition.name, definition.default, definition.extra) == ("n", 1, {"k": "v"})
    with pytest.raises(TypeError, match=r"got unknown keywords \['raw', 'title'\]; it takes \['args', "):
        FieldDefinition.from_annotation(int, title="x", raw=str)


def test_from_kwarg_keeps_given_inner_types() -> None:
    inner = (FieldDefinition.from_annotation(str),)
    assert FieldDefinition.from_kwarg(list[int], "x", inner_types=inner).inner_types is inner


def test_is_subclass_of() -> None:
    parse = FieldDefinition.from_annotation
    assert parse(list[int]).is_subclass_of(list)
    assert parse(bool).is_subclass_of((str, int))
    assert parse(int | bool).is_subclass_of(int)
    assert not parse(Optional[int]).is_subclass_of(int)  # noqa: UP045
    assert parse(UserId).is_subclass_of(int)
    assert parse(Bound).is_subclass_of(int)
    assert parse(Constrained).is_subclass_of(str)
    assert not parse(T).is_subclass_of(object)
    assert not parse(Any).is_subclass_of(object)
    assert not parse(Literal["a"]).is_subclass_of(str)
    assert not parse("Point").is_subclass_of(object)
    assert not parse(Movie).is_subclass_of(Point)
    assert parse(dict[str, list[int]]).has_inner_subclass_of(list)
    assert not parse(dict[str, list[int]]).has_inner_subclass_of(int)


def test_bound_and_generic_types() -> None:
    parse = FieldDefinition.from_annotation
    union_bound = TypeVar("union_bound", bound=int | str)
    assert [d.annotation for d in parse(Bound).bound_types or ()] == [int]
    assert [d.annotation for d in parse(union_bound).bound_types or ()] == [int, str]
    assert [d.annotation for d in parse(Constrained).bound_types or ()] == [str, bytes]
    assert parse(T).bound_types is None
    assert parse(int).bound_types is None
    assert [d.annotation for d in parse(Page[int]).generic_types or ()] == [int]
    assert [d.annotation for d in parse(Page).generic_types or ()] == [T]
    assert parse(list[int]).generic_types is None


def test_match_predicate_recursively() -> None:
    definition = FieldDefinition.from_annotation(dict[str, list[Optional[Point]]])  # noqa: UP045
    assert definition.match_predicate_recursively(lambda d: d.is_dataclass_type)
    assert definition.match_predicate_recursively(lambda d: d.is_none_type)
    assert not definition.match_predicate_recursively(lambda d: d.is_enum)


def test_get_type_hints() -> None:
    class Node:
        value: Annotated[int, "doc"]
        child: Optional[Node]  # noqa: UP045

    definition = FieldDefinition.from_annotation(Node)
    assert definition.get_type_hints(namespace={"Node": Node}) == {"value": int, "child": Optional[Node]}  # noqa: UP045
    assert definition.get_type_hints(include_extras=True, namespace={"Node": Node})["value"] == Annotated[int, "doc"]
    with pytest.raises(NameError, match="Node"):
        definition.get_type_hints()


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        pytest.param(Page[str], {"items": list[str], "total": int}, id="parametrized"),
        pytest.param(IntPage, {"items": list[int], "total": int}, id="through-a-base"),
        pytest.param(Page, {"items": LIST_OF_T, "total": int}, id="unparametrized"),
    ],
)
def test_get_type_hints_resolves_generics(annotation: Any, expected: dict[str, Any]) -> None:
    definition = FieldDefinition.from_annotation(annotation)
    assert definition.get_type_hints(resolve_generics=True) == expected
    assert definition.get_type_hints()["items"] == LIST_OF_T


def test_get_type_hints_resolve_generics_keeps_each_class_mapping() -> None:
    """A subclass reusing the base's type variable for another argument does not mix the two."""

    class Base(Generic[T]):
        base: T

    class Child(Base[int], Generic[T]):
        child: T

    hints = FieldDefinition.from_annotation(Child[str]).get_type_hints(resolve_generics=True)
    assert hints == {"base": int, "child": str}


def test_recursive_type_alias_stops_where_it_recurs() -> None:
    unresolved: Any = "int | list[json]"
    json = typing_extensions.TypeAliasType("json", unresolved)
    assert FieldDefinition.from_annotation(json).is_forward_ref
    tree = typing_extensions.TypeAliasType("tree", int)
    # What ``type tree = int | list[tree]`` holds on Python 3.12+, where the value is evaluated lazily.
    object.__setattr__(tree, "__value__", int | list[tree])
    definition = FieldDefinition.from_annotation(tree)
    assert definition.is_union
    nested = definition.inner_types[1].inner_types[0]
    assert (nested.annotation, nested.is_type_alias_type) == (tree, True)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="the `type` statement needs Python 3.12")
def test_type_statement_aliases() -> None:
    namespace: dict[str, Any] = {}
    exec("type Ids = list[int]\ntype Box[V] = dict[str, V]", namespace)
    ids = FieldDefinition.from_annotation(namespace["Ids"])
    box = FieldDefinition.from_annotation(namespace["Box"][float])
    assert (ids.annotation, ids.is_type_alias_type, ids.is_non_string_sequence) == (list[int], True, True)
    assert (box.annotation, box.is_type_alias_type, box.is_mapping) == (dict[str, float], True, True)


def test_frozen_slotted_hashable_and_equal() -> None:
    one = FieldDefinition.from_kwarg(list[int], "x")
    assert one == FieldDefinition.from_kwarg(list[int], "x")
    assert one != FieldDefinition.from_kwarg(list[int], "y")
    assert len({one, FieldDefinition.from_kwarg(list[int], "x")}) == 1
    assert hash(FieldDefinition.from_annotation(Annotated[int, {"unhashable": 1}])) == hash("")
    assert not hasattr(one, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.name = "y"  # type: ignore[misc]
    assert dataclasses.replace(one, name="y").name == "y"


def test_constructor_takes_litestars_parameters_in_order() -> None:
    names = list(inspect.signature(FieldDefinition).parameters)
    assert names == [
        "raw",
        "annotation",
        "type_wrappers",
        "origin",
        "args",
        "metadata",
        "instantiable_origin",
        "safe_generic_origin",
        "inner_types",
        "default",
        "extra",
        "kwarg_definition",
        "name",
    ]


# Hypothesis: annotations composed of builtin types, containers, ``Optional``, ``Union`` and ``Annotated``.

_LEAVES = st.sampled_from([int, str, bytes, float, bool, NoneType, Any, Point, Color])
_METADATA = st.sampled_from(["doc", 1, QueryParameter(gt=0), QueryParameter(), DependencyKwarg()])


def _compose(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        children.map(lambda c: list[c]),  # type: ignore[valid-type]
        children.map(lambda c: typing.List[c]),  # type: ignore[valid-type]  # noqa: UP006
        children.map(lambda c: abc.Sequence[c]),  # type: ignore[valid-type]
        children.map(lambda c: tuple[c, ...]),  # type: ignore[valid-type]
        children.map(lambda c: dict[str, c]),  # type: ignore[valid-type]
        children.map(lambda c: abc.Mapping[str, c]),  # type: ignore[valid-type]
        children.map(lambda c: Optional[c]),  # noqa: UP045
        st.tuples(children, children).map(lambda pair: Union[pair]),  # noqa: UP007
        st.tuples(children, children).map(lambda pair: pair[0] | pair[1]),
        st.tuples(children, _METADATA).map(lambda pair: Annotated[pair[0], pair[1]]),
    )


_ANNOTATIONS = st.recursive(_LEAVES, _compose, max_leaves=8)


def _contains(annotation: Any, target: Any) -> bool:
    if get_origin(annotation) is Annotated:
        return _contains(annotation.__origin__, target)
    return annotation is target or any(_contains(arg, target) for arg in get_args(annotation))


@settings(max_examples=300, deadline=None)
@given(_ANNOTATIONS)
def test_invariants_of_composed_annotations(annotation: Any) -> None:
    definition = FieldDefinition.from_annotation(annotation)
    assert definition.raw is annotation
    if get_origin(annotation) is Annotated:
        assert Annotated[(definition.annotation, *definition.metadata)] == annotation
        assert definition.is_annotated
    else:
        assert (definition.annotation, definition.metadata, definition.is_annotated) == (annotation, (), False)
    union = get_origin(definition.annotation) in (Union, types.UnionType)
    assert definition.is_union == union
    assert definition.is_optional == (union and NoneType in get_args(definition.annotation))
    assert len(definition.inner_types) == len(definition.args)
    assert all(inner.raw is arg for inner, arg in zip(definition.inner_types, definition.args, strict=True))
    assert definition.match_predicate_recursively(lambda d: d.is_none_type) == _contains(annotation, NoneType)
    assert definition == FieldDefinition.from_annotation(annotation)
    assert hash(definition) == hash(FieldDefinition.from_annotation(annotation))
    assert not definition.is_non_string_sequence or definition.is_non_string_iterable
    assert not definition.is_mapping or not definition.is_non_string_sequence
    assert not (definition.is_optional and definition.is_required) or definition.kwarg_definition is not None
    if definition.args:
        bare = FieldDefinition.from_annotation(definition.annotation)
        rebuilt = FieldDefinition.from_annotation(definition.safe_generic_origin[definition.args])
        assert rebuilt.args == bare.args
        assert [getattr(rebuilt, p) for p in BOOLEAN_PROPERTIES] == [getattr(bare, p) for p in BOOLEAN_PROPERTIES]
