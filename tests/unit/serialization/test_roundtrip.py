"""Round trips through outpour.serialization, and hostile input, with Hypothesis."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import ipaddress
import uuid
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

import msgspec
import pydantic
from hypothesis import given
from hypothesis import strategies as st

from outpour.exceptions import SerializationException
from outpour.serialization import convert, decode_json, decode_msgpack, encode_json, encode_msgpack

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5),
    max_leaves=25,
)


@given(JSON_VALUES)
def test_json_round_trip(value: Any) -> None:
    assert decode_json(encode_json(value)) == value


@given(JSON_VALUES)
def test_msgpack_round_trip(value: Any) -> None:
    assert decode_msgpack(encode_msgpack(value)) == value


@given(JSON_VALUES)
def test_json_output_matches_msgspec(value: Any) -> None:
    assert encode_json(value) == msgspec.json.encode(value)
    assert encode_msgpack(value) == msgspec.msgpack.encode(value)


@dataclasses.dataclass
class Record:
    ident: uuid.UUID
    when: datetime.datetime
    path: PurePosixPath
    address: ipaddress.IPv4Address | None
    tags: list[str]


class RecordModel(pydantic.BaseModel):
    ident: uuid.UUID
    when: datetime.datetime
    path: PurePosixPath
    score: float


_DATETIMES = st.datetimes(timezones=st.just(datetime.UTC))
_PATHS = st.lists(st.text(alphabet="abcxyz_.-", min_size=1, max_size=8), max_size=4).map(
    lambda parts: PurePosixPath("/", *parts)
)
RECORDS = st.builds(
    Record,
    ident=st.uuids(),
    when=_DATETIMES,
    path=_PATHS,
    address=st.none() | st.ip_addresses(v=4),
    tags=st.lists(st.text(max_size=5), max_size=3),
)
MODELS = st.builds(
    RecordModel,
    ident=st.uuids(),
    when=_DATETIMES,
    path=_PATHS,
    score=st.floats(allow_nan=False, allow_infinity=False),
)


@given(RECORDS)
def test_typed_round_trip_with_encoder_types(record: Record) -> None:
    assert decode_json(encode_json(record), Record) == record
    assert decode_msgpack(encode_msgpack(record), Record) == record
    assert convert(msgspec.json.decode(encode_json(record)), Record) == record


@given(st.lists(MODELS, max_size=3))
def test_pydantic_round_trip(models: list[RecordModel]) -> None:
    assert decode_json(encode_json(models), list[RecordModel]) == models
    assert decode_msgpack(encode_msgpack(models), list[RecordModel]) == models


def _error_detail(decode: Callable[[], object]) -> str | None:
    """Run ``decode``: ``None`` when it succeeds, the exception's detail when it raises SerializationException."""
    try:
        decode()
    except SerializationException as exc:
        return exc.detail
    return None


@given(st.binary(max_size=64))
def test_hostile_json_only_raises_serialization_exception(data: bytes) -> None:
    for target in (Any, Record, list[RecordModel]):
        detail = _error_detail(functools.partial(decode_json, data, target))
        assert detail is None or detail.strip()


@given(st.binary(max_size=64))
def test_hostile_msgpack_only_raises_serialization_exception(data: bytes) -> None:
    for target in (Any, Record, list[RecordModel]):
        detail = _error_detail(functools.partial(decode_msgpack, data, target))
        assert detail is None or detail.strip()


@given(JSON_VALUES)
def test_wrong_shapes_only_raise_serialization_exception(value: Any) -> None:
    json_detail = _error_detail(lambda: decode_json(encode_json(value), Record))
    msgpack_detail = _error_detail(lambda: decode_msgpack(encode_msgpack(value), RecordModel))
    assert json_detail is None or json_detail.strip()
    assert msgpack_detail is None or msgpack_detail.strip()
