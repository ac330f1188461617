"""Encoding with outpour.serialization: native msgspec types, default encoders, user encoders and caching."""

from __future__ import annotations

import collections
import dataclasses
import datetime
import decimal
import enum
import ipaddress
import re
import subprocess
import sys
import types
import uuid
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any, NamedTuple, TypedDict

import attrs
import msgspec
import pydantic
import pydantic.dataclasses
import pydantic.v1
import pydantic_core
import pytest

import outpour.serialization as serialization
from outpour._serialization import caches, encoding, type_encoders
from outpour.exceptions import SerializationException
from outpour.serialization import (
    DEFAULT_TYPE_ENCODERS,
    default_serializer,
    encode_json,
    encode_msgpack,
    get_json_encoder,
    get_msgpack_encoder,
    get_serializer,
    is_attrs_class,
    is_pydantic_model,
)


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@dataclasses.dataclass
class DataPoint:
    x: int
    when: datetime.date
    tags: list[str] = dataclasses.field(default_factory=list)


@pydantic.dataclasses.dataclass
class PydanticPoint:
    x: int
    y: float


class StructPoint(msgspec.Struct):
    x: int
    ident: uuid.UUID


@attrs.define
class AttrsPoint:
    x: int
    label: str = "a"


class MovieTD(TypedDict):
    title: str
    year: int


class Pair(NamedTuple):
    left: int
    right: str


class Model(pydantic.BaseModel):
    name: str
    when: datetime.datetime
    price: decimal.Decimal
    path: Path
    secret: pydantic.SecretStr
    url: pydantic.HttpUrl
    tags: set[str] = set()


class ModelV1(pydantic.v1.BaseModel):
    name: str
    size: int


class Thing:
    """A type nobody knows how to encode."""


class ThingChild(Thing):
    pass


UUID_VALUE = uuid.UUID("b5b4ad0d-64a8-4dc0-9a7c-58b3ff0b2c39")
NOW = datetime.datetime(2024, 5, 17, 13, 45, 12, 123456, tzinfo=datetime.UTC)

NATIVE_VALUES = [
    pytest.param(DataPoint(1, datetime.date(2024, 1, 2), ["a"]), id="dataclass"),
    pytest.param(PydanticPoint(1, 2.5), id="pydantic-dataclass"),
    pytest.param(StructPoint(3, UUID_VALUE), id="struct"),
    pytest.param(AttrsPoint(4), id="attrs"),
    pytest.param(UUID_VALUE, id="uuid"),
    pytest.param(NOW, id="aware-datetime"),
    pytest.param(NOW.replace(tzinfo=None), id="naive-datetime"),
    pytest.param(datetime.date(2024, 2, 29), id="date"),
    pytest.param(datetime.time(23, 59, 1), id="time"),
    pytest.param(datetime.timedelta(days=1, seconds=3), id="timedelta"),
    pytest.param(decimal.Decimal("12.50"), id="decimal"),
    pytest.param(Color.RED, id="enum"),
    pytest.param(Level.HIGH, id="int-enum"),
    pytest.param(b"\x00\xffbytes", id="bytes"),
    pytest.param(bytearray(b"ab"), id="bytearray"),
    pytest.param({3, 1, 2}, id="set"),
    pytest.param(frozenset({"a"}), id="frozenset"),
    pytest.param((1, "a", None), id="tuple"),
    pytest.param(MovieTD(title="Up", year=2009), id="typeddict"),
    pytest.param(Pair(1, "r"), id="namedtuple"),
    pytest.param(
        {"points": [DataPoint(1, datetime.date(2024, 1, 1)), StructPoint(2, UUID_VALUE)], "at": [NOW], "n": None},
        id="nested-containers",
    ),
    pytest.param({1: "int keys", 2: "are strings in JSON"}, id="int-keys"),
]


@pytest.mark.parametrize("value", NATIVE_VALUES)
def test_native_types_match_msgspec_output(value: Any) -> None:
    assert encode_json(value) == msgspec.json.encode(value)
    assert encode_msgpack(value) == msgspec.msgpack.encode(value)
    encoders = {Thing: str}
    assert get_json_encoder(encoders).encode(value) == msgspec.json.encode(value)
    assert get_msgpack_encoder(encoders).encode(value) == msgspec.msgpack.encode(value)


