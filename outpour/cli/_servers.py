"""How ``outpour run`` hands its options to uvicorn or granian, and which options a server cannot take.

Every option of ``outpour run`` is one field of :class:`ServeOptions`. :func:`refusals` lists the ones the chosen
server lacks, each with what to do instead; ``run`` refuses them before anything starts, so that a flag is never
silently ignored. :func:`uvicorn_settings` and :func:`granian_settings` translate the rest into each server's keywords.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from outpour.app import Outpour

__all__ = [
    "GRANIAN_TRUSTED_HOSTS_ENV",
    "ServeOptions",
    "describe",
    "granian_settings",
    "granian_trusted_hosts",
    "refusals",
    "uvicorn_settings",
]

# h11 buffers at most this much of an incomplete request head: the app's ``request_max_header_size`` plus room for the
# request line, the ``: `` and CRLF of each header. Past it, uvicorn answers a bare 400 itself; below it, the app's
# exact 431 applies.
_HEAD_ALLOWANCE = 16 * 1024

GRANIAN_TRUSTED_HOSTS_ENV = "OUTPOUR_GRANIAN_TRUSTED_HOSTS"
"""Set by ``run`` for granian's workers: the proxies whose ``X-Forwarded-*`` headers ``outpour.cli._serve`` applies."""

_DEFAULT_TRUSTED_HOSTS = "127.0.0.1"


@dataclass(frozen=True)
class ServeOptions:
    """What ``outpour run`` was asked for, whatever the server.

    Attributes:
        host: The address to bind (ignored with ``uds`` or ``fd``).
        port: The port to bind (ignored with ``uds`` or ``fd``).
        uds: A Unix domain socket to bind instead of ``host``/``port``.
        fd: An inherited file descriptor (a bound socket) to serve on instead of ``host``/``port``.
        workers: The number of worker processes.
        reload: Restart on file changes.
        reload_dirs: The folders to watch; the app's folder when empty.
        reload_includes: Glob patterns of the files whose changes restart the server.
        reload_excludes: Glob patterns of the files whose changes do not.
        debug: Switch the app's ``debug`` on.
        http: uvicorn's HTTP/1.1 parser, ``None`` for the default (h11).
        root_path: The path prefix the app is mounted under behind a proxy (ASGI ``root_path``).
        proxy_headers: Trust ``X-Forwarded-For``/``-Proto`` from ``forwarded_allow_ips``; ``None``: the server's default.
        forwarded_allow_ips: The comma-separated addresses trusted for proxy headers; ``None``: the server's default.
        ssl_certfile: The TLS certificate (PEM).
        ssl_keyfile: The TLS private key (PEM).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    uds: Path | None = None
    fd: int | None = None
    workers: int = 1
    reload: bool = False
    reload_dirs: tuple[Path, ...] = ()
    reload_includes: tuple[str, ...] = ()
    reload_excludes: tuple[str, ...] = ()
    debug: bool = False
    http: str | None = None
    root_path: str = ""
    proxy_headers: bool | None = None
    forwarded_allow_ips: str | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None

    @property
    def is_tls(self) -> bool:
        """Whether the server speaks HTTPS."""
        return self.ssl_certfile is not None

    def watched(self, app_dir: Path) -> list[Path]:
        """The folders ``--reload`` watches: ``--reload-dir`` ones, else the app's folder."""
        return list(self.reload_dirs) or [app_dir]


def refusals(server: str, options: ServeOptions) -> list[str]:
    """Say what ``options`` asks that cannot be done, under ``server`` or at all, and what to do instead.

    Args:
        server: ``uvicorn`` or ``granian``.
        options: The options.

    Returns:
        One message per problem; empty when the server can do everything asked.
    """
    problems: list[str] = []
    if options.reload and options.workers > 1:
        problems.append(f"`--reload` and `--workers {options.workers}` cannot be combined: choose one.")
    if options.uds is not None and options.fd is not None:
        problems.append("`--uds` and `--fd` both name the socket to serve on: choose one.")
    if (options.ssl_certfile is None) != (options.ssl_keyfile is None):
        given, missing = ("--ssl-certfile", "--ssl-keyfile")[:: 1 if options.ssl_certfile else -1]
        problems.append(f"`{given}` needs `{missing}` too: HTTPS takes both the certificate and its private key.")
    if not options.reload:
        for flag, value in (
            ("--reload-dir", options.reload_dirs),
            ("--reload-include", options.reload_includes),
            ("--reload-exclude", options.reload_excludes),
        ):
            if value:
                problems.append(f"`{flag}` only applies with `--reload`: add `--reload`, or drop `{flag}`.")
    if options.proxy_headers is False and options.forwarded_allow_ips is not None:
        problems.append(
            "`--forwarded-allow-ips` names the proxies whose headers are trusted, and `--no-proxy-headers` trusts "
            "none: drop one of them."
        )
    if server == "granian":
        problems.extend(_granian_refusals(options))
    return problems


def _granian_refusals(options: ServeOptions) -> list[str]:
    problems: list[str] = []
    if options.http is not None:
        problems.append(
            f"`--http {options.http}` chooses uvicorn's parser, and granian has its own: drop `--http`, or add "
            "`--server uvicorn`."
        )
    if options.fd is not None:
        problems.append(
            "granian cannot serve on an inherited file descriptor (`--fd`): bind with `--uds` or `--host`/`--port`, "
            "or add `--server uvicorn`."
        )
    if options.reload_includes:
        problems.append(
            "granian watches every file of the reload folders and cannot narrow them to patterns "
            "(`--reload-include`): drop it (`--reload-exclude` works), or add `--server uvicorn`."
        )
    return problems


