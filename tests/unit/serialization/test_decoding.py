"""Decoding and converting with outpour.serialization: models, built-in decoders, type_decoders, errors, caching."""

from __future__ import annotations

import collections
import dataclasses
import datetime
import decimal
import enum
import ipaddress
import re
import uuid
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, NamedTuple, TypedDict

import attrs
import msgspec
import pydantic
import pydantic.dataclasses
import pydantic.v1
import pytest

from outpour._serialization import deserializers
from outpour.exceptions import SerializationException
from outpour.serialization import (
    convert,
    decode_json,
    decode_msgpack,
    default_deserializer,
    get_deserializer,
    get_json_decoder,
    get_msgpack_decoder,
)


class Kind(enum.Enum):
    A = "a"


@dataclasses.dataclass
class Item:
    name: str
    price: decimal.Decimal
    tags: list[str] = dataclasses.field(default_factory=list)


class ItemStruct(msgspec.Struct):
    name: str
    counts: list[int]
    kind: Kind = Kind.A


class ItemTD(TypedDict):
    name: str
    when: datetime.date


@attrs.define
class ItemAttrs:
    name: str
    ident: uuid.UUID


@pydantic.dataclasses.dataclass
class ItemPydanticDC:
    name: str
    qty: int


class Point(NamedTuple):
    x: int
    y: int


class Address(pydantic.BaseModel):
    city: str
    zip: int


class Person(pydantic.BaseModel):
    name: str
    age: int
    addresses: list[Address] = []
    home: Path | None = None


class PersonV1(pydantic.v1.BaseModel):
    name: str
    age: int


class Money:
    """A type only a user decoder can build."""

    def __init__(self, cents: int) -> None:
        self.cents = cents

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and other.cents == self.cents

    __hash__ = None  # type: ignore[assignment]


class Wallet(msgspec.Struct):
    money: Money
    path: Path


MONEY_DECODERS = [(lambda tp: tp is Money, lambda tp, value: tp(int(value * 100)))]
IDENT = uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")


