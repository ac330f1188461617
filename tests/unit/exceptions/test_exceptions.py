"""The exception tree under Litestar's names, and the responses ``outpour.exceptions.responses`` builds."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest

import outpour.exceptions
from outpour import MediaType, Request, Response, get
from outpour.exceptions import (
    DTOFactoryException,
    HTTPException,
    InvalidAnnotationException,
    LitestarDeprecationWarning,
    LitestarException,
    LitestarWarning,
    NotFoundException,
    OutpourDeprecationWarning,
    OutpourException,
    OutpourWarning,
    ServiceUnavailableException,
)
from outpour.exceptions.responses import ExceptionResponseContent, create_debug_response, create_exception_response
from outpour.testing import create_test_client

_EXCEPTIONS = [
    obj
    for name in outpour.exceptions.__all__
    if inspect.isclass(obj := getattr(outpour.exceptions, name)) and not issubclass(obj, Warning)
]


@pytest.mark.parametrize("exc_class", _EXCEPTIONS, ids=lambda cls: cls.__name__)
def test_litestar_exception_catches_every_outpour_exception(exc_class: type[Exception]) -> None:
    assert issubclass(exc_class, LitestarException)


def test_litestar_names_are_outpours_classes() -> None:
    assert (LitestarException, LitestarWarning, LitestarDeprecationWarning) == (
        OutpourException,
        OutpourWarning,
        OutpourDeprecationWarning,
    )
    assert issubclass(LitestarDeprecationWarning, DeprecationWarning)
    assert issubclass(LitestarWarning, UserWarning)
    assert issubclass(InvalidAnnotationException, DTOFactoryException)
    with pytest.raises(LitestarException, match="cannot handle `Foo`"):
        raise InvalidAnnotationException("cannot handle `Foo`")


def _raising(exc: Exception) -> Any:
    @get("/")
    async def handler() -> None:
        raise exc

    return handler


def _default_and_handled(exc: Exception, handler: Any, debug: bool = False) -> tuple[httpx.Response, httpx.Response]:
    with create_test_client([_raising(exc)], debug=debug, raise_server_exceptions=False) as client:
        default = client.get("/")
    with create_test_client(
        [_raising(exc)], debug=debug, raise_server_exceptions=False, exception_handlers={Exception: handler}
    ) as client:
        handled = client.get("/")
    return default, handled


@pytest.mark.parametrize(
    "exc",
    [
        pytest.param(
            NotFoundException("no item 7", headers={"x-why": "gone"}, extra={"id": 7}), id="404-extra-headers"
        ),
        pytest.param(ServiceUnavailableException("back at noon"), id="503"),
        pytest.param(HTTPException(status_code=500, detail="db password is hunter2"), id="500-hidden"),
        pytest.param(RuntimeError("internal detail"), id="not-http"),
    ],
)
def test_create_exception_response_is_the_default_error_response(exc: Exception) -> None:
    def handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        return create_exception_response(request, exc)

    default, handled = _default_and_handled(exc, handler)
    assert handled.status_code == default.status_code
    assert handled.json() == default.json()
    assert handled.headers["content-type"] == default.headers["content-type"] == "application/json"
    assert handled.headers.get("x-why") == default.headers.get("x-why")
    assert "hunter2" not in handled.text
    assert "internal detail" not in handled.text


def test_create_debug_response_shows_the_traceback() -> None:
    def handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        return create_debug_response(request, exc)

    default, handled = _default_and_handled(
        ServiceUnavailableException("pool exhausted", headers={"retry-after": "5"}), handler, debug=True
    )
    assert handled.status_code == default.status_code == 503
    assert handled.headers["content-type"] == default.headers["content-type"] == "text/plain; charset=utf-8"
    assert handled.headers["retry-after"] == "5"
    assert handled.text.startswith("Traceback (most recent call last):")
    assert "ServiceUnavailableException: 503: pool exhausted" in handled.text


@pytest.mark.parametrize(
    ("media_type", "expected_body"),
    [
        pytest.param(MediaType.JSON, {"status_code": 409, "detail": "taken"}, id="json"),
        pytest.param("application/problem+json", {"status_code": 409, "detail": "taken"}, id="json-suffix"),
        pytest.param(MediaType.TEXT, '{"status_code":409,"detail":"taken"}', id="text-holds-the-json"),
    ],
)
def test_exception_response_content_to_response(media_type: str, expected_body: Any) -> None:
    @get("/")
    async def handler() -> Response[Any]:
        content = ExceptionResponseContent(status_code=409, detail="taken", media_type=media_type, headers={"x-a": "1"})
        return content.to_response()

    with create_test_client([handler]) as client:
        response = client.get("/")
    body = response.json() if isinstance(expected_body, dict) else response.text
    assert (response.status_code, body, response.headers["x-a"]) == (409, expected_body, "1")
    assert response.headers["content-type"].startswith(str(media_type))


def test_exception_response_content_sends_extra_when_given() -> None:
    content = ExceptionResponseContent(status_code=400, detail="bad", media_type=MediaType.JSON, extra=[1, 2])
    response = content.to_response()
    assert (response.status_code, response.content) == (400, {"status_code": 400, "detail": "bad", "extra": [1, 2]})
