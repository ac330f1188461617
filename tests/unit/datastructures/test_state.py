"""``State`` and ``ImmutableState``: attribute and item access over a wrapped dict, copies and read-only errors."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from outpour.datastructures import ImmutableState, State


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(None, {}, id="none"),
        pytest.param({"a": 1}, {"a": 1}, id="dict"),
        pytest.param([("a", 1)], {"a": 1}, id="pairs"),
        pytest.param(State({"a": 1}), {"a": 1}, id="state"),
        pytest.param(ImmutableState({"a": 1}), {"a": 1}, id="immutable-state"),
    ],
)
@pytest.mark.parametrize("cls", [pytest.param(State, id="state"), pytest.param(ImmutableState, id="immutable")])
def test_construction(cls: type[ImmutableState], source: Any, expected: dict[str, Any]) -> None:
    assert cls(source).dict() == expected


def test_wraps_dict_without_copying() -> None:
    values: dict[str, Any] = {}
    state = State(values)
    state.a = 1
    state["b"] = 2
    assert values == {"a": 1, "b": 2}
    values["c"] = 3
    assert state.c == 3
    assert ImmutableState(values).c == 3
    assert State(state)._state is values


def test_deep_copy_option() -> None:
    values: dict[str, Any] = {"a": [1]}
    state = State(values, deep_copy=True)
    state.a.append(2)
    assert values == {"a": [1]}
    assert state.copy().a == [1, 2]
    assert state.copy().a is not state.a


def test_attribute_and_item_access() -> None:
    state = State({"a": 1})
    assert state.a == 1
    assert state["a"] == 1
    assert state.get("b") is None
    assert "a" in state
    assert len(state) == 1
    assert list(state) == ["a"]
    del state.a
    assert "a" not in state
    state["b"] = 2
    del state["b"]
    assert state.dict() == {}


def test_missing_attribute_message() -> None:
    state = State()
    with pytest.raises(AttributeError, match=r"State has no attribute `db`.*state.get\(\"db\"\)"):
        _ = state.db
    with pytest.raises(AttributeError, match="no attribute `db` to delete"):
        del state.db
    with pytest.raises(KeyError):
        state["db"]


def test_immutable_state_refuses_writes() -> None:
    state: Any = ImmutableState({"a": 1})
    assert state.a == 1
    with pytest.raises(AttributeError, match="read-only: cannot set `a`"):
        state.a = 2
    with pytest.raises(AttributeError, match="read-only: cannot delete `a`"):
        del state.a
    with pytest.raises(TypeError):
        state["a"] = 2
    assert state.a == 1


def test_copies() -> None:
    state = State({"a": 1})
    copied = state.copy()
    assert type(copied) is State
    copied.b = 2
    assert "b" not in state
    immutable = state.immutable_copy()
    assert type(immutable) is ImmutableState
    assert immutable == {"a": 1}
    mutable = immutable.mutable_copy()
    assert type(mutable) is State
    mutable.c = 3
    assert "c" not in immutable
    assert type(immutable.copy()) is ImmutableState


def test_dict_is_a_copy() -> None:
    state = State({"a": 1})
    state.dict()["b"] = 2
    assert "b" not in state


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param(State({"a": 1}), ImmutableState({"a": 1}), True, id="states"),
        pytest.param(State({"a": 1}), {"a": 1}, True, id="dict"),
        pytest.param(State({"a": 1}), {"a": 2}, False, id="dict-differs"),
        pytest.param(State({"a": 1}), [("a", 1)], False, id="not-a-mapping"),
    ],
)
def test_equality(left: Any, right: Any, expected: bool) -> None:
    assert (left == right) is expected


def test_not_hashable_and_repr() -> None:
    with pytest.raises(TypeError):
        hash(State())
    assert repr(State({"a": 1})) == "State({'a': 1})"


@pytest.mark.parametrize(
    "clone",
    [
        pytest.param(copy.copy, id="copy"),
        pytest.param(copy.deepcopy, id="deepcopy"),
        pytest.param(lambda s: pickle.loads(pickle.dumps(s)), id="pickle"),
    ],
)
def test_copy_and_pickle(clone: Any) -> None:
    state = State({"a": [1]})
    cloned = clone(state)
    assert type(cloned) is State
    assert cloned == state
    cloned.b = 2
    assert "b" not in state


@pytest.mark.parametrize("kind", [pytest.param(ImmutableState, id="immutable"), pytest.param(State, id="mutable")])
def test_validate_builds_a_state_of_its_class(kind: type[ImmutableState]) -> None:
    state = kind.validate([("a", 1)])
    assert (type(state), state.dict()) == (kind, {"a": 1})
