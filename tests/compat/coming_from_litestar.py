"""Render ``docs/coming-from-litestar.md`` from the API check, so that the page says what the tests prove.

Run ``.venv/bin/python -m tests.compat.coming_from_litestar`` after changing ``KNOWN_MISSING`` or the API list;
``test_coming_from_litestar_page`` fails while the page is out of date.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from tests.compat.test_litestar_api import KNOWN_MISSING

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "coming-from-litestar.md"
_DATA = json.loads(Path(__file__).with_name("litestar_core_api.json").read_text())

# Where the ecosystem modules outpour lacks are planned: the open issue that brings them.
_PLANNED = [
    ("litestar.channels", "issue 18 (channels over Redis and PostgreSQL)"),
    ("litestar.config.", "issue 16 (CORS, CSRF, allowed hosts, compression, logging)"),
    ("litestar.middleware.", "issue 16 (CORS, CSRF, allowed hosts, compression, logging)"),
]

_HEADER = """# Coming from Litestar

An app written against Litestar 3.0's documentation runs on outpour once `litestar` becomes `outpour` in its imports
(`from outpour import Litestar` is the app class, also named `Outpour`). This page lists every module of Litestar
3.0's public API and what outpour has of it. It is generated from the project's own API check
(`tests/compat/test_litestar_api.py`), which fails when a listed name goes missing or a missing one arrives, so it
stays true. Where outpour behaves differently on purpose, [Compatibility](compatibility.md) says how and why.

"""


def _outpour_module(module: str) -> str:
    return "outpour" + module[len("litestar") :]


def _core_rows() -> list[str]:
    rows = ["| Litestar module | outpour | status |", "| --- | --- | --- |"]
    for module in _DATA["modules"]:
        target = f"`{_outpour_module(module)}`"
        if module in KNOWN_MISSING:
            rows.append(f"| `{module}` | {target} | not yet: {KNOWN_MISSING[module]} |")
            continue
        missing = sorted(key.split(":", 1)[1] for key in KNOWN_MISSING if key.startswith(f"{module}:"))
        if missing:
            reasons = sorted({KNOWN_MISSING[f"{module}:{name}"] for name in missing})
            names = ", ".join(f"`{name}`" for name in missing)
            rows.append(f"| `{module}` | {target} | supported, except {names} ({'; '.join(reasons)}) |")
        else:
            rows.append(f"| `{module}` | {target} | supported |")
    return rows


def _ecosystem_rows() -> list[str]:
    rows = ["| Litestar module | outpour | status |", "| --- | --- | --- |"]
    for module in _DATA["ecosystem_modules"]:
        target = _outpour_module(module)
        if importlib.util.find_spec(target.split(".")[0]) and _importable(target):
            rows.append(f"| `{module}` | `{target}` | present |")
            continue
        plan = next((issue for prefix, issue in _PLANNED if module.startswith(prefix)), "not planned yet")
        rows.append(f"| `{module}` | — | not yet: {plan} |")
    return rows


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def render() -> str:
    """The page's Markdown."""
    core = "\n".join(_core_rows())
    ecosystem = "\n".join(_ecosystem_rows())
    return (
        f"{_HEADER}## Core: the response system and the framework around it\n\n{core}\n\n"
        f"## Ecosystem: features beyond it\n\n{ecosystem}\n"
    )


def main() -> None:
    """Write the page."""
    PAGE.write_text(render())


if __name__ == "__main__":
    main()
