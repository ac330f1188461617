"""The OpenAPI documents of the guide's examples and of the demo app match their golden files, and are valid.

Regenerate the golden files with ``OUTPOUR_REGENERATE_GOLDEN=1 pytest tests/unit/openapi/test_golden.py``.
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from outpour.openapi import get_openapi_schema
from outpour.openapi.spec import OpenAPI
from outpour.serialization import encode_json

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("OUTPOUR_REGENERATE_GOLDEN") == "1"

APPS = [
    pytest.param("tests.unit.openapi.demo_app", id="demo"),
    pytest.param("docs.examples.pagination.using_classic_pagination", id="classic-pagination"),
    pytest.param("docs.examples.pagination.using_offset_pagination", id="offset-pagination"),
    pytest.param("docs.examples.pagination.using_cursor_pagination", id="cursor-pagination"),
    pytest.param("docs.examples.pagination.using_offset_pagination_with_sqlalchemy", id="sqlalchemy-pagination"),
    pytest.param("docs.examples.templating.returning_templates_jinja", id="templates"),
]


def document_of(module_name: str) -> dict[str, Any]:
    app = importlib.import_module(module_name).app
    document = get_openapi_schema(app)
    assert document is not None
    return document


@pytest.mark.parametrize("module_name", APPS)
def test_document_matches_its_golden_file(module_name: str) -> None:
    document = document_of(module_name)
    golden = GOLDEN / f"{module_name.rsplit('.', 1)[-1]}.json"
    rendered = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if REGENERATE or not golden.exists():
        golden.write_text(rendered, encoding="utf-8")
    assert json.loads(golden.read_text(encoding="utf-8")) == document
    assert list(json.loads(golden.read_text(encoding="utf-8"))["paths"]) == list(document["paths"])


@pytest.mark.parametrize("module_name", APPS)
def test_document_is_valid_openapi_3_1(module_name: str) -> None:
    document = document_of(module_name)
    validate(document)
    assert document["openapi"] == "3.1.0"


@pytest.mark.parametrize("module_name", APPS)
def test_openapi_schema_renders_the_served_bytes(module_name: str) -> None:
    """``app.openapi_schema`` is the served document read into spec objects: ``to_schema()`` gives its bytes back."""
    app = importlib.import_module(module_name).app
    assert isinstance(app.openapi_schema, OpenAPI)
    assert encode_json(app.openapi_schema.to_schema()) == encode_json(document_of(module_name))  # what is served
