"""``outpour.plugins.problem_details``: RFC 9457 problem documents for exceptions."""

from __future__ import annotations

from typing import Any

import pytest

from outpour import Outpour, Request, get, post
from outpour.exceptions import (
    HTTPException,
    ImproperlyConfiguredException,
    NotAuthorizedException,
    NotFoundException,
    ValidationException,
)
from outpour.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException, ProblemDetailsPlugin
from outpour.response import Response
from outpour.testing import create_test_client


def _raising(exc: Exception) -> Any:
    @get("/", sync_to_thread=False)
    def handler() -> None:
        raise exc

    return handler


@pytest.mark.parametrize(
    ("exc", "status", "document"),
    [
        pytest.param(
            ProblemDetailsException(),
            500,
            {"type": "about:blank", "status": 500, "detail": "Internal Server Error"},
            id="defaults",
        ),
        pytest.param(
            ProblemDetailsException("Out of credit", status_code=403),
            403,
            {"type": "about:blank", "status": 403, "detail": "Out of credit"},
            id="positional-detail",
        ),
        pytest.param(
            ProblemDetailsException(
                type_="https://example.com/probs/out-of-credit",
                title="You do not have enough credit.",
                instance="/account/1/msgs/abc",
                detail="Balance 30, cost 50.",
                status_code=403,
            ),
            403,
            {
                "type": "https://example.com/probs/out-of-credit",
                "status": 403,
                "title": "You do not have enough credit.",
                "instance": "/account/1/msgs/abc",
                "detail": "Balance 30, cost 50.",
            },
            id="all-members",
        ),
        pytest.param(
            ProblemDetailsException(status_code=400, detail="bad", extra={"pointer": "#/age", "balance": 3}),
            400,
            {"type": "about:blank", "status": 400, "detail": "bad", "pointer": "#/age", "balance": 3},
            id="mapping-extra-merged",
        ),
        pytest.param(
            ProblemDetailsException(status_code=400, detail="bad", extra=[{"pointer": "#/age"}]),
            400,
            {"type": "about:blank", "status": 400, "detail": "bad", "extra": [{"pointer": "#/age"}]},
            id="list-extra-nested",
        ),
    ],
)
def test_problem_details_exception_is_answered_with_a_problem_document(
    exc: ProblemDetailsException, status: int, document: dict[str, Any]
) -> None:
    with create_test_client([_raising(exc)], plugins=[ProblemDetailsPlugin()]) as client:
        response = client.get("/")
    assert (response.status_code, response.headers["content-type"]) == (status, "application/problem+json")
    assert response.json() == document


def test_problem_details_exception_headers_are_sent() -> None:
    exc = ProblemDetailsException(status_code=429, detail="Slow down", headers={"retry-after": "30"})
    with create_test_client([_raising(exc)], plugins=[ProblemDetailsPlugin()]) as client:
        response = client.get("/")
    assert (response.status_code, response.headers["retry-after"]) == (429, "30")


def test_to_response_builds_the_response_directly() -> None:
    @get("/", sync_to_thread=False)
    def handler(request: Request) -> Response[dict[str, Any]]:
        return ProblemDetailsException(status_code=409, detail="Taken", title="Conflict").to_response(request)

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert response.status_code == 409
    assert response.json() == {"type": "about:blank", "status": 409, "title": "Conflict", "detail": "Taken"}


@pytest.mark.parametrize("enabled", [True, False])
def test_enable_for_all_http_exceptions(enabled: bool) -> None:
    exc = NotFoundException(detail="No such item", extra={"item_id": 7}, headers={"x-hint": "list /items"})
    config = ProblemDetailsConfig(enable_for_all_http_exceptions=enabled)
    with create_test_client([_raising(exc)], plugins=[ProblemDetailsPlugin(config)]) as client:
        response = client.get("/")
    assert (response.status_code, response.headers["x-hint"]) == (404, "list /items")
    if enabled:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json() == {"type": "about:blank", "status": 404, "detail": "No such item", "item_id": 7}
    else:
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"status_code": 404, "detail": "No such item", "extra": {"item_id": 7}}


def test_validation_errors_become_problem_documents_when_enabled() -> None:
    @post("/", sync_to_thread=False)
    def handler(data: dict[str, int]) -> None:
        return None

    config = ProblemDetailsConfig(enable_for_all_http_exceptions=True)
    with create_test_client([handler], plugins=[ProblemDetailsPlugin(config)]) as client:
        response = client.post("/", content=b"{not json")
    assert (response.status_code, response.headers["content-type"]) == (400, "application/problem+json")
    document = response.json()
    assert (document["type"], document["status"]) == ("about:blank", 400)
    assert document["detail"]


