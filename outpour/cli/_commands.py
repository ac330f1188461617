"""The ``outpour`` command: ``run``, ``info``, ``routes``, ``schema openapi`` and ``version`` (click, with rich output)."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
import msgspec
from rich.console import Console
from rich.table import Table

import outpour
from outpour.cli._discovery import APP_DIR_ENV, APP_ENV, DEBUG_ENV, PDB_ENV, AppDiscoveryError, LoadedApp, load_app
from outpour.cli._routes import route_rows
from outpour.cli._servers import (
    GRANIAN_TRUSTED_HOSTS_ENV,
    ServeOptions,
    describe,
    granian_settings,
    granian_trusted_hosts,
    refusals,
    uvicorn_settings,
)

__all__ = ["cli"]

_SERVERS = ("uvicorn", "granian")
_UVICORN_PARSERS = ("h11", "httptools")
# What each server worker imports: ``outpour.cli._serve`` builds the app from the variables ``run`` exports.
TARGET = "outpour.cli._serve:app"
LITESTAR_APP_ENV = "LITESTAR_APP"
"""Litestar's variable naming the app, read when ``OUTPOUR_APP`` is not set."""

_app_option = click.option(
    "--app",
    "app_spec",
    metavar="MODULE:ATTR",
    default=None,
    help=f"The app: an `Outpour` instance or a factory returning one. Default: `{APP_ENV}` (or `{LITESTAR_APP_ENV}`), "
    "then app.py / application.py.",
)


class _State:
    __slots__ = ("app_dir", "app_spec")

    def __init__(self, app_spec: str | None, app_dir: Path | None) -> None:
        self.app_spec = app_spec
        self.app_dir = app_dir


def _load(ctx: click.Context, app_spec: str | None) -> LoadedApp:
    state = ctx.find_object(_State)
    spec = app_spec or (state.app_spec if state else None)
    if spec is None and not os.environ.get(APP_ENV, "").strip():
        spec = os.environ.get(LITESTAR_APP_ENV, "").strip() or None  # an app written for Litestar's CLI
    app_dir = state.app_dir if state else None
    try:
        return load_app(spec, app_dir)
    except AppDiscoveryError as exc:
        raise click.ClickException(str(exc)) from exc


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_app_option
@click.option(
    "--app-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar=[APP_DIR_ENV, "LITESTAR_APP_DIR"],
    default=None,
    help="The folder to import the app from. Default: the current directory.",
)
@click.version_option(outpour.__version__, "-V", "--version", prog_name="outpour", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, app_spec: str | None, app_dir: Path | None) -> None:
    """outpour: serve an app, list its routes, write its OpenAPI schema."""
    ctx.obj = _State(app_spec, app_dir)


@cli.command()
@click.option("--short", is_flag=True, help="Print only the version number.")
def version(short: bool) -> None:
    """Print outpour's version."""
    click.echo(outpour.__version__ if short else f"outpour {outpour.__version__}")


