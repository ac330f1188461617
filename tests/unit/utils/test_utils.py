"""``outpour.utils``: the predicates, ``ensure_async_callable`` and the small helpers, under Litestar's import paths."""

from __future__ import annotations

import dataclasses
import inspect
from collections import OrderedDict, defaultdict, deque
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from functools import partial
from typing import Annotated, Any, ClassVar, Generic, Optional, Protocol, TypeVar, Union

import pytest

from outpour import Response
from outpour.pagination import ClassicPagination
from outpour.types import Empty
from outpour.utils import (
    ensure_async_callable,
    get_exception_group,
    is_any,
    is_async_callable,
    is_class_and_subclass,
    is_class_var,
    is_dataclass_class,
    is_generic,
    is_mapping,
    is_non_string_iterable,
    is_non_string_sequence,
    is_optional_union,
    is_undefined_sentinel,
    is_union,
    unique_name_for_scope,
    unwrap_partial,
)

T = TypeVar("T")


class Base: ...


class NotRuntimeCheckable(Protocol):
    def method(self) -> None: ...


class Child(Base): ...


@dataclasses.dataclass
class Point(Generic[T]):
    x: T


class AsyncCall:
    async def __call__(self) -> None: ...

    async def method(self) -> None: ...


class SyncCall:
    def __call__(self) -> None: ...


async def coroutine_function() -> None: ...


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


def plain_function() -> None: ...


async def async_generator_function() -> AsyncIterator[int]:
    yield 1


@pytest.mark.parametrize(
    ("annotation", "parent", "expected"),
    [
        pytest.param(Child, Base, True, id="subclass"),
        pytest.param(Base, Child, False, id="superclass"),
        pytest.param(Response[int], Response, True, id="generic-alias-origin"),
        pytest.param(Child(), Base, False, id="instance"),
        pytest.param(int | str, int, False, id="union"),
        pytest.param(dict[str, int], (list, dict), True, id="tuple-of-classes"),
        pytest.param(Base, NotRuntimeCheckable, False, id="issubclass-refuses"),
    ],
)
def test_is_class_and_subclass(annotation: Any, parent: Any, expected: bool) -> None:
    assert is_class_and_subclass(annotation, parent) is expected


@pytest.mark.parametrize(
    ("annotation", "iterable", "sequence", "mapping"),
    [
        pytest.param(list[int], True, True, False, id="list"),
        pytest.param(tuple[int, ...], True, True, False, id="tuple"),
        pytest.param(frozenset, True, True, False, id="frozenset"),
        pytest.param(deque[int], True, True, False, id="deque"),
        pytest.param(Iterable[int], True, False, False, id="Iterable"),
        pytest.param(Sequence[str], True, True, False, id="Sequence"),
        pytest.param(OrderedDict, True, False, True, id="OrderedDict"),
        pytest.param(defaultdict[str, int], True, False, True, id="defaultdict"),
        pytest.param(Mapping, True, False, True, id="Mapping"),
        pytest.param(str, False, False, False, id="str"),
        pytest.param(bytes, False, False, False, id="bytes"),
        pytest.param(int | None, False, False, False, id="union"),
        pytest.param([1, 2], False, False, False, id="a-list-value"),
    ],
)
def test_collection_predicates(annotation: Any, iterable: bool, sequence: bool, mapping: bool) -> None:
    assert (is_non_string_iterable(annotation), is_non_string_sequence(annotation), is_mapping(annotation)) == (
        iterable,
        sequence,
        mapping,
    )


