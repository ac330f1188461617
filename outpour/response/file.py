"""``File``: a response that sends a file, with Range and conditional requests, from any file system.

A file up to ``chunk_size`` bytes is read before the response starts and sent in one message; a larger one streams
in ``chunk_size`` pieces, so memory stays bounded whatever the file's size. When the server offers the ASGI
``http.response.pathsend`` extension and a whole local file is sent, the server sends it itself (zero-copy).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncGenerator, Awaitable, Iterable, Mapping
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import anyio.lowlevel

from outpour._conditional import evaluate_preconditions, format_http_date, parse_http_date
from outpour._ranges import (
    ByteRange,
    content_range,
    if_range_allows,
    multipart_byteranges,
    parse_range_header,
    unsatisfied_range,
)
from outpour.enums import MediaType
from outpour.exceptions import (
    ImproperlyConfiguredException,
    InternalServerException,
    NotFoundException,
)
from outpour.file_system import (
    BaseFileSystem,
    BaseLocalFileSystem,
    FileInfo,
    get_fsspec_mtime_equivalent,
    resolve_file_system,
)
from outpour.response._disconnect import watch_disconnect
from outpour.response._file_meta import (
    check_options,
    create_content_disposition,
    create_etag_for_file,
    guess_media_type,
)
from outpour.response._file_meta import to_http_error as _to_http_error
from outpour.response._render import body_forbidden, check_body_allowed, content_type_header, media_type_str
from outpour.response.base import ASGIResponse, Response, merge_cookies
from outpour.response.redirect import explicit_handler_media_type

if TYPE_CHECKING:
    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.connection import Request
    from outpour.datastructures.cookie import Cookie
    from outpour.datastructures.headers import ETag
    from outpour.file_system import AnyFileSystem, PathType
    from outpour.types import Receive, ResponseCookies, ResponseHeaders, Scope, Send, TypeEncodersMap

__all__ = ["ASGIFileResponse", "File", "create_content_disposition", "create_etag_for_file", "guess_media_type"]

logger = logging.getLogger("outpour.file")

ONE_MEGABYTE: Final = 1024 * 1024

ContentDispositionType: TypeAlias = Literal["attachment", "inline"]

_PATHSEND: Final = "http.response.pathsend"
# How many pieces of a streamed body are sent before a task starts watching for the client leaving.
_UNWATCHED_PIECES: Final = 8
_REQUEST_FIELDS: Final = frozenset(
    {b"if-match", b"if-none-match", b"if-modified-since", b"if-unmodified-since", b"range", b"if-range"}
)


class _ShortReadError(Exception):
    """The file ended before the bytes announced: it shrank while being sent."""


BodyPlan: TypeAlias = "list[bytes | ByteRange]"


class ASGIFileResponse(ASGIResponse):
    """The low-level file response: it describes the file, answers preconditions and ranges, and sends the bytes.

    Sent whole (``await response(scope, receive, send)``), it answers the request's preconditions and ranges, and a
    path that names no file is a 404 (see the compatibility notes). ``start_response`` and ``send_body`` send it in
    two steps, the whole file, as Litestar's do: there a missing file or a directory raises
    ``ImproperlyConfiguredException``.

    The ``ETag`` is, in order: one in ``headers``, ``etag``, and ``create_etag_for_file`` of the path, modification
    time (when the file system gives one) and size. A ``Last-Modified`` in ``headers`` replaces the file's (and
    conditional requests compare with it); a ``Content-Length`` in ``headers`` replaces the file's size: that many
    bytes are sent, and ranges are taken within them.

    Args:
        background: Task(s) to run after the response is sent.
        chunk_size: The largest piece read and sent at once; a file up to this size goes out in one message.
        content_disposition_type: ``attachment`` (download) or ``inline`` (display).
        content_length: Ignored: the length is the file's, or the ``Content-Length`` in ``headers``.
        cookies: Cookies to set.
        encoding: The charset of a text media type.
        etag: The entity tag, used unless ``headers`` has an ``ETag``.
        file_info: The file's ``FileInfo``, or an awaitable of it, when already known; otherwise it is asked for.
        file_path: The path of the file in ``file_system``.
        file_system: The file system, the name of one in the app's ``FileSystemRegistry``, or None for the default.
        filename: The name in ``Content-Disposition`` (``filename=""`` when empty), and what the media type is guessed
            from: ``application/octet-stream`` without one.
        headers: More headers.
        is_head_response: Whether the request was a HEAD request: headers only.
        media_type: The Content-Type; guessed from ``filename`` when not given.
        status_code: The status code; 200 when not given. Ranges and preconditions apply to a 200 only.

    Raises:
        ImproperlyConfiguredException: ``chunk_size`` or ``content_disposition_type`` is invalid, a
            ``Content-Length`` in ``headers`` is not a number of bytes, or ``status_code`` forbids a body (1xx, 204,
            304).
    """

    __slots__ = (
        "_content_type",
        "_fixed_headers",
        "_given_etag",
        "_given_length",
        "_names",
        "_ranges_allowed",
        "_user_etag",
        "_user_last_modified",
        "chunk_size",
        "content_disposition_type",
        "etag",
        "file_info",
        "file_path",
        "file_system",
        "filename",
    )

    def __init__(
        self,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        chunk_size: int = ONE_MEGABYTE,
        content_disposition_type: ContentDispositionType = "attachment",
        content_length: int | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoding: str = "utf-8",
        etag: ETag | None = None,
        file_info: FileInfo | Awaitable[FileInfo] | None = None,
        file_path: PathType,
        file_system: AnyFileSystem | str | None = None,
        filename: str = "",
        headers: Mapping[str, Any] | Iterable[tuple[str, str]] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        check_options(chunk_size, content_disposition_type)
        check_body_allowed(status_code, type(self).__name__)
        chosen = media_type_str(media_type) if media_type else guess_media_type(filename)
        super().__init__(
            background=background,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            is_head_response=is_head_response,
            media_type=chosen,
            status_code=status_code,
        )
        self.content_length = None
        self.file_path = file_path
        self.chunk_size = chunk_size
        self.content_disposition_type = content_disposition_type
        self.filename = filename
        self.file_info = file_info
        self.file_system = file_system
        self.etag = etag
        self._content_type = content_type_header(chosen, encoding)
        given_length = next((v for n, v in self.encoded_headers if n == b"content-length"), None)
        if given_length is not None:
            if not given_length.isdigit():
                raise ImproperlyConfiguredException(
                    f"The `Content-Length` given in the headers of the file response for `{os.fspath(file_path)}` is "
                    f"`{given_length.decode('latin-1')}`, not a number of bytes. Give the file's size, or leave it "
                    "out: it is taken from the file."
                )
            self.encoded_headers = [pair for pair in self.encoded_headers if pair[0] != b"content-length"]
        self._given_length = int(given_length) if given_length is not None else None
        names = self._names = frozenset(name for name, _ in self.encoded_headers)
        fixed = list(self.encoded_headers)
        accept_ranges = next((v for n, v in self.encoded_headers if n == b"accept-ranges"), None)
        if accept_ranges is None:
            fixed.append((b"accept-ranges", b"bytes"))
        self._ranges_allowed = accept_ranges is None or accept_ranges.strip().lower() != b"none"
        if b"content-disposition" not in names:
            disposition = create_content_disposition(content_disposition_type, filename)
            fixed.append((b"content-disposition", disposition.encode("latin-1")))
        self._fixed_headers = fixed
        self._user_etag = next((v for n, v in self.encoded_headers if n == b"etag"), None)
        self._user_last_modified = next((v for n, v in self.encoded_headers if n == b"last-modified"), None)
        self._given_etag = etag.to_header().encode("latin-1") if etag is not None else None

    # -- helpers ------------------------------------------------------------------------------------------------------

    def _cookie_headers(self) -> list[tuple[bytes, bytes]]:
        return [cookie.to_encoded_header() for cookie in self.cookies]

    def _file_system(self) -> BaseFileSystem:
        fs = self.file_system
        if isinstance(fs, BaseFileSystem):
            return fs
        return resolve_file_system((self.scope or {}).get("app"), fs)

    async def _info(self, fs: BaseFileSystem) -> FileInfo:
        """The file's ``FileInfo``: the one given (awaited if need be, once), or the file system's.

        Raises:
            OSError: What the file system raised.
        """
        info = self.file_info
        if info is None:
            info = await fs.info(os.fspath(self.file_path))
        elif not isinstance(info, dict):
            info = self.file_info = await info
        return info

    async def _describe(self, fs: BaseFileSystem) -> FileInfo:
        path = os.fspath(self.file_path)
        try:
            info = await self._info(fs)
        except OSError as exc:
            raise _to_http_error(exc, path) from exc
        if info["type"] != "file":
            raise NotFoundException()
        return info

    def _representation(self, info: FileInfo, path: str) -> tuple[int, float | None, list[tuple[bytes, bytes]], bytes]:
        """The length to send, the time conditional requests compare with, the validator headers, and the entity tag.

        A ``Content-Length`` or ``Last-Modified`` given in the headers replaces the file's (an unparseable date is
        sent as given, and compared with nothing). The entity tag is made even without a modification time.
        """
        size = info["size"] if self._given_length is None else self._given_length
        mtime = info.get("mtime")
        if type(mtime) is not float:
            # A `file_info` given to `File`, or one of a file system of the user's, may hold the time as fsspec's
            # `info` does: another key (`ctime`, `updated_at`, ...), a `datetime` or an ISO 8601 string.
            mtime = get_fsspec_mtime_equivalent(info)
        validators: list[tuple[bytes, bytes]] = []
        etag = self._user_etag
        if etag is None:
            etag = self._given_etag or create_etag_for_file(path, mtime, info["size"]).encode("latin-1")
            validators.append((b"etag", etag))
        if self._user_last_modified is not None:
            mtime = parse_http_date(self._user_last_modified.decode("latin-1"))
        elif mtime is not None:
            validators.append((b"last-modified", format_http_date(mtime).encode("latin-1")))
        return size, mtime, validators, etag

    # -- sending in two steps -------------------------------------------------------------------------------------------

    async def start_response(self, send: Send) -> None:
        """Describe the file and send the ``http.response.start`` message of the whole file, validators included.

        With ``send_body``, the two steps of sending the file as Litestar names them; sending the response whole
        (calling it) also answers preconditions and ranges.

        Args:
            send: The ASGI send function.

        Raises:
            ImproperlyConfiguredException: When the path names no file the file system can describe (a missing
                file, say), or names a directory or another kind of entry.
        """
        path = os.fspath(self.file_path)
        try:
            info = await self._info(self._file_system())
        except OSError as exc:
            raise ImproperlyConfiguredException(
                f"Cannot send the file `{path}`: {exc.strerror or exc}. Check the path given to `File` (it is "
                "relative to the working directory unless absolute) and the `file_system` it is read from."
            ) from exc
        if info["type"] != "file":
            raise ImproperlyConfiguredException(
                f"Cannot send `{path}`: it is a {info['type']}, not a file. Give `File` the path of a file; serve a "
                "directory's files with `create_static_files_router`."
            )
        self.file_info = info
        size, _, validators, _ = self._representation(info, path)
        self.content_length = size
        headers = [
            *self._fixed_headers,
            *validators,
            (b"content-type", self._content_type),
            (b"content-length", b"%d" % size),
            *self._cookie_headers(),
        ]
        await send({"type": "http.response.start", "status": self.status_code, "headers": headers})

    async def send_body(self, send: Send, receive: Receive) -> None:
        """Send the file's bytes after ``start_response``, ``chunk_size`` at a time; none for HEAD or a bodyless status.

        Args:
            send: The ASGI send function.
            receive: The ASGI receive function.
        """
        if self.is_head_response or body_forbidden(self.status_code):
            await send({"type": "http.response.body", "body": b""})
            return
        fs = self._file_system()
        path = os.fspath(self.file_path)
        length = self.content_length
        if length is None:
            length = (await self._describe(fs))["size"] if self._given_length is None else self._given_length
        plan: BodyPlan = [ByteRange(0, length - 1)] if length else []
        try:
            async with aclosing(self._pieces(fs, path, plan)) as pieces:
                async for piece in pieces:
                    await send({"type": "http.response.body", "body": piece, "more_body": True})
        except _ShortReadError as exc:
            # Never pad: end the response short, so that the server closes the connection.
            logger.error(
                "File `%s` shrank while being sent: %d of the %d bytes announced are missing", path, exc.args[0], length
            )
            return
        await send({"type": "http.response.body", "body": b""})

    async def _send_bodyless(self, send: Send, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    async def _pieces(self, fs: BaseFileSystem, path: str, plan: BodyPlan) -> AsyncGenerator[bytes, None]:
        """Yield the body: literal parts glued to the next file chunk, so the first piece comes from the file."""
        pending = b""
        for item in plan:
            if isinstance(item, bytes):
                pending += item
                continue
            remaining = item.length
            async with aclosing(fs.iter(path, self.chunk_size, item.start, item.end)) as chunks:
                async for chunk in chunks:
                    if len(chunk) > remaining:
                        chunk = chunk[:remaining]
                    remaining -= len(chunk)
                    if pending:
                        chunk, pending = pending + chunk, b""
                    yield chunk
                    if not remaining:
                        break
            if remaining:
                raise _ShortReadError(remaining)
        if pending:
            yield pending

    async def _read_all(self, fs: BaseFileSystem, path: str, plan: BodyPlan) -> bytes:
        parts = [
            item if isinstance(item, bytes) else (await fs.read_bytes(path, item.start, item.end))[: item.length]
            for item in plan
        ]
        return parts[0] if len(parts) == 1 else b"".join(parts)

    # -- sending ------------------------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the file, or 304, 412 or 416, or raise ``NotFoundException`` / ``PermissionDeniedException``."""
        self.scope = scope
        fs = self._file_system()
        path = os.fspath(self.file_path)
        info = await self._describe(fs)
        size, mtime, validators, etag_bytes = self._representation(info, path)

        method = scope.get("method", "GET")
        is_head = self.is_head_response or method == "HEAD"
        status = self.status_code
        ranges: list[ByteRange] | None = None
        if status == 200 and method in ("GET", "HEAD"):
            fields: dict[bytes, bytes] = {}
            for name, value in scope.get("headers", ()):
                name = name.lower()
                if name in _REQUEST_FIELDS:
                    fields[name] = fields[name] + b", " + value if name in fields else value
            if fields:
                etag = etag_bytes.decode("latin-1")
                outcome = evaluate_preconditions(method, fields.items(), etag, mtime)
                if outcome == 304:
                    await self._send_bodyless(send, 304, [*self.encoded_headers, *validators, *self._cookie_headers()])
                    await self.after_response()
                    return
                if outcome == 412:
                    headers = [*self.encoded_headers, (b"content-length", b"0"), *self._cookie_headers()]
                    await self._send_bodyless(send, 412, headers)
                    await self.after_response()
                    return
                range_value = fields.get(b"range")
                if_range = fields.get(b"if-range")
                if (
                    range_value is not None
                    and method == "GET"
                    and self._ranges_allowed
                    and (if_range is None or if_range_allows(if_range.decode("latin-1"), etag, mtime))
                ):
                    ranges = parse_range_header(range_value.decode("latin-1"), size)
                    if ranges == []:
                        headers = [
                            *self.encoded_headers,
                            *([] if b"accept-ranges" in self._names else [(b"accept-ranges", b"bytes")]),
                            (b"content-range", unsatisfied_range(size).encode("latin-1")),
                            (b"content-length", b"0"),
                            *self._cookie_headers(),
                        ]
                        await self._send_bodyless(send, 416, headers)
                        await self.after_response()
                        return

        headers = [*self._fixed_headers, *validators]
        plan: BodyPlan
        if ranges is None:
            plan = [ByteRange(0, size - 1)] if size else []
            length = size
            headers.append((b"content-type", self._content_type))
        elif len(ranges) == 1:
            status = 206
            plan = [ranges[0]]
            length = ranges[0].length
            headers.append((b"content-type", self._content_type))
            headers.append((b"content-range", content_range(ranges[0], size).encode("latin-1")))
        else:
            status = 206
            layout = multipart_byteranges(ranges, size, self._content_type.decode("latin-1"))
            plan = [item for head, byte_range in layout.parts for item in (head, byte_range)]
            plan.append(layout.closing)
            length = layout.content_length
            headers.append((b"content-type", layout.content_type.encode("latin-1")))

        if is_head:
            headers.append((b"content-length", str(length).encode("latin-1")))
            headers.extend(self._cookie_headers())
            await self._send_bodyless(send, status, headers)
            await self.after_response()
            return

        if (
            ranges is None
            and size == info["size"]  # a `Content-Length` given that is not the file's: send only what it says
            # Only a file that goes out in one piece: when granian sent larger ones, some concurrent
            # downloads waited for seconds (`benchmarks/RESULTS.md`, "GET /file-large"); outpour's own
            # pieces take turns.
            and length <= self.chunk_size
            and isinstance(fs, BaseLocalFileSystem)
            and _PATHSEND in (scope.get("extensions") or {})
        ):
            full_path = os.path.abspath(path)
            try:
                readable = os.access(full_path, os.R_OK)
            except ValueError as exc:  # a NUL in a path described by the `file_info` given: no file has this name
                raise NotFoundException() from exc
            if not readable:
                raise _to_http_error(PermissionError(13, "Permission denied", full_path), path)
            headers.append((b"content-length", str(length).encode("latin-1")))
            headers.extend(self._cookie_headers())
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": _PATHSEND, "path": full_path})
            await self.after_response()
            return

        if length <= self.chunk_size:
            try:
                body = await self._read_all(fs, path, plan)
            except OSError as exc:
                raise _to_http_error(exc, path) from exc
            if len(body) != length:
                if ranges is not None:
                    logger.error(
                        "File `%s` changed while being read: expected %d bytes, read %d", path, length, len(body)
                    )
                    raise InternalServerException()
                length = len(body)  # the whole file, read after it changed: send what was read
            headers.append((b"content-length", str(length).encode("latin-1")))
            headers.extend(self._cookie_headers())
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            await self.after_response()
            return

        headers.append((b"content-length", str(length).encode("latin-1")))
        headers.extend(self._cookie_headers())
        if await self._stream(fs, path, plan, status, headers, length, receive, send):
            await self.after_response()

    async def _stream(
        self,
        fs: BaseFileSystem,
        path: str,
        plan: BodyPlan,
        status: int,
        headers: list[tuple[bytes, bytes]],
        length: int,
        receive: Receive,
        send: Send,
    ) -> bool:
        """Stream a large body, stopping when the client leaves; return whether the response was completed."""
        async with aclosing(self._pieces(fs, path, plan)) as pieces:
            try:
                first = await anext(pieces)
            except OSError as exc:
                raise _to_http_error(exc, path) from exc
            except _ShortReadError:
                logger.error("File `%s` shrank before it could be sent", path)
                raise InternalServerException() from None
            await send({"type": "http.response.start", "status": status, "headers": headers})
            completed = False
            try:
                # The first pieces go out unwatched: reading a piece waits, which would start the disconnect
                # watcher at once, and its set-up and tear-down would cost more than a short body; at most
                # `_UNWATCHED_PIECES` chunks are read in vain when the client leaves that early.
                sent = len(first)
                await send({"type": "http.response.body", "body": first, "more_body": sent < length})
                count = 1
                while sent < length and count < _UNWATCHED_PIECES:
                    await anyio.lowlevel.checkpoint()  # a turn for the other responses (see `_stream_watched`)
                    piece = await anext(pieces)
                    sent += len(piece)
                    count += 1
                    await send({"type": "http.response.body", "body": piece, "more_body": sent < length})
                if sent < length:
                    completed = await self._stream_watched(pieces, sent, length, receive, send)
                else:
                    completed = True
            except _ShortReadError as exc:
                # Never pad or overrun: end the response short, so that the server closes the connection.
                logger.error(
                    "File `%s` shrank while being sent: %d of the %d bytes announced are missing",
                    path,
                    exc.args[0],
                    length,
                )
            except OSError as exc:
                logger.info("Stopped sending file `%s`: %s", path, exc)
        return completed

    async def _stream_watched(
        self, pieces: AsyncGenerator[bytes, None], sent: int, length: int, receive: Receive, send: Send
    ) -> bool:
        """Send the rest of a long body under the disconnect watch; return whether it was all sent.

        Raises:
            _ShortReadError: The file ended early.
            OSError: Reading the file or sending failed.
        """
        completed = False
        async with watch_disconnect(self.scope or {}, receive, send) as watch:
            async for piece in pieces:
                sent += len(piece)
                await send({"type": "http.response.body", "body": piece, "more_body": sent < length})
                if watch.state:  # the file system swallowed the cancellation: stop here
                    await watch.halt()
                # A cached file's pieces are read without waiting, and a server's send waits only when its buffer is
                # full: without a turn here, one response could run for many pieces while the others starve.
                await watch.pause()
            completed = True
        return completed


