"""Give the media type yourself when the file name does not tell it: on the handler or on the ``File``."""

from __future__ import annotations

from pathlib import Path

from outpour import Outpour, get
from outpour.response import File

DATA = Path(__file__).resolve().parent / "files"


@get("/exports/latest", media_type="text/csv")
def latest_export() -> File:
    # `export-latest` has no extension: without the handler's media_type it would be application/octet-stream.
    return File(path=DATA / "export-latest", filename="export.csv")


@get("/exports/raw")
def raw_export() -> File:
    return File(
        path=DATA / "export-latest",
        filename="export-latest",
        media_type="application/octet-stream",
        content_disposition_type="inline",
    )


app = Outpour([latest_export, raw_export])
