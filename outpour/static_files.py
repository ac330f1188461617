"""``create_static_files_router``: serve the files of one or more directories under a path.

::

    from outpour import Outpour
    from outpour.static_files import create_static_files_router

    app = Outpour([create_static_files_router(path="/static", directories=["assets"])])

Requests never leave the directories: ``..`` segments (also sent as ``%2e%2e``), encoded slashes and backslashes,
NUL, and, on file systems with links, symbolic links leading outside a directory are answered with 404, and a
directory is never mistaken for its siblings sharing a prefix (``/static`` and ``/static-secret``).
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from outpour.exceptions import ImproperlyConfiguredException, NotFoundException, PermissionDeniedException
from outpour.file_system import (
    AnyFileSystem,
    BaseFileSystem,
    FileInfo,
    LinkableFileSystem,
    PathType,
    SymlinkResolver,
    maybe_wrap_fsspec_file_system,
    names_no_file,
    resolve_file_system,
)
from outpour.handlers import get
from outpour.response.file import File
from outpour.router import Router
from outpour.types import (
    AfterRequestHookHandler,
    AfterResponseHookHandler,
    BeforeRequestHookHandler,
    Empty,
    EmptyType,
    ExceptionHandlersMap,
    Guard,
    Scope,
)

__all__ = ["create_static_files_router"]

logger = logging.getLogger("outpour.static_files")

# Percent-encoded "/", "\" and NUL in the raw path: the decoded path can no longer tell them from real separators.
_ENCODED_SEPARATOR: Final = re.compile(rb"%(?:2f|5c|00)", re.IGNORECASE)


def _safe_segments(file_path: str) -> list[str] | None:
    """Split a requested path into segments, or None when it tries to leave the directory."""
    segments: list[str] = []
    for segment in file_path.split("/"):
        if segment in ("", "."):
            continue
        if segment == ".." or "\\" in segment or "\x00" in segment:
            return None
        segments.append(segment)
    return segments


def _within(path: str, root: str, sep: str) -> bool:
    return path == root or path.startswith(root if root.endswith(sep) else root + sep)


class _StaticFiles:
    """Finds the file a request names in the directories, on the file system of the app serving it."""

    __slots__ = (
        "_absolute",
        "_roots",
        "allow_symlinks_outside_directory",
        "directories",
        "disposition",
        "file_system",
        "html_mode",
    )

    def __init__(
        self,
        directories: Sequence[PathType],
        file_system: BaseFileSystem | str | None,
        send_as_attachment: bool,
        html_mode: bool,
        allow_symlinks_outside_directory: bool,
    ) -> None:
        self.directories = [os.fspath(d) for d in directories]
        self._absolute = [os.path.abspath(d) for d in self.directories]  # relative to the start-up directory
        self.file_system = file_system
        self.html_mode = html_mode
        self.disposition: Any = "attachment" if send_as_attachment else "inline"
        self.allow_symlinks_outside_directory = allow_symlinks_outside_directory
        self._roots: dict[int, tuple[BaseFileSystem, list[str], SymlinkResolver | None]] = {}

    async def roots(self, fs: BaseFileSystem) -> tuple[list[str], SymlinkResolver | None]:
        """The directories as ``fs`` names them, and how it resolves links; found once per file system.

        The directories are absolute and with their links resolved when ``fs`` has links
        (``LinkableFileSystem.get_symlink_resolver``).
        """
        cached = self._roots.get(id(fs))
        if cached is not None and cached[0] is fs:
            return cached[1], cached[2]
        resolver = LinkableFileSystem.get_symlink_resolver(fs)
        if resolver is not None:
            roots = [await resolver(fs, d) for d in self._absolute]
        else:
            roots = [d.rstrip("/") or "/" for d in self.directories]
        self._roots[id(fs)] = (fs, roots, resolver)
        return roots, resolver

    async def _lookup(
        self, fs: BaseFileSystem, resolver: SymlinkResolver | None, root: str, segments: list[str]
    ) -> tuple[str, FileInfo] | None:
        """Describe ``root/segments`` if it is inside ``root``; None when it names no file there, or leads outside.

        Raises:
            PermissionDeniedException: The file system refused access.
            NotFoundException: The file system failed otherwise (logged as a warning): never a 500 for a request path.
        """
        candidate = posixpath.join(root, *segments) if resolver is None else os.path.join(root, *segments)
        try:
            if resolver is not None and not self.allow_symlinks_outside_directory:
                real = await resolver(fs, candidate)
                if not _within(real, root, os.sep):
                    logger.info("Refused `%s`: it leads outside `%s` through a symbolic link", candidate, root)
                    return None
            info = await fs.info(candidate)
        except PermissionError as exc:
            logger.warning("Cannot read `%s`: %s", candidate, exc)
            raise PermissionDeniedException() from exc
        except OSError as exc:
            # Missing, too long for the file system (ENAMETOOLONG), looping links (ELOOP), refused characters
            # (EINVAL): this directory has no such file, the next one may. See `outpour.response.file._to_http_error`
            # for why a path too long is a 404 and not a 414.
            if names_no_file(exc):
                return None
            logger.warning("Cannot read `%s`, answering 404: %s", candidate, exc)
            raise NotFoundException() from exc
        return candidate, info

    async def find(self, fs: BaseFileSystem, segments: list[str]) -> tuple[str, FileInfo] | None:
        """Return the path and info of the file to send, trying each directory in turn."""
        roots, resolver = await self.roots(fs)
        for root in roots:
            found = await self._lookup(fs, resolver, root, segments)
            if found is None:
                continue
            if found[1]["type"] == "directory" and self.html_mode:
                found = await self._lookup(fs, resolver, root, [*segments, "index.html"])
            if found is not None and found[1]["type"] == "file":
                return found
        return None

    async def serve(self, file_path: str, scope: Scope) -> File:
        """The route handler: the file ``file_path`` names, or a 404."""
        raw_path = scope.get("raw_path")
        segments = _safe_segments(file_path)
        if segments is None or (raw_path is not None and _ENCODED_SEPARATOR.search(raw_path)):
            raise NotFoundException()
        fs = self.file_system
        if not isinstance(fs, BaseFileSystem):
            fs = resolve_file_system(scope.get("app"), fs)
        found = await self.find(fs, segments)
        status_code = None
        if found is None and self.html_mode:
            found = await self.find(fs, ["404.html"])
            status_code = 404
        if found is None:
            raise NotFoundException()
        path, info = found
        return File(
            path,
            file_info=info,
            file_system=fs,
            filename=os.path.basename(path),
            content_disposition_type=self.disposition,
            status_code=status_code,
        )


def create_static_files_router(
    path: str,
    directories: Sequence[PathType],
    file_system: AnyFileSystem | str | None = None,
    send_as_attachment: bool = False,
    html_mode: bool = False,
    name: str = "static",
    after_request: AfterRequestHookHandler | None = None,
    after_response: AfterResponseHookHandler | None = None,
    before_request: BeforeRequestHookHandler | None = None,
    cache_control: Any | None = None,
    exception_handlers: ExceptionHandlersMap | None = None,
    guards: Sequence[Guard] | None = None,
    include_in_schema: bool | EmptyType = Empty,
    middleware: Sequence[Any] | None = None,
    opt: Mapping[str, Any] | None = None,
    security: Sequence[Mapping[str, Sequence[str]]] | None = None,
    tags: Sequence[str] | None = None,
    router_class: type[Router] = Router,
    allow_symlinks_outside_directory: bool = False,
) -> Router:
    """Create a router that serves the files in ``directories`` under ``path``, for GET and HEAD.

    Files are looked up in the directories in order. They get ``ETag``, ``Last-Modified``, conditional (304/412)
    and Range (206/416) handling; a missing file, a directory or a path leaving the directories is a 404.

    Args:
        path: The path to serve the files under, such as ``/static``.
        directories: The directories; relative ones are relative to the working directory.
        file_system: A file system (``BaseFileSystem`` or fsspec), the name of one in the app's
            ``FileSystemRegistry``, or None for the registry's default (the local disk without a registry).
        send_as_attachment: Send files with ``Content-Disposition: attachment`` instead of ``inline``.
        html_mode: Serve ``index.html`` for a directory (and for ``path`` itself), and ``404.html``, with status 404,
            when a file is missing.
        name: The route name, for ``route_reverse`` and ``url_for`` with a ``file_path`` parameter.
        after_request: A hook run after the handler, with the response.
        after_response: A hook run after the response is sent, with the request.
        before_request: A hook run before the handler, with the request.
        cache_control: A ``CacheControlHeader`` for the files.
        exception_handlers: Exception handlers, by status code or exception class.
        guards: Guards run before a file is sent.
        include_in_schema: Whether the route appears in the OpenAPI schema.
        middleware: Middleware of the router.
        opt: Arbitrary options, for guards and middleware.
        security: OpenAPI security requirements.
        tags: OpenAPI tags.
        router_class: The router class to create.
        allow_symlinks_outside_directory: Follow symbolic links that lead outside the directories (refused otherwise).

    Returns:
        The router; register it in ``route_handlers``.

    Raises:
        ImproperlyConfiguredException: ``directories`` is empty, a string or holds an empty string, or ``path`` is
            empty or has path parameters.
    """
    if isinstance(directories, str | bytes) or not directories or any(not os.fspath(d) for d in directories):
        raise ImproperlyConfiguredException(
            f"`directories` must be a non-empty list of directories, got `{directories!r}`; "
            'write `directories=["assets"]`.'
        )
    if not path or "{" in path:
        raise ImproperlyConfiguredException(
            f"The static files path must be a non-empty path without parameters, got `{path!r}`; "
            'write `path="/static"`, or `path="/"` to serve from the root.'
        )
    fs = (
        file_system
        if file_system is None or isinstance(file_system, str)
        else maybe_wrap_fsspec_file_system(file_system)
    )
    static = _StaticFiles(directories, fs, send_as_attachment, html_mode, allow_symlinks_outside_directory)

    # A bound method: its function is the same for every static files router, so several routers may keep the
    # default name ``static`` (as a controller's handler may be mounted on several paths); ``route_reverse``
    # then builds paths of the first one.
    handler = get(
        "/{file_path:path}",
        name=name,
        sync_to_thread=False,
        include_in_schema=include_in_schema,
    )(static.serve)
    return router_class(
        path=path,
        route_handlers=[handler],
        after_request=after_request,
        after_response=after_response,
        before_request=before_request,
        cache_control=cache_control,
        exception_handlers=exception_handlers,
        guards=guards,
        include_in_schema=include_in_schema,
        middleware=middleware,
        opt=opt,
        security=security,
        tags=tags,
    )
