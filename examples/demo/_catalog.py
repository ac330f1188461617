"""The demo's catalogue: one ``Example`` per live page, grouped in ``Section``s, and the index page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Example", "Section", "page", "render_index"]


@dataclass(frozen=True)
class Example:
    """A live example linked from the index.

    Attributes:
        kind: The response kind, e.g. ``JSON`` (the link's ``data-kind``).
        href: The link.
        note: What to look at (plain text).
        element_id: An ``id`` for the link, for the browser tests.
    """

    kind: str
    href: str
    note: str
    element_id: str | None = None


@dataclass(frozen=True)
class Section:
    """A group of examples on the index."""

    title: str
    examples: Sequence[Example]


STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}"
    "code{background:#f4f4f4;padding:0 .2rem}"
)


def page(title: str, body: str, head: str = "") -> str:
    """Wrap ``body`` in a small HTML page.

    Args:
        title: The page title.
        body: The HTML of the body.
        head: Extra HTML for ``<head>``.

    Returns:
        The page.
    """
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style>{head}</head><body>{body}</body></html>"
    )


def _row(item: Example) -> str:
    element_id = f" id='{escape(item.element_id)}'" if item.element_id else ""
    link = f"<a href='{escape(item.href)}' data-kind='{escape(item.kind)}'{element_id}>{escape(item.href)}</a>"
    return f"<tr><td>{escape(item.kind)}</td><td>{link}</td><td>{escape(item.note)}</td></tr>"


def render_index(sections: Sequence[Section]) -> str:
    """The index page: one table row per example, grouped by section.

    Args:
        sections: The sections.

    Returns:
        The page.
    """
    parts = [
        "<h1>outpour demo</h1>",
        "<p>One live example of each response kind. Open your browser's network panel to see the headers; "
        "<code>curl -i</code> works too.</p>",
    ]
    for section in sections:
        rows = "".join(_row(item) for item in section.examples)
        parts.append(
            f"<h2>{escape(section.title)}</h2><table><tr><th>kind</th><th>example</th><th>what to look at</th></tr>"
            f"{rows}</table>"
        )
    return page("outpour demo", "".join(parts))
