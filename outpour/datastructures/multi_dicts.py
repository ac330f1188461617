"""Multi-value dictionaries: ``MultiDict``, ``ImmutableMultiDict`` and the request form's ``FormMultiDict``.

They behave like the ``multidict`` library's classes: a key may hold several values, in insertion order;
``d[key]`` and ``d.get(key)`` give the first one and ``getall`` gives all of them. Iteration, ``len``, ``keys()``,
``values()`` and ``items()`` cover every ``(key, value)`` pair, repeated keys included; ``dict()`` groups the values by
key. Keys are case-sensitive strings.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, MutableMapping, ValuesView
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar, overload

from outpour.datastructures.upload_file import UploadFile

if TYPE_CHECKING:
    from typing import Self

__all__ = ["FormMultiDict", "ImmutableMultiDict", "MultiDict", "MultiMixin"]

T = TypeVar("T")
D = TypeVar("D")

MultiDictSource: TypeAlias = "_MultiBase[T] | Mapping[str, T] | Iterable[tuple[str, T]] | None"
"""What a multi-dict is built from: another multi-dict, a mapping (one value per key) or ``(key, value)`` pairs."""

_MISSING: Any = object()


def _pairs_of(source: Any) -> list[tuple[str, Any]]:
    """Turn any accepted source into a new list of ``(key, value)`` pairs."""
    if source is None:
        return []
    if isinstance(source, _MultiBase):
        return list(source._list)
    if isinstance(source, Mapping):
        return list(source.items())
    return [(key, value) for key, value in source]


def _index_of(pairs: list[tuple[str, T]]) -> dict[str, list[T]]:
    """Group the values of ``pairs`` by key, keeping their order."""
    index: dict[str, list[T]] = {}
    for key, value in pairs:
        values = index.get(key)
        if values is None:
            index[key] = [value]
        else:
            values.append(value)
    return index


class MultiMixin(Mapping[str, T], ABC, Generic[T]):
    """What every multi-valued mapping offers (the multi-dicts and ``Headers``): all values of a key, all pairs.

    A subclass implements ``getall`` and the ``Mapping`` methods; ``multi_items`` and ``dict`` follow from them.
    """

    __slots__ = ()

    @abstractmethod
    def getall(self, key: str, default: list[T] | None = None) -> list[T]:
        """Return every value of ``key``, in order.

        Args:
            key: The key.
            default: Returned when the key is absent.

        Returns:
            A new list of the values.

        Raises:
            KeyError: When the key is absent and no ``default`` is given.
        """

    @overload
    def getone(self, key: str, /) -> T: ...

    @overload
    def getone(self, key: str, /, default: D) -> T | D: ...

    def getone(self, key: str, /, default: Any = _MISSING) -> Any:
        """Return the first value of ``key``, as ``self[key]`` does, or ``default`` when the key is absent.

        Args:
            key: The key.
            default: What to return when ``key`` is absent.

        Returns:
            The first value of ``key``, or ``default``.

        Raises:
            KeyError: When ``key`` is absent and no ``default`` was given.
        """
        try:
            return self[key]
        except KeyError:
            if default is _MISSING:
                raise
            return default

    def multi_items(self) -> list[tuple[str, T]]:
        """Return every ``(key, value)`` pair.

        This implementation groups the pairs by key, in order of first appearance; the multi-dicts and ``Headers``
        override it to keep the order the pairs were added in.

        Returns:
            A new list of the pairs.
        """
        return [(key, value) for key in dict.fromkeys(self) for value in self.getall(key)]

    def dict(self) -> dict[str, list[T]]:
        """Return the values grouped by key, the shape a JSON encoder can render.

        Returns:
            A new dict mapping each key, in order of first appearance, to a new list of its values.
        """
        return {key: self.getall(key) for key in dict.fromkeys(self)}


class _MultiBase(MultiMixin[T]):
    """The read-only part shared by every multi-dict: an ordered list of pairs and an index of values by key."""

    __slots__ = ("_index", "_list")

    def __init__(self, args: MultiDictSource[T] = None) -> None:
        self._list: list[tuple[str, T]] = _pairs_of(args)
        self._index: dict[str, list[T]] = _index_of(self._list)

    @classmethod
    def _from_pairs(cls, pairs: list[tuple[str, T]]) -> Self:
        """Build an instance that takes ownership of ``pairs`` (no copy)."""
        instance = cls.__new__(cls)
        instance._list = pairs
        instance._index = _index_of(pairs)
        return instance

    def __getitem__(self, key: str) -> T:
        return self._index[key][0]

    @overload
    def get(self, key: str, /) -> T | None: ...

    @overload
    def get(self, key: str, default: T, /) -> T: ...

    @overload
    def get(self, key: str, /, default: T | D) -> T | D: ...

    def get(self, key: str, /, default: Any = None) -> Any:
        """Return the first value of ``key``, or ``default`` when the key is absent.

        Args:
            key: The key.
            default: What to return when ``key`` is absent.

        Returns:
            The first value of ``key``, or ``default``.
        """
        values = self._index.get(key)
        return default if values is None else values[0]

    def getall(self, key: str, default: list[T] | None = None) -> list[T]:
        """Return every value of ``key``, in insertion order.

        Args:
            key: The key.
            default: What to return when ``key`` is absent.

        Returns:
            A new list of the values, or ``default`` when the key is absent.

        Raises:
            KeyError: When ``key`` is absent and no ``default`` was given.
        """
        values = self._index.get(key)
        if values is not None:
            return list(values)
        if default is None:
            raise KeyError(key)
        return default

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self._list)

    def __len__(self) -> int:
        return len(self._list)

    def keys(self) -> KeysView[str]:
        """Return a view of every key, once per value (repeated keys included)."""
        return KeysView(self)

    def items(self) -> ItemsView[str, T]:
        """Return a view of every ``(key, value)`` pair, repeated keys included."""
        return _MultiItemsView(self)

    def values(self) -> ValuesView[T]:
        """Return a view of every value, repeated keys included."""
        return _MultiValuesView(self)

    def multi_items(self) -> list[tuple[str, T]]:
        """Return every ``(key, value)`` pair.

        Returns:
            A new list of the pairs, in insertion order.
        """
        return list(self._list)

    def dict(self) -> dict[str, list[T]]:
        """Return the values grouped by key, the shape a JSON encoder can render.

        Returns:
            A new dict mapping each key, in order of first appearance, to a new list of its values.
        """
        return {key: list(values) for key, values in self._index.items()}

    def copy(self) -> Self:
        """Return a shallow copy of the same class.

        Returns:
            A new multi-dict holding the same pairs.
        """
        return self._from_pairs(list(self._list))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _MultiBase):
            return self._list == other._list
        if isinstance(other, Mapping):
            return len(self._list) == len(other) and all(
                key in other and other[key] == value for key, value in self._list
            )
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._list!r})"


class _MultiItemsView(ItemsView[str, T]):
    __slots__ = ()
    _mapping: _MultiBase[T]

    def __iter__(self) -> Iterator[tuple[str, T]]:
        return iter(self._mapping._list)

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 2:
            return False
        values = self._mapping._index.get(item[0])
        return values is not None and item[1] in values


class _MultiValuesView(ValuesView[T]):
    __slots__ = ()
    _mapping: _MultiBase[T]

    def __iter__(self) -> Iterator[T]:
        return (value for _, value in self._mapping._list)

    def __contains__(self, value: object) -> bool:
        return any(item == value for _, item in self._mapping._list)


class ImmutableMultiDict(_MultiBase[T]):
    """An immutable multi-value dictionary, such as a request's query parameters.

    ``d[key]`` is the first value of ``key``; ``getall(key)`` returns all of them. Iteration and ``len`` count every
    ``(key, value)`` pair; ``dict()`` groups the values by key. Instances are not hashable.

    Args:
        args: Another multi-dict, a mapping (one value per key) or an iterable of ``(key, value)`` pairs.
    """

    __slots__ = ()

    def mutable_copy(self) -> MultiDict[T]:
        """Return a mutable copy.

        Returns:
            A new ``MultiDict`` holding the same pairs.
        """
        return MultiDict._from_pairs(list(self._list))


class MultiDict(_MultiBase[T], MutableMapping[str, T]):
    """A mutable multi-value dictionary.

    ``d[key]`` is the first value of ``key``; ``d[key] = value`` replaces every value of ``key`` by ``value`` (kept at the
    position of the first one); ``add`` appends another value; ``del d[key]`` removes every value. Iteration and
    ``len`` count every ``(key, value)`` pair; ``dict()`` groups the values by key.

    Args:
        args: Another multi-dict, a mapping (one value per key) or an iterable of ``(key, value)`` pairs.
    """

    __slots__ = ()

    def __setitem__(self, key: str, value: T) -> None:
        if key not in self._index:
            self._list.append((key, value))
        else:
            pairs: list[tuple[str, T]] = []
            placed = False
            for pair in self._list:
                if pair[0] != key:
                    pairs.append(pair)
                elif not placed:
                    pairs.append((key, value))
                    placed = True
            self._list = pairs
        self._index[key] = [value]

    def __delitem__(self, key: str) -> None:
        del self._index[key]
        self._list = [pair for pair in self._list if pair[0] != key]

    def add(self, key: str, value: T) -> None:
        """Append a value to ``key``, keeping its other values.

        Args:
            key: The key.
            value: The value to append.
        """
        self._list.append((key, value))
        values = self._index.get(key)
        if values is None:
            self._index[key] = [value]
        else:
            values.append(value)

    def extend(self, args: MultiDictSource[T]) -> None:
        """Append every pair of ``args``, keeping the values already held.

        Args:
            args: Another multi-dict, a mapping (one value per key) or an iterable of ``(key, value)`` pairs.
        """
        for key, value in _pairs_of(args):
            self.add(key, value)

    def merge(self, args: MultiDictSource[T] = None, /, **kwargs: T) -> None:
        """Add the pairs of ``args`` and ``kwargs`` whose keys this multi-dict does not hold yet, as ``multidict`` does.

        A key already held keeps its values; a new key gets every value given for it, in order.

        Args:
            args: Another multi-dict, a mapping (one value per key) or an iterable of ``(key, value)`` pairs.
            **kwargs: More pairs, after those of ``args``.
        """
        held = set(self._index)
        for key, value in [*_pairs_of(args), *kwargs.items()]:
            if key not in held:
                self.add(key, value)

    @overload
    def popall(self, key: str, /) -> list[T]: ...

    @overload
    def popall(self, key: str, /, default: D) -> list[T] | D: ...

    def popall(self, key: str, /, default: Any = _MISSING) -> Any:
        """Remove ``key`` and return all its values.

        Args:
            key: The key.
            default: What to return when ``key`` is absent.

        Returns:
            The values of ``key``, in insertion order, or ``default``.

        Raises:
            KeyError: When ``key`` is absent and no ``default`` was given.
        """
        values = self._index.get(key)
        if values is None:
            if default is _MISSING:
                raise KeyError(key)
            return default
        del self[key]
        return values

    @overload
    def popone(self, key: str, /) -> T: ...

    @overload
    def popone(self, key: str, /, default: T | D) -> T | D: ...

    def popone(self, key: str, /, default: Any = _MISSING) -> Any:
        """Remove the first value of ``key`` and return it; the key's other values stay.

        Args:
            key: The key.
            default: What to return when ``key`` is absent.

        Returns:
            The first value of ``key``, or ``default``.

        Raises:
            KeyError: When ``key`` is absent and no ``default`` was given.
        """
        values = self._index.get(key)
        if values is None:
            if default is _MISSING:
                raise KeyError(key)
            return default
        value = values.pop(0)
        if not values:
            del self._index[key]
        for position, pair in enumerate(self._list):  # pragma: no branch -- the key is in the list
            if pair[0] == key:
                del self._list[position]
                break
        return value

    @overload
    def pop(self, key: str, /) -> T: ...

    @overload
    def pop(self, key: str, /, default: T | D) -> T | D: ...

    def pop(self, key: str, /, default: Any = _MISSING) -> Any:
        """Remove the first value of ``key`` and return it, like ``multidict``; the key's other values stay.

        Args:
            key: The key.
            default: What to return when ``key`` is absent.

        Returns:
            The first value of ``key``, or ``default``.

        Raises:
            KeyError: When ``key`` is absent and no ``default`` was given.
        """
        return self.popone(key, default)

    def popitem(self) -> tuple[str, T]:
        """Remove the last ``(key, value)`` pair and return it.

        Returns:
            The last pair.

        Raises:
            KeyError: When the multi-dict is empty.
        """
        if not self._list:
            raise KeyError("popitem(): the multi-dict is empty")
        key, value = self._list.pop()
        values = self._index[key]
        values.pop()
        if not values:
            del self._index[key]
        return key, value

    def clear(self) -> None:
        """Remove every pair."""
        self._list = []
        self._index = {}

    def setdefault(self, key: str, default: T = None) -> T:  # type: ignore[assignment]
        """Return the first value of ``key``, adding ``default`` as its value first when it is absent.

        Args:
            key: The key.
            default: The value to add when ``key`` is absent.

        Returns:
            The first value of ``key``.
        """
        values = self._index.get(key)
        if values is None:
            self.add(key, default)
            return default
        return values[0]

    def immutable(self) -> ImmutableMultiDict[T]:
        """Return an immutable copy.

        Returns:
            A new ``ImmutableMultiDict`` holding the same pairs.
        """
        return ImmutableMultiDict._from_pairs(list(self._list))


class FormMultiDict(ImmutableMultiDict[str | UploadFile]):
    """The parsed body of a form request: text fields as ``str``, uploaded files as ``UploadFile``.

    Args:
        args: Another multi-dict, a mapping (one value per key) or an iterable of ``(key, value)`` pairs.
    """

    __slots__ = ()

    async def close(self) -> None:
        """Close every uploaded file, removing any temporary file spooled to disk."""
        for _, value in self._list:
            if isinstance(value, UploadFile):
                await value.close()
