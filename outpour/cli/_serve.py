"""The import target of ``outpour run``: each server worker imports this module to get the app.

``outpour run`` resolves the app once (to fail early, with a clear message), then exports ``OUTPOUR_APP`` as
``module:attr`` and, with ``--debug``, ``OUTPOUR_DEBUG=1``. Every worker process (and every reload) imports
``outpour.cli._serve:app``, which builds the app the same way: calling the factory if it is one, and switching
``debug`` on when asked. Nothing here needs click or rich.
"""

from __future__ import annotations

import os
from pathlib import Path

from outpour.app import Outpour
from outpour.cli._discovery import APP_DIR_ENV, APP_ENV, DEBUG_ENV, load_app

__all__ = ["app", "build_app"]


def build_app() -> Outpour:
    """Build the app named by ``OUTPOUR_APP`` (imported from ``OUTPOUR_APP_DIR``) and apply ``OUTPOUR_DEBUG``.

    Returns:
        The app.
    """
    app_dir = os.environ.get(APP_DIR_ENV)
    loaded = load_app(os.environ.get(APP_ENV) or None, Path(app_dir) if app_dir else None)
    if os.environ.get(DEBUG_ENV) == "1":
        loaded.app.debug = True
    return loaded.app


app = build_app()
