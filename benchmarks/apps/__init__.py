"""The benchmarked apps: one module per framework, each exposing an ASGI ``app`` serving :data:`benchmarks.endpoints.ENDPOINTS`.

A module may define ``UNSUPPORTED: frozenset[str]``, the names of the endpoints it cannot serve (reported as "n/a").
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import Any

__all__ = ["FRAMEWORKS", "LoadedApp", "app_target", "load_app", "select_frameworks"]

FRAMEWORKS: tuple[str, ...] = ("outpour", "litestar", "starlette", "fastapi", "blacksheep", "raw")
"""Every benchmarked framework, in display order; ``raw`` is a hand-written msgspec ASGI app (the floor)."""


@dataclass(frozen=True, slots=True)
class LoadedApp:
    """An imported benchmark app.

    Attributes:
        framework: The framework name.
        app: The ASGI callable, or ``None`` if the module failed to import.
        unsupported: Names of the endpoints the app does not serve.
        error: Why the import failed (``None`` if it worked).
    """

    framework: str
    app: Any
    unsupported: frozenset[str]
    error: str | None


def app_target(framework: str) -> str:
    """Return the ``module:attribute`` import string of ``framework``'s app, as servers expect it."""
    return f"benchmarks.apps.{framework}_app:app"


def load_app(framework: str) -> LoadedApp:
    """Import ``framework``'s app module afresh; an import error is returned in :attr:`LoadedApp.error`, not raised.

    The module is re-executed on every call, so each benchmark phase gets a new app object: some apps (BlackSheep)
    break when started a second time after a shutdown.
    """
    name = f"benchmarks.apps.{framework}_app"
    sys.modules.pop(name, None)
    try:
        module = importlib.import_module(name)
    except Exception as exc:  # any failure: the framework (or outpour's core) is missing or broken
        return LoadedApp(framework, None, frozenset(), f"import failed: {type(exc).__name__}: {exc}")
    return LoadedApp(framework, module.app, frozenset(getattr(module, "UNSUPPORTED", ())), None)


def select_frameworks(names: str | None) -> list[str]:
    """Parse a ``--frameworks a,b`` value (all frameworks if empty), keeping the display order.

    Raises:
        SystemExit: A name is not a known framework.
    """
    if not names:
        return list(FRAMEWORKS)
    wanted = [name.strip().lower() for name in names.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in FRAMEWORKS]
    if unknown:
        raise SystemExit(f"--frameworks: unknown `{','.join(unknown)}`; choose among {', '.join(FRAMEWORKS)}")
    return [name for name in FRAMEWORKS if name in wanted]
