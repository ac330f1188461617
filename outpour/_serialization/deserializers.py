"""The ``dec_hook`` (``default_deserializer``, ``get_deserializer``) and the built-in decoders it falls back on.

pydantic models and types, ``PurePath`` and ``ipaddress`` types, secrets, ``re.Pattern`` and ``collections.deque``.
"""

from __future__ import annotations

import collections
import functools
import ipaddress
import re
import sys
from collections.abc import Callable, Hashable, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Final, get_args, get_origin

import msgspec

from outpour._serialization.caches import _MAX_CACHED_TYPES, _ById, _Decoder, _memo
from outpour._serialization.type_encoders import is_pydantic_model
from outpour.datastructures.secret_values import SecretBytes, SecretValue

if TYPE_CHECKING:
    from outpour.types import TypeDecodersSequence

__all__ = ["default_deserializer", "get_deserializer"]


def _type_name(tp: Any) -> str:
    return tp.__name__ if isinstance(tp, type) else repr(tp)


def _unsupported_decode_message(tp: Any) -> str:
    name = _type_name(tp)
    module = getattr(tp, "__module__", None)
    origin = f" (from module `{module}`)" if module else ""
    return (
        f"Unsupported type: `{name}`{origin}. Add a decoder for it to `type_decoders`, e.g. "
        f"`type_decoders=[(lambda t: t is {name}, lambda t, v: {name}(v))]`, on the app, a router, a controller or "
        f"a handler."
    )


def _format_loc(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


def _pydantic_error_message(tp: Any, exc: Any) -> str:
    """Render a pydantic ``ValidationError`` as one line listing each error's location and message."""
    parts = []
    for error in exc.errors():
        loc = _format_loc(error.get("loc", ()))
        parts.append(f"`{loc}`: {error['msg']}" if loc else str(error["msg"]))
    return f"Invalid `{_type_name(tp)}`: {'; '.join(parts)}"


def _decode_pydantic_model(tp: Any, value: Any) -> Any:
    try:
        return tp.model_validate(value) if hasattr(tp, "model_validate") else tp.parse_obj(value)
    except ValueError as exc:  # pydantic's ValidationError (both versions) derives from ValueError
        if not hasattr(exc, "errors"):
            raise
        raise ValueError(_pydantic_error_message(tp, exc)) from exc


def _pydantic_type_decoder(tp: Any) -> _Decoder:
    from pydantic import TypeAdapter, ValidationError

    adapter: Any = TypeAdapter(tp)

    def decode(_: Any, value: Any) -> Any:
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            raise ValueError(_pydantic_error_message(tp, exc)) from exc

    return decode


def _is_pydantic_type(tp: Any) -> bool:
    if "pydantic" not in sys.modules:
        return False
    module = getattr(get_origin(tp) or tp, "__module__", None) or ""
    return module.split(".", 1)[0] in ("pydantic", "pydantic_core")


def _expect_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"Expected `str`, got `{type(value).__name__}`")
    return value


def _decode_from_str(tp: Any, value: Any) -> Any:
    return tp(_expect_str(value))


def _decode_secret(tp: Any, value: Any) -> Any:
    """Build a ``SecretString`` from a string; a ``SecretBytes`` from bytes, or from a string as its UTF-8 bytes."""
    if issubclass(tp, SecretBytes):
        return tp(bytes(value) if isinstance(value, bytes | bytearray) else _expect_str(value).encode("utf-8"))
    return tp(_expect_str(value))


def _decode_pattern(_: Any, value: Any) -> Any:
    try:
        return re.compile(_expect_str(value))
    except re.error as exc:
        raise ValueError(f"Invalid regular expression `{value}`: {exc}") from exc


_FROM_STR_TYPES: Final = (
    PurePath,
    ipaddress.IPv4Address,
    ipaddress.IPv6Address,
    ipaddress.IPv4Interface,
    ipaddress.IPv6Interface,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
)


def _deque_decoder(tp: Any, strict: bool, hook: _Decoder) -> _Decoder:
    args = get_args(tp)
    list_type: Any = list[args[0]] if args else list  # type: ignore[valid-type]

    def decode(_: Any, value: Any) -> Any:
        return collections.deque(msgspec.convert(value, list_type, strict=strict, dec_hook=hook))

    return decode


