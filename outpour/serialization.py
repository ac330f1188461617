"""JSON and MessagePack encoding and decoding, built on msgspec.

msgspec encodes most values natively: ``dict``, ``list``, ``tuple``, ``set``, ``frozenset``, ``str``, ``int``,
``float``, ``bool``, ``None``, ``bytes`` (base64 in JSON), ``datetime``/``date``/``time``/``timedelta`` (ISO 8601),
``UUID``, ``Decimal`` (as a string), ``Enum``, dataclasses (pydantic dataclasses included), ``msgspec.Struct``,
attrs classes, ``TypedDict`` and ``NamedTuple``. Anything else goes through the *encoder hook*: the value's class
and its bases (its MRO) are looked up in the ``type_encoders`` given by the app, a router, a controller, a handler
or a ``Response`` subclass, then in :data:`DEFAULT_TYPE_ENCODERS`.

Encoders and decoders are meant to be built once, when the app starts, and reused: :func:`get_json_encoder`,
:func:`get_msgpack_encoder`, :func:`get_json_decoder` and :func:`get_msgpack_decoder` cache what they build, and the
hooks remember, per type, which encoder or decoder applies. Mappings and sequences of encoders or decoders are read
once, when first seen; changing one afterwards is not supported: build a new one instead.

pydantic is never imported by this module: its models and types are recognised only once the application has
imported pydantic itself (which it must have done to create them).
"""

from __future__ import annotations

import collections
import datetime
import decimal
import functools
import ipaddress
import re
import sys
import uuid
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Final, TypeAlias, get_args, get_origin

import msgspec

from outpour.datastructures.secret_values import SecretBytes, SecretValue
from outpour.exceptions import SerializationException

if TYPE_CHECKING:
    from outpour.types import TypeDecodersSequence, TypeEncodersMap

__all__ = [
    "DEFAULT_TYPE_ENCODERS",
    "default_serializer",
    "get_serializer",
    "get_json_encoder",
    "get_msgpack_encoder",
    "encode_json",
    "encode_msgpack",
    "default_deserializer",
    "get_deserializer",
    "get_json_decoder",
    "get_msgpack_decoder",
    "decode_json",
    "decode_msgpack",
    "convert",
    "is_pydantic_model",
    "is_attrs_class",
    "is_json_media_type",
    "is_msgpack_media_type",
]

_Encoder: TypeAlias = "Callable[[Any], Any]"
_Decoder: TypeAlias = "Callable[[Any, Any], Any]"

_MAX_CACHED: Final = 512
"""How many encoders, decoders and hooks each cache keeps; the oldest is dropped first."""
_MAX_CACHED_TYPES: Final = 4096
"""How many types each hook remembers before starting over."""


def _pattern_to_str(value: re.Pattern[Any]) -> Any:
    return value.pattern


def _mask_secret(value: SecretValue[Any]) -> str:
    return "******"


DEFAULT_TYPE_ENCODERS: dict[Any, Callable[[Any], Any]] = {
    PurePath: str,
    ipaddress.IPv4Address: str,
    ipaddress.IPv6Address: str,
    ipaddress.IPv4Interface: str,
    ipaddress.IPv6Interface: str,
    ipaddress.IPv4Network: str,
    ipaddress.IPv6Network: str,
    collections.deque: list,
    re.Pattern: _pattern_to_str,
    SecretValue: _mask_secret,
}
"""Encoders for common types msgspec does not encode natively, looked up after the user's ``type_encoders``.

``PurePath`` (every path class), the ``ipaddress`` address, interface and network classes become strings,
``collections.deque`` a list, ``re.Pattern`` its pattern and a ``SecretString`` / ``SecretBytes`` the string
``"******"``. Once the application has imported pydantic, pydantic
models are added (``model_dump(mode="json")``; ``.dict()`` for ``pydantic.v1`` models), as are pydantic's URL, e-mail
and secret types (strings; secrets stay masked).
"""


# ---------------------------------------------------------------------------------------------------------------------
# pydantic and attrs, without importing them
# ---------------------------------------------------------------------------------------------------------------------


def _pydantic_model_classes() -> tuple[type, ...]:
    classes = []
    for module_name in ("pydantic.main", "pydantic.v1.main"):
        module = sys.modules.get(module_name)
        model = getattr(module, "BaseModel", None)
        if isinstance(model, type):
            classes.append(model)
    return tuple(classes)