def _version_of(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _info_rows(loaded: LoadedApp) -> list[tuple[str, str]]:
    app = loaded.app
    config = app.openapi_config
    plugins = [type(plugin).__name__ for plugin in app.plugins]
    engine = app.template_engine
    return [
        ("App", loaded.import_path + (" (factory)" if loaded.is_factory else "")),
        ("App folder", str(loaded.app_dir)),
        ("Debug", "on" if app.debug else "off"),
        ("Routes", str(sum(len(row.methods) for row in route_rows(app, (), getattr(config, "path", None))))),
        ("OpenAPI", f"{config.path} ({config.title} {config.version})" if config is not None else "off"),
        ("Plugins", ", ".join(plugins) or "none"),
        ("Middleware", str(len(app.middleware))),
        ("Template engine", type(engine).__name__ if engine is not None else "none"),
        ("outpour", outpour.__version__),
        ("Python", f"{sys.version.split()[0]} ({sys.implementation.name})"),
        *((name, _version_of(name)) for name in _SERVERS),
    ]


@cli.command()
@_app_option
@click.pass_context
def info(ctx: click.Context, app_spec: str | None) -> None:
    """Show the app (where it comes from, routes, OpenAPI, plugins) and the versions of outpour, Python and servers."""
    loaded = _load(ctx, app_spec)
    table = Table(title=f"outpour app {loaded.import_path}", title_justify="left", show_header=False)
    table.add_column("", style="bold cyan", no_wrap=True)
    table.add_column("")
    for name, value in _info_rows(loaded):
        table.add_row(name, value)
    _console().print(table)


@cli.command()
@_app_option
@click.option(
    "--exclude", multiple=True, metavar="REGEX", help="Leave out paths matching this regular expression (repeatable)."
)
@click.option("--schema", "show_schema", is_flag=True, help="Include the OpenAPI schema routes.")
@click.pass_context
def routes(ctx: click.Context, app_spec: str | None, exclude: tuple[str, ...], show_schema: bool) -> None:
    """Show the app's routes: path, methods, handler and the kind of response."""
    loaded = _load(ctx, app_spec)
    hide = None if show_schema else getattr(loaded.app.openapi_config, "path", None)
    try:
        rows = route_rows(loaded.app, exclude, hide)
    except Exception as exc:  # a bad --exclude pattern
        raise click.BadParameter(str(exc), param_hint="--exclude") from exc
    table = Table(title=f"Routes of {loaded.import_path}", title_justify="left")
    table.add_column("Path", style="bold cyan", no_wrap=True)
    table.add_column("Methods", style="green", no_wrap=True)
    table.add_column("Handler", no_wrap=True)
    table.add_column("Response", style="magenta")
    for row in rows:
        table.add_row(row.path, ", ".join(row.methods), row.handler, row.kind)
    _console().print(table)


@cli.group()
def schema() -> None:
    """Export the app's schema."""


def _openapi_document(app: outpour.Outpour) -> Mapping[str, Any]:
    if getattr(app, "openapi_config", None) is None:
        raise click.ClickException(
            "The app has no OpenAPI schema: it was created with `openapi_config=None`. Leave `openapi_config` out "
            "(the default `OpenAPIConfig` documents every route) or pass an `OpenAPIConfig`."
        )
    try:
        document: Any = app.openapi_schema
    except Exception as exc:
        raise click.ClickException(
            f"Building the OpenAPI schema failed: `{type(exc).__name__}: {exc}`. Check the app's `openapi_config`."
        ) from exc
    to_schema = getattr(document, "to_schema", None)
    if callable(to_schema):
        document = to_schema()
    if not isinstance(document, Mapping):
        raise click.ClickException(f"`app.openapi_schema` gave `{type(document).__name__}`, not a mapping.")
    return document


@schema.command()
@_app_option
@click.option(
    "--output",
    "-o",
    default="openapi_schema.json",
    show_default=True,
    metavar="FILE",
    help="Where to write it; `.yaml` / `.yml` writes YAML, `-` prints JSON to stdout.",
)
@click.pass_context
def openapi(ctx: click.Context, app_spec: str | None, output: str) -> None:
    """Write the app's OpenAPI schema as JSON or YAML."""
    loaded = _load(ctx, app_spec)
    document = _openapi_document(loaded.app)
    if output.endswith((".yaml", ".yml")):
        try:
            yaml: Any = importlib.import_module("yaml")
        except ImportError as exc:
            raise click.ClickException(
                f"Writing `{output}` needs PyYAML: `pip install pyyaml`, or write JSON instead."
            ) from exc
        text = yaml.safe_dump(msgspec.to_builtins(document), sort_keys=False, allow_unicode=True)
    else:
        text = msgspec.json.format(msgspec.json.encode(document), indent=2).decode() + "\n"
    if output == "-":
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"Cannot write `{output}`: {exc.strerror}.") from exc
    _console().print(f"Wrote the OpenAPI schema of [bold]{loaded.import_path}[/] to [bold]{output}[/].")


def _serve_uvicorn(loaded: LoadedApp, options: ServeOptions) -> None:
    try:
        import uvicorn
    except ImportError as exc:
        raise click.ClickException("uvicorn is not installed: `pip install 'outpour[standard]'`.") from exc
    settings = uvicorn_settings(loaded.app, loaded.app_dir, options)
    if options.workers == 1 and not options.reload:
        uvicorn.run(loaded.app, **settings)
        return
    settings.setdefault("reload_dirs", None)
    uvicorn.run(TARGET, workers=None if options.reload else options.workers, reload=options.reload, **settings)


