"""Pagination: the containers a paginated handler returns and the abstract paginators that build them.

Three styles are supported:

- classic: pages of ``page_size`` items, the client asks for ``current_page`` (``ClassicPagination``);
- limit/offset: ``limit`` items after skipping ``offset`` (``OffsetPagination``);
- cursor: ``results_per_page`` items after an opaque ``cursor`` (``CursorPagination``).

Implement ``get_total``/``get_items`` on a sync or async paginator and call the paginator from a handler; the
container it returns is serialized as JSON and documented in the OpenAPI schema with the item type.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from outpour.exceptions import ValidationException

__all__ = [
    "MAX_PAGINATION_INTEGER",
    "MIN_PAGINATION_INTEGER",
    "AbstractAsyncClassicPaginator",
    "AbstractAsyncCursorPaginator",
    "AbstractAsyncOffsetPaginator",
    "AbstractSyncClassicPaginator",
    "AbstractSyncCursorPaginator",
    "AbstractSyncOffsetPaginator",
    "ClassicPagination",
    "CursorPagination",
    "OffsetPagination",
]

T = TypeVar("T")
C = TypeVar("C")


@dataclass
class ClassicPagination(Generic[T]):
    """One page of a dataset divided into pages of ``page_size`` items.

    Attributes:
        items: The items of the page.
        page_size: The number of items per page.
        current_page: The page number, from 1.
        total_pages: The number of pages.
    """

    items: list[T]
    page_size: int
    current_page: int
    total_pages: int


@dataclass
class OffsetPagination(Generic[T]):
    """At most ``limit`` items of a dataset, after skipping ``offset`` items.

    Attributes:
        items: The items.
        limit: The most items asked for.
        offset: The number of items skipped.
        total: The number of items in the dataset.
    """

    items: list[T]
    limit: int
    offset: int
    total: int


@dataclass
class CursorPagination(Generic[C, T]):
    """At most ``results_per_page`` items following a cursor, and the cursor to ask for the next ones.

    Attributes:
        items: The items.
        results_per_page: The most items asked for.
        cursor: The cursor of the next page; None when there are no more items.
    """

    items: list[T]
    results_per_page: int
    cursor: C | None


def _invalid(name: str, value: Any, rule: str) -> ValidationException:
    return ValidationException(
        detail=f"Invalid pagination parameter `{name}`: got `{value!r}`, expected {rule}.",
        extra=[{"message": f"Expected {rule}", "key": name, "source": "query"}],
    )


MAX_PAGINATION_INTEGER = 2**63 - 1
"""The largest page size, page number, limit or offset a paginator takes: a database's 64-bit integer."""


def _check_positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGINATION_INTEGER:
        raise _invalid(name, value, f"an integer from 1 to {MAX_PAGINATION_INTEGER}")


MIN_PAGINATION_INTEGER = -(2**63)
"""The smallest integer cursor a cursor paginator takes: a database's 64-bit integer."""


def _check_cursor(cursor: object) -> None:
    """Refuse an integer cursor that no 64-bit database column holds (a 400, not the database's overflow error)."""
    if type(cursor) is int and not MIN_PAGINATION_INTEGER <= cursor <= MAX_PAGINATION_INTEGER:
        raise _invalid("cursor", cursor, f"an integer from {MIN_PAGINATION_INTEGER} to {MAX_PAGINATION_INTEGER}")