def is_pydantic_model(tp: Any) -> bool:
    """Tell whether ``tp`` is a pydantic model class (pydantic 2, or 1 through ``pydantic.v1``), without importing it.

    Args:
        tp: Any object, usually a type annotation.

    Returns:
        ``True`` when ``tp`` is a subclass of pydantic's ``BaseModel``; ``False`` for anything else, including when
        pydantic has not been imported.
    """
    if not isinstance(tp, type):
        return False
    models = _pydantic_model_classes()
    return bool(models) and issubclass(tp, models)


def is_attrs_class(tp: Any) -> bool:
    """Tell whether ``tp`` is a class made by attrs (``@attrs.define``, ``@attr.s`` and friends), without importing it.

    Args:
        tp: Any object, usually a type annotation.

    Returns:
        ``True`` when ``tp`` is a class carrying attrs' field definitions.
    """
    return isinstance(tp, type) and getattr(tp, "__attrs_attrs__", None) is not None


def _dump_pydantic_model(value: Any) -> Any:
    return value.model_dump(mode="json")


def _dump_pydantic_v1_model(value: Any) -> Any:
    return value.dict()


def _mask_secret_bytes(value: Any) -> str:
    return "**********" if value.get_secret_value() else ""


_registered_optional: set[str] = set()


def _register_optional_encoders() -> None:
    """Add encoders for pydantic's classes to :data:`DEFAULT_TYPE_ENCODERS` once pydantic's modules are loaded."""
    if len(_registered_optional) == 5:
        return
    modules = sys.modules
    if "pydantic.main" not in _registered_optional and "pydantic.main" in modules:
        _registered_optional.add("pydantic.main")
        DEFAULT_TYPE_ENCODERS[modules["pydantic.main"].BaseModel] = _dump_pydantic_model
    if "pydantic.v1.main" not in _registered_optional and "pydantic.v1.main" in modules:
        _registered_optional.add("pydantic.v1.main")
        DEFAULT_TYPE_ENCODERS[modules["pydantic.v1.main"].BaseModel] = _dump_pydantic_v1_model
    if "pydantic.types" not in _registered_optional and "pydantic.types" in modules:
        _registered_optional.add("pydantic.types")
        types_module = modules["pydantic.types"]
        for name in ("_SecretBase", "SecretStr", "Secret"):
            if (cls := getattr(types_module, name, None)) is not None:
                DEFAULT_TYPE_ENCODERS[cls] = str
        DEFAULT_TYPE_ENCODERS[types_module.SecretBytes] = _mask_secret_bytes
    if "pydantic.networks" not in _registered_optional and "pydantic.networks" in modules:
        _registered_optional.add("pydantic.networks")
        networks = modules["pydantic.networks"]
        for name in ("_BaseUrl", "_BaseMultiHostUrl", "AnyUrl", "NameEmail"):
            if (cls := getattr(networks, name, None)) is not None:
                DEFAULT_TYPE_ENCODERS[cls] = str
    if "pydantic_core" not in _registered_optional and "pydantic_core" in modules:
        _registered_optional.add("pydantic_core")
        core = modules["pydantic_core"]
        for name in ("Url", "MultiHostUrl"):
            if (cls := getattr(core, name, None)) is not None:
                DEFAULT_TYPE_ENCODERS[cls] = str


# ---------------------------------------------------------------------------------------------------------------------
# Caches
# ---------------------------------------------------------------------------------------------------------------------


