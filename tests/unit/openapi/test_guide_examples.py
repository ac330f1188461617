"""Every app of the docs' examples (OpenAPI is on by default) has a valid OpenAPI 3.1 document, with no HEAD routes."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from outpour import Outpour

ROOT = Path(__file__).resolve().parents[3]
MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for path in (ROOT / "docs" / "examples").rglob("*.py")
    if path.name != "__init__.py" and "\napp = " in path.read_text(encoding="utf-8")
)


def test_examples_are_found() -> None:
    assert "docs.examples.responses.response_headers_1" in MODULES
    assert len(MODULES) > 20


@pytest.mark.parametrize("module_name", MODULES)
def test_the_document_of_each_example_is_valid(module_name: str) -> None:
    app = importlib.import_module(module_name).app
    if not isinstance(app, Outpour) or app.openapi_config is None:
        pytest.skip(f"`{module_name}.app` serves no OpenAPI document")
    document = app.openapi_schema.to_schema()
    validate(document)
    methods = {method for item in document["paths"].values() for method in item}
    assert "head" not in methods
    assert not any(path.startswith("/schema") for path in document["paths"])