ENCODER_VALUES = [
    pytest.param(Path("/srv/data/file.txt"), "/srv/data/file.txt", id="path"),
    pytest.param(PurePosixPath("a/b"), "a/b", id="pure-posix-path"),
    pytest.param(PureWindowsPath("C:/x/y"), "C:\\x\\y", id="pure-windows-path"),
    pytest.param(ipaddress.IPv4Address("192.0.2.1"), "192.0.2.1", id="ipv4-address"),
    pytest.param(ipaddress.IPv6Address("2001:db8::1"), "2001:db8::1", id="ipv6-address"),
    pytest.param(ipaddress.IPv4Interface("192.0.2.1/24"), "192.0.2.1/24", id="ipv4-interface"),
    pytest.param(ipaddress.IPv6Interface("2001:db8::1/64"), "2001:db8::1/64", id="ipv6-interface"),
    pytest.param(ipaddress.IPv4Network("192.0.2.0/24"), "192.0.2.0/24", id="ipv4-network"),
    pytest.param(ipaddress.IPv6Network("2001:db8::/32"), "2001:db8::/32", id="ipv6-network"),
    pytest.param(collections.deque([1, "a"]), [1, "a"], id="deque"),
    pytest.param(re.compile(r"^\d+$"), r"^\d+$", id="pattern"),
    pytest.param(re.compile(rb"ab"), b"ab", id="bytes-pattern"),
    pytest.param(
        Model(
            name="n",
            when=NOW,
            price=decimal.Decimal("1.10"),
            path=Path("/p"),
            secret=pydantic.SecretStr("hunter2"),
            url=pydantic.HttpUrl("https://example.com/a"),
            tags={"x"},
        ),
        {
            "name": "n",
            "when": "2024-05-17T13:45:12.123456Z",
            "price": "1.10",
            "path": "/p",
            "secret": "**********",
            "url": "https://example.com/a",
            "tags": ["x"],
        },
        id="pydantic-model",
    ),
    pytest.param(ModelV1(name="old", size=2), {"name": "old", "size": 2}, id="pydantic-v1-model"),
    pytest.param(pydantic.SecretStr("hunter2"), "**********", id="secret-str"),
    pytest.param(pydantic.SecretStr(""), "", id="empty-secret-str"),
    pytest.param(pydantic.SecretBytes(b"hunter2"), "**********", id="secret-bytes"),
    pytest.param(pydantic.SecretBytes(b""), "", id="empty-secret-bytes"),
    pytest.param(pydantic.Secret[int](42), "**********", id="secret"),
    pytest.param(pydantic.AnyUrl("https://example.com"), "https://example.com/", id="any-url"),
    pytest.param(pydantic.HttpUrl("http://example.com/x?y=1"), "http://example.com/x?y=1", id="http-url"),
    pytest.param(
        pydantic.PostgresDsn("postgres://u:p@h1:5432,h2:5433/db"), "postgres://u:p@h1:5432,h2:5433/db", id="dsn"
    ),
    pytest.param(pydantic.NameEmail("Ann", "ann@example.com"), "Ann <ann@example.com>", id="name-email"),
    pytest.param(pydantic_core.Url("https://example.org"), "https://example.org/", id="core-url"),
    pytest.param(pydantic_core.MultiHostUrl("redis://h1,h2/0"), "redis://h1,h2/0", id="core-multi-host-url"),
    pytest.param(
        {"paths": [Path("/a"), (ipaddress.IPv4Address("10.0.0.1"),)], "dq": collections.deque([Path("b")])},
        {"paths": ["/a", ["10.0.0.1"]], "dq": ["b"]},
        id="nested",
    ),
]


@pytest.mark.parametrize(("value", "expected"), ENCODER_VALUES)
def test_default_encoders_produce_expected_values(value: Any, expected: Any) -> None:
    assert encode_json(value) == msgspec.json.encode(expected)
    assert encode_msgpack(value) == msgspec.msgpack.encode(expected)
    assert get_json_encoder().encode(value) == msgspec.json.encode(expected)
    assert get_msgpack_encoder(None).encode(value) == msgspec.msgpack.encode(expected)


