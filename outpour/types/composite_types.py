"""The shapes of the mappings and sequences an app, router, controller or handler is configured with."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from outpour.types.asgi_types import ASGIApp

if TYPE_CHECKING:
    from outpour.datastructures import Cookie, ResponseHeader
    from outpour.di import Provide
    from outpour.enums import ScopeType
    from outpour.params import ParameterKwarg
    from outpour.types.callable_types import AnyCallable

__all__ = [
    "Dependencies",
    "ExceptionHandlersMap",
    "Middleware",
    "MiddlewareFactory",
    "ParametersMap",
    "PathType",
    "ResponseCookies",
    "ResponseHeaders",
    "Scopes",
    "TypeDecodersSequence",
    "TypeEncodersMap",
]

Dependencies: TypeAlias = "Mapping[str, Provide | AnyCallable]"
"""The ``dependencies`` of a layer: a name mapped to a ``Provide`` or a callable."""
ExceptionHandlersMap: TypeAlias = Mapping[int | type[Exception], Callable[..., Any]]
"""The ``exception_handlers`` of a layer: an exception class or status code mapped to ``handler(request, exc)``."""
Middleware: TypeAlias = Callable[..., ASGIApp]
"""A middleware: called with the next ASGI app, returns the ASGI app wrapping it."""
MiddlewareFactory: TypeAlias = Callable[..., Callable[..., ASGIApp]]
"""Builds a middleware from its options."""
ParametersMap: TypeAlias = "Mapping[str, ParameterKwarg]"
"""The ``parameters`` of a layer: a name mapped to the ``Parameter(...)`` every handler below shares."""
PathType: TypeAlias = "Path | PathLike[str] | str"
"""A file-system path."""
ResponseHeaders: TypeAlias = "Sequence[ResponseHeader] | Mapping[str, str]"
"""The ``response_headers`` of a layer or a response."""
ResponseCookies: TypeAlias = "Sequence[Cookie] | Mapping[str, str]"
"""The ``response_cookies`` of a layer or a response."""
Scopes: TypeAlias = "set[Literal[ScopeType.HTTP, ScopeType.WEBSOCKET]]"
"""The scope types a middleware runs for."""
TypeEncodersMap: TypeAlias = Mapping[Any, Callable[[Any], Any]]
"""Maps a type (or a predicate callable) to a function that turns its instances into something msgspec encodes."""
TypeDecodersSequence: TypeAlias = Sequence[tuple[Callable[[Any], bool], Callable[[type, Any], Any]]]
"""Pairs of ``(predicate(type) -> bool, decoder(type, value) -> instance)`` tried for types msgspec cannot build."""