@pytest.mark.parametrize(
    ("data", "target", "expected"),
    [
        pytest.param(
            {"name": "pen", "price": "1.50", "tags": ["a"]},
            Item,
            Item("pen", decimal.Decimal("1.50"), ["a"]),
            id="dataclass",
        ),
        pytest.param({"name": "pen", "counts": [1, 2]}, ItemStruct, ItemStruct("pen", [1, 2]), id="struct"),
        pytest.param(
            {"name": "pen", "when": "2024-01-02"},
            ItemTD,
            {"name": "pen", "when": datetime.date(2024, 1, 2)},
            id="typeddict",
        ),
        pytest.param({"name": "pen", "ident": str(IDENT)}, ItemAttrs, ItemAttrs("pen", IDENT), id="attrs"),
        pytest.param({"name": "pen", "qty": 2}, ItemPydanticDC, ItemPydanticDC("pen", 2), id="pydantic-dataclass"),
        pytest.param([1, 2], Point, Point(1, 2), id="namedtuple"),
        pytest.param(
            {"name": "Ann", "age": 30, "addresses": [{"city": "Oslo", "zip": 150}], "home": "/home/ann"},
            Person,
            Person(name="Ann", age=30, addresses=[Address(city="Oslo", zip=150)], home=Path("/home/ann")),
            id="pydantic-model",
        ),
        pytest.param({"name": "Old", "age": 99}, PersonV1, PersonV1(name="Old", age=99), id="pydantic-v1-model"),
        pytest.param(
            {"people": [{"name": "B", "age": 1}]},
            dict[str, list[Person]],
            {"people": [Person(name="B", age=1)]},
            id="nested-pydantic",
        ),
        pytest.param("/srv/x", Path, Path("/srv/x"), id="path"),
        pytest.param("a/b", PurePosixPath, PurePosixPath("a/b"), id="pure-path"),
        pytest.param("192.0.2.1", ipaddress.IPv4Address, ipaddress.IPv4Address("192.0.2.1"), id="ipv4"),
        pytest.param("2001:db8::1", ipaddress.IPv6Address, ipaddress.IPv6Address("2001:db8::1"), id="ipv6"),
        pytest.param("10.0.0.1/8", ipaddress.IPv4Interface, ipaddress.IPv4Interface("10.0.0.1/8"), id="ipv4-if"),
        pytest.param("::1/128", ipaddress.IPv6Interface, ipaddress.IPv6Interface("::1/128"), id="ipv6-if"),
        pytest.param("10.0.0.0/8", ipaddress.IPv4Network, ipaddress.IPv4Network("10.0.0.0/8"), id="ipv4-net"),
        pytest.param("2001:db8::/32", ipaddress.IPv6Network, ipaddress.IPv6Network("2001:db8::/32"), id="ipv6-net"),
        pytest.param(r"^\d+$", re.Pattern, re.compile(r"^\d+$"), id="pattern"),
        pytest.param("a+", re.Pattern[str], re.compile("a+"), id="pattern-alias"),
        pytest.param([1, 2], collections.deque[int], collections.deque([1, 2]), id="deque-alias"),
        pytest.param([1, "a"], collections.deque, collections.deque([1, "a"]), id="deque"),
        pytest.param("hunter2", pydantic.SecretStr, pydantic.SecretStr("hunter2"), id="secret-str"),
        pytest.param("https://example.com/a", pydantic.HttpUrl, pydantic.HttpUrl("https://example.com/a"), id="url"),
        pytest.param(1.25, Money, Money(125), id="user-decoder"),
        pytest.param(
            {"money": 2, "path": "/w"}, Wallet, Wallet(Money(200), Path("/w")), id="user-decoder-inside-struct"
        ),
    ],
)
def test_decode_json_msgpack_and_convert(data: Any, target: Any, expected: Any) -> None:
    assert decode_json(msgspec.json.encode(data), target, MONEY_DECODERS) == expected
    assert decode_msgpack(msgspec.msgpack.encode(data), target, MONEY_DECODERS) == expected
    assert convert(data, target, MONEY_DECODERS) == expected
    assert get_json_decoder(target, MONEY_DECODERS).decode(msgspec.json.encode(data)) == expected
    assert get_msgpack_decoder(target, MONEY_DECODERS).decode(msgspec.msgpack.encode(data)) == expected


def test_decode_json_accepts_str() -> None:
    assert decode_json('{"a": [1, 2.5, null, true]}') == {"a": [1, 2.5, None, True]}
    assert decode_json('"/x"', Path) == Path("/x")


@pytest.mark.parametrize(
    ("document", "target", "message"),
    [
        pytest.param(b'{"name": "x", "counts": ["1"]}', ItemStruct, "Expected `int`, got `str` - at `$.counts[0]`"),
        pytest.param(b'{"name": "x"}', ItemStruct, "Object missing required field `counts`"),
        pytest.param(b'{"name": "x", "price": "abc"}', Item, "Invalid decimal string - at `$.price`"),
        pytest.param(b'{"name": "x", "when": "2024-13-01"}', ItemTD, "Invalid RFC3339 encoded date - at `$.when`"),
        pytest.param(b'{"name": 1, "ident": "x"}', ItemAttrs, "Expected `str`, got `int` - at `$.name`"),
        pytest.param(b'{"name": "x", "counts": [], "kind": "z"}', ItemStruct, "Invalid enum value 'z' - at `$.kind`"),
        pytest.param(b'{"a": 1', Any, "JSON is malformed: the document ends too early."),
        pytest.param(b"[1, 2] x", list[int], "JSON is malformed: unexpected input at byte 8."),
        pytest.param(b"", Any, "JSON is malformed: the document ends too early."),
        pytest.param(
            b'{"name": "Ann", "age": "old", "addresses": [{"city": 1}]}',
            Person,
            "Invalid `Person`: `age`: Input should be a valid integer, unable to parse string as an integer; "
            "`addresses[0].city`: Input should be a valid string; `addresses[0].zip`: Field required",
        ),
        pytest.param(
            b'{"p": [1, {"name": "B"}]}',
            dict[str, list[Person]],
            "Invalid `Person`: Input should be a valid dictionary or instance of Person - at `$[...][0]`",
        ),
        pytest.param(b'{"name": "Old"}', PersonV1, "Invalid `PersonV1`: `age`: field required"),
        pytest.param(b'{"p": 1}', dict[str, Path], "Expected `str`, got `int` - at `$[...]`"),
        pytest.param(
            b'"300.1.1.1"',
            ipaddress.IPv4Address,
            "Octet 300 (> 255) not permitted in '300.1.1.1'",
        ),
        pytest.param(
            b'"a("',
            re.Pattern,
            "Invalid regular expression `a(`: missing ), unterminated subpattern at position 1",
        ),
        pytest.param(b'{"x": [1, "a"]}', dict[str, collections.deque[int]], "Expected `int`, got `str` - at `$[1]`"),
        pytest.param(b'"ftp://x"', pydantic.HttpUrl, "Invalid `HttpUrl`: URL scheme should be 'http' or 'https'"),
    ],
)
def test_decode_errors_carry_msgspec_messages(document: bytes, target: Any, message: str) -> None:
    with pytest.raises(SerializationException) as exc_info:
        decode_json(document, target)
    assert exc_info.value.detail == message
    assert isinstance(exc_info.value.__cause__, msgspec.DecodeError)


