"""``MultiDict``, ``ImmutableMultiDict``, ``FormMultiDict`` and their base ``MultiMixin``: reads, writes, copies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour.datastructures import FormMultiDict, Headers, ImmutableMultiDict, MultiDict, MultiMixin, UploadFile

PAIRS = [("a", 1), ("b", 2), ("a", 3)]

pairs_strategy = st.lists(st.tuples(st.text(max_size=5), st.integers()), max_size=20)


@pytest.mark.parametrize(
    "cls", [pytest.param(MultiDict, id="mutable"), pytest.param(ImmutableMultiDict, id="immutable")]
)
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(lambda: None, [], id="none"),
        pytest.param(lambda: {"a": 1, "b": 2}, [("a", 1), ("b", 2)], id="mapping"),
        pytest.param(lambda: PAIRS, PAIRS, id="pairs"),
        pytest.param(lambda: iter(PAIRS), PAIRS, id="iterator"),
        pytest.param(lambda: MultiDict(PAIRS), PAIRS, id="multi-dict"),
        pytest.param(lambda: ImmutableMultiDict(PAIRS), PAIRS, id="immutable-multi-dict"),
    ],
)
def test_construction(cls: type[Any], source: Any, expected: list[tuple[str, int]]) -> None:
    assert cls(source()).multi_items() == expected


def test_reads() -> None:
    d = ImmutableMultiDict(PAIRS)
    assert d["a"] == 1
    assert d.get("a") == 1
    assert d.get("z") is None
    assert d.get("z", 7) == 7
    assert d.getall("a") == [1, 3]
    assert d.getall("z", [0]) == [0]
    assert "a" in d
    assert "z" not in d
    assert 1 not in cast(Any, d)
    assert len(d) == 3
    assert list(d) == ["a", "b", "a"]
    assert list(d.keys()) == ["a", "b", "a"]
    assert list(d.values()) == [1, 2, 3]
    assert list(d.items()) == PAIRS
    assert ("a", 3) in d.items()
    assert ("a", 2) not in d.items()
    assert ("z", 1) not in d.items()
    assert "a" not in cast(Any, d.items())
    assert 3 in d.values()
    assert 4 not in d.values()
    assert d.dict() == {"a": [1, 3], "b": [2]}


@pytest.mark.parametrize(
    "cls", [pytest.param(MultiDict, id="mutable"), pytest.param(ImmutableMultiDict, id="immutable")]
)
def test_getone_returns_the_first_value_or_raises(cls: type[Any]) -> None:
    d = cls(PAIRS)
    assert d.getone("a") == 1
    assert d.getone("z", 7) == 7
    assert d.getone("z", None) is None
    with pytest.raises(KeyError, match="'z'"):
        d.getone("z")


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        pytest.param([("a", 9), ("c", 4), ("c", 5)], {}, [*PAIRS, ("c", 4), ("c", 5)], id="new-key-gets-every-value"),
        pytest.param({"b": 9}, {}, PAIRS, id="held-key-kept"),
        pytest.param(MultiDict([("d", 1)]), {"e": 2, "a": 0}, [*PAIRS, ("d", 1), ("e", 2)], id="multi-dict-and-kwargs"),
        pytest.param(None, {}, PAIRS, id="nothing"),
    ],
)
def test_merge_adds_only_keys_not_held(args: Any, kwargs: dict[str, int], expected: list[tuple[str, int]]) -> None:
    d = MultiDict(PAIRS)
    d.merge(args, **kwargs)
    assert d.multi_items() == expected


def test_immutable_returns_an_immutable_copy() -> None:
    d = MultiDict(PAIRS)
    frozen = d.immutable()
    d.add("x", 0)
    assert isinstance(frozen, ImmutableMultiDict)
    assert frozen.multi_items() == PAIRS


def test_missing_key_raises_key_error() -> None:
    d = ImmutableMultiDict(PAIRS)
    with pytest.raises(KeyError):
        d["z"]
    with pytest.raises(KeyError):
        d.getall("z")


def test_getall_and_dict_return_copies() -> None:
    d = MultiDict(PAIRS)
    d.getall("a").append(99)
    d.dict()["a"].append(99)
    d.multi_items().append(("x", 0))
    assert d.getall("a") == [1, 3]
    assert len(d) == 3


def test_generic_subscription() -> None:
    d: MultiDict[int] = MultiDict[int]([("a", 1)])
    assert d["a"] == 1
    assert ImmutableMultiDict[str]({"a": "x"})["a"] == "x"


def test_setitem_replaces_all_values_at_first_position() -> None:
    d = MultiDict(PAIRS)
    d["a"] = 9
    assert d.multi_items() == [("a", 9), ("b", 2)]
    d["c"] = 4
    assert d.multi_items() == [("a", 9), ("b", 2), ("c", 4)]
    assert d.getall("a") == [9]


def test_delitem_removes_all_values() -> None:
    d = MultiDict(PAIRS)
    del d["a"]
    assert d.multi_items() == [("b", 2)]
    with pytest.raises(KeyError):
        del d["a"]


def test_add_and_extend() -> None:
    d: MultiDict[int] = MultiDict()
    d.add("a", 1)
    d.add("a", 2)
    d.extend([("b", 3)])
    d.extend({"a": 4})
    d.extend(MultiDict([("c", 5), ("c", 6)]))
    assert d.multi_items() == [("a", 1), ("a", 2), ("b", 3), ("a", 4), ("c", 5), ("c", 6)]
    assert d.getall("a") == [1, 2, 4]


def test_popall() -> None:
    d = MultiDict(PAIRS)
    assert d.popall("a") == [1, 3]
    assert d.multi_items() == [("b", 2)]
    assert d.popall("a", None) is None
    with pytest.raises(KeyError):
        d.popall("a")


@pytest.mark.parametrize("method", [pytest.param("pop", id="pop"), pytest.param("popone", id="popone")])
def test_pop_removes_first_value_only(method: str) -> None:
    d = MultiDict(PAIRS)
    pop = getattr(d, method)
    assert pop("a") == 1
    assert d.multi_items() == [("b", 2), ("a", 3)]
    assert pop("a") == 3
    assert "a" not in d
    assert pop("a", "default") == "default"
    with pytest.raises(KeyError):
        pop("a")


def test_popitem_removes_last_pair() -> None:
    d = MultiDict(PAIRS)
    assert d.popitem() == ("a", 3)
    assert d.getall("a") == [1]
    assert d.popitem() == ("b", 2)
    assert "b" not in d
    assert d.popitem() == ("a", 1)
    with pytest.raises(KeyError, match="empty"):
        d.popitem()


def test_clear_and_setdefault() -> None:
    d = MultiDict(PAIRS)
    assert d.setdefault("a", 5) == 1
    assert d.setdefault("z", 5) == 5
    assert d.getall("z") == [5]
    d.clear()
    assert len(d) == 0
    assert d.dict() == {}


def test_update_replaces_values() -> None:
    d = MultiDict(PAIRS)
    d.update({"a": 7, "c": 8})
    assert d.multi_items() == [("a", 7), ("b", 2), ("c", 8)]


@pytest.mark.parametrize(
    "cls", [pytest.param(MultiDict, id="mutable"), pytest.param(ImmutableMultiDict, id="immutable")]
)
def test_copy_is_independent_and_same_class(cls: type[Any]) -> None:
    d = cls(PAIRS)
    copied = d.copy()
    assert type(copied) is cls
    assert copied == d
    if isinstance(copied, MultiDict):
        copied.add("a", 4)
        assert d.getall("a") == [1, 3]


def test_immutable_to_mutable_and_back() -> None:
    immutable = ImmutableMultiDict(PAIRS)
    mutable = immutable.mutable_copy()
    assert isinstance(mutable, MultiDict)
    mutable.add("x", 0)
    assert "x" not in immutable
    back = mutable.immutable()
    assert isinstance(back, ImmutableMultiDict)
    assert back.multi_items() == [*PAIRS, ("x", 0)]


def test_immutable_has_no_writes() -> None:
    d: Any = ImmutableMultiDict(PAIRS)
    with pytest.raises(TypeError):
        d["a"] = 1
    assert not hasattr(d, "add")
    assert not hasattr(d, "popall")


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param(MultiDict(PAIRS), ImmutableMultiDict(PAIRS), True, id="same-pairs"),
        pytest.param(MultiDict(PAIRS), MultiDict(list(reversed(PAIRS))), False, id="order-matters"),
        pytest.param(MultiDict({"a": 1}), {"a": 1}, True, id="mapping-equal"),
        pytest.param(MultiDict({"a": 1}), {"a": 2}, False, id="mapping-value-differs"),
        pytest.param(MultiDict({"a": 1}), {"b": 1}, False, id="mapping-key-differs"),
        pytest.param(MultiDict(PAIRS), {"a": 1, "b": 2}, False, id="mapping-fewer"),
        pytest.param(MultiDict(PAIRS), [("a", 1)], False, id="not-a-mapping"),
    ],
)
def test_equality(left: Any, right: Any, expected: bool) -> None:
    assert (left == right) is expected


def test_not_hashable_and_repr() -> None:
    with pytest.raises(TypeError):
        hash(ImmutableMultiDict(PAIRS))
    assert repr(MultiDict([("a", 1)])) == "MultiDict([('a', 1)])"


def test_dict_is_encodable_by_type_encoder() -> None:
    d = MultiDict([("a", 1), ("a", 2)])
    encoded = msgspec.json.encode(d, enc_hook=lambda value: value.dict())
    assert encoded == b'{"a":[1,2]}'


@given(pairs_strategy)
def test_dict_groups_multi_items(pairs: list[tuple[str, int]]) -> None:
    d = MultiDict(pairs)
    assert d.multi_items() == pairs
    assert len(d) == len(pairs)
    grouped: dict[str, list[int]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    assert d.dict() == grouped
    for key, values in grouped.items():
        assert d[key] == values[0]
        assert d.getall(key) == values


@given(pairs_strategy, st.text(max_size=5), st.integers())
def test_setitem_then_getall_has_one_value(pairs: list[tuple[str, int]], key: str, value: int) -> None:
    d = MultiDict(pairs)
    d[key] = value
    assert d.getall(key) == [value]
    assert [pair for pair in d.multi_items() if pair[0] != key] == [pair for pair in pairs if pair[0] != key]


@pytest.mark.anyio
async def test_form_multi_dict_close_closes_files() -> None:
    upload = UploadFile("text/plain", "a.txt", b"data")
    form = FormMultiDict([("name", "value"), ("file", upload)])
    assert form["name"] == "value"
    await form.close()
    assert upload.file.closed


def test_multi_mixin_is_the_base_of_every_multi_valued_mapping() -> None:
    values: list[object] = [MultiDict([("a", "1")]), ImmutableMultiDict(), FormMultiDict(), Headers({"a": "1"})]
    assert all(isinstance(value, MultiMixin) for value in values)


def test_multi_mixin_derives_multi_items_and_dict_from_getall() -> None:
    class Tags(MultiMixin[str]):
        def __init__(self, pairs: list[tuple[str, str]]) -> None:
            self.pairs = pairs

        def getall(self, key: str, default: list[str] | None = None) -> list[str]:
            return [v for k, v in self.pairs if k == key] or (default if default is not None else [])

        def __getitem__(self, key: str) -> str:
            return self.getall(key)[0]

        def __iter__(self) -> Iterator[str]:
            return (k for k, _ in self.pairs)

        def __len__(self) -> int:
            return len(self.pairs)

    tags = Tags([("a", "1"), ("b", "2"), ("a", "3")])
    assert tags.multi_items() == [("a", "1"), ("a", "3"), ("b", "2")]
    assert tags.dict() == {"a": ["1", "3"], "b": ["2"]}


def test_headers_dict_groups_values_by_name() -> None:
    headers = Headers([(b"accept", b"a"), (b"x-tag", b"1"), (b"accept", b"b")])
    assert headers.dict() == {"accept": ["a", "b"], "x-tag": ["1"]}
