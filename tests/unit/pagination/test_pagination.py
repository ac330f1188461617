"""The pagination containers and the six abstract paginators, called as the guide calls them."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docs.examples.pagination import using_classic_pagination, using_cursor_pagination, using_offset_pagination
from outpour import Outpour, get
from outpour.exceptions import ValidationException
from outpour.pagination import (
    MAX_PAGINATION_INTEGER,
    MIN_PAGINATION_INTEGER,
    AbstractAsyncClassicPaginator,
    AbstractAsyncCursorPaginator,
    AbstractAsyncOffsetPaginator,
    AbstractSyncClassicPaginator,
    AbstractSyncCursorPaginator,
    AbstractSyncOffsetPaginator,
    ClassicPagination,
    CursorPagination,
    OffsetPagination,
)
from outpour.testing import TestClient


@dataclass
class Item:
    n: int


class ListClassic(AbstractSyncClassicPaginator[int]):
    def __init__(self, data: list[int]) -> None:
        self.data = data

    def get_total(self, page_size: int) -> int:
        return math.ceil(len(self.data) / page_size)

    def get_items(self, page_size: int, current_page: int) -> list[int]:
        return self.data[(current_page - 1) * page_size : current_page * page_size]


class AsyncListClassic(AbstractAsyncClassicPaginator[int]):
    def __init__(self, data: list[int]) -> None:
        self.data = data

    async def get_total(self, page_size: int) -> int:
        return math.ceil(len(self.data) / page_size)

    async def get_items(self, page_size: int, current_page: int) -> list[int]:
        return self.data[(current_page - 1) * page_size : current_page * page_size]


class ListOffset(AbstractSyncOffsetPaginator[int]):
    def __init__(self, data: list[int]) -> None:
        self.data = data

    def get_total(self) -> int:
        return len(self.data)

    def get_items(self, limit: int, offset: int) -> list[int]:
        return self.data[offset : offset + limit]


class AsyncListOffset(AbstractAsyncOffsetPaginator[int]):
    def __init__(self, data: list[int]) -> None:
        self.data = data

    async def get_total(self) -> int:
        return len(self.data)

    async def get_items(self, limit: int, offset: int) -> list[int]:
        return self.data[offset : offset + limit]


def _after(data: list[int], cursor: int | None, size: int) -> tuple[list[int], int | None]:
    start = 0 if cursor is None else data.index(cursor) + 1
    page = data[start : start + size]
    return page, (page[-1] if page and start + size < len(data) else None)


class ListCursor(AbstractSyncCursorPaginator[int, int]):
    def __init__(self, data: list[int]) -> None:
        self.data = data

    def get_items(self, cursor: int | None, results_per_page: int) -> tuple[list[int], int | None]:
        return _after(self.data, cursor, results_per_page)


class AsyncListCursor(AbstractAsyncCursorPaginator[int, int]):
    def __init__(self, data: list[int]) -> None:
        self.data = data

    async def get_items(self, cursor: int | None, results_per_page: int) -> tuple[list[int], int | None]:
        return _after(self.data, cursor, results_per_page)


DATA = list(range(1, 24))


def test_sync_paginators_build_their_containers() -> None:
    assert ListClassic(DATA)(page_size=10, current_page=3) == ClassicPagination(
        items=[21, 22, 23], page_size=10, current_page=3, total_pages=3
    )
    assert ListOffset(DATA)(limit=5, offset=20) == OffsetPagination(items=[21, 22, 23], limit=5, offset=20, total=23)
    assert ListCursor(DATA)(cursor=20, results_per_page=2) == CursorPagination(
        items=[21, 22], results_per_page=2, cursor=22
    )
    assert ListCursor(DATA)(cursor=22, results_per_page=2).cursor is None


@pytest.mark.anyio
async def test_async_paginators_build_their_containers() -> None:
    assert await AsyncListClassic(DATA)(page_size=10, current_page=1) == ClassicPagination(
        items=DATA[:10], page_size=10, current_page=1, total_pages=3
    )
    assert await AsyncListOffset(DATA)(limit=2, offset=0) == OffsetPagination(items=[1, 2], limit=2, offset=0, total=23)
    assert await AsyncListCursor(DATA)(cursor=None, results_per_page=3) == CursorPagination(
        items=[1, 2, 3], results_per_page=3, cursor=3
    )


@pytest.mark.parametrize(
    ("call", "key"),
    [
        pytest.param(lambda: ListClassic(DATA)(page_size=0, current_page=1), "page_size", id="classic-page-size-0"),
        pytest.param(lambda: ListClassic(DATA)(page_size=5, current_page=0), "current_page", id="classic-page-0"),
        pytest.param(lambda: ListClassic(DATA)(page_size=True, current_page=1), "page_size", id="classic-bool"),
        pytest.param(lambda: ListOffset(DATA)(limit=-1, offset=0), "limit", id="offset-negative-limit"),
        pytest.param(lambda: ListOffset(DATA)(limit=1, offset=-5), "offset", id="offset-negative-offset"),
        pytest.param(lambda: ListOffset(DATA)(limit="3", offset=0), "limit", id="offset-string"),  # type: ignore[arg-type]
        pytest.param(lambda: ListCursor(DATA)(cursor=None, results_per_page=0), "results_per_page", id="cursor-0"),
        pytest.param(lambda: ListOffset(DATA)(limit=1, offset=2**63), "offset", id="offset-beyond-64-bits"),
        pytest.param(lambda: ListCursor(DATA)(cursor=2**63, results_per_page=1), "cursor", id="cursor-beyond-64-bits"),
        pytest.param(
            lambda: ListCursor(DATA)(cursor=-(2**63) - 1, results_per_page=1), "cursor", id="cursor-below-64-bits"
        ),
        pytest.param(
            lambda: ListClassic(DATA)(page_size=10**30, current_page=1), "page_size", id="classic-beyond-64-bits"
        ),
    ],
)
def test_bad_pagination_parameters_are_a_400(call: object, key: str) -> None:
    with pytest.raises(ValidationException) as info:
        call()  # type: ignore[operator]
    assert info.value.status_code == 400
    assert f"`{key}`" in info.value.detail
    assert info.value.extra == [{"message": info.value.extra[0]["message"], "key": key, "source": "query"}]  # type: ignore[index]


def test_the_largest_64_bit_values_are_accepted() -> None:
    assert ListOffset(DATA)(limit=MAX_PAGINATION_INTEGER, offset=MAX_PAGINATION_INTEGER).items == []
    extremes = ListCursor([MIN_PAGINATION_INTEGER, 0, MAX_PAGINATION_INTEGER])
    assert extremes(cursor=MIN_PAGINATION_INTEGER, results_per_page=1).items == [0]
    assert extremes(cursor=MAX_PAGINATION_INTEGER, results_per_page=1).items == []


def test_cursors_that_are_not_integers_are_left_to_the_paginator() -> None:
    class Named(AbstractSyncCursorPaginator[str, str]):
        def get_items(self, cursor: str | None, results_per_page: int) -> tuple[list[str], str | None]:
            return [f"after {cursor}"], None

    assert Named()(cursor="z" * 100, results_per_page=1).items == ["after " + "z" * 100]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "paginator",
    [
        pytest.param(lambda: AsyncListClassic(DATA)(page_size=0, current_page=1), id="classic"),
        pytest.param(lambda: AsyncListOffset(DATA)(limit=-1, offset=0), id="offset"),
        pytest.param(lambda: AsyncListCursor(DATA)(cursor=None, results_per_page=-2), id="cursor"),
        pytest.param(lambda: AsyncListCursor(DATA)(cursor=10**30, results_per_page=2), id="cursor-beyond-64-bits"),
    ],
)
async def test_async_paginators_check_parameters(paginator: object) -> None:
    with pytest.raises(ValidationException):
        await paginator()  # type: ignore[operator]


@given(
    data=st.lists(st.integers(MIN_PAGINATION_INTEGER, MAX_PAGINATION_INTEGER), max_size=60, unique=True),
    size=st.integers(min_value=1, max_value=70),
)
def test_walking_every_page_yields_the_dataset(data: list[int], size: int) -> None:
    classic = ListClassic(data)
    pages = classic(page_size=size, current_page=1).total_pages
    assert [x for page in range(1, pages + 1) for x in classic(page_size=size, current_page=page).items] == data
    offset = ListOffset(data)
    assert [x for start in range(0, len(data), size) for x in offset(limit=size, offset=start).items] == data
    cursor: int | None = None
    walked: list[int] = []
    while True:
        result = ListCursor(data)(cursor=cursor, results_per_page=size)
        walked.extend(result.items)
        if result.cursor is None:
            break
        cursor = result.cursor
    assert walked == data


@pytest.mark.parametrize(
    ("module", "query", "expected"),
    [
        pytest.param(
            using_classic_pagination,
            "page_size=10&current_page=5",
            {"page_size": 10, "current_page": 5, "total_pages": 5, "first": "p041", "count": 7},
            id="classic",
        ),
        pytest.param(
            using_offset_pagination,
            "limit=10&offset=39",
            {"limit": 10, "offset": 39, "total": 50, "first": "p040", "count": 10},
            id="offset",
        ),
        pytest.param(
            using_cursor_pagination,
            "results_per_page=5&cursor=p010",
            {"results_per_page": 5, "cursor": "p015", "first": "p011", "count": 5},
            id="cursor",
        ),
    ],
)
def test_the_guide_examples_paginate(module: object, query: str, expected: dict[str, object]) -> None:
    with TestClient(module.app) as client:  # type: ignore[attr-defined]
        body = client.get(f"/people?{query}").json()
    items = body.pop("items")
    assert {**body, "first": items[0]["id"], "count": len(items)} == expected


def test_hostile_pagination_queries_are_client_errors() -> None:
    with TestClient(using_classic_pagination.app) as client:
        zero = client.get("/people?page_size=0&current_page=1")
        text = client.get("/people?page_size=ten&current_page=1")
    assert (zero.status_code, zero.json()["extra"][0]["key"]) == (400, "page_size")
    assert text.status_code == 400


def test_containers_serialize_with_their_items() -> None:
    @get("/items")
    async def items() -> OffsetPagination[Item]:
        return OffsetPagination(items=[Item(1), Item(2)], limit=2, offset=0, total=9)

    with TestClient(Outpour([items])) as client:
        response = client.get("/items")
    assert response.json() == {"items": [{"n": 1}, {"n": 2}], "limit": 2, "offset": 0, "total": 9}