def _check_non_negative(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PAGINATION_INTEGER:
        raise _invalid(name, value, f"an integer from 0 to {MAX_PAGINATION_INTEGER}")


class AbstractSyncClassicPaginator(ABC, Generic[T]):
    """Builds ``ClassicPagination`` pages from sync ``get_total`` and ``get_items``.

    Calling it with a ``page_size`` or ``current_page`` below 1 (or above ``MAX_PAGINATION_INTEGER``) raises
    ``ValidationException`` (a 400).
    """

    @abstractmethod
    def get_total(self, page_size: int) -> int:
        """Return the number of pages.

        Args:
            page_size: The number of items per page.

        Returns:
            The number of pages.
        """

    @abstractmethod
    def get_items(self, page_size: int, current_page: int) -> list[T]:
        """Return the items of one page.

        Args:
            page_size: The number of items per page.
            current_page: The page number, from 1.

        Returns:
            The items.
        """

    def __call__(self, page_size: int, current_page: int) -> ClassicPagination[T]:
        """Return the page ``current_page`` of ``page_size`` items.

        Args:
            page_size: The number of items per page.
            current_page: The page number, from 1.

        Returns:
            The page.
        """
        _check_positive("page_size", page_size)
        _check_positive("current_page", current_page)
        total_pages = self.get_total(page_size=page_size)
        items = self.get_items(page_size=page_size, current_page=current_page)
        return ClassicPagination(
            items=list(items), page_size=page_size, current_page=current_page, total_pages=total_pages
        )


class AbstractAsyncClassicPaginator(ABC, Generic[T]):
    """Builds ``ClassicPagination`` pages from async ``get_total`` and ``get_items``; await the call."""

    @abstractmethod
    async def get_total(self, page_size: int) -> int:
        """Return the number of pages.

        Args:
            page_size: The number of items per page.

        Returns:
            The number of pages.
        """

    @abstractmethod
    async def get_items(self, page_size: int, current_page: int) -> list[T]:
        """Return the items of one page.

        Args:
            page_size: The number of items per page.
            current_page: The page number, from 1.

        Returns:
            The items.
        """

    async def __call__(self, page_size: int, current_page: int) -> ClassicPagination[T]:
        """Return the page ``current_page`` of ``page_size`` items.

        Args:
            page_size: The number of items per page.
            current_page: The page number, from 1.

        Returns:
            The page.
        """
        _check_positive("page_size", page_size)
        _check_positive("current_page", current_page)
        total_pages = await self.get_total(page_size=page_size)
        items = await self.get_items(page_size=page_size, current_page=current_page)
        return ClassicPagination(
            items=list(items), page_size=page_size, current_page=current_page, total_pages=total_pages
        )


class AbstractSyncOffsetPaginator(ABC, Generic[T]):
    """Builds ``OffsetPagination`` results from sync ``get_total`` and ``get_items``.

    Calling it with a negative ``limit`` or ``offset`` (or one above ``MAX_PAGINATION_INTEGER``) raises
    ``ValidationException`` (a 400).
    """

    @abstractmethod
    def get_total(self) -> int:
        """Return the number of items in the dataset.

        Returns:
            The number of items.
        """

    @abstractmethod
    def get_items(self, limit: int, offset: int) -> list[T]:
        """Return at most ``limit`` items after skipping ``offset``.

        Args:
            limit: The most items to return.
            offset: The number of items to skip.

        Returns:
            The items.
        """

    def __call__(self, limit: int, offset: int) -> OffsetPagination[T]:
        """Return at most ``limit`` items after skipping ``offset``, with the dataset's total.

        Args:
            limit: The most items to return.
            offset: The number of items to skip.

        Returns:
            The result.
        """
        _check_non_negative("limit", limit)
        _check_non_negative("offset", offset)
        total = self.get_total()
        items = self.get_items(limit=limit, offset=offset)
        return OffsetPagination(items=list(items), limit=limit, offset=offset, total=total)


class AbstractAsyncOffsetPaginator(ABC, Generic[T]):
    """Builds ``OffsetPagination`` results from async ``get_total`` and ``get_items``; await the call."""

    @abstractmethod
    async def get_total(self) -> int:
        """Return the number of items in the dataset.

        Returns:
            The number of items.
        """

    @abstractmethod
    async def get_items(self, limit: int, offset: int) -> list[T]:
        """Return at most ``limit`` items after skipping ``offset``.

        Args:
            limit: The most items to return.
            offset: The number of items to skip.

        Returns:
            The items.
        """

    async def __call__(self, limit: int, offset: int) -> OffsetPagination[T]:
        """Return at most ``limit`` items after skipping ``offset``, with the dataset's total.

        Args:
            limit: The most items to return.
            offset: The number of items to skip.

        Returns:
            The result.
        """
        _check_non_negative("limit", limit)
        _check_non_negative("offset", offset)
        total = await self.get_total()
        items = await self.get_items(limit=limit, offset=offset)
        return OffsetPagination(items=list(items), limit=limit, offset=offset, total=total)


class AbstractSyncCursorPaginator(ABC, Generic[C, T]):
    """Builds ``CursorPagination`` results from a sync ``get_items``.

    Calling it with a ``results_per_page`` below 1 (or above ``MAX_PAGINATION_INTEGER``), or with an integer
    ``cursor`` outside ``MIN_PAGINATION_INTEGER`` to ``MAX_PAGINATION_INTEGER`` (no 64-bit column holds it), raises
    ``ValidationException`` (a 400).
    """

    @abstractmethod
    def get_items(self, cursor: C | None, results_per_page: int) -> tuple[list[T], C | None]:
        """Return the items after ``cursor`` and the cursor of the next page.

        Args:
            cursor: Where to start; None for the beginning.
            results_per_page: The most items to return.

        Returns:
            The items and the next cursor (None when there are no more items).
        """

    def __call__(self, cursor: C | None, results_per_page: int) -> CursorPagination[C, T]:
        """Return at most ``results_per_page`` items after ``cursor``.

        Args:
            cursor: Where to start; None for the beginning.
            results_per_page: The most items to return.

        Returns:
            The result, with the next cursor.
        """
        _check_positive("results_per_page", results_per_page)
        _check_cursor(cursor)
        items, next_cursor = self.get_items(cursor=cursor, results_per_page=results_per_page)
        return CursorPagination(items=list(items), results_per_page=results_per_page, cursor=next_cursor)


class AbstractAsyncCursorPaginator(ABC, Generic[C, T]):
    """Builds ``CursorPagination`` results from an async ``get_items``; await the call.

    Its arguments are checked as ``AbstractSyncCursorPaginator``'s are.
    """

    @abstractmethod
    async def get_items(self, cursor: C | None, results_per_page: int) -> tuple[list[T], C | None]:
        """Return the items after ``cursor`` and the cursor of the next page.

        Args:
            cursor: Where to start; None for the beginning.
            results_per_page: The most items to return.

        Returns:
            The items and the next cursor (None when there are no more items).
        """

    async def __call__(self, cursor: C | None, results_per_page: int) -> CursorPagination[C, T]:
        """Return at most ``results_per_page`` items after ``cursor``.

        Args:
            cursor: Where to start; None for the beginning.
            results_per_page: The most items to return.

        Returns:
            The result, with the next cursor.
        """
        _check_positive("results_per_page", results_per_page)
        _check_cursor(cursor)
        items, next_cursor = await self.get_items(cursor=cursor, results_per_page=results_per_page)
        return CursorPagination(items=list(items), results_per_page=results_per_page, cursor=next_cursor)
