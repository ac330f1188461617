"""Rendering a value to body bytes by media type, and building Content-Type values; shared by every response."""

from __future__ import annotations

import dataclasses
import enum
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

import msgspec

from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.serialization import (
    get_json_encoder,
    get_msgpack_encoder,
    is_json_media_type,
    is_msgpack_media_type,
)
from outpour.types.empty import Empty

if TYPE_CHECKING:
    from collections.abc import Callable

    from outpour.types import TypeEncodersMap

__all__ = [
    "body_forbidden",
    "bodyless_content_error",
    "check_body_allowed",
    "content_type_header",
    "direct_encoders",
    "get_renderer",
    "media_type_str",
    "render",
]


def media_type_str(media_type: MediaType | str) -> str:
    """Return the plain string of a media type given as an enum member or a string."""
    return media_type.value if isinstance(media_type, MediaType) else str(media_type)


def body_forbidden(status_code: int) -> bool:
    """Whether a status code forbids a response body (RFC 9110 sections 15.2, 15.3.5 and 15.4.5)."""
    return status_code < 200 or status_code in (204, 304)


def bodyless_content_error(status_code: int, content: Any, what: str = "A `Response`") -> ImproperlyConfiguredException:
    """The error for content given with a status code that forbids a body, saying what to do instead."""
    return ImproperlyConfiguredException(
        f"{what} has status code {status_code}, which forbids a response body (1xx, 204 and 304 have none, RFC 9110), "
        f"but it has content: `{content!r:.80}`. Give `None` as the content, or choose a status code that allows a "
        "body, such as 200."
    )


def check_body_allowed(status_code: int | None, kind: str) -> None:
    """Refuse a response that always has a body (a stream, a file) given a status code that forbids one.

    Args:
        status_code: The status code, or None when not known yet.
        kind: The response's class name, for the message.

    Raises:
        ImproperlyConfiguredException: When ``status_code`` is 1xx, 204 or 304.
    """
    if status_code is not None and (status_code < 200 or status_code == 204 or status_code == 304):
        what = f"{'An' if kind[0] in 'AEIOU' else 'A'} `{kind}`"
        raise ImproperlyConfiguredException(
            f"{what} has status code {status_code}, which forbids a response body (1xx, 204 and 304 have none, RFC "
            f"9110), but it always sends one. Return `Response(None, status_code={status_code})` for a response "
            "without a body, or give a status code that allows one, such as 200."
        )


def _refuse_empty() -> ImproperlyConfiguredException:
    return ImproperlyConfiguredException(
        'The `Empty` sentinel (`outpour.types.Empty`) was given as response content; it means "no value" and has no '
        "body. Return `None` for an empty body (or `Response(None, status_code=204)`), or the value to send."
    )


@lru_cache(maxsize=256)
def content_type_header(media_type: str, encoding: str = "utf-8") -> bytes:
    """Return the Content-Type value: text types get a charset unless they name one."""
    if media_type.startswith("text/") and "charset" not in media_type:
        media_type = f"{media_type}; charset={encoding}"
    return media_type.encode("latin-1")


def _structured_renderer(encode: Callable[[Any], bytes], encoding: str = "utf-8") -> Callable[[Any], bytes]:
    """Wrap a JSON or MessagePack ``encode``: ``bytes`` pass through and ``str`` is encoded as it is.

    Litestar does the same: a string is taken as an already serialized body.
    """

    def render_structured(value: Any) -> bytes:
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode(encoding)
        if value is Empty:
            raise _refuse_empty()
        return encode(value)

    return render_structured


def _render_text(value: Any, media_type: str, encoding: str) -> bytes:
    if isinstance(value, str):
        return value.encode(encoding)
    if isinstance(value, bytes):
        return value
    if value is None:
        return b""
    if value is Empty:
        raise _refuse_empty()
    if media_type.startswith("text/") and not value:  # as Litestar: `0`, `[]`, `False` are an empty text body
        return b""
    raise ImproperlyConfiguredException(
        f"Cannot render a `{type(value).__name__}` as `{media_type}`: return `str` or `bytes` for this media "
        "type, or use a JSON or MessagePack media type to serialize structured data."
    )


