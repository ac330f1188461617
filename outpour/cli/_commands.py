"""The ``outpour`` command: ``run``, ``routes``, ``schema openapi`` and ``version`` (click, with rich output)."""

from __future__ import annotations

import importlib
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
from outpour.cli._discovery import APP_DIR_ENV, APP_ENV, DEBUG_ENV, AppDiscoveryError, LoadedApp, load_app
from outpour.cli._routes import route_rows

__all__ = ["cli"]

_SERVERS = ("uvicorn", "granian")
_UVICORN_PARSERS = ("h11", "httptools")
# h11 buffers at most this much of an incomplete request head: the app's ``request_max_header_size`` plus room for the
# request line, the ``: `` and CRLF of each header. Past it, uvicorn answers a bare 400 itself; below it, the app's
# exact 431 applies.
_HEAD_ALLOWANCE = 16 * 1024
# What each server worker imports: ``outpour.cli._serve`` builds the app from the variables ``run`` exports.
TARGET = "outpour.cli._serve:app"
_SERVER_EXTRAS = {"uvicorn": "standard", "granian": "granian"}

_app_option = click.option(
    "--app",
    "app_spec",
    metavar="MODULE:ATTR",
    default=None,
    help=f"The app: an `Outpour` instance or a factory returning one. Default: `{APP_ENV}`, then app.py / application.py.",
)


class _State:
    __slots__ = ("app_dir", "app_spec")

    def __init__(self, app_spec: str | None, app_dir: Path | None) -> None:
        self.app_spec = app_spec
        self.app_dir = app_dir


def _load(ctx: click.Context, app_spec: str | None) -> LoadedApp:
    state = ctx.find_object(_State)
    spec = app_spec or (state.app_spec if state else None)
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
    envvar=APP_DIR_ENV,
    default=None,
    help="The folder to import the app from. Default: the current directory.",
)
@click.version_option(outpour.__version__, "-V", "--version", prog_name="outpour")
@click.pass_context
def cli(ctx: click.Context, app_spec: str | None, app_dir: Path | None) -> None:
    """outpour: serve an app, list its routes, write its OpenAPI schema."""
    ctx.obj = _State(app_spec, app_dir)


@cli.command()
@click.option("--short", is_flag=True, help="Print only the version number.")
def version(short: bool) -> None:
    """Print outpour's version."""
    click.echo(outpour.__version__ if short else f"outpour {outpour.__version__}")


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


def _uvicorn_protocol(app: outpour.Outpour, http: str) -> dict[str, Any]:
    """The uvicorn settings of ``--http``: the parser, and for h11 a head buffer sized from the app's limit."""
    if http != "h11":
        return {"http": http}
    limit = app.request_max_header_size
    # With no limit on the app (``None``), h11 gets none either: the head is as unbounded as under httptools.
    return {"http": http, "h11_max_incomplete_event_size": sys.maxsize if limit is None else limit + _HEAD_ALLOWANCE}


def _serve_uvicorn(loaded: LoadedApp, host: str, port: int, workers: int, reload: bool, debug: bool, http: str) -> None:
    try:
        import uvicorn
    except ImportError as exc:
        raise click.ClickException("uvicorn is not installed: `pip install 'outpour[standard]'`.") from exc
    log_level = "debug" if debug else "info"
    protocol = _uvicorn_protocol(loaded.app, http)
    if workers == 1 and not reload:
        uvicorn.run(loaded.app, host=host, port=port, log_level=log_level, **protocol)
        return
    uvicorn.run(
        TARGET,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        reload_dirs=[str(loaded.app_dir)] if reload else None,
        log_level=log_level,
        **protocol,
    )


def _serve_granian(loaded: LoadedApp, host: str, port: int, workers: int, reload: bool, debug: bool) -> None:
    try:
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels
    except ImportError as exc:
        raise click.ClickException("granian is not installed: `pip install 'outpour[granian]'`.") from exc
    # granian resolves a target's module from the file system, relative to the working directory; a file path works
    # wherever the command runs (and whatever ``__init__.py`` files surround it).
    Granian(
        f"{Path(__file__).with_name('_serve.py')}:app",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        reload=reload,
        reload_paths=[loaded.app_dir] if reload else None,
        log_level=LogLevels.debug if debug else LogLevels.info,
    ).serve()


@cli.command()
@_app_option
@click.option("--host", "-H", default="127.0.0.1", show_default=True, help="The address to bind.")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port to bind.")
@click.option("--reload", "-r", is_flag=True, help="Restart when a file in the app folder changes (development).")
@click.option(
    "--workers", "-W", type=click.IntRange(min=1), default=1, show_default=True, help="The number of worker processes."
)
@click.option(
    "--server",
    type=click.Choice(_SERVERS),
    default="uvicorn",
    show_default=True,
    help="The ASGI server to run the app under.",
)
@click.option(
    "--http",
    type=click.Choice(_UVICORN_PARSERS),
    default=None,
    help="uvicorn's HTTP/1.1 parser. h11 (the default) hands every method to the app (an unknown one gets the app's "
    "405 with `Allow`) and bounds the request head by the app's `request_max_header_size`; httptools is faster but "
    "answers methods it does not know with a bare 400 of its own. Not for granian, which has its own parser.",
)
@click.option("--debug", "-d", is_flag=True, help="Switch the app's `debug` on (tracebacks in error pages).")
@click.pass_context
def run(
    ctx: click.Context,
    app_spec: str | None,
    host: str,
    port: int,
    reload: bool,
    workers: int,
    server: str,
    http: str | None,
    debug: bool,
) -> None:
    """Serve the app under uvicorn or granian."""
    if reload and workers > 1:
        raise click.UsageError(f"`--reload` and `--workers {workers}` cannot be combined: choose one.")
    if http is not None and server != "uvicorn":
        raise click.UsageError(
            f"`--http {http}` chooses uvicorn's parser, and granian has its own: drop `--http`, or add "
            "`--server uvicorn`."
        )
    loaded = _load(ctx, app_spec)
    if debug:
        loaded.app.debug = True
    # Every worker process builds the app again through ``outpour.cli._serve``, from these variables.
    os.environ[APP_ENV] = loaded.import_path
    os.environ[APP_DIR_ENV] = str(loaded.app_dir)
    os.environ[DEBUG_ENV] = "1" if debug else "0"
    python_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(loaded.app_dir), python_path]))
    shown_host = f"[{host}]" if ":" in host else host
    parser = [http or "h11"] if server == "uvicorn" else []
    details = [*parser, f"{workers} worker{'s' if workers > 1 else ''}"] + ["reload"] * reload + ["debug"] * debug
    Console(stderr=True, highlight=False).print(
        f"outpour: serving [bold]{loaded.import_path}[/] on [bold]http://{shown_host}:{port}[/] "
        f"with {server} ({', '.join(details)})"
    )
    if server == "granian":
        _serve_granian(loaded, host, port, workers, reload, debug)
    else:
        _serve_uvicorn(loaded, host, port, workers, reload, debug, http or "h11")
    sys.stdout.flush()