def _serve_granian(loaded: LoadedApp, options: ServeOptions) -> None:
    try:
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels
    except ImportError as exc:
        raise click.ClickException("granian is not installed: `pip install 'outpour[granian]'`.") from exc
    trusted = granian_trusted_hosts(options)
    if trusted is not None:
        if importlib.util.find_spec("granian.utils.proxies") is None:
            raise click.ClickException(
                "This granian has no proxy-headers helper (`granian.utils.proxies`): upgrade granian "
                "(`pip install -U granian`), or drop `--proxy-headers` / `--forwarded-allow-ips`."
            )
        os.environ[GRANIAN_TRUSTED_HOSTS_ENV] = trusted
    # granian resolves a target's module from the file system, relative to the working directory; a file path works
    # wherever the command runs (and whatever ``__init__.py`` files surround it).
    Granian(
        f"{Path(__file__).with_name('_serve.py')}:app",
        interface=Interfaces.ASGI,
        log_level=LogLevels.debug if options.debug else LogLevels.info,
        **granian_settings(loaded.app_dir, options),
    ).serve()


def _env(name: str, *more: str) -> list[str]:
    """The environment variables of an option: ``OUTPOUR_<NAME>``, then Litestar's ``LITESTAR_<NAME>``, then ``more``."""
    return [f"OUTPOUR_{name}", f"LITESTAR_{name}", *more]


_RUN_EPILOG = """\b
Examples:
  outpour run                                  app.py / application.py, on http://127.0.0.1:8000
  outpour --app shop.main:create_app run -W 4  a factory, four worker processes
  outpour run --reload -R src -E '*.log'       restart when a file under src/ changes, but not a log
  outpour run --uds /run/shop.sock --root-path /shop --forwarded-allow-ips '*'   behind a reverse proxy
  outpour run --ssl-certfile cert.pem --ssl-keyfile key.pem                      HTTPS
  OUTPOUR_PORT=9000 WEB_CONCURRENCY=2 outpour run --server granian

\b
Every option also reads an environment variable, OUTPOUR_<OPTION> or LITESTAR_<OPTION> (shown with each option);
the command line wins over both.
"""