@pytest.mark.parametrize(
    ("decode", "document", "message"),
    [
        pytest.param(decode_json, b'{"a": "\x80"}', "JSON is malformed: invalid UTF-8 at byte 7.", id="json-utf8"),
        pytest.param(
            decode_json,
            '"\udc80"',
            "JSON is malformed: it holds a lone surrogate, which UTF-8 cannot carry, at position 1.",
            id="json-surrogate",
        ),
        pytest.param(decode_json, b'{"name": ', "JSON is malformed: the document ends too early.", id="json-short"),
        pytest.param(decode_json, b'{"a" 1}', "JSON is malformed: unexpected input at byte 5.", id="json-syntax"),
        pytest.param(decode_json, b"[1]x", "JSON is malformed: unexpected input at byte 4.", id="json-trailing"),
        pytest.param(decode_json, b"[" * 100_000, "JSON is malformed: it is nested too deeply.", id="json-deep"),
        pytest.param(
            decode_msgpack, b"\x91\xa1\x80", "MessagePack data is malformed: a string is not valid UTF-8.", id="mp-utf8"
        ),
        pytest.param(
            decode_msgpack, b"\x92\x01", "MessagePack data is malformed: the document ends too early.", id="mp-short"
        ),
        pytest.param(decode_msgpack, b"\xc1", "MessagePack data is malformed: unexpected input at byte 0.", id="mp-op"),
        pytest.param(
            decode_msgpack,
            b"\x81\xd4\x01\x00\x01",
            "MessagePack data is malformed: a map key is a map or an extension value, which cannot be a key.",
            id="mp-ext-key",
        ),
        pytest.param(
            decode_msgpack,
            b"\x81\x80\x01",
            "MessagePack data is malformed: a map key is a map or an extension value, which cannot be a key.",
            id="mp-map-key",
        ),
    ],
)
def test_malformed_documents_get_outpours_sentence(decode: Any, document: bytes | str, message: str) -> None:
    with pytest.raises(SerializationException) as exc_info:
        decode(document)
    assert exc_info.value.detail == message


def test_decode_msgpack_errors() -> None:
    with pytest.raises(SerializationException, match=r"^Expected `int`, got `str` - at `\$\[0\]`$"):
        decode_msgpack(msgspec.msgpack.encode(["x"]), list[int])


UNSUPPORTED_DECODE = (
    f"Unsupported type: `Money` (from module `{__name__}`). Add a decoder for it to `type_decoders`, e.g. "
    "`type_decoders=[(lambda t: t is Money, lambda t, v: Money(v))]`, on the app, a router, a controller or a handler."
)


def test_unsupported_type_message() -> None:
    with pytest.raises(SerializationException) as exc_info:
        decode_json(b'{"money": 1, "path": "/"}', Wallet)
    assert exc_info.value.detail == f"{UNSUPPORTED_DECODE} - at `$.money`"
    with pytest.raises(TypeError) as type_error:
        default_deserializer(Money, 1)
    assert str(type_error.value) == UNSUPPORTED_DECODE


