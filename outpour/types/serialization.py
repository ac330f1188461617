"""The values outpour's encoders turn into JSON or MessagePack without a custom ``type_encoders`` entry."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum, IntEnum
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from pathlib import Path, PurePath
from re import Pattern
from typing import TYPE_CHECKING, Any, TypeAlias
from uuid import UUID

from msgspec import Raw, Struct
from msgspec.msgpack import Ext

if TYPE_CHECKING:
    from outpour.types.protocols import DataclassProtocol

__all__ = [
    "DataContainerType",
    "EncodableBuiltinCollectionType",
    "EncodableBuiltinType",
    "EncodableMsgSpecType",
    "EncodableStdLibIPType",
    "EncodableStdLibType",
    "LitestarEncodableType",
]

EncodableBuiltinType: TypeAlias = bool | int | float | str | bytes | bytearray | None
"""Built-in scalars."""
EncodableBuiltinCollectionType: TypeAlias = list[Any] | tuple[Any, ...] | set[Any] | frozenset[Any] | dict[Any, Any]
"""Built-in collections."""
EncodableStdLibType: TypeAlias = (
    date | datetime | deque[Any] | time | timedelta | UUID | Decimal | Enum | IntEnum | Pattern[str] | Path | PurePath
)
"""Standard-library values: dates and times, ``UUID``, ``Decimal``, enums, compiled patterns, paths."""
EncodableStdLibIPType: TypeAlias = IPv4Address | IPv4Interface | IPv4Network | IPv6Address | IPv6Interface | IPv6Network
"""Addresses, interfaces and networks of ``ipaddress``."""
EncodableMsgSpecType: TypeAlias = Ext | Raw | Struct
"""msgspec's own types."""
DataContainerType: TypeAlias = "Struct | DataclassProtocol | Collection[Any]"
"""A value holding fields: a msgspec ``Struct``, a dataclass or a collection (pydantic and attrs models too)."""
LitestarEncodableType: TypeAlias = "EncodableBuiltinType | EncodableBuiltinCollectionType | EncodableStdLibType | EncodableStdLibIPType | EncodableMsgSpecType | DataContainerType"
"""Anything the default encoders render."""