def test_pydantic_model_inside_native_containers() -> None:
    value = {"items": [ModelV1(name="a", size=1)], "point": DataPoint(1, datetime.date(2024, 1, 1), [])}
    assert msgspec.json.decode(encode_json(value)) == {
        "items": [{"name": "a", "size": 1}],
        "point": {"x": 1, "when": "2024-01-01", "tags": []},
    }


def test_default_type_encoders_hold_the_standard_library_types() -> None:
    assert DEFAULT_TYPE_ENCODERS[PurePath] is str
    assert DEFAULT_TYPE_ENCODERS[collections.deque] is list
    for cls in (ipaddress.IPv4Address, ipaddress.IPv6Network, ipaddress.IPv4Interface):
        assert DEFAULT_TYPE_ENCODERS[cls] is str
    encode_json(pydantic.SecretStr("x"))  # registers pydantic's classes, already imported here
    assert pydantic.BaseModel in DEFAULT_TYPE_ENCODERS
    assert pydantic.v1.BaseModel in DEFAULT_TYPE_ENCODERS


class Mixin:
    pass


class MixedPath(PurePosixPath, Mixin):
    pass


def test_user_encoders_beat_defaults() -> None:
    encoders = {PurePath: lambda p: p.name}
    assert get_json_encoder(encoders).encode([Path("/a/b.txt")]) == b'["b.txt"]'
    assert get_msgpack_encoder(encoders).encode(Path("/a/b.txt")) == msgspec.msgpack.encode("b.txt")
    assert default_serializer(Path("/x/y"), encoders) == "y"


def test_user_encoders_win_even_when_a_default_is_nearer_in_the_mro() -> None:
    encoders = {Mixin: lambda _: "mixin"}
    assert get_json_encoder(encoders).encode(MixedPath("/a")) == b'"mixin"'
    assert default_serializer(MixedPath("/a"), encoders) == "mixin"
    assert encode_json(MixedPath("/a")) == b'"/a"'


def test_user_encoders_match_subclasses_through_the_mro() -> None:
    encoders = {Thing: lambda v: type(v).__name__}
    assert get_json_encoder(encoders).encode([Thing(), ThingChild()]) == b'["Thing","ThingChild"]'
    assert encode_json(ThingChild(), get_serializer(encoders)) == b'"ThingChild"'
    assert encode_msgpack(ThingChild(), get_serializer(encoders)) == msgspec.msgpack.encode("ThingChild")


def test_nearest_user_encoder_in_the_mro_wins() -> None:
    encoders = {Thing: lambda _: "parent", ThingChild: lambda _: "child"}
    assert get_json_encoder(encoders).encode([Thing(), ThingChild()]) == b'["parent","child"]'


def test_user_encoders_cannot_override_native_types() -> None:
    encoders = {uuid.UUID: lambda _: "never", dict: lambda _: "never"}
    assert get_json_encoder(encoders).encode({"u": UUID_VALUE}) == msgspec.json.encode({"u": UUID_VALUE})


def test_object_key_is_a_catch_all() -> None:
    encoders = {object: lambda v: f"<{type(v).__name__}>"}
    assert get_json_encoder(encoders).encode([Thing(), Path("/a")]) == b'["<Thing>","<PosixPath>"]'


def test_predicate_keys_are_called_with_the_type_once() -> None:
    calls: list[type] = []

    def has_marker(tp: type) -> bool:
        calls.append(tp)
        return tp.__name__.startswith("Thing")

    encoders = {has_marker: lambda _: "marked", list[int]: lambda _: "alias keys are ignored"}
    encoder = get_json_encoder(encoders)
    assert encoder.encode([Thing(), ThingChild(), Thing(), Path("/p")]) == b'["marked","marked","marked","/p"]'
    assert calls == [Thing, ThingChild, type(Path("/p"))]
    assert default_serializer(Thing(), encoders) == "marked"


