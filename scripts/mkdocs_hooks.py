"""MkDocs hook: fill the nav's "Responses" section with every response page that exists.

Pages named ``docs/usage/responses*.md`` or placed under ``docs/usage/responses/`` join the "Responses" section of
``mkdocs.yml`` in name order (``responses.md`` first), unless the nav already lists them. A section left empty is
dropped, so the build works before any response page exists. Each page's title is its first heading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["RESPONSES_SECTION", "on_config", "response_pages"]

RESPONSES_SECTION = "Responses"


def response_pages(docs_dir: Path) -> list[str]:
    """List the response pages under ``docs_dir``, as paths relative to it, ``usage/responses.md`` first.

    Args:
        docs_dir: The docs folder.

    Returns:
        The pages.
    """
    usage = docs_dir / "usage"
    found = [*usage.glob("responses*.md"), *(usage / "responses").rglob("*.md")]
    pages = sorted({path.relative_to(docs_dir).as_posix() for path in found if path.is_file()})
    return sorted(pages, key=lambda page: (page != "usage/responses.md", page))


def _listed(nav: Any) -> set[str]:
    """Every page path that a nav (or part of one) already names."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_listed(value) for value in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_listed(item) for item in nav))
    return set()


def on_config(config: Any) -> Any:
    """Append the response pages to the nav's "Responses" section (MkDocs ``on_config`` event).

    Args:
        config: The MkDocs configuration.

    Returns:
        The configuration, its nav completed.
    """
    nav = config["nav"]
    if not nav:
        return config
    listed = _listed(nav)
    for index, item in enumerate(list(nav)):
        if isinstance(item, dict) and RESPONSES_SECTION in item:
            section = list(item[RESPONSES_SECTION] or [])
            section += [page for page in response_pages(Path(config["docs_dir"])) if page not in listed]
            if section:
                nav[index] = {RESPONSES_SECTION: section}
            else:
                del nav[index]
            break
    return config
