"""Send a file as a download: ``filename`` names it in ``Content-Disposition`` and decides its media type."""

from __future__ import annotations

from pathlib import Path

from outpour import Outpour, get
from outpour.response import File

REPORTS = Path(__file__).resolve().parent / "files"


@get("/reports/latest")
def latest_report() -> File:
    # Sent as application/pdf, guessed from the name; as `attachment` unless told `inline`.
    return File(path=REPORTS / "quarterly.pdf", filename="Q3 report.pdf")


app = Outpour([latest_report])