def test_unsupported_generic_alias_message() -> None:
    with pytest.raises(TypeError, match=r"^Unsupported type: `list\[int\]` \(from module `builtins`\)"):
        default_deserializer(list[int], 1)
    with pytest.raises(TypeError, match=r"^Unsupported type: `1`\. Add a decoder"):
        default_deserializer(1, 1)


def test_default_deserializer_passes_instances_through() -> None:
    path = Path("/a")
    assert default_deserializer(Path, path) is path
    money = Money(1)
    assert default_deserializer(Money, money) is money
    assert convert(path, Path) is path


def test_default_deserializer_on_types_that_refuse_isinstance() -> None:
    with pytest.raises(TypeError, match="Unsupported type: `ItemTD`"):
        default_deserializer(ItemTD, {"name": "x"})


def test_user_decoders_run_before_built_ins_in_order() -> None:
    decoders = [
        (lambda tp: tp is Money, lambda tp, value: "first"),
        (lambda tp: tp is Money, lambda tp, value: "second"),
        (lambda tp: isinstance(tp, type) and issubclass(tp, Path), lambda tp, value: tp(f"/custom{value}")),
    ]
    assert default_deserializer(Money, 1, decoders) == "first"
    assert decode_json(b'["/a"]', list[Path], decoders) == [Path("/custom/a")]


def test_user_decoder_errors_get_a_location() -> None:
    def refuse(tp: Any, value: Any) -> Any:
        raise ValueError(f"`{value}` is not money")

    with pytest.raises(SerializationException) as exc_info:
        decode_json(b'{"money": 1, "path": "/"}', Wallet, [(lambda tp: tp is Money, refuse)])
    assert exc_info.value.detail == "`1` is not money - at `$.money`"


def test_unhashable_annotation_is_decoded_without_caching() -> None:
    target = Annotated[Money, {"unhashable": True}]
    decoders = [(lambda tp: tp in (target, Money), lambda tp, value: Money(value))]  # msgspec passes `Money`
    assert default_deserializer(target, 5, decoders) == Money(5)
    assert default_deserializer(target, 6, decoders) == Money(6)
    assert convert(7, target, decoders) == Money(7)
    assert convert(8, target, decoders) == Money(8)
    assert convert("9", Annotated[int, {"unhashable": True}]) == 9


def test_model_validate_raising_a_plain_value_error_is_left_alone() -> None:
    class Odd(pydantic.BaseModel):
        @classmethod
        def model_validate(cls, obj: Any, **kwargs: Any) -> Odd:
            raise ValueError("plain")

    with pytest.raises(ValueError, match=r"^plain$"):
        default_deserializer(Odd, {})


def test_pydantic_root_level_error_has_no_location() -> None:
    with pytest.raises(ValueError, match=r"^Invalid `Address`: Input should be a valid dictionary or instance"):
        default_deserializer(Address, [1])


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        pytest.param("10", int, 10, id="int"),
        pytest.param("-1.5", float, -1.5, id="float"),
        pytest.param("true", bool, True, id="bool-true"),
        pytest.param("0", bool, False, id="bool-zero"),
        pytest.param(str(IDENT), uuid.UUID, IDENT, id="uuid"),
        pytest.param("2024-01-02", datetime.date, datetime.date(2024, 1, 2), id="date"),
        pytest.param("12:30:00", datetime.time, datetime.time(12, 30), id="time"),
        pytest.param(
            "2024-01-02T03:04:05Z",
            datetime.datetime,
            datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
            id="datetime",
        ),
        pytest.param("1.10", decimal.Decimal, decimal.Decimal("1.10"), id="decimal"),
        pytest.param("a", Kind, Kind.A, id="enum"),
        pytest.param(["1", "2"], list[int], [1, 2], id="list"),
        pytest.param(["1", "2"], collections.deque[int], collections.deque([1, 2]), id="deque-lax"),
        pytest.param({"name": "p", "price": "2", "tags": []}, Item, Item("p", decimal.Decimal(2)), id="dataclass"),
        pytest.param({"name": "p", "ident": str(IDENT)}, ItemAttrs, ItemAttrs("p", IDENT), id="attrs"),
        pytest.param({"name": "p", "age": "3"}, Person, Person(name="p", age=3), id="pydantic"),
        pytest.param(
            {"name": "p", "when": "2024-01-02"},
            ItemTD,
            {"name": "p", "when": datetime.date(2024, 1, 2)},
            id="typeddict",
        ),
        pytest.param({"name": "p", "counts": ["1"]}, ItemStruct, ItemStruct("p", [1]), id="struct"),
        pytest.param("/tmp", Path, Path("/tmp"), id="path"),
        pytest.param("10.1.2.3", ipaddress.IPv4Address, ipaddress.IPv4Address("10.1.2.3"), id="ip"),
    ],
)
def test_convert_is_lax_by_default(value: Any, target: Any, expected: Any) -> None:
    assert convert(value, target) == expected


