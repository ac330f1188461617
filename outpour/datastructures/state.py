"""``State`` and ``ImmutableState``: a dict of values readable as attributes (``state.key``) or items (``state["key"]``).

The application's ``state`` is shared by every request; a connection's ``state`` wraps ``scope["state"]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from copy import deepcopy
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from typing import Self

__all__ = ["ImmutableState", "State"]


class ImmutableState(Mapping[str, Any]):
    """A read-only view of a dict of values, readable as attributes or items.

    A ``dict`` given to the constructor is wrapped, not copied (unless ``deep_copy``): changes to it show through.

    Args:
        state: A dict to wrap, another state (whose dict is wrapped), a mapping or an iterable of ``(key, value)``
            pairs (copied into a new dict); ``None`` for an empty state.
        deep_copy: Wrap a deep copy of the values instead.
    """

    __slots__ = ("_deep_copy", "_state")

    _state: dict[str, Any]
    _deep_copy: bool

    def __init__(
        self,
        state: ImmutableState | Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        deep_copy: bool = False,
    ) -> None:
        if state is None:
            values: dict[str, Any] = {}
        elif isinstance(state, ImmutableState):
            values = state._state
        elif isinstance(state, dict):
            values = cast("dict[str, Any]", state)
        else:
            values = dict(cast("Iterable[tuple[str, Any]]", state.items() if isinstance(state, Mapping) else state))
        object.__setattr__(self, "_deep_copy", deep_copy)
        object.__setattr__(self, "_state", deepcopy(values) if deep_copy else values)

    def __getitem__(self, key: str) -> Any:
        return self._state[key]

    def __contains__(self, key: object) -> bool:
        return key in self._state

    def __iter__(self) -> Iterator[str]:
        return iter(self._state)

    def __len__(self) -> int:
        return len(self._state)

    def __getattr__(self, key: str) -> Any:
        try:
            return object.__getattribute__(self, "_state")[key]
        except (KeyError, AttributeError):
            raise AttributeError(
                f"{type(self).__name__} has no attribute `{key}`: no value was stored under that key. Set it first "
                f"(`state.{key} = ...`, for example in an `on_startup` hook or a middleware), or read it with "
                f'`state.get("{key}")`.'
            ) from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(
            f"{type(self).__name__} is read-only: cannot set `{key}`. Use a `State` to store values, or "
            "`mutable_copy()` to get one."
        )

    def __delattr__(self, key: str) -> None:
        raise AttributeError(
            f"{type(self).__name__} is read-only: cannot delete `{key}`. Use a `State` to remove values, or "
            "`mutable_copy()` to get one."
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ImmutableState):
            return self._state == other._state
        if isinstance(other, Mapping):
            return self._state == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (dict(self._state), self._deep_copy)

    def copy(self) -> Self:
        """Return a copy of the same class over a shallow (or, with ``deep_copy``, deep) copy of the values.

        Returns:
            The copy.
        """
        return type(self)(dict(self._state), deep_copy=self._deep_copy)

    def mutable_copy(self) -> State:
        """Return a mutable ``State`` over a copy of the values.

        Returns:
            The copy.
        """
        return State(dict(self._state), deep_copy=self._deep_copy)

    def dict(self) -> dict[str, Any]:
        """Return a shallow copy of the values as a plain dict.

        Returns:
            A new dict.
        """
        return dict(self._state)

    @classmethod
    def validate(cls, value: ImmutableState | Mapping[str, Any] | Iterable[tuple[str, Any]]) -> Self:
        """Build a state of this class from ``value``, as Litestar's validator hook for model fields does.

        Args:
            value: Another state, a mapping or an iterable of ``(key, value)`` pairs.

        Returns:
            The state.
        """
        return cls(value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._state!r})"


class State(ImmutableState, MutableMapping[str, Any]):
    """A dict of values readable and writable as attributes (``state.key = 1``) or items (``state["key"] = 1``).

    A ``dict`` given to the constructor is wrapped, not copied (unless ``deep_copy``): both see the same values.

    Args:
        state: A dict to wrap, another state (whose dict is wrapped), a mapping or an iterable of ``(key, value)``
            pairs (copied into a new dict); ``None`` for an empty state.
        deep_copy: Wrap a deep copy of the values instead.
    """

    __slots__ = ()

    def __setitem__(self, key: str, value: Any) -> None:
        self._state[key] = value

    def __delitem__(self, key: str) -> None:
        del self._state[key]

    def __setattr__(self, key: str, value: Any) -> None:
        self._state[key] = value

    def __delattr__(self, key: str) -> None:
        try:
            del self._state[key]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no attribute `{key}` to delete.") from None

    def immutable_copy(self) -> ImmutableState:
        """Return an ``ImmutableState`` over a copy of the values.

        Returns:
            The copy.
        """
        return ImmutableState(dict(self._state), deep_copy=self._deep_copy)
