"""Rendering a value to body bytes by media type, and building Content-Type values; shared by every response."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.serialization import (
    get_json_encoder,
    get_msgpack_encoder,
    is_json_media_type,
    is_msgpack_media_type,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from outpour.types import TypeEncodersMap

__all__ = ["body_forbidden", "content_type_header", "get_renderer", "media_type_str", "render"]


def media_type_str(media_type: MediaType | str) -> str:
    """Return the plain string of a media type given as an enum member or a string."""
    return media_type.value if isinstance(media_type, MediaType) else str(media_type)


def body_forbidden(status_code: int) -> bool:
    """Whether a status code forbids a response body (RFC 9110 sections 15.2, 15.3.5 and 15.4.5)."""
    return status_code < 200 or status_code in (204, 304)


@lru_cache(maxsize=256)
def content_type_header(media_type: str, encoding: str = "utf-8") -> bytes:
    """Return the Content-Type value: text types get a charset unless they name one."""
    if media_type.startswith("text/") and "charset" not in media_type:
        media_type = f"{media_type}; charset={encoding}"
    return media_type.encode("latin-1")


def get_renderer(
    media_type: str, type_encoders: TypeEncodersMap | None, encoding: str = "utf-8"
) -> Callable[[Any], bytes]:
    """Choose, once, the function that turns handler return values into body bytes for ``media_type``.

    JSON and any ``application/...+json`` type (RFC 6839) are encoded as JSON, MessagePack types as MessagePack;
    other types take ``str`` (encoded with ``encoding``) or ``bytes`` as they are.
    """
    if is_json_media_type(media_type):
        encode = get_json_encoder(type_encoders).encode
        return lambda value: value if isinstance(value, bytes) else encode(value)
    if is_msgpack_media_type(media_type):
        encode_mp = get_msgpack_encoder(type_encoders).encode
        return lambda value: value if isinstance(value, bytes) else encode_mp(value)

    def render_text(value: Any) -> bytes:
        if isinstance(value, str):
            return value.encode(encoding)
        if isinstance(value, bytes):
            return value
        if value is None:
            return b""
        raise ImproperlyConfiguredException(
            f"Cannot render a `{type(value).__name__}` as `{media_type}`: return `str` or `bytes` for this media "
            "type, or use a JSON or MessagePack media type to serialize structured data."
        )

    return render_text


def render(
    content: Any, media_type: str, type_encoders: TypeEncodersMap | None = None, encoding: str = "utf-8"
) -> bytes:
    """Render ``content`` to bytes for ``media_type``."""
    return get_renderer(media_type, type_encoders, encoding)(content)
