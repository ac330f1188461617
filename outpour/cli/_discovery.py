"""Finding the app to serve: ``--app module:attr``, ``OUTPOUR_APP``, or ``app.py`` / ``application.py`` in a folder.

A module attribute may be an ``Outpour`` instance or a factory: a function that takes no arguments and returns one.
Without an attribute, the module is searched: ``app`` and ``application`` first, then any ``Outpour`` instance, then
``create_app`` / ``create_application``, then any function annotated to return ``Outpour``.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from outpour.app import Outpour

__all__ = ["APP_DIR_ENV", "APP_ENV", "DEBUG_ENV", "PDB_ENV", "AppDiscoveryError", "LoadedApp", "load_app"]

APP_ENV = "OUTPOUR_APP"
"""The environment variable naming the app, as ``module:attr``."""

APP_DIR_ENV = "OUTPOUR_APP_DIR"
"""The environment variable naming the folder to import the app from (the current directory when unset)."""

DEBUG_ENV = "OUTPOUR_DEBUG"
"""The environment variable that switches ``debug`` on for the served app (``1``)."""

PDB_ENV = "OUTPOUR_PDB"
"""The environment variable that switches ``pdb_on_exception`` on for the served app (``1``)."""

_CANDIDATE_MODULES = ("app", "application")
_CANDIDATE_ATTRS = ("app", "application")
_CANDIDATE_FACTORIES = ("create_app", "create_application")


class AppDiscoveryError(Exception):
    """The app could not be found, imported or built; the message says what was looked for and where."""


@dataclass(frozen=True)
class LoadedApp:
    """An app found by discovery.

    Attributes:
        app: The app.
        import_path: Where it came from, as ``module:attr`` (``attr`` may be a factory).
        is_factory: ``attr`` is a factory that was called to build the app.
        app_dir: The folder put first on ``sys.path`` to import the module.
    """

    app: Outpour
    import_path: str
    is_factory: bool
    app_dir: Path


def _module_name(spec: str) -> str:
    """Turn ``pkg/app.py`` into ``pkg.app``; leave dotted names alone."""
    if spec.endswith(".py"):
        spec = spec[:-3].replace(os.sep, ".").replace("/", ".")
    return spec


def _import(module_name: str, app_dir: Path, source: str) -> ModuleType:
    directory = str(app_dir)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise AppDiscoveryError(
                f"Cannot import module `{module_name}` ({source}): no such module in `{app_dir}` or on `sys.path`. "
                "Check the name, or run from the folder that holds it (or pass `--app-dir`)."
            ) from exc
        raise AppDiscoveryError(
            f"Importing module `{module_name}` ({source}) failed: {exc}. Install the missing package, or fix the import."
        ) from exc
    except Exception as exc:
        raise AppDiscoveryError(
            f"Importing module `{module_name}` ({source}) raised `{type(exc).__name__}: {exc}`. Fix the module first."
        ) from exc


def _returns_outpour(value: Any) -> bool:
    if not inspect.isfunction(value):
        return False
    annotation = inspect.signature(value).return_annotation
    if isinstance(annotation, str):
        return annotation.rsplit(".", 1)[-1] == "Outpour"
    return isinstance(annotation, type) and issubclass(annotation, Outpour)


def _build(module_name: str, attr: str, value: Any, source: str) -> tuple[Outpour, bool]:
    if isinstance(value, Outpour):
        return value, False
    if not callable(value) or isinstance(value, type):
        raise AppDiscoveryError(
            f"`{module_name}:{attr}` ({source}) is `{value!r}`, not an `Outpour` app or a factory returning one."
        )
    try:
        built = value()
    except Exception as exc:
        raise AppDiscoveryError(
            f"Calling the factory `{module_name}:{attr}` ({source}) raised `{type(exc).__name__}: {exc}`. "
            "A factory is called with no arguments and returns an `Outpour` app."
        ) from exc
    if not isinstance(built, Outpour):
        raise AppDiscoveryError(
            f"The factory `{module_name}:{attr}` ({source}) returned `{built!r}`, not an `Outpour` app."
        )
    return built, True


def _search(module: ModuleType, module_name: str, source: str) -> str:
    """Return the name of the attribute in ``module`` that holds the app or its factory."""
    members = vars(module)
    for name in _CANDIDATE_ATTRS:
        if isinstance(members.get(name), Outpour):
            return name
    instances = [name for name, value in members.items() if isinstance(value, Outpour)]
    if len(instances) > 1:
        found = ", ".join(f"`{name}`" for name in instances)
        raise AppDiscoveryError(
            f"Module `{module_name}` ({source}) holds several `Outpour` apps: {found}. "
            f"Choose one with `--app {module_name}:{instances[0]}`."
        )
    if instances:
        return instances[0]
    for name in _CANDIDATE_FACTORIES:
        if callable(members.get(name)):
            return name
    for name, value in members.items():
        if _returns_outpour(value) and getattr(value, "__module__", None) == module.__name__:
            return name
    raise AppDiscoveryError(
        f"Module `{module_name}` ({source}) has no `Outpour` app: looked for an `Outpour` instance (`app`, "
        "`application` or any other name), a factory `create_app` / `create_application`, and functions annotated "
        f"`-> Outpour`. Define one, or name it with `--app {module_name}:<attr>`."
    )


def _from_spec(spec: str, app_dir: Path, source: str) -> LoadedApp:
    module_part, _, attr = spec.partition(":")
    module_name = _module_name(module_part.strip())
    attr = attr.strip()
    if not module_name:
        raise AppDiscoveryError(f"`{spec}` ({source}) names no module: write `module:attr`, e.g. `app:app`.")
    module = _import(module_name, app_dir, source)
    if not attr:
        attr = _search(module, module_name, source)
    elif not hasattr(module, attr):
        raise AppDiscoveryError(
            f"Module `{module_name}` ({source}, file `{getattr(module, '__file__', '?')}`) has no attribute `{attr}`. "
            f"Name an `Outpour` app or a factory returning one, e.g. `--app {module_name}:app`."
        )
    app, is_factory = _build(module_name, attr, getattr(module, attr), source)
    return LoadedApp(app=app, import_path=f"{module_name}:{attr}", is_factory=is_factory, app_dir=app_dir)


def load_app(spec: str | None = None, app_dir: Path | None = None) -> LoadedApp:
    """Find, import and build the app.

    Args:
        spec: ``module:attr`` or ``module`` (``--app``); when not given, ``OUTPOUR_APP``, then ``app.py``,
            ``app/__init__.py``, ``application.py`` and ``application/__init__.py`` in ``app_dir``.
        app_dir: The folder to import from (first on ``sys.path``); the current directory when not given.

    Returns:
        The app and where it came from.

    Raises:
        AppDiscoveryError: Nothing was found, the module cannot be imported, or the attribute is not an app.
    """
    app_dir = (app_dir or Path.cwd()).resolve()
    if spec:
        return _from_spec(spec, app_dir, f"from `--app {spec}`")
    from_env = os.environ.get(APP_ENV, "").strip()
    if from_env:
        return _from_spec(from_env, app_dir, f"from `{APP_ENV}={from_env}`")
    looked: list[str] = []
    for name in _CANDIDATE_MODULES:
        for candidate in (app_dir / f"{name}.py", app_dir / name / "__init__.py"):
            looked.append(f"`{candidate.relative_to(app_dir)}`")
            if candidate.is_file():
                return _from_spec(name, app_dir, f"found `{candidate}`")
    raise AppDiscoveryError(
        f"No app found in `{app_dir}`: looked for {', '.join(looked)}. "
        f"Pass `--app module:attr`, set `{APP_ENV}=module:attr`, or run from the folder that holds `app.py`."
    )
