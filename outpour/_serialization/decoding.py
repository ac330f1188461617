"""JSON and MessagePack decoders, ``decode_json``, ``decode_msgpack`` and ``convert``, and malformed-input reasons."""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Final

import msgspec

from outpour._serialization.caches import _freeze, _put
from outpour._serialization.deserializers import _DEFAULT_DESERIALIZERS, _DESERIALIZERS_BY_ID, get_deserializer
from outpour.exceptions import SerializationException

if TYPE_CHECKING:
    from outpour.types import TypeDecodersSequence

__all__ = [
    "convert",
    "converts_natively",
    "decode_json",
    "decode_msgpack",
    "get_json_decoder",
    "get_msgpack_decoder",
    "malformed_reason",
]


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


def converts_natively(target_type: Any) -> bool:
    """Whether ``convert`` hands ``target_type`` to msgspec as it is, without a ``dec_hook`` (type decoders unused)."""
    try:
        return target_type in _NATIVE_TYPES
    except TypeError:  # an unhashable annotation
        return False


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