def test_exception_to_problem_detail_map_converts_other_exceptions() -> None:
    class OutOfCredit(Exception):
        def __init__(self, balance: int) -> None:
            super().__init__(balance)
            self.balance = balance

    def convert(exc: OutOfCredit) -> ProblemDetailsException:
        return ProblemDetailsException(
            type_="https://example.com/probs/out-of-credit", status_code=403, extra={"balance": exc.balance}
        )

    config = ProblemDetailsConfig(exception_to_problem_detail_map={OutOfCredit: convert})
    with create_test_client([_raising(OutOfCredit(30))], plugins=[ProblemDetailsPlugin(config)]) as client:
        response = client.get("/")
    assert (response.status_code, response.headers["content-type"]) == (403, "application/problem+json")
    assert response.json() == {
        "type": "https://example.com/probs/out-of-credit",
        "status": 403,
        "detail": "Forbidden",
        "balance": 30,
    }


def test_map_entry_for_an_http_exception_overrides_the_generic_conversion() -> None:
    def convert(exc: NotAuthorizedException) -> ProblemDetailsException:
        return ProblemDetailsException(type_="urn:problem:login", status_code=exc.status_code, detail="Log in first")

    config = ProblemDetailsConfig(
        enable_for_all_http_exceptions=True, exception_to_problem_detail_map={NotAuthorizedException: convert}
    )
    with create_test_client([_raising(NotAuthorizedException())], plugins=[ProblemDetailsPlugin(config)]) as client:
        response = client.get("/")
    assert response.json() == {"type": "urn:problem:login", "status": 401, "detail": "Log in first"}


def test_custom_exception_handler_for_problem_details_exception() -> None:
    def handler(request: Any, exc: ProblemDetailsException) -> Response[Any]:
        response = exc.to_response(request)
        response.headers["x-problem"] = exc.type_ or "none"
        return response

    exc = ProblemDetailsException(type_="urn:problem:x", status_code=422)
    config = ProblemDetailsConfig(exception_handler=handler)
    with create_test_client([_raising(exc)], plugins=[ProblemDetailsPlugin(config)]) as client:
        response = client.get("/")
    assert (response.status_code, response.headers["x-problem"]) == (422, "urn:problem:x")


def test_routing_errors_become_problem_documents_when_enabled() -> None:
    config = ProblemDetailsConfig(enable_for_all_http_exceptions=True)
    with create_test_client([_raising(ValueError())], plugins=[ProblemDetailsPlugin(config)]) as client:
        missing, wrong_method = client.get("/missing"), client.post("/")
    assert (missing.status_code, missing.headers["content-type"]) == (404, "application/problem+json")
    assert wrong_method.json() == {"type": "about:blank", "status": 405, "detail": "Method Not Allowed"}


def test_other_exceptions_keep_the_default_error_response() -> None:
    with create_test_client([_raising(HTTPException(status_code=418))], plugins=[ProblemDetailsPlugin()]) as client:
        response = client.get("/")
    assert (response.status_code, response.headers["content-type"]) == (418, "application/json")


def test_config_defaults() -> None:
    config = ProblemDetailsConfig()
    assert (config.enable_for_all_http_exceptions, config.exception_to_problem_detail_map) == (False, {})
    assert ProblemDetailsPlugin().config == config


@pytest.mark.parametrize(
    "mapping",
    [
        pytest.param({"ValueError": lambda exc: ProblemDetailsException()}, id="key-not-a-class"),
        pytest.param({int: lambda exc: ProblemDetailsException()}, id="key-not-an-exception"),
        pytest.param({ValueError: "convert"}, id="value-not-callable"),
    ],
)
def test_bad_map_raises_at_app_creation(mapping: Any) -> None:
    config = ProblemDetailsConfig(exception_to_problem_detail_map=mapping)
    with pytest.raises(ImproperlyConfiguredException, match="each key must be an exception class"):
        Outpour([], plugins=[ProblemDetailsPlugin(config)])


def test_validation_exception_extra_is_kept() -> None:
    exc = ValidationException(detail="Not enough balance", extra={"accounts": ["/account/1"]})
    config = ProblemDetailsConfig(enable_for_all_http_exceptions=True)
    with create_test_client([_raising(exc)], plugins=[ProblemDetailsPlugin(config)]) as client:
        response = client.get("/")
    assert response.json() == {
        "type": "about:blank",
        "status": 400,
        "detail": "Not enough balance",
        "accounts": ["/account/1"],
    }