UNSUPPORTED_MESSAGE = (
    f"Unsupported type: `Thing` (from module `{__name__}`). Add an encoder for it to `type_encoders`, e.g. "
    "`type_encoders={Thing: str}`, on the app, a router, a controller, a handler or a Response subclass."
)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda v: get_json_encoder().encode(v), id="json-default"),
        pytest.param(lambda v: get_msgpack_encoder().encode(v), id="msgpack-default"),
        pytest.param(lambda v: get_json_encoder({Path: str}).encode(v), id="json-custom"),
        pytest.param(lambda v: get_msgpack_encoder({Path: str}).encode(v), id="msgpack-custom"),
        pytest.param(lambda _: default_serializer(Thing()), id="default-serializer"),
        pytest.param(lambda _: default_serializer(Thing(), {Path: str}), id="default-serializer-custom"),
    ],
)
def test_unsupported_type_raises_type_error_with_advice(encode: Any) -> None:
    with pytest.raises(TypeError) as exc_info:
        encode({"a": [Thing()]})
    assert str(exc_info.value) == UNSUPPORTED_MESSAGE
    with pytest.raises(TypeError, match="Unsupported type: `Thing`"):
        encode({"a": [Thing()]})  # the cached answer is the same


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(encode_json, id="json"),
        pytest.param(encode_msgpack, id="msgpack"),
        pytest.param(lambda v: encode_json(v, default_serializer), id="json-default-serializer"),
        pytest.param(lambda v: encode_msgpack(v, get_serializer({Path: str})), id="msgpack-custom"),
    ],
)
def test_encode_functions_raise_serialization_exception(encode: Any) -> None:
    with pytest.raises(SerializationException) as exc_info:
        encode([Thing()])
    assert exc_info.value.detail == UNSUPPORTED_MESSAGE
    assert isinstance(exc_info.value.__cause__, TypeError)


def test_encode_msgpack_overflow_raises_serialization_exception() -> None:
    with pytest.raises(SerializationException, match="int"):
        encode_msgpack(2**64)
    assert encode_json(2**64) == b"18446744073709551616"


def test_encode_with_custom_serializer_function() -> None:
    assert encode_json([Thing()], lambda _: "custom") == b'["custom"]'
    assert encode_msgpack(Thing(), lambda _: 1) == b"\x01"


def test_get_serializer_default_and_caching() -> None:
    assert get_serializer() is get_serializer(None) is get_serializer({})
    assert get_serializer()(Path("/a")) == "/a"
    encoders = {Thing: repr}
    first = get_serializer(encoders)
    assert get_serializer(encoders) is first
    assert get_serializer({Thing: repr}) is first  # an equal mapping shares the serializer
    assert get_serializer({Thing: str}) is not first


def test_encoders_are_built_once_per_mapping() -> None:
    assert get_json_encoder() is get_json_encoder(None) is get_json_encoder({})
    assert get_msgpack_encoder() is get_msgpack_encoder({})
    encoders = {Thing: repr}
    assert get_json_encoder(encoders) is get_json_encoder(encoders) is get_json_encoder(dict(encoders))
    assert get_msgpack_encoder(encoders) is get_msgpack_encoder(dict(encoders))
    assert get_json_encoder(encoders) is not get_msgpack_encoder(encoders)  # type: ignore[comparison-overlap]


class UnhashableEncoder:
    __hash__ = None  # type: ignore[assignment]

    def __call__(self, value: Any) -> str:
        return "unhashable"


def test_mapping_with_unhashable_values_is_cached_by_identity() -> None:
    encoders = {Thing: UnhashableEncoder()}
    encoder = get_json_encoder(encoders)
    assert encoder.encode(Thing()) == b'"unhashable"'
    assert get_json_encoder(encoders) is encoder
    other = get_json_encoder({Thing: UnhashableEncoder()})
    assert other is not encoder
    assert other.encode(Thing()) == b'"unhashable"'


def test_caches_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caches, "_MAX_CACHED", 3)
    monkeypatch.setattr(encoding, "_SERIALIZERS", {})
    monkeypatch.setattr(encoding, "_SERIALIZERS_BY_ID", {})
    mappings = [{Thing: lambda _, i=i: i} for i in range(5)]
    serializers = [get_serializer(m) for m in mappings]
    assert len(encoding._SERIALIZERS) == 3
    assert len(encoding._SERIALIZERS_BY_ID) == 3
    assert [s(Thing()) for s in serializers] == [0, 1, 2, 3, 4]
    assert get_serializer(mappings[-1]) is serializers[-1]