class File(Response[Any]):
    """A file as the response: from the local disk, a file system in the app's registry, or an fsspec one.

    The media type is, in order: ``media_type``, the route handler's ``media_type``, a guess from the file name, and
    ``application/octet-stream``. ``ETag``, ``Last-Modified`` and ``Content-Length`` come from the file, unless
    ``headers`` gives them (see ``ASGIFileResponse``); the ``ETag`` is made even when the file system gives no
    modification time. GET and HEAD requests get conditional (304/412) and Range (206/416) handling.

    Args:
        path: The path of the file in its file system.
        background: Task(s) to run after the response is sent.
        chunk_size: The largest piece read and sent at once; a file up to this size goes out in one message.
        content_disposition_type: ``attachment`` (download) or ``inline`` (display).
        cookies: Cookies to set.
        encoding: The charset of a text media type.
        etag: The entity tag; derived from the path, modification time and size when not given.
        file_info: The file's ``FileInfo`` (or an awaitable of it), when already known.
        file_system: A file system (``BaseFileSystem`` or fsspec), the name of one in the app's
            ``FileSystemRegistry``, or None for the registry's default (the local disk without a registry).
        filename: The name in ``Content-Disposition`` (``filename=""`` when not given), and what the media type is
            guessed from: ``application/octet-stream`` without one, as in Litestar.
        headers: More headers; an ``ETag``, ``Last-Modified`` or ``Content-Length`` among them replaces the file's.
        media_type: The Content-Type.
        status_code: The status code; the handler's when not given.

    Raises:
        ImproperlyConfiguredException: ``chunk_size`` or ``content_disposition_type`` is invalid, or ``status_code``
            forbids a body (1xx, 204, 304).
    """

    __slots__ = (
        "chunk_size",
        "content_disposition_type",
        "etag",
        "file_info",
        "file_path",
        "file_system",
        "filename",
    )

    def __init__(
        self,
        path: PathType,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        chunk_size: int = ONE_MEGABYTE,
        content_disposition_type: ContentDispositionType = "attachment",
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        etag: ETag | None = None,
        file_info: FileInfo | Awaitable[FileInfo] | None = None,
        file_system: AnyFileSystem | str | None = None,
        filename: str | None = None,
        headers: ResponseHeaders | None = None,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        check_options(chunk_size, content_disposition_type)
        check_body_allowed(status_code, type(self).__name__)
        super().__init__(
            content=None,
            background=background,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            media_type=media_type,
            status_code=status_code,
        )
        self.file_path = path
        self.chunk_size = chunk_size
        self.content_disposition_type: ContentDispositionType = content_disposition_type
        self.etag = etag
        self.file_info = file_info
        self.file_system = file_system
        self.filename = filename or ""

    def to_asgi_response(
        self,
        request: Request[Any, Any, Any] | None,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: Iterable[Cookie] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> ASGIFileResponse:
        """Create the ``ASGIFileResponse``, resolving the file system by name in the app's registry.

        Args:
            request: The request being answered.
            background: Layered background task(s), used when the response has none.
            cookies: Layered cookies.
            headers: Layered headers (a layered ``ETag`` or ``Last-Modified`` gives way to the file's).
            is_head_response: Whether the request was a HEAD request.
            media_type: The handler's media type; used only when set on the handler itself.
            status_code: The handler's status code, used when the response has none.
            type_encoders: Unused.

        Returns:
            The low-level response.

        Raises:
            ImproperlyConfiguredException: When the status code forbids a body (1xx, 204, 304).
        """
        scope = getattr(request, "scope", None) or {}
        status = self.status_code or status_code or 200
        check_body_allowed(status, type(self).__name__)
        file_system = resolve_file_system(scope.get("app"), self.file_system)
        layered = {k: v for k, v in headers.items() if k.lower() not in ("etag", "last-modified")} if headers else {}
        return ASGIFileResponse(
            file_path=self.file_path,
            background=self.background or background,
            chunk_size=self.chunk_size,
            content_disposition_type=self.content_disposition_type,
            cookies=merge_cookies(self.cookies, cookies),
            encoding=self.encoding,
            etag=self.etag,
            file_info=self.file_info,
            file_system=file_system,
            filename=self.filename,
            headers={**layered, **self.headers} if layered else self.headers,
            is_head_response=is_head_response,
            media_type=self.media_type or explicit_handler_media_type(request),
            status_code=status,
        )
