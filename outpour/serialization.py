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

from typing import Final

from outpour._serialization.decoding import (
    convert,
    decode_json,
    decode_msgpack,
    get_json_decoder,
    get_msgpack_decoder,
)
from outpour._serialization.decoding import malformed_reason as malformed_reason
from outpour._serialization.deserializers import default_deserializer, get_deserializer
from outpour._serialization.encoding import (
    default_serializer,
    encode_json,
    encode_msgpack,
    get_json_encoder,
    get_msgpack_encoder,
    get_serializer,
)
from outpour._serialization.type_encoders import DEFAULT_TYPE_ENCODERS, is_attrs_class, is_pydantic_model

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