@cli.command(epilog=_RUN_EPILOG)
@_app_option
@click.option(
    "--host",
    "-H",
    default="127.0.0.1",
    show_default=True,
    envvar=_env("HOST"),
    show_envvar=True,
    help="The address to bind.",
)
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    envvar=_env("PORT"),
    show_envvar=True,
    help="The port to bind.",
)
@click.option(
    "--uds",
    "--unix-domain-socket",
    "-U",
    "uds",
    type=click.Path(path_type=Path),
    default=None,
    envvar=_env("UDS"),
    show_envvar=True,
    help="Bind this Unix domain socket instead of a host and port.",
)
@click.option(
    "--fd",
    "--file-descriptor",
    "-F",
    "fd",
    type=click.IntRange(min=0),
    default=None,
    envvar=_env("FD"),
    show_envvar=True,
    help="Serve on this inherited file descriptor (a socket bound by a process manager). uvicorn only.",
)
@click.option(
    "--workers",
    "--web-concurrency",
    "--wc",
    "-W",
    "workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    envvar=_env("WEB_CONCURRENCY", "WEB_CONCURRENCY"),
    show_envvar=True,
    help="The number of worker processes.",
)
@click.option(
    "--reload",
    "-r",
    is_flag=True,
    envvar=_env("RELOAD"),
    show_envvar=True,
    help="Restart when a file in the app folder changes (development).",
)
@click.option(
    "--reload-dir",
    "-R",
    "reload_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar=_env("RELOAD_DIR"),
    show_envvar=True,
    help="A folder to watch instead of the app's (repeatable; needs `--reload`).",
)
@click.option(
    "--reload-include",
    "-I",
    "reload_includes",
    multiple=True,
    metavar="GLOB",
    envvar=_env("RELOAD_INCLUDE"),
    show_envvar=True,
    help="Also restart when a file matching this pattern changes (repeatable; uvicorn only).",
)
@click.option(
    "--reload-exclude",
    "-E",
    "reload_excludes",
    multiple=True,
    metavar="GLOB",
    envvar=_env("RELOAD_EXCLUDE"),
    show_envvar=True,
    help="Do not restart when a file matching this pattern changes (repeatable).",
)
@click.option(
    "--server",
    type=click.Choice(_SERVERS),
    default="uvicorn",
    show_default=True,
    envvar=_env("SERVER"),
    show_envvar=True,
    help="The ASGI server to run the app under.",
)
@click.option(
    "--http",
    type=click.Choice(_UVICORN_PARSERS),
    default=None,
    envvar=_env("HTTP"),
    show_envvar=True,
    help="uvicorn's HTTP/1.1 parser. h11 (the default) hands every method to the app (an unknown one gets the app's "
    "405 with `Allow`) and bounds the request head by the app's `request_max_header_size`; httptools is faster but "
    "answers methods it does not know with a bare 400 of its own. Not for granian, which has its own parser.",
)
@click.option(
    "--root-path",
    default="",
    envvar=_env("ROOT_PATH"),
    show_envvar=True,
    metavar="PATH",
    help="The path prefix a reverse proxy serves the app under (the ASGI `root_path`), e.g. `/api`.",
)
@click.option(
    "--proxy-headers/--no-proxy-headers",
    default=None,
    envvar=_env("PROXY_HEADERS"),
    show_envvar=True,
    help="Take the client's address and scheme from `X-Forwarded-For`/`X-Forwarded-Proto` sent by a "
    "trusted proxy. Default: uvicorn's (on), granian's (off).",
)
@click.option(
    "--forwarded-allow-ips",
    default=None,
    metavar="IPS",
    envvar=_env("FORWARDED_ALLOW_IPS", "FORWARDED_ALLOW_IPS"),
    show_envvar=True,
    help="The proxies trusted for proxy headers, comma-separated (`*` for all). Default: 127.0.0.1.",
)
@click.option(
    "--ssl-certfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    envvar=_env("SSL_CERTFILE"),
    show_envvar=True,
    help="Serve HTTPS with this certificate (PEM).",
)
@click.option(
    "--ssl-keyfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    envvar=_env("SSL_KEYFILE"),
    show_envvar=True,
    help="The certificate's private key (PEM).",
)
@click.option(
    "--debug",
    "-d",
    is_flag=True,
    envvar=_env("DEBUG"),
    show_envvar=True,
    help="Switch the app's `debug` on (tracebacks in error pages).",
)
@click.option(
    "--pdb",
    "--use-pdb",
    "-P",
    "pdb",
    is_flag=True,
    envvar=_env("PDB"),
    show_envvar=True,
    help="Switch the app's `pdb_on_exception` on: stop in the debugger at every exception a request raises.",
)
@click.pass_context
def run(ctx: click.Context, /, app_spec: str | None, server: str, pdb: bool, **values: Any) -> None:
    """Serve the app under uvicorn or granian."""
    options = ServeOptions(**values)
    problems = refusals(server, options)
    if problems:
        raise click.UsageError("\n".join(problems))
    loaded = _load(ctx, app_spec)
    if options.debug:
        loaded.app.debug = True
    if pdb:
        loaded.app.pdb_on_exception = True
    # Every worker process builds the app again through ``outpour.cli._serve``, from these variables.
    os.environ[APP_ENV] = loaded.import_path
    os.environ[APP_DIR_ENV] = str(loaded.app_dir)
    os.environ[DEBUG_ENV] = "1" if options.debug else "0"
    os.environ[PDB_ENV] = "1" if pdb else "0"
    python_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(loaded.app_dir), python_path]))
    where, details = describe(server, options)
    Console(stderr=True, highlight=False).print(
        f"outpour: serving [bold]{loaded.import_path}[/] on [bold]{where}[/] with {server} ({details})"
    )
    if server == "granian":
        _serve_granian(loaded, options)
    else:
        _serve_uvicorn(loaded, options)
    sys.stdout.flush()
