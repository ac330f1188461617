"""The HTML page debug mode shows a browser for a server error: the exception, its traceback with source, the request.

Every value on the page (the message, source lines, paths, headers, the query) comes from the request or the code and
is escaped with :func:`html.escape`; the page has no script. Clients that do not ask for HTML (``Accept`` without
``text/html``, as from curl or httpx) get the plain-text traceback instead (``outpour._errors``).
"""

from __future__ import annotations

import html
import linecache
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from outpour.types import Scope

__all__ = ["accepts_html", "render_debug_page"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CONTEXT_LINES = 3
_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
header { background: #b42318; color: #fff; padding: 1.25rem 2rem; }
header h1 { margin: 0; font-size: 1.4rem; }
header p { margin: .25rem 0 0; font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
main { padding: 1rem 2rem 2rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.frame { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: .5rem 0; overflow: hidden; }
.frame h3 { font: 13px ui-monospace, monospace; margin: 0; padding: .5rem .75rem; background: #eaeef2; }
.frame pre { margin: 0; padding: .5rem 0; font: 13px/1.45 ui-monospace, monospace; overflow-x: auto; }
.frame pre span { display: block; padding: 0 .75rem; }
.frame pre span.current { background: #ffebe9; font-weight: 600; }
.chain { color: #57606a; font-style: italic; }
table { border-collapse: collapse; background: #fff; font: 13px ui-monospace, monospace; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; word-break: break-all; }
th { background: #eaeef2; }
footer { color: #57606a; font-size: 13px; padding: 0 2rem 2rem; }
"""


def accepts_html(scope: Scope) -> bool:
    """Whether the request's ``Accept`` header asks for HTML: ``text/html`` (or XHTML) listed with a quality above 0.

    ``*/*`` alone does not count: curl and HTTP libraries send it, and want the plain text.

    Args:
        scope: The request's ASGI scope.

    Returns:
        Whether to answer with the HTML page.
    """
    for name, value in scope.get("headers", ()):
        if name.lower() != b"accept":
            continue
        for media_range in value.decode("latin-1").split(","):
            media_type, *params = (part.strip() for part in media_range.split(";"))
            if media_type.lower() in _HTML_TYPES and _quality(params) > 0:
                return True
    return False


def _quality(params: list[str]) -> float:
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def _source(frame: traceback.FrameSummary) -> str:
    """The lines around the frame's current line, the current one marked."""
    lineno = frame.lineno or 0
    lines = []
    for number in range(max(1, lineno - _CONTEXT_LINES), lineno + _CONTEXT_LINES + 1):
        text = linecache.getline(frame.filename, number)
        if not text:
            continue
        marker = ' class="current"' if number == lineno else ""
        lines.append(f"<span{marker}>{number:>5}  {html.escape(text.rstrip())}</span>")
    return "".join(lines)


def _frames(summary: traceback.TracebackException) -> str:
    parts = []
    for frame in reversed(summary.stack):  # the innermost frame first: where the error happened
        where = f"{frame.filename}, line {frame.lineno}, in {frame.name}"
        parts.append(f'<div class="frame"><h3>{html.escape(where)}</h3><pre>{_source(frame)}</pre></div>')
    return "\n".join(parts)


def _exception_heading(summary: traceback.TracebackException) -> str:
    return "".join(summary.format_exception_only()).strip()


def _chain(exc: BaseException) -> str:
    """Every exception of the chain, the one raised last first, each with its frames."""
    summary = traceback.TracebackException.from_exception(exc)
    sections = []
    current: traceback.TracebackException | None = summary
    while current is not None:
        sections.append(f"<h2>{html.escape(_exception_heading(current))}</h2>\n{_frames(current)}")
        if current.__cause__ is not None:
            sections.append('<p class="chain">The exception above was the direct cause of the following:</p>')
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            sections.append('<p class="chain">While handling the exception above, another happened:</p>')
            current = current.__context__
        else:
            current = None
    return "\n".join(sections)


def _request_table(scope: Scope) -> str:
    client = scope.get("client")
    rows: list[tuple[str, str]] = [
        ("Method", str(scope.get("method", ""))),
        ("Path", str(scope.get("root_path", "")) + str(scope.get("path", ""))),
        ("Query", bytes(scope.get("query_string", b"")).decode("latin-1")),
        ("Client", f"{client[0]}:{client[1]}" if client else ""),
    ]
    rows += [(f"Header {name.decode('latin-1')}", value.decode("latin-1")) for name, value in scope.get("headers", ())]
    cells = "".join(f"<tr><th>{html.escape(key)}</th><td>{html.escape(value)}</td></tr>" for key, value in rows)
    return f"<table>{cells}</table>"


def render_debug_page(exc: BaseException, scope: Scope, status_code: int) -> bytes:
    """Render the debug page of ``exc``, raised while answering the request of ``scope``.

    Args:
        exc: The exception.
        scope: The request's ASGI scope.
        status_code: The response's status code.

    Returns:
        The page as UTF-8 bytes.
    """
    heading = f"{status_code} {type(exc).__name__}"
    message = str(exc)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(heading)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(heading)}</h1><p>{html.escape(message)}</p></header>\n<main>\n"
        f"{_chain(exc)}\n<h2>Request</h2>\n{_request_table(scope)}\n</main>\n"
        "<footer>outpour shows this page because the app runs with <code>debug=True</code>; without it the "
        "response says only &ldquo;Internal Server Error&rdquo;.</footer>\n</body>\n</html>\n"
    ).encode()