@pytest.mark.parametrize(
    ("annotation", "union", "optional", "any_"),
    [
        pytest.param(Optional[int], True, True, False, id="Optional"),  # noqa: UP045
        pytest.param(Union[int, str], True, False, False, id="Union"),  # noqa: UP007
        pytest.param(int | str | None, True, True, False, id="pipe-with-None"),
        pytest.param(Any | int, True, False, True, id="union-with-Any"),
        pytest.param(Any, False, False, True, id="Any"),
        pytest.param(int, False, False, False, id="int"),
        pytest.param(None, False, False, False, id="None"),
    ],
)
def test_union_predicates(annotation: Any, union: bool, optional: bool, any_: bool) -> None:
    assert (is_union(annotation), is_optional_union(annotation), is_any(annotation)) == (union, optional, any_)


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        pytest.param(ClassVar[int], True, id="ClassVar"),
        pytest.param(ClassVar, True, id="bare-ClassVar"),
        pytest.param(Annotated[ClassVar[str], "doc"], True, id="Annotated-ClassVar"),
        pytest.param(Annotated[int, "doc"], False, id="Annotated-int"),
        pytest.param(int, False, id="int"),
    ],
)
def test_is_class_var(annotation: Any, expected: bool) -> None:
    assert is_class_var(annotation) is expected


@pytest.mark.parametrize(
    ("annotation", "dataclass_class", "generic"),
    [
        pytest.param(Point, True, True, id="generic-dataclass"),
        pytest.param(Point[int], True, True, id="parametrised"),
        pytest.param(ClassicPagination[int], True, True, id="pagination"),
        pytest.param(Point(1), False, False, id="instance"),
        pytest.param(dict, False, False, id="dict"),
    ],
)
def test_dataclass_and_generic_predicates(annotation: Any, dataclass_class: bool, generic: bool) -> None:
    assert (is_dataclass_class(annotation), is_generic(annotation)) == (dataclass_class, generic)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(coroutine_function, True, id="async-def"),
        pytest.param(AsyncCall(), True, id="async-__call__"),
        pytest.param(AsyncCall, True, id="class-with-async-__call__"),
        pytest.param(AsyncCall().method, True, id="async-method"),
        pytest.param(partial(partial(coroutine_function)), True, id="nested-partial"),
        pytest.param(plain_function, False, id="def"),
        pytest.param(SyncCall(), False, id="sync-__call__"),
        pytest.param(async_generator_function, False, id="async-generator"),
        pytest.param(1, False, id="not-callable"),
    ],
)
def test_is_async_callable(value: Any, expected: bool) -> None:
    assert is_async_callable(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(Empty, True, id="Empty"),
        pytest.param(inspect.Parameter.empty, True, id="inspect-empty"),
        pytest.param(dataclasses.MISSING, True, id="MISSING"),
        pytest.param(..., True, id="Ellipsis"),
        pytest.param(None, False, id="None"),
        pytest.param(0, False, id="zero"),
    ],
)
def test_is_undefined_sentinel(value: Any, expected: bool) -> None:
    assert is_undefined_sentinel(value) is expected


@pytest.mark.anyio
async def test_ensure_async_callable_wraps_sync_callables_and_keeps_async_ones() -> None:
    calls: list[tuple[Any, ...]] = []

    def record(*args: Any, **kwargs: Any) -> str:
        calls.append((args, kwargs))
        return "done"

    wrapped = ensure_async_callable(record)
    assert inspect.iscoroutinefunction(wrapped)
    assert wrapped.__name__ == "record"
    assert await wrapped(1, key="v") == "done"
    assert calls == [((1,), {"key": "v"})]

    counter = Counter()
    await ensure_async_callable(counter)()
    assert counter.count == 1
    async_instance = AsyncCall()
    assert ensure_async_callable(async_instance) is async_instance
    assert ensure_async_callable(coroutine_function) is coroutine_function
    bound: partial[Any] = partial(coroutine_function)
    assert ensure_async_callable(bound) is bound
    assert await ensure_async_callable(partial(record, 2))() == "done"


def test_helpers() -> None:
    def target(a: int, b: int) -> int:
        return a + b

    assert unwrap_partial(partial(partial(target, 1), 2)) is target
    assert unwrap_partial(target) is target
    assert unique_name_for_scope("x", {"x", "x_0", "x_1"}) == "x_2"
    assert unique_name_for_scope("y", ["x_0"]) == "y_0"
    assert get_exception_group() is ExceptionGroup
