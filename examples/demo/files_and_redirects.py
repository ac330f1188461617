"""Files (downloads, inline, byte ranges) and redirects."""

from __future__ import annotations

from pathlib import Path

from examples.demo._catalog import Example
from outpour import MediaType, get
from outpour.response import File, Redirect
from outpour.status_codes import HTTP_301_MOVED_PERMANENTLY

__all__ = ["EXAMPLES", "ROUTES"]

FILES = Path(__file__).resolve().parent / "files"


@get("/files/report.csv", media_type="text/csv")
async def report() -> File:
    """Without the handler's ``media_type`` the document could only say ``application/octet-stream``."""
    return File(FILES / "report.csv", filename="report.csv")


@get("/files/inline", media_type=MediaType.TEXT)
async def report_inline() -> File:
    """The handler's ``media_type`` is the file's Content-Type and the one its OpenAPI document shows."""
    return File(FILES / "report.csv", filename="report.csv", content_disposition_type="inline")


@get("/redirect")
async def redirect() -> Redirect:
    return Redirect(path="/json")


@get("/old-index", status_code=HTTP_301_MOVED_PERMANENTLY)
async def moved() -> Redirect:
    return Redirect(path="/")


ROUTES = [report, report_inline, redirect, moved]

EXAMPLES = [
    Example(
        "file",
        "/files/report.csv",
        "Downloads report.csv (Content-Disposition attachment); Range requests answer 206.",
        "download",
    ),
    Example("file", "/files/inline", "The same file shown in the browser (inline, text/plain)."),
    Example("redirect", "/redirect", "302 Found to /json."),
    Example("redirect", "/old-index", "301 Moved Permanently back to this page."),
]
