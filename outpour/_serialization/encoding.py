"""The ``enc_hook`` (``default_serializer``, ``get_serializer``), the JSON and MessagePack encoders, and encoding."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Final

import msgspec

from outpour._serialization.caches import _MAX_CACHED_TYPES, _ById, _Encoder, _memo
from outpour._serialization.type_encoders import _is_predicate, _resolve_encoder, _unsupported_encode_message
from outpour.exceptions import SerializationException

if TYPE_CHECKING:
    from outpour.types import TypeEncodersMap

__all__ = [
    "default_serializer",
    "encode_json",
    "encode_msgpack",
    "get_json_encoder",
    "get_msgpack_encoder",
    "get_serializer",
]


def _make_serializer(type_encoders: TypeEncodersMap | None) -> Callable[[Any], Any]:
    encoders = dict(type_encoders) if type_encoders else None
    predicates = [(key, enc) for key, enc in encoders.items() if _is_predicate(key)] if encoders else None
    cache: dict[type, _Encoder | None] = {}

    def serializer(value: Any) -> Any:
        tp = type(value)
        try:
            encoder = cache[tp]
        except KeyError:
            encoder = _resolve_encoder(tp, encoders, predicates)
            if len(cache) >= _MAX_CACHED_TYPES:
                cache.clear()
            cache[tp] = encoder
        if encoder is None:
            raise TypeError(_unsupported_encode_message(tp))
        return encoder(value)

    return serializer


_DEFAULT_SERIALIZER: Final = _make_serializer(None)


def default_serializer(value: Any, type_encoders: TypeEncodersMap | None = None) -> Any:
    """Turn a value msgspec cannot encode into one it can: the ``enc_hook`` used for JSON and MessagePack.

    Each class in ``type(value).__mro__`` is looked up in ``type_encoders`` first, so the user's encoders win and
    match subclasses; keys of ``type_encoders`` that are not types but callables are predicates, called with the
    value's type, tried next in order. :data:`DEFAULT_TYPE_ENCODERS` is searched last.

    Prefer :func:`get_serializer` on hot paths: it remembers the result of the lookup per type.

    Args:
        value: A value msgspec does not encode natively.
        type_encoders: The user's encoders, by type (or predicate).

    Returns:
        What the matching encoder returns for ``value``.

    Raises:
        TypeError: When no encoder matches; the message names the type and tells how to add one.
    """
    if not type_encoders:
        return _DEFAULT_SERIALIZER(value)
    tp = type(value)
    encoder = _resolve_encoder(tp, type_encoders)
    if encoder is None:
        raise TypeError(_unsupported_encode_message(tp))
    return encoder(value)


_SERIALIZERS_BY_ID: _ById = {}
_SERIALIZERS: dict[Hashable, Any] = {}


def get_serializer(type_encoders: TypeEncodersMap | None = None) -> Callable[[Any], Any]:
    """Return an ``enc_hook`` bound to ``type_encoders`` (merged over the defaults), which remembers lookups per type.

    Args:
        type_encoders: The user's encoders, by type (or predicate); ``None`` or empty for the defaults only.

    Returns:
        A callable behaving like :func:`default_serializer` with these encoders, the same one for equal mappings;
        :func:`default_serializer` itself when there are none.
    """
    if not type_encoders:
        return default_serializer
    result: Callable[[Any], Any] = _memo(type_encoders, None, _SERIALIZERS_BY_ID, _SERIALIZERS, _make_serializer)
    return result


_DEFAULT_JSON_ENCODER: Final = msgspec.json.Encoder(enc_hook=_DEFAULT_SERIALIZER)
_DEFAULT_MSGPACK_ENCODER: Final = msgspec.msgpack.Encoder(enc_hook=_DEFAULT_SERIALIZER)
_JSON_ENCODERS_BY_ID: _ById = {}
_MSGPACK_ENCODERS_BY_ID: _ById = {}
_ENCODERS: dict[Hashable, Any] = {}


def _build_json_encoder(type_encoders: TypeEncodersMap) -> msgspec.json.Encoder:
    return msgspec.json.Encoder(enc_hook=get_serializer(type_encoders))


def _build_msgpack_encoder(type_encoders: TypeEncodersMap) -> msgspec.msgpack.Encoder:
    return msgspec.msgpack.Encoder(enc_hook=get_serializer(type_encoders))


def get_json_encoder(type_encoders: TypeEncodersMap | None = None) -> msgspec.json.Encoder:
    """Return the JSON encoder for ``type_encoders``, built once per distinct mapping.

    Args:
        type_encoders: The user's encoders, by type (or predicate); ``None`` or empty for the defaults only.

    Returns:
        A ``msgspec.json.Encoder`` whose ``encode`` raises ``TypeError`` for values no encoder handles.
    """
    if not type_encoders:
        return _DEFAULT_JSON_ENCODER
    result: msgspec.json.Encoder = _memo(type_encoders, "json", _JSON_ENCODERS_BY_ID, _ENCODERS, _build_json_encoder)
    return result


def get_msgpack_encoder(type_encoders: TypeEncodersMap | None = None) -> msgspec.msgpack.Encoder:
    """Return the MessagePack encoder for ``type_encoders``, built once per distinct mapping.

    Args:
        type_encoders: The user's encoders, by type (or predicate); ``None`` or empty for the defaults only.

    Returns:
        A ``msgspec.msgpack.Encoder`` whose ``encode`` raises ``TypeError`` for values no encoder handles.
    """
    if not type_encoders:
        return _DEFAULT_MSGPACK_ENCODER
    result: msgspec.msgpack.Encoder = _memo(
        type_encoders, "msgpack", _MSGPACK_ENCODERS_BY_ID, _ENCODERS, _build_msgpack_encoder
    )
    return result


def encode_json(value: Any, serializer: Callable[[Any], Any] | None = None) -> bytes:
    """Encode ``value`` as JSON.

    Args:
        value: The value to encode.
        serializer: The ``enc_hook`` for types msgspec does not encode natively, e.g. from :func:`get_serializer`;
            :func:`default_serializer` when not given.

    Returns:
        The JSON document, UTF-8 encoded.

    Raises:
        SerializationException: When ``value`` holds something that cannot be encoded.
    """
    try:
        if serializer is None or serializer is default_serializer:
            return _DEFAULT_JSON_ENCODER.encode(value)
        return msgspec.json.encode(value, enc_hook=serializer)
    except (TypeError, ValueError, msgspec.EncodeError) as exc:
        raise SerializationException(str(exc)) from exc


def encode_msgpack(value: Any, serializer: Callable[[Any], Any] | None = None) -> bytes:
    """Encode ``value`` as MessagePack.

    Args:
        value: The value to encode.
        serializer: The ``enc_hook`` for types msgspec does not encode natively, e.g. from :func:`get_serializer`;
            :func:`default_serializer` when not given.

    Returns:
        The MessagePack bytes.

    Raises:
        SerializationException: When ``value`` holds something that cannot be encoded (integers beyond 64 bits
            included).
    """
    try:
        if serializer is None or serializer is default_serializer:
            return _DEFAULT_MSGPACK_ENCODER.encode(value)
        return msgspec.msgpack.encode(value, enc_hook=serializer)
    except (TypeError, ValueError, OverflowError, msgspec.EncodeError) as exc:
        raise SerializationException(str(exc)) from exc