def test_convert_strict_and_errors() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"^Expected `int`, got `str`$"):
        convert("10", int, strict=True)
    with pytest.raises(msgspec.ValidationError, match=r"^Expected `int`, got `str` - at `\$\[1\]`$"):
        convert(["1", "x"], list[int])
    with pytest.raises(msgspec.ValidationError, match=r"^Expected `int`, got `str` - at `\$\[0\]`$"):
        convert(["1"], collections.deque[int], strict=True)
    with pytest.raises(msgspec.ValidationError, match=r"^Invalid `Person`: `age`: Input should be a valid integer"):
        convert({"name": "p", "age": "x"}, Person)
    assert convert(2.5, Money, MONEY_DECODERS, strict=True) == Money(250)


def test_strict_flag_of_decode_functions() -> None:
    assert decode_json(b'{"a": "1"}', dict[str, int], strict=False) == {"a": 1}
    assert decode_msgpack(msgspec.msgpack.encode(["2"]), list[int], strict=False) == [2]
    with pytest.raises(SerializationException, match=r"^Expected `int`, got `str` - at `\$\[...\]`$"):
        decode_json(b'{"a": "1"}', dict[str, int])
    assert decode_json(b"[1]", Any, strict=False) == [1]


def test_decoders_are_cached() -> None:
    assert get_json_decoder(Item) is get_json_decoder(Item, None, True)
    assert get_json_decoder(Item) is not get_json_decoder(Item, strict=False)
    assert get_msgpack_decoder(Item, MONEY_DECODERS) is get_msgpack_decoder(Item, list(MONEY_DECODERS))
    assert get_msgpack_decoder(Item) is not get_msgpack_decoder(Item, MONEY_DECODERS)


def test_unhashable_decoders_and_types_are_not_cached() -> None:
    decoders: Any = [[lambda tp: tp is Money, lambda tp, value: Money(value)]]
    first = get_json_decoder(Money, decoders)
    assert first.decode(b"3") == Money(3)
    assert get_json_decoder(Money, decoders) is not first
    assert get_msgpack_decoder(Money, decoders).decode(b"\x03") == Money(3)
    target = Annotated[int, {"unhashable": True}]
    assert get_json_decoder(target).decode(b"4") == 4
    assert get_msgpack_decoder(target).decode(b"\x04") == 4


def test_get_deserializer_caching() -> None:
    assert get_deserializer() is get_deserializer(None, True) is get_deserializer([])
    assert get_deserializer(strict=False) is not get_deserializer(strict=True)
    first = get_deserializer(MONEY_DECODERS)
    assert get_deserializer(MONEY_DECODERS) is first
    assert get_deserializer(list(MONEY_DECODERS)) is first
    assert get_deserializer(MONEY_DECODERS, strict=False) is not first


def test_deserializer_type_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deserializers, "_MAX_CACHED_TYPES", 2)
    hook = deserializers._make_deserializer([(lambda tp: True, lambda tp, value: (tp, value))], True)
    classes = [type(f"Dyn{i}", (), {}) for i in range(4)]
    assert [hook(cls, i) for i, cls in enumerate(classes)] == list(zip(classes, range(4), strict=True))


def test_pydantic_type_decoders_are_not_used_without_pydantic(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "pydantic")
    assert deserializers._is_pydantic_type(pydantic.SecretStr) is False
