"""Python types to JSON Schema: primitives, containers, unions, named types as components, constraints."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import ipaddress
import re
import uuid
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, NamedTuple, NewType, NotRequired, TypedDict, TypeVar

import annotated_types
import attrs
import msgspec
import pydantic
import pytest

from outpour.openapi._schema import SchemaCreator, apply_constraints, jsonable
from outpour.params import Body, Parameter

T = TypeVar("T")
UserId = NewType("UserId", int)


class Color(enum.Enum):
    """Colors we know."""

    RED = "red"
    BLUE = "blue"


class Mixed(enum.Enum):
    ONE = 1
    TWO = "two"


@dataclasses.dataclass
class Node:
    value: int
    children: list[Node] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Box(Generic[T]):
    item: T
    note: str = "n"
    when: datetime.date = datetime.date(2024, 1, 2)
    callback: Any = print


class Movie(TypedDict):
    title: str
    year: NotRequired[int]


class Pair(NamedTuple):
    left: int
    right: str = "r"


@attrs.define
class Gadget:
    name: str
    parts: list[str] = attrs.Factory(list)
    weight: float = 1.5


class Tagged(msgspec.Struct, tag="tagged", forbid_unknown_fields=True):
    x: int
    y: int = 2


class Row(msgspec.Struct, array_like=True):
    a: int
    b: str = "b"


class Model(pydantic.BaseModel):
    name: str
    inner: Inner


class Inner(pydantic.BaseModel):
    x: int = 1


Model.model_rebuild()


def schema(annotation: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    creator = SchemaCreator()
    result = creator.for_type(annotation)
    return result, creator.components


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        pytest.param(int, {"type": "integer"}, id="int"),
        pytest.param(bool, {"type": "boolean"}, id="bool"),
        pytest.param(float, {"type": "number"}, id="float"),
        pytest.param(str, {"type": "string"}, id="str"),
        pytest.param(bytes, {"type": "string", "contentEncoding": "base64"}, id="bytes"),
        pytest.param(datetime.datetime, {"type": "string", "format": "date-time"}, id="datetime"),
        pytest.param(datetime.date, {"type": "string", "format": "date"}, id="date"),
        pytest.param(datetime.time, {"type": "string", "format": "time"}, id="time"),
        pytest.param(datetime.timedelta, {"type": "string", "format": "duration"}, id="timedelta"),
        pytest.param(uuid.UUID, {"type": "string", "format": "uuid"}, id="uuid"),
        pytest.param(decimal.Decimal, {"type": "string", "format": "decimal"}, id="decimal"),
        pytest.param(Path, {"type": "string", "format": "path"}, id="path"),
        pytest.param(ipaddress.IPv4Address, {"type": "string", "format": "ipv4"}, id="ipv4"),
        pytest.param(re.Pattern, {"type": "string", "format": "regex"}, id="pattern"),
        pytest.param(None, {"type": "null"}, id="none"),
        pytest.param(Any, {}, id="any"),
        pytest.param(object, {}, id="object"),
        pytest.param("Unresolved", {}, id="string-annotation"),
        pytest.param(T, {}, id="typevar"),
        pytest.param(TypeVar("B", bound=int), {"type": "integer"}, id="bound-typevar"),
        pytest.param(UserId, {"type": "integer"}, id="newtype"),
        pytest.param(list[int], {"type": "array", "items": {"type": "integer"}}, id="list"),
        pytest.param(list, {"type": "array", "items": {}}, id="bare-list"),
        pytest.param(Sequence[str], {"type": "array", "items": {"type": "string"}}, id="sequence"),
        pytest.param(deque[int], {"type": "array", "items": {"type": "integer"}}, id="deque"),
        pytest.param(set[int], {"type": "array", "items": {"type": "integer"}, "uniqueItems": True}, id="set"),
        pytest.param(frozenset[str], {"type": "array", "items": {"type": "string"}, "uniqueItems": True}, id="frozen"),
        pytest.param(tuple[int, ...], {"type": "array", "items": {"type": "integer"}}, id="tuple-var"),
        pytest.param(tuple[()], {"type": "array", "maxItems": 0}, id="tuple-empty"),
        pytest.param(
            tuple[int, str],
            {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}], "minItems": 2, "maxItems": 2},
            id="tuple-fixed",
        ),
        pytest.param(dict[str, int], {"type": "object", "additionalProperties": {"type": "integer"}}, id="dict"),
        pytest.param(Mapping[str, Any], {"type": "object"}, id="mapping-any"),
        pytest.param(dict, {"type": "object"}, id="bare-dict"),
        pytest.param(int | None, {"oneOf": [{"type": "integer"}, {"type": "null"}]}, id="optional"),
        pytest.param(int | str, {"oneOf": [{"type": "integer"}, {"type": "string"}]}, id="union"),
        pytest.param(int | Any, {}, id="union-with-any"),
        pytest.param(Literal["a"], {"const": "a", "type": "string"}, id="literal-one"),
        pytest.param(Literal["a", "b"], {"enum": ["a", "b"], "type": "string"}, id="literal"),
        pytest.param(Literal[1, "a", None], {"enum": [1, "a", None], "type": ["integer", "null", "string"]}, id="mix"),
        pytest.param(Literal[Color.RED], {"const": "red", "type": "string"}, id="literal-enum"),
        pytest.param(
            Annotated[int, msgspec.Meta(ge=1, lt=10, description="n")],
            {"type": "integer", "minimum": 1, "exclusiveMaximum": 10, "description": "n"},
            id="msgspec-meta",
        ),
        pytest.param(
            Annotated[str, annotated_types.MinLen(2), annotated_types.MaxLen(5)],
            {"type": "string", "minLength": 2, "maxLength": 5},
            id="annotated-types",
        ),
        pytest.param(
            Annotated[list[int], msgspec.Meta(min_length=1, extra_json_schema={"x-note": 1})],
            {"type": "array", "items": {"type": "integer"}, "minItems": 1, "x-note": 1},
            id="array-length",
        ),
        pytest.param(
            Annotated[int, pydantic.Field(gt=0, examples=[3])],
            {"type": "integer", "exclusiveMinimum": 0, "examples": [3]},
            id="pydantic-field",
        ),
        pytest.param(Annotated[int, Parameter(ge=5), Body()], {"type": "integer"}, id="outpour-markers-skipped"),
        pytest.param(
            Annotated[str, msgspec.Meta(pattern="^a")], {"type": "string", "pattern": "^a"}, id="pattern-constraint"
        ),
    ],
)
def test_inline_schemas(annotation: Any, expected: dict[str, Any]) -> None:
    assert schema(annotation)[0] == expected


def test_enums_are_components() -> None:
    ref, components = schema(list[Color])
    assert ref == {"type": "array", "items": {"$ref": "#/components/schemas/Color"}}
    assert components["Color"] == {
        "type": "string",
        "enum": ["red", "blue"],
        "title": "Color",
        "description": "Colors we know.",
    }
    assert schema(Mixed)[1]["Mixed"]["type"] == ["integer", "string"]


def test_recursive_dataclass() -> None:
    ref, components = schema(Node)
    assert ref == {"$ref": "#/components/schemas/Node"}
    assert components["Node"] == {
        "type": "object",
        "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        },
        "required": ["value"],
        "title": "Node",
    }


def test_generic_dataclass_substitutes_parameters_and_keeps_json_defaults() -> None:
    ref, components = schema(Box[Color])
    assert ref == {"$ref": "#/components/schemas/Box_Color_"}  # `Box[Color]` with the characters a name may hold
    box = components["Box_Color_"]
    assert box["title"] == "Box[Color]"
    assert box["properties"]["item"] == {"$ref": "#/components/schemas/Color"}
    assert box["properties"]["note"] == {"type": "string", "default": "n"}
    assert box["properties"]["when"] == {"type": "string", "format": "date", "default": "2024-01-02"}
    assert box["properties"]["callback"] == {}
    assert box["required"] == ["item"]
    assert schema(Box[list[int]])[0] == {"$ref": "#/components/schemas/Box_list_int_"}
    assert schema(Box[int | None])[0] == {"$ref": "#/components/schemas/Box_Union_int_None_"}


def test_typeddict_namedtuple_attrs() -> None:
    _, components = schema(tuple[Movie, Pair, Gadget])
    assert components["Movie"]["required"] == ["title"]
    assert components["Movie"]["properties"]["year"] == {"type": "integer"}
    assert components["Pair"] == {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"type": "string"}],
        "minItems": 1,
        "maxItems": 2,
        "title": "Pair",
    }
    assert components["Gadget"]["required"] == ["name"]
    assert components["Gadget"]["properties"]["parts"] == {"type": "array", "items": {"type": "string"}}
    assert components["Gadget"]["properties"]["weight"] == {"type": "number", "default": 1.5}


def test_msgspec_structs() -> None:
    _, components = schema(tuple[Tagged, Row])
    assert components["Tagged"]["properties"]["type"] == {"type": "string", "const": "tagged"}
    assert components["Tagged"]["required"] == ["type", "x"]
    assert components["Tagged"]["additionalProperties"] is False
    assert components["Row"]["prefixItems"] == [{"type": "integer"}, {"type": "string", "default": "b"}]
    assert (components["Row"]["minItems"], components["Row"]["maxItems"]) == (1, 2)


def test_pydantic_models_bring_their_definitions() -> None:
    ref, components = schema(Model)
    assert ref == {"$ref": "#/components/schemas/Model"}
    assert components["Model"]["properties"]["inner"] == {"$ref": "#/components/schemas/Inner"}
    assert components["Inner"]["properties"]["x"]["default"] == 1
    assert schema(pydantic.HttpUrl)[0]["format"] == "uri"


def test_same_names_in_different_modules_get_distinct_components() -> None:
    first = type("Thing", (), {"__annotations__": {"a": int}, "__module__": "pkg.one"})
    second = type("Thing", (), {"__annotations__": {"b": str}, "__module__": "pkg.two"})
    creator = SchemaCreator()
    refs = [creator.for_type(dataclasses.dataclass(cls)) for cls in (first, second, first)]
    assert refs[0] == refs[2] == {"$ref": "#/components/schemas/Thing"}
    assert refs[1] == {"$ref": "#/components/schemas/two_Thing"}
    # once every schema is built, the first `Thing` is renamed as well: no name depends on which class came first
    assert creator.settle_names() == {"Thing": "one_Thing"}
    assert set(creator.components) == {"one_Thing", "two_Thing"}
    assert creator.settle_names() == {}


def test_unknown_classes_are_any() -> None:
    class Opaque:
        pass

    assert schema(Opaque)[0] == {}
    assert schema(type[int])[0] == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(1, (True, 1), id="int"),
        pytest.param(Color.RED, (True, "red"), id="enum"),
        pytest.param(print, (False, None), id="callable"),
        pytest.param(object(), (False, None), id="object"),
    ],
)
def test_jsonable(value: Any, expected: tuple[bool, Any]) -> None:
    assert jsonable(value) == expected


def test_apply_constraints_sees_through_refs() -> None:
    components = {"Tags": {"type": "array"}}
    constrained = apply_constraints(
        {"$ref": "#/components/schemas/Tags"}, Parameter(min_length=1, max_items=3), components
    )
    assert constrained == {"$ref": "#/components/schemas/Tags", "minItems": 1, "maxItems": 3}
    nullable = apply_constraints({"type": ["null", "object"]}, msgspec.Meta(min_length=1))
    assert nullable["minProperties"] == 1
    assert apply_constraints({}, Parameter(pattern=re.compile("x")))["pattern"] == "x"  # type: ignore[arg-type]