def _put(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _MAX_CACHED:
        del cache[next(iter(cache))]
    cache[key] = value


def _freeze(items: Any) -> Hashable | None:
    """Return a hashable key for a mapping's items or a sequence's elements, or ``None`` when there is none."""
    key = tuple(items.items()) if isinstance(items, Mapping) else tuple(items)
    try:
        hash(key)
    except TypeError:
        return None
    return key


_ById: TypeAlias = "dict[int, tuple[Any, Any]]"


def _memo(obj: Any, extra: Hashable, by_id: _ById, by_value: dict[Hashable, Any], build: Callable[[Any], Any]) -> Any:
    """Return what ``build(obj)`` makes, cached by the identity of ``obj`` first, then by its value (and ``extra``).

    The identity cache keeps ``obj`` alive so that its ``id`` cannot be reused while the entry exists. Equal mappings
    built anew (a ``Response`` merging its encoders, say) hit the value cache without growing the identity cache.
    """
    entry = by_id.get(id(obj))
    if entry is not None and entry[0] is obj:
        return entry[1]
    frozen = _freeze(obj)
    key = None if frozen is None else (frozen, extra)
    result = by_value.get(key) if key is not None else None
    if result is None:
        result = build(obj)
        if key is not None:
            _put(by_value, key, result)
        _put(by_id, id(obj), (obj, result))
    return result


# ---------------------------------------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------------------------------------


def _unsupported_encode_message(tp: type) -> str:
    name = tp.__name__
    return (
        f"Unsupported type: `{name}` (from module `{tp.__module__}`). Add an encoder for it to `type_encoders`, e.g. "
        f"`type_encoders={{{name}: str}}`, on the app, a router, a controller, a handler or a Response subclass."
    )


def _is_predicate(key: Any) -> bool:
    return not isinstance(key, type) and callable(key) and get_origin(key) is None


def _resolve_encoder(
    tp: type, type_encoders: TypeEncodersMap | None, predicates: Sequence[tuple[Any, _Encoder]] | None = None
) -> _Encoder | None:
    """Find the encoder for instances of ``tp``: the user's by MRO, the user's predicates, then the defaults."""
    mro = tp.__mro__
    if type_encoders:
        for base in mro:
            if (encoder := type_encoders.get(base)) is not None:
                return encoder
        if predicates is None:
            predicates = [(key, encoder) for key, encoder in type_encoders.items() if _is_predicate(key)]
        for predicate, encoder in predicates:
            if predicate(tp):
                return encoder
    _register_optional_encoders()
    for base in mro:
        if (encoder := DEFAULT_TYPE_ENCODERS.get(base)) is not None:
            return encoder
    return None


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
        A callable behaving like :func:`default_serializer` with these encoders, the same one for equal mappings.
    """
    if not type_encoders:
        return _DEFAULT_SERIALIZER
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


# ---------------------------------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------------------------------


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


def _decoder_key(target_type: Any, type_decoders: TypeDecodersSequence | None, strict: bool) -> Hashable | None:
    frozen = _freeze(type_decoders) if type_decoders else ()
    if frozen is None:
        return None
    key = (target_type, frozen, strict)
    try:
        hash(key)
    except TypeError:
        return None
    return key


_JSON_DECODERS: dict[Hashable, Any] = {}
_MSGPACK_DECODERS: dict[Hashable, Any] = {}


def _cached_decoder(
    cache: dict[Hashable, Any],
    factory: Callable[..., Any],
    target_type: Any,
    type_decoders: TypeDecodersSequence | None,
    strict: bool,
) -> Any:
    """Return the decoder ``factory`` builds for the arguments, built once per key in ``cache`` when they are hashable."""
    key = _decoder_key(target_type, type_decoders, strict)
    decoder = cache.get(key) if key is not None else None
    if decoder is None:
        decoder = factory(target_type, strict=strict, dec_hook=get_deserializer(type_decoders, strict))
        if key is not None:
            _put(cache, key, decoder)
    return decoder


def get_json_decoder(
    target_type: Any, type_decoders: TypeDecodersSequence | None = None, strict: bool = True
) -> msgspec.json.Decoder[Any]:
    """Return a JSON decoder into ``target_type``, built once per ``(target_type, type_decoders, strict)``.

    Args:
        target_type: The type to decode into (``Any`` for plain JSON values).
        type_decoders: Pairs of ``(predicate(type) -> bool, decoder(type, value) -> instance)``.
        strict: ``False`` lets strings stand for numbers, booleans and the like (msgspec's lax mode).

    Returns:
        A ``msgspec.json.Decoder`` raising ``msgspec.ValidationError`` or ``msgspec.DecodeError``.

    Raises:
        TypeError: When msgspec does not support ``target_type`` as an annotation.
    """
    decoder: msgspec.json.Decoder[Any] = _cached_decoder(
        _JSON_DECODERS, msgspec.json.Decoder, target_type, type_decoders, strict
    )
    return decoder


def get_msgpack_decoder(
    target_type: Any, type_decoders: TypeDecodersSequence | None = None, strict: bool = True
) -> msgspec.msgpack.Decoder[Any]:
    """Return a MessagePack decoder into ``target_type``, built once per ``(target_type, type_decoders, strict)``.

    Args:
        target_type: The type to decode into (``Any`` for plain values).
        type_decoders: Pairs of ``(predicate(type) -> bool, decoder(type, value) -> instance)``.
        strict: ``False`` lets strings stand for numbers, booleans and the like (msgspec's lax mode).

    Returns:
        A ``msgspec.msgpack.Decoder`` raising ``msgspec.ValidationError`` or ``msgspec.DecodeError``.

    Raises:
        TypeError: When msgspec does not support ``target_type`` as an annotation.
    """
    decoder: msgspec.msgpack.Decoder[Any] = _cached_decoder(
        _MSGPACK_DECODERS, msgspec.msgpack.Decoder, target_type, type_decoders, strict
    )
    return decoder


_BYTE_POSITION: Final = re.compile(r"\(byte (\d+)\)")


def malformed_reason(value: bytes | str, exc: BaseException, is_text: bool = True) -> str:
    """Say, in outpour's words, why msgspec could not parse ``value``, with the position where one is known.

    The decoder's own message is read only to pick the category and the byte offset; what the client sees never
    depends on its wording (msgspec 0.23 changed it for invalid UTF-8).

    Args:
        value: The document that failed to decode.
        exc: What the decoder raised: ``msgspec.DecodeError``, ``UnicodeError``, ``RecursionError`` or (older msgspec,
            for an unhashable MessagePack map key) ``TypeError``.
        is_text: ``True`` for JSON, whose first invalid UTF-8 byte is where it breaks; ``False`` for MessagePack,
            where only strings must be UTF-8 and the first such byte of the whole document says nothing.

    Returns:
        A lower-case clause such as "invalid UTF-8 at byte 7" or "unexpected input at byte 5".
    """
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    if isinstance(exc, UnicodeEncodeError):  # a ``str`` document holding a lone surrogate
        return f"it holds a lone surrogate, which UTF-8 cannot carry, at position {exc.start}"
    message = str(exc)
    if isinstance(exc, UnicodeDecodeError) or "utf-8" in message.lower():
        if is_text and isinstance(value, bytes):
            try:
                value.decode("utf-8")
            except UnicodeDecodeError as utf8_error:
                return f"invalid UTF-8 at byte {utf8_error.start}"
        return "a string is not valid UTF-8"
    if isinstance(exc, TypeError) or "hashable" in message:  # older msgspec raises TypeError for such a key
        return "a map key is a map or an extension value, which cannot be a key"
    if "truncated" in message:
        return "the document ends too early"
    match = _BYTE_POSITION.search(message)
    if match:
        return f"unexpected input at byte {match.group(1)}"
    return "it could not be parsed"


_DEFAULT_JSON_DECODER: Final = msgspec.json.Decoder()
_DEFAULT_MSGPACK_DECODER: Final = msgspec.msgpack.Decoder()


def decode_json(
    value: bytes | str,
    target_type: Any = Any,
    type_decoders: TypeDecodersSequence | None = None,
    strict: bool = True,
) -> Any:
    """Decode a JSON document, optionally into ``target_type``.

    Args:
        value: The JSON document.
        target_type: The type to decode into; plain JSON values by default.
        type_decoders: Pairs of ``(predicate(type) -> bool, decoder(type, value) -> instance)``.
        strict: ``False`` lets strings stand for numbers, booleans and the like.

    Returns:
        The decoded value.

    Raises:
        SerializationException: When ``value`` is malformed (invalid UTF-8 included) or does not match
            ``target_type``: "JSON is malformed: invalid UTF-8 at byte 7.", or a validation message in msgspec's
            format, e.g. "Expected `int`, got `str` - at `$.a[0]`".
    """
    decoder = (
        _DEFAULT_JSON_DECODER
        if target_type is Any and not type_decoders and strict
        else get_json_decoder(target_type, type_decoders, strict)
    )
    try:
        return decoder.decode(value)
    except msgspec.ValidationError as exc:
        raise SerializationException(str(exc)) from exc
    except (msgspec.DecodeError, UnicodeError, RecursionError) as exc:
        raise SerializationException(f"JSON is malformed: {malformed_reason(value, exc)}.") from exc


def decode_msgpack(
    value: bytes,
    target_type: Any = Any,
    type_decoders: TypeDecodersSequence | None = None,
    strict: bool = True,
) -> Any:
    """Decode MessagePack bytes, optionally into ``target_type``.

    Args:
        value: The MessagePack bytes.
        target_type: The type to decode into; plain values by default.
        type_decoders: Pairs of ``(predicate(type) -> bool, decoder(type, value) -> instance)``.
        strict: ``False`` lets strings stand for numbers, booleans and the like.

    Returns:
        The decoded value.

    Raises:
        SerializationException: When ``value`` is malformed (invalid UTF-8 included) or does not match
            ``target_type``: "MessagePack data is malformed: the document ends too early.", or a validation message
            in msgspec's format.
    """
    decoder = (
        _DEFAULT_MSGPACK_DECODER
        if target_type is Any and not type_decoders and strict
        else get_msgpack_decoder(target_type, type_decoders, strict)
    )
    try:
        return decoder.decode(value)
    except msgspec.ValidationError as exc:
        raise SerializationException(str(exc)) from exc
    except (msgspec.DecodeError, UnicodeError, RecursionError, TypeError) as exc:
        raise SerializationException(
            f"MessagePack data is malformed: {malformed_reason(value, exc, is_text=False)}."
        ) from exc


def convert(
    value: Any, target_type: Any, type_decoders: TypeDecodersSequence | None = None, strict: bool = False
) -> Any:
    """Convert an already decoded value (a query string, a header, a ``dict``...) into ``target_type``.

    Lax by default, so that strings become ``int``, ``float``, ``bool``, ``UUID``, ``date``... Dictionaries become
    dataclasses, ``Struct``, ``TypedDict``, attrs classes and pydantic models.

    Args:
        value: The value to convert.
        target_type: The type to convert into.
        type_decoders: Pairs of ``(predicate(type) -> bool, decoder(type, value) -> instance)``.
        strict: ``True`` to refuse strings standing for other types.

    Returns:
        The converted value.

    Raises:
        msgspec.ValidationError: When ``value`` does not fit ``target_type``; left untouched for the caller to format.
    """
    try:
        native = target_type in _NATIVE_TYPES
    except TypeError:  # an unhashable annotation
        native = False
    if native:  # msgspec never calls a dec_hook for these, and passing one costs time
        return msgspec.convert(value, target_type, strict=strict)
    if not type_decoders:
        return msgspec.convert(value, target_type, strict=strict, dec_hook=_DEFAULT_DESERIALIZERS[strict])
    entry = _DESERIALIZERS_BY_ID[strict].get(id(type_decoders))
    hook = entry[1] if entry is not None and entry[0] is type_decoders else get_deserializer(type_decoders, strict)
    return msgspec.convert(value, target_type, strict=strict, dec_hook=hook)


_NATIVE_TYPES: Final = frozenset(
    {
        str,
        int,
        float,
        bool,
        bytes,
        bytearray,
        uuid.UUID,
        decimal.Decimal,
        datetime.datetime,
        datetime.date,
        datetime.time,
        datetime.timedelta,
        list,
        dict,
        Any,
    }
)
"""Annotations msgspec converts to without ever calling a ``dec_hook``."""


# ---------------------------------------------------------------------------------------------------------------------
# Media types
# ---------------------------------------------------------------------------------------------------------------------

_MSGPACK_MEDIA_TYPES: Final = frozenset({"application/x-msgpack", "application/vnd.msgpack", "application/msgpack"})
_TOKEN_SPECIALS: Final = frozenset(' \t"(),/:;<=>?@[\\]{}')


def _essence(media_type: str) -> str:
    return media_type.partition(";")[0].strip().lower()


def is_json_media_type(media_type: str) -> bool:
    """Tell whether a media type is encoded as JSON: ``application/json`` or ``application/<name>+json`` (RFC 6839).

    Args:
        media_type: A media type, possibly with parameters (``; charset=utf-8``); compared case-insensitively.

    Returns:
        ``True`` for JSON media types.
    """
    if media_type == "application/json":
        return True
    essence = _essence(media_type)
    if not essence.startswith("application/"):
        return False
    subtype = essence[12:]
    return subtype == "json" or (len(subtype) > 5 and subtype.endswith("+json") and _TOKEN_SPECIALS.isdisjoint(subtype))


def is_msgpack_media_type(media_type: str) -> bool:
    """Tell whether a media type is MessagePack: ``application/x-msgpack``, ``vnd.msgpack`` or ``msgpack``.

    Args:
        media_type: A media type, possibly with parameters; compared case-insensitively.

    Returns:
        ``True`` for MessagePack media types.
    """
    return media_type in _MSGPACK_MEDIA_TYPES or _essence(media_type) in _MSGPACK_MEDIA_TYPES
