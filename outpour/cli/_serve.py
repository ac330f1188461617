"""The import target of ``outpour run``: each server worker imports this module to get the app.

``outpour run`` resolves the app once (to fail early, with a clear message), then exports ``OUTPOUR_APP`` as
``module:attr`` and, with ``--debug``, ``OUTPOUR_DEBUG=1`` (with ``--pdb``, ``OUTPOUR_PDB=1``). Every worker process (and every reload) imports
``outpour.cli._serve:app``, which builds the app the same way: calling the factory if it is one, and switching
``debug`` on when asked. Under granian with proxy headers on, ``OUTPOUR_GRANIAN_TRUSTED_HOSTS`` names the trusted
proxies, and ``app`` is the app wrapped by granian's proxy-headers helper. Nothing here needs click or rich.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from outpour._logging import configure_default_logging
from outpour.app import Outpour
from outpour.cli._discovery import APP_DIR_ENV, APP_ENV, DEBUG_ENV, PDB_ENV, load_app
from outpour.cli._servers import GRANIAN_TRUSTED_HOSTS_ENV

__all__ = ["app", "build_app", "with_proxy_headers"]


def build_app() -> Outpour:
    """Build the app named by ``OUTPOUR_APP`` (from ``OUTPOUR_APP_DIR``); apply ``OUTPOUR_DEBUG`` and ``OUTPOUR_PDB``.

    Returns:
        The app.
    """
    configure_default_logging()  # after the server configured its own loggers, before the app logs anything
    app_dir = os.environ.get(APP_DIR_ENV)
    loaded = load_app(os.environ.get(APP_ENV) or None, Path(app_dir) if app_dir else None)
    if os.environ.get(DEBUG_ENV) == "1":
        loaded.app.debug = True
    if os.environ.get(PDB_ENV) == "1":
        loaded.app.pdb_on_exception = True
    return loaded.app


def with_proxy_headers(built: Outpour) -> Any:
    """Wrap ``built`` with granian's proxy-headers helper when ``OUTPOUR_GRANIAN_TRUSTED_HOSTS`` is set.

    Args:
        built: The app.

    Returns:
        The app itself, or the wrapped ASGI callable.
    """
    trusted = os.environ.get(GRANIAN_TRUSTED_HOSTS_ENV)
    if not trusted:
        return built
    from granian.utils.proxies import wrap_asgi_with_proxy_headers

    return wrap_asgi_with_proxy_headers(built, trusted_hosts=[host.strip() for host in trusted.split(",")])


app: Any = with_proxy_headers(build_app())