def test_type_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoding, "_MAX_CACHED_TYPES", 2)
    serializer = encoding._make_serializer({object: lambda v: type(v).__name__})
    classes = [type(f"Dyn{i}", (), {}) for i in range(5)]
    assert [serializer(cls()) for cls in classes] == [f"Dyn{i}" for i in range(5)]


@pytest.mark.parametrize(
    ("tp", "expected"),
    [
        pytest.param(Model, True, id="model"),
        pytest.param(pydantic.BaseModel, True, id="base-model"),
        pytest.param(ModelV1, True, id="v1-model"),
        pytest.param(pydantic.RootModel[list[int]], True, id="root-model"),
        pytest.param(PydanticPoint, False, id="pydantic-dataclass"),
        pytest.param(dict, False, id="dict"),
        pytest.param(list[int], False, id="generic-alias"),
        pytest.param("Model", False, id="string"),
        pytest.param(None, False, id="none"),
    ],
)
def test_is_pydantic_model(tp: Any, expected: bool) -> None:
    assert is_pydantic_model(tp) is expected


def test_is_pydantic_model_without_pydantic_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "pydantic.main")
    monkeypatch.delitem(sys.modules, "pydantic.v1.main")
    assert is_pydantic_model(Model) is False


@pytest.mark.parametrize(
    ("tp", "expected"),
    [
        pytest.param(AttrsPoint, True, id="attrs-define"),
        pytest.param(attrs.make_class("Made", ["a"]), True, id="make-class"),
        pytest.param(AttrsPoint(1), False, id="instance"),
        pytest.param(DataPoint, False, id="dataclass"),
        pytest.param(int, False, id="int"),
        pytest.param(None, False, id="none"),
    ],
)
def test_is_attrs_class(tp: Any, expected: bool) -> None:
    assert is_attrs_class(tp) is expected


def test_importing_the_module_does_not_import_pydantic_or_attrs() -> None:
    code = (
        "import sys, types\n"
        "pkg = types.ModuleType('outpour'); pkg.__path__ = [sys.argv[1]]; sys.modules['outpour'] = pkg\n"
        "import outpour.serialization as s\n"
        "assert s.is_pydantic_model(int) is False\n"
        "assert s.encode_json([1]) == b'[1]'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'attr', 'attrs')))\n"
    )
    package_dir = str(Path(serialization.__file__).parent)
    result = subprocess.run([sys.executable, "-c", code, package_dir], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _fake_module(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    return module


def test_optional_encoders_register_only_what_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Looked up before pydantic's modules leave sys.modules: older pydantic imports `pydantic.main` again on access.
    base_model = pydantic.BaseModel
    defaults = dict(type_encoders.DEFAULT_TYPE_ENCODERS)
    for cls in list(defaults):
        if cls.__module__.startswith(("pydantic", "pydantic_core")):
            del defaults[cls]
    monkeypatch.setattr(type_encoders, "DEFAULT_TYPE_ENCODERS", defaults)
    monkeypatch.setattr(type_encoders, "_registered_optional", set())
    for name in ("pydantic.main", "pydantic.v1.main", "pydantic.types", "pydantic.networks", "pydantic_core"):
        monkeypatch.delitem(sys.modules, name)

    type_encoders._register_optional_encoders()
    assert type_encoders._registered_optional == set()
    assert base_model not in defaults

    class OldSecretBytes:
        pass

    class OldUrl:
        pass

    monkeypatch.setitem(sys.modules, "pydantic.types", _fake_module("pydantic.types", SecretBytes=OldSecretBytes))
    monkeypatch.setitem(sys.modules, "pydantic.networks", _fake_module("pydantic.networks", AnyUrl=OldUrl))
    monkeypatch.setitem(sys.modules, "pydantic_core", _fake_module("pydantic_core"))
    type_encoders._register_optional_encoders()
    assert type_encoders._registered_optional == {"pydantic.types", "pydantic.networks", "pydantic_core"}
    assert defaults[OldUrl] is str
    assert OldSecretBytes in defaults
    assert base_model not in defaults
