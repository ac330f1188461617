"""Write the OpenAPI document as YAML: with PyYAML when installed, else with a small block-style emitter."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["dump_yaml", "emit_yaml"]


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = json.dumps(value)
        if "e" in text and "." not in text:  # YAML 1.1 readers need a dot: 1.0e-05, not 1e-05
            text = text.replace("e", ".0e", 1)
        return {"Infinity": ".inf", "-Infinity": "-.inf", "NaN": ".nan"}.get(text, text)
    # A JSON string is a valid YAML double-quoted scalar once everything but printable ASCII is escaped; code points
    # beyond the BMP use YAML's \U escape (JSON would write a surrogate pair, which YAML reads as two characters).
    text = json.dumps(str(value), ensure_ascii=False)
    return "".join(c if " " <= c <= "~" else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _is_block(value: Any) -> bool:
    return isinstance(value, (Mapping, list, tuple)) and len(value) > 0


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _is_block(item):
                out.append(f"{pad}{_scalar(str(key))}:")
                out.extend(_lines(item, indent + 2))
            else:
                out.append(f"{pad}{_scalar(str(key))}: {_inline(item)}")
        return out
    for item in value:
        if _is_block(item):
            nested = _lines(item, indent + 2)
            out.append(f"{pad}- {nested[0][indent + 2 :]}")
            out.extend(nested[1:])
        else:
            out.append(f"{pad}- {_inline(item)}")
    return out


def _inline(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, (list, tuple)):
        return "[]"
    return _scalar(value)


def emit_yaml(document: Any) -> str:
    """Write JSON-compatible data as block-style YAML, quoting every string.

    Args:
        document: Dicts, lists, strings, numbers, booleans and None.

    Returns:
        The YAML text.
    """
    if not _is_block(document):
        return _inline(document) + "\n"
    return "\n".join(_lines(document, 0)) + "\n"


def dump_yaml(document: Any) -> str:
    """Write the document as YAML, keeping the key order.

    Args:
        document: JSON-compatible data.

    Returns:
        The YAML text.
    """
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is installed in the test environment
        return emit_yaml(document)
    return str(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=False))