def get_renderer(
    media_type: str, type_encoders: TypeEncodersMap | None, encoding: str = "utf-8"
) -> Callable[[Any], bytes]:
    """Choose, once, the function that turns handler return values into body bytes for ``media_type``.

    JSON and any ``application/...+json`` type (RFC 6839) are encoded as JSON, MessagePack types as MessagePack;
    ``bytes`` and ``str`` are sent as they are whatever the media type (an already serialized body, as Litestar
    does). Other media types take only ``str`` (encoded with ``encoding``), ``bytes`` or ``None`` (an empty body);
    a ``text/*`` type also takes any other falsy value (``0``, ``[]``), as an empty body. The ``Empty`` sentinel is
    refused with ``ImproperlyConfiguredException`` whatever the media type.
    """
    if is_json_media_type(media_type):
        return _structured_renderer(get_json_encoder(type_encoders).encode, encoding)
    if is_msgpack_media_type(media_type):
        return _structured_renderer(get_msgpack_encoder(type_encoders).encode, encoding)
    return partial(_render_text, media_type=media_type, encoding=encoding)


_ALWAYS_ENCODED: tuple[type, ...] = (dict, list, tuple, int, float, bool, type(None))
"""Types the structured renderer always gives to its msgspec encoder: never ``bytes``, ``str``, ``Empty``, callable."""


def direct_encoders(
    media_type: str, type_encoders: TypeEncodersMap | None, returned: Any = None
) -> dict[type, Callable[[Any], bytes]]:
    """The function :func:`get_renderer`'s renderer applies to a value of each of these types (exactly), by type.

    A route calls it directly, one call less per response than the renderer; the bytes are the renderer's. ``str``
    is encoded as UTF-8 whatever the media type; for JSON and MessagePack, the common data types go to the msgspec
    encoder, and so does ``returned`` (the handler's return annotation) when it is a dataclass or a msgspec
    ``Struct`` class without ``__call__``.
    """
    encoders: dict[type, Callable[[Any], bytes]] = {str: str.encode}
    if is_json_media_type(media_type):
        encode: Callable[[Any], bytes] = get_json_encoder(type_encoders).encode
    elif is_msgpack_media_type(media_type):
        encode = get_msgpack_encoder(type_encoders).encode
    else:
        return encoders
    encoders.update(dict.fromkeys(_ALWAYS_ENCODED, encode))
    if (
        isinstance(returned, type)
        and (dataclasses.is_dataclass(returned) or issubclass(returned, msgspec.Struct))
        and not issubclass(returned, (bytes, str, enum.Enum))
        and not any("__call__" in vars(klass) for klass in returned.__mro__[:-1])
    ):
        encoders[returned] = encode
    return encoders


_HOOK_ENCODERS: dict[tuple[int, bool], tuple[Any, Callable[[Any], bytes]]] = {}
_MAX_HOOK_ENCODERS = 256


def _hook_encoder(enc_hook: Callable[[Any], Any], msgpack: bool) -> Callable[[Any], bytes]:
    key = (id(enc_hook), msgpack)
    entry = _HOOK_ENCODERS.get(key)
    if entry is not None and entry[0] is enc_hook:
        return entry[1]
    encoder = msgspec.msgpack.Encoder(enc_hook=enc_hook) if msgpack else msgspec.json.Encoder(enc_hook=enc_hook)
    if len(_HOOK_ENCODERS) >= _MAX_HOOK_ENCODERS:
        del _HOOK_ENCODERS[next(iter(_HOOK_ENCODERS))]
    _HOOK_ENCODERS[key] = (enc_hook, encoder.encode)  # keeps the hook alive: its id cannot be reused meanwhile
    return encoder.encode


def render(
    content: Any,
    media_type: str,
    type_encoders: TypeEncodersMap | None = None,
    encoding: str = "utf-8",
    enc_hook: Callable[[Any], Any] | None = None,
) -> bytes:
    """Render ``content`` to bytes for ``media_type``, as :func:`get_renderer`'s function would.

    Args:
        content: The value.
        media_type: The media type that decides the serialization.
        type_encoders: Encoders for types msgspec does not serialize natively.
        encoding: The encoding of ``str`` content.
        enc_hook: A serializer (such as ``get_serializer(type_encoders)``) used instead of ``type_encoders``; the
            msgspec encoder built for it is remembered.

    Returns:
        The body bytes.

    Raises:
        TypeError: When a value cannot be serialized (the message names its type and how to add an encoder).
        ImproperlyConfiguredException: When ``content`` is the ``Empty`` sentinel, or neither ``str`` nor ``bytes``
            (nor falsy, for a ``text/*`` type) for a media type that is not JSON or MessagePack.
    """
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode(encoding)
    if content is Empty:
        raise _refuse_empty()
    if is_json_media_type(media_type):
        if enc_hook is None:
            return get_json_encoder(type_encoders).encode(content)
        return _hook_encoder(enc_hook, msgpack=False)(content)
    if is_msgpack_media_type(media_type):
        if enc_hook is None:
            return get_msgpack_encoder(type_encoders).encode(content)
        return _hook_encoder(enc_hook, msgpack=True)(content)
    return _render_text(content, media_type, encoding)
