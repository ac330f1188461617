"""Structural types: dataclass instances, collections built from an iterable, loggers."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import Field
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

__all__ = ["DataclassProtocol", "InstantiableCollection", "Logger"]

T_co = TypeVar("T_co", covariant=True)


@runtime_checkable
class DataclassProtocol(Protocol):
    """An instance (or class) of a ``@dataclass``: ``isinstance(value, DataclassProtocol)`` tells one apart."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]


@runtime_checkable
class InstantiableCollection(Collection[T_co], Protocol[T_co]):
    """A collection type that can be built from an iterable of its items, as ``list``, ``set`` and ``tuple`` can.

    Runtime checkable: ``issubclass(list, InstantiableCollection)`` is true, ``issubclass(int, ...)`` false.
    """

    def __init__(self, iterable: Iterable[T_co], /) -> None: ...


@runtime_checkable
class Logger(Protocol):
    """A logger with the methods of ``logging.Logger`` that outpour calls; ``structlog``'s loggers fit too."""

    def debug(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log a message at DEBUG level."""

    def info(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log a message at INFO level."""

    def warning(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log a message at WARNING level."""

    def warn(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log a message at WARNING level (the older name)."""

    def error(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log a message at ERROR level."""

    def fatal(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log a message at CRITICAL level (the older name)."""

    def exception(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log a message at ERROR level with the exception being handled."""

    def critical(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log a message at CRITICAL level."""

    def setLevel(self, level: int) -> None:
        """Set the lowest level this logger emits."""