def describe(server: str, options: ServeOptions) -> tuple[str, str]:
    """Return where the app is served (a URL, a socket or a descriptor) and a summary of the settings.

    Args:
        server: ``uvicorn`` or ``granian``.
        options: The options.

    Returns:
        ``(where, details)``, e.g. ``("http://127.0.0.1:8000", "h11, 1 worker, debug")``.
    """
    if options.uds is not None:
        where = f"unix:{options.uds}"
    elif options.fd is not None:
        where = f"file descriptor {options.fd}"
    else:
        host = f"[{options.host}]" if ":" in options.host else options.host
        where = f"{'https' if options.is_tls else 'http'}://{host}:{options.port}{options.root_path}"
    parser = [options.http or "h11"] if server == "uvicorn" else []
    details = [*parser, f"{options.workers} worker{'s' if options.workers > 1 else ''}"]
    details += ["reload"] * options.reload + ["debug"] * options.debug
    if options.root_path:
        details.append(f"root path {options.root_path}")
    if options.proxy_headers or options.forwarded_allow_ips is not None:
        details.append(f"proxy headers from {options.forwarded_allow_ips or _DEFAULT_TRUSTED_HOSTS}")
    return where, ", ".join(details)


def _uvicorn_protocol(app: Outpour, http: str) -> dict[str, Any]:
    """The uvicorn settings of ``--http``: the parser, and for h11 a head buffer sized from the app's limit."""
    if http != "h11":
        return {"http": http}
    limit = app.request_max_header_size
    # With no limit on the app (``None``), h11 gets none either: the head is as unbounded as under httptools.
    return {"http": http, "h11_max_incomplete_event_size": sys.maxsize if limit is None else limit + _HEAD_ALLOWANCE}


def uvicorn_settings(app: Outpour, app_dir: Path, options: ServeOptions) -> dict[str, Any]:
    """Translate ``options`` into ``uvicorn.run`` keywords (all but the app and ``workers``/``reload``).

    Args:
        app: The app (its ``request_max_header_size`` sizes h11's buffer).
        app_dir: The app's folder, watched by ``--reload`` unless ``--reload-dir`` is given.
        options: The options.

    Returns:
        The keywords; only those that differ from uvicorn's defaults, besides the address and the parser.
    """
    settings: dict[str, Any] = {"host": options.host, "port": options.port}
    if options.uds is not None:
        settings["uds"] = str(options.uds)
    if options.fd is not None:
        settings["fd"] = options.fd
    settings["log_level"] = "debug" if options.debug else "info"
    settings.update(_uvicorn_protocol(app, options.http or "h11"))
    if options.root_path:
        settings["root_path"] = options.root_path
    if options.proxy_headers is not None:
        settings["proxy_headers"] = options.proxy_headers
    if options.forwarded_allow_ips is not None:
        settings["forwarded_allow_ips"] = options.forwarded_allow_ips
    if options.ssl_certfile is not None:
        settings["ssl_certfile"] = str(options.ssl_certfile)
        settings["ssl_keyfile"] = str(options.ssl_keyfile)
    if options.reload:
        settings["reload_dirs"] = [str(path) for path in options.watched(app_dir)]
        if options.reload_includes:
            settings["reload_includes"] = list(options.reload_includes)
        if options.reload_excludes:
            settings["reload_excludes"] = list(options.reload_excludes)
    return settings


def granian_settings(app_dir: Path, options: ServeOptions) -> dict[str, Any]:
    """Translate ``options`` into ``granian.Granian`` keywords (all but the target and the enums).

    ``--reload-exclude`` globs become granian's ``reload_ignore_patterns`` (regular expressions). Proxy headers are not
    granian's: ``run`` exports the trusted hosts in ``OUTPOUR_GRANIAN_TRUSTED_HOSTS`` instead (see
    :func:`granian_trusted_hosts`), and each worker wraps the app with granian's proxy-headers helper.

    Args:
        app_dir: The app's folder, watched by ``--reload`` unless ``--reload-dir`` is given.
        options: The options.

    Returns:
        The keywords.
    """
    settings: dict[str, Any] = {"address": options.host, "port": options.port}
    if options.uds is not None:
        settings["uds"] = options.uds
    settings["workers"] = options.workers
    settings["reload"] = options.reload
    settings["reload_paths"] = options.watched(app_dir) if options.reload else None
    if options.reload and options.reload_excludes:
        settings["reload_ignore_patterns"] = [fnmatch.translate(glob) for glob in options.reload_excludes]
    if options.root_path:
        settings["url_path_prefix"] = options.root_path
    if options.ssl_certfile is not None:
        settings["ssl_cert"] = options.ssl_certfile
        settings["ssl_key"] = options.ssl_keyfile
    return settings


def granian_trusted_hosts(options: ServeOptions) -> str | None:
    """The proxies granian's workers trust for ``X-Forwarded-*`` headers, or ``None`` to apply none.

    granian applies no proxy headers by default; ``--proxy-headers`` trusts ``127.0.0.1`` (uvicorn's default) unless
    ``--forwarded-allow-ips`` names others, and ``--forwarded-allow-ips`` alone implies ``--proxy-headers``.

    Args:
        options: The options.

    Returns:
        The comma-separated hosts, or ``None``.
    """
    if options.proxy_headers is False or (options.proxy_headers is None and options.forwarded_allow_ips is None):
        return None
    return options.forwarded_allow_ips or _DEFAULT_TRUSTED_HOSTS
