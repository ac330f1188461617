"""Schemathesis fuzzes the real demo app (``make demo``) through its own OpenAPI document.

Every operation the document lists is called with generated requests, in process: no answer may be a server error,
and none may contradict the document (status code, Content-Type, headers, body schema). Invalid requests (negative
mode) must get a 4xx. No endpoint is excluded.
"""

from __future__ import annotations

from collections.abc import Iterator
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

from examples.demo import chat_demo, streams
from examples.demo.app import app
from outpour.routes import HTTPRoute

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

SETTINGS = hypothesis.settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
    database=None,
)

schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)

negative_schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
negative_schema.config.generation.update(modes=[schemathesis.GenerationMode.NEGATIVE])


@pytest.fixture(autouse=True, scope="module")
def fast_streams() -> Iterator[None]:
    """The countdown and the event clock without their pauses, and the chat's events without following the channel
    (only its history), so that each call ends at once."""
    saved = streams.EVENT_INTERVAL, streams.LINE_INTERVAL, chat_demo.FOLLOW
    streams.EVENT_INTERVAL = streams.LINE_INTERVAL = 0
    chat_demo.FOLLOW = False
    yield
    streams.EVENT_INTERVAL, streams.LINE_INTERVAL, chat_demo.FOLLOW = saved


@schema.parametrize()
@SETTINGS
def test_the_demo_conforms_to_its_document(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(checks=CHECKS)


@negative_schema.parametrize()
@SETTINGS
def test_invalid_requests_to_the_demo_get_a_client_error(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(checks=[not_a_server_error, negative_data_rejection])


def test_every_demo_route_is_fuzzed() -> None:
    found = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    operations = {f"{op.method.upper()} {op.path}" for op in found}
    # WebSocket routes have no place in an OpenAPI document: only the HTTP routes are fuzzed.
    documented_paths = {
        route.path for route in app.routes if isinstance(route, HTTPRoute) and not route.path.startswith("/schema")
    }
    assert {path for path in documented_paths if f"GET {path}" not in operations} == set()
    assert {"GET /negotiate", "GET /stream", "GET /files/report.csv", "GET /items/cursor"} <= operations


@pytest.mark.parametrize(
    ("path", "media_types"),
    [
        pytest.param("/negotiate", ["text/html", "application/json", "text/plain"], id="negotiation"),
        pytest.param("/stream", ["text/plain"], id="stream"),
        pytest.param("/files/report.csv", ["text/csv"], id="file"),
        pytest.param("/files/inline", ["text/plain"], id="inline-file"),
        pytest.param("/template", ["text/html"], id="template"),
    ],
)
def test_runtime_media_types_are_documented(path: str, media_types: list[str]) -> None:
    operation = schema.raw_schema["paths"][path]["get"]
    assert list(operation["responses"]["200"]["content"]) == media_types