def _unsupported_decoder(tp: Any, _: Any) -> Any:
    raise TypeError(_unsupported_decode_message(tp))


def _resolve_decoder(
    tp: Any, type_decoders: Sequence[tuple[Callable[[Any], bool], _Decoder]], strict: bool, hook: _Decoder
) -> _Decoder:
    for predicate, decoder in type_decoders:
        if predicate(tp):
            return decoder
    if is_pydantic_model(tp):
        return _decode_pydantic_model
    if isinstance(tp, type) and issubclass(tp, _FROM_STR_TYPES):
        return _decode_from_str
    if isinstance(tp, type) and issubclass(tp, SecretValue):
        return _decode_secret
    if tp is re.Pattern or get_origin(tp) is re.Pattern:
        return _decode_pattern
    if tp is collections.deque or get_origin(tp) is collections.deque:
        return _deque_decoder(tp, strict, hook)
    if _is_pydantic_type(tp):
        return _pydantic_type_decoder(tp)
    return _unsupported_decoder


def _make_deserializer(type_decoders: TypeDecodersSequence | None, strict: bool) -> _Decoder:
    decoders = tuple(type_decoders or ())
    cache: dict[Any, _Decoder] = {}

    def deserializer(target_type: Any, value: Any) -> Any:
        if isinstance(target_type, type):
            try:
                if isinstance(value, target_type):
                    return value
            except TypeError:  # TypedDict, non-runtime protocols
                pass
        try:
            decoder = cache[target_type]
        except KeyError:
            decoder = _resolve_decoder(target_type, decoders, strict, deserializer)
            if len(cache) >= _MAX_CACHED_TYPES:
                cache.clear()
            cache[target_type] = decoder
        except TypeError:  # an unhashable annotation, e.g. Annotated with a dict
            decoder = _resolve_decoder(target_type, decoders, strict, deserializer)
        return decoder(target_type, value)

    return deserializer


_DEFAULT_DESERIALIZERS: Final = (_make_deserializer(None, False), _make_deserializer(None, True))
_DESERIALIZERS_BY_ID: Final[tuple[_ById, _ById]] = ({}, {})
_DESERIALIZERS: dict[Hashable, Any] = {}
_DESERIALIZER_BUILDERS: Final = (
    functools.partial(_make_deserializer, strict=False),
    functools.partial(_make_deserializer, strict=True),
)


def get_deserializer(type_decoders: TypeDecodersSequence | None = None, strict: bool = True) -> _Decoder:
    """Return a ``dec_hook`` bound to ``type_decoders``, which remembers per type which decoder applies.

    Args:
        type_decoders: Pairs of ``(predicate(type) -> bool, decoder(type, value) -> instance)``.
        strict: Whether values inside containers it builds itself (``deque[int]``) are converted strictly.

    Returns:
        A callable behaving like :func:`default_deserializer` with these decoders.
    """
    if not type_decoders:
        return _DEFAULT_DESERIALIZERS[strict]
    result: _Decoder = _memo(
        type_decoders, strict, _DESERIALIZERS_BY_ID[strict], _DESERIALIZERS, _DESERIALIZER_BUILDERS[strict]
    )
    return result


def default_deserializer(target_type: Any, value: Any, type_decoders: TypeDecodersSequence | None = None) -> Any:
    """Build a ``target_type`` msgspec cannot build from ``value``: the ``dec_hook`` used for decoding.

    ``value`` is returned as it is when it already is a ``target_type``. Otherwise the ``type_decoders`` are tried in
    order, then the built-in decoders: pydantic models (``model_validate``) and pydantic types, ``PurePath``
    subclasses and ``ipaddress`` types (from strings), ``re.Pattern`` and ``collections.deque``.

    Args:
        target_type: The type to build.
        value: The decoded value (a ``dict``, ``list``, ``str``...).
        type_decoders: Pairs of ``(predicate(type) -> bool, decoder(type, value) -> instance)``.

    Returns:
        The ``target_type`` instance.

    Raises:
        TypeError: When no decoder handles ``target_type``, or ``value`` has the wrong type (e.g. not a string for a
            path).
        ValueError: When ``value`` is invalid for ``target_type``; pydantic's errors are listed with their location.
    """
    return get_deserializer(type_decoders)(target_type, value)
