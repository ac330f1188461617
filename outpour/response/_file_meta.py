"""What a file response says about its file: media type, ``Content-Disposition``, entity tag, and errors as HTTP errors.

Pure helpers of ``outpour.response.file`` (which re-exports the public ones), apart from sending.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import unicodedata
import zlib
from functools import lru_cache
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException, NotFoundException, PermissionDeniedException
from outpour.file_system import names_no_file

if TYPE_CHECKING:
    from outpour.file_system import PathType

__all__ = ["check_options", "create_content_disposition", "create_etag_for_file", "guess_media_type", "to_http_error"]

logger = logging.getLogger("outpour.file")

# A compressed file is sent as the archive it is: with ``Content-Encoding`` a browser would unpack it.
_ARCHIVE_TYPES: Final = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "br": "application/x-brotli",
    "compress": "application/x-compress",
    "zstd": "application/zstd",
}


@lru_cache(maxsize=1024)
def guess_media_type(filename: str) -> str:
    """Guess a file's media type from its name; ``application/octet-stream`` when unknown.

    A compressed file (``.gz``, ``.tar.gz``, ``.bz2``, ...) gets the type of the archive, never the type of what it
    holds, since it is sent as it is, without ``Content-Encoding``.

    Args:
        filename: The file name.

    Returns:
        The media type.
    """
    media_type, encoding = mimetypes.guess_type(os.path.basename(filename) or filename, strict=False)
    if encoding is not None:
        return _ARCHIVE_TYPES.get(encoding, MediaType.OCTET_STREAM.value)
    return media_type or MediaType.OCTET_STREAM.value


# RFC 8187 attr-char: what filename* keeps unencoded.
_ATTR_CHAR_SAFE: Final = "!#$&+-.^_`|~"


def _clean_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return "_"
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else ch


@lru_cache(maxsize=1024)
def create_content_disposition(disposition_type: str, filename: str) -> str:
    """Build a ``Content-Disposition`` value (RFC 6266) for ``filename``.

    ``filename="..."`` carries an ASCII fallback (accents dropped, other non-ASCII characters as ``_``, quotes and
    backslashes escaped); ``filename*=UTF-8''...`` carries the exact name whenever it differs from plain ASCII text.
    Control characters become ``_`` in both, and the undecodable bytes of a name read from the disk (lone surrogates,
    as ``os.fsdecode`` leaves them) become U+FFFD.

    Args:
        disposition_type: ``attachment`` or ``inline``.
        filename: The file name; empty for none (``filename=""``, as Litestar sends it).

    Returns:
        The header value.
    """
    if not filename:
        return f'{disposition_type}; filename=""'
    clean = "".join(_clean_char(ch) for ch in filename)
    fallback = "".join(
        ch if ord(ch) < 0x80 else "_" for ch in unicodedata.normalize("NFKD", clean) if not unicodedata.combining(ch)
    )
    quoted = fallback.replace("\\", "\\\\").replace('"', '\\"')
    value = f'{disposition_type}; filename="{quoted}"'
    if clean != fallback or any(ch in clean for ch in '"\\%'):
        value += f"; filename*=UTF-8''{quote(clean, safe=_ATTR_CHAR_SAFE)}"
    return value


def create_etag_for_file(path: PathType, modified_time: float | None, file_size: int) -> str:
    """Create the entity tag of a file that has no other: a strong tag from its path, modification time and size.

    Any change of the file's content changes its size or modification time (to the microsecond), so the tag changes;
    the path tells apart two files of the same size written at the same time.

    Args:
        path: The file's path.
        modified_time: Its modification time (seconds since the epoch), if known.
        file_size: Its size in bytes.

    Returns:
        The tag, quoted as sent in an ``ETag`` header (``"<mtime>-<size>-<path checksum>"``, in hex).
    """
    checksum = zlib.crc32(os.fsencode(path))
    mtime = f"{int(modified_time * 1_000_000):x}-" if modified_time is not None else ""
    return f'"{mtime}{file_size:x}-{checksum:x}"'


def to_http_error(exc: OSError, path: str) -> Exception:
    """The client error for a file that cannot be described or opened; never a 500.

    The path may come from the request (the static files router, a handler joining a path parameter), so whatever the
    file system answers is the client's to receive: 404 for a path naming no file (missing, through a file, too long,
    looping links, refused characters), 403 for a refused permission. 414 would describe a too-long request target,
    but a path too long for the file system names no file, and a 404 does not reveal the file system's limits. Other
    errors (a failing disk, no file descriptors left) are logged as warnings, without a traceback, and are a 404 too:
    nothing can be sent, and the operator learns why from the log.
    """
    if isinstance(exc, PermissionError):
        logger.warning("Cannot read file `%s`: %s", path, exc)
        return PermissionDeniedException()
    if not names_no_file(exc):
        logger.warning("Cannot read file `%s`, answering 404: %s", path, exc)
    return NotFoundException()


def check_options(chunk_size: int, content_disposition_type: str) -> None:
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise ImproperlyConfiguredException(f"`chunk_size` must be a positive number of bytes, got `{chunk_size!r}`.")
    if content_disposition_type not in ("attachment", "inline"):
        raise ImproperlyConfiguredException(
            f"`content_disposition_type` must be `attachment` or `inline`, got `{content_disposition_type!r}`."
        )
