"""Schemathesis fuzzes the demo app through its own document: no server errors, no response contradicting it."""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.unit.openapi.demo_app import app

schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)


def _outside_its_slot(case: schemathesis.Case[Any]) -> bool:
    """Whether a path parameter of ``case`` is not of its slot's type (``/things/{thing_id:uuid}`` given ``x``)."""
    route = next(r for r in app.routes if r.path_format == case.operation.path)
    for name, value in (case.path_parameters or {}).items():
        parser = route.path_parameters[name].parser
        try:
            if parser is not None:
                parser(str(value))
        except (ValueError, TypeError):
            return True
    return False


@schemathesis.check
def status_code_conformance_but_slots(ctx: Any, response: Any, case: schemathesis.Case[Any]) -> bool | None:
    """The documented statuses, or a 404 for a path segment outside its slot's type: that path has no route.

    As in Litestar, the slot's type is part of the route, and no document lists the 404 of the paths it does not
    have. Schemathesis does not know every ``format`` (``uuid``), so its "valid" values may be outside the slot.
    """
    if response.status_code == 404 and _outside_its_slot(case):
        return None
    return status_code_conformance(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance_but_slots,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@hypothesis.settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
    database=None,
)
def test_the_demo_app_conforms_to_its_document(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(checks=CHECKS)


def test_the_document_lists_the_demo_operations() -> None:
    found = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    operations = {f"{op.method.upper()} {op.path}" for op in found}
    assert "GET /events" in operations
    assert "GET /hidden" not in operations
    assert not any(name.startswith("HEAD ") for name in operations)


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


negative_schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
negative_schema.config.generation.update(modes=[schemathesis.GenerationMode.NEGATIVE])


@negative_schema.parametrize()
@hypothesis.settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
    database=None,
)
def test_invalid_requests_get_a_client_error(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(checks=[not_a_server_error, negative_data_rejection])
