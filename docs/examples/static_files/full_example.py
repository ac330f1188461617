"""Serve the files of a directory under ``/static``: ``assets/hello.txt`` answers ``GET /static/hello.txt``."""

from __future__ import annotations

from pathlib import Path

from outpour import Outpour
from outpour.static_files import create_static_files_router

ASSETS = Path("assets")  # relative to the directory the app starts in


def create_assets() -> None:
    ASSETS.mkdir(exist_ok=True)
    ASSETS.joinpath("hello.txt").write_text("Hello, world!")


app = Outpour(
    route_handlers=[
        create_static_files_router(path="/static", directories=[ASSETS]),
        # A site: `/site` serves site/index.html, a missing page site/404.html with status 404.
        create_static_files_router(path="/site", directories=["site"], html_mode=True, name="site"),
    ],
    on_startup=[create_assets],
)
