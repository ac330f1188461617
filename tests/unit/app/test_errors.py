"""Errors: HTTP exceptions, layered exception handlers, unhandled errors with and without debug."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from outpour import MediaType, Outpour, Request, Response, Router, get
from outpour.exceptions import (
    HTTPException,
    ImproperlyConfiguredException,
    InternalServerException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ServiceUnavailableException,
    TemplateNotFoundException,
    TooManyRequestsException,
    ValidationException,
)
from outpour.testing import create_test_client


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        pytest.param(ValidationException("bad"), 400, id="validation"),
        pytest.param(NotAuthorizedException(), 401, id="401"),
        pytest.param(PermissionDeniedException(), 403, id="403"),
        pytest.param(NotFoundException(), 404, id="404"),
        pytest.param(TooManyRequestsException(), 429, id="429"),
        pytest.param(InternalServerException(), 500, id="500"),
        pytest.param(ServiceUnavailableException(), 503, id="503"),
        pytest.param(HTTPException(status_code=418, detail="teapot", extra={"a": 1}), 418, id="custom"),
    ],
)
def test_http_exceptions_become_json_errors(exc: HTTPException, status: int) -> None:
    @get("/")
    async def handler() -> None:
        raise exc

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert response.status_code == status
    body = response.json()
    assert body["status_code"] == status
    assert body["detail"] == (exc.detail if status != 500 else "Internal Server Error")
    assert body.get("extra") == exc.extra


@pytest.mark.parametrize(
    ("exc", "debug", "detail"),
    [
        pytest.param(
            InternalServerException("db password is hunter2"), False, "Internal Server Error", id="500-hidden"
        ),
        pytest.param(InternalServerException("db password is hunter2"), True, None, id="500-debug-traceback"),
        pytest.param(ServiceUnavailableException("back at noon"), False, "back at noon", id="503-kept"),
        pytest.param(HTTPException(status_code=502, detail="upstream down"), False, "upstream down", id="502-kept"),
    ],
)
def test_the_detail_of_a_500_is_hidden_outside_debug_mode(exc: HTTPException, debug: bool, detail: str | None) -> None:
    @get("/")
    async def handler() -> None:
        raise exc

    with create_test_client([handler], debug=debug) as client:
        response = client.get("/")
    assert response.status_code == exc.status_code
    if detail is None:
        assert "hunter2" in response.text
        assert "Traceback" in response.text
    else:
        assert response.json()["detail"] == detail
        assert "hunter2" not in response.text


@pytest.mark.parametrize(
    "exc",
    [
        pytest.param(RuntimeError("secret"), id="any-exception"),
        pytest.param(InternalServerException("secret", extra={"dsn": "secret"}), id="internal-with-extra"),
        pytest.param(HTTPException(status_code=500, detail="secret", extra=["secret"]), id="http-500"),
        pytest.param(ImproperlyConfiguredException("secret setting"), id="configuration"),
        pytest.param(TemplateNotFoundException(template_name="secret.html"), id="template-not-found"),
    ],
)
def test_every_500_says_only_internal_server_error_outside_debug(exc: Exception) -> None:
    @get("/")
    async def handler() -> None:
        raise exc

    with create_test_client([handler], debug=False) as client:
        response = client.get("/")
    assert (response.status_code, response.json()) == (500, {"status_code": 500, "detail": "Internal Server Error"})


def test_exception_headers_are_sent() -> None:
    @get("/")
    async def handler() -> None:
        raise TooManyRequestsException(headers={"Retry-After": "5"})

    with create_test_client([handler]) as client:
        assert client.get("/").headers["retry-after"] == "5"


def test_unhandled_exception_is_logged_500_without_traceback(caplog: pytest.LogCaptureFixture) -> None:
    @get("/")
    async def handler() -> None:
        raise RuntimeError("secret internals")

    with caplog.at_level(logging.ERROR, logger="outpour"), create_test_client([handler]) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}
    assert "secret internals" not in response.text
    assert "secret internals" in caplog.text


def test_debug_shows_the_traceback() -> None:
    @get("/")
    async def handler() -> None:
        raise RuntimeError("visible in debug")

    with create_test_client([handler], debug=True) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "Traceback" in response.text
    assert "visible in debug" in response.text


def test_layered_exception_handlers_by_class_and_status() -> None:
    def by_class(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
        return Response(f"class:{type(exc).__name__}", media_type=MediaType.TEXT, status_code=409)

    def by_status(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
        return Response(f"status:{request.url.path}", media_type=MediaType.TEXT, status_code=404)

    @get("/value")
    async def value_error() -> None:
        raise ValueError("x")

    @get("/handler-level", exception_handlers={ValueError: lambda r, e: Response("handler", status_code=400)})
    async def handler_level() -> None:
        raise ValueError("x")

    router = Router(path="/r", route_handlers=[value_error, handler_level], exception_handlers={ValueError: by_class})
    with create_test_client([router], exception_handlers={404: by_status}) as client:
        assert (client.get("/r/value").status_code, client.get("/r/value").text) == (409, "class:ValueError")
        assert client.get("/r/handler-level").text == "handler"
        missing = client.get("/nowhere")
    assert (missing.status_code, missing.text) == (404, "status:/nowhere")


def test_500_handler_catches_unhandled_errors() -> None:
    @get("/")
    async def handler() -> None:
        raise KeyError("k")

    async def on_500(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, str]]:
        return Response({"error": type(exc).__name__}, status_code=500)

    with create_test_client([handler], exception_handlers={500: on_500}) as client:
        assert client.get("/").json() == {"error": "KeyError"}


def test_failing_exception_handler_falls_back_to_500(caplog: pytest.LogCaptureFixture) -> None:
    def broken(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
        raise RuntimeError("handler broke")

    @get("/")
    async def handler() -> None:
        raise ValueError("x")

    with (
        caplog.at_level(logging.ERROR, logger="outpour"),
        create_test_client([handler], exception_handlers={ValueError: broken}) as client,
    ):
        response = client.get("/")
    assert response.status_code == 500
    assert "handler broke" in caplog.text


def test_missing_return_annotation_is_a_configuration_error() -> None:
    @get("/")
    async def handler():  # type: ignore[no-untyped-def]
        return None

    with pytest.raises(ImproperlyConfiguredException, match="no return annotation"):
        Outpour(route_handlers=[handler])


def test_exception_str_and_repr() -> None:
    exc = NotFoundException("gone")
    assert str(exc) == "404: gone"
    assert repr(exc) == "404 - NotFoundException - gone"


def test_exception_headers_that_would_corrupt_the_response_are_dropped(caplog: pytest.LogCaptureFixture) -> None:
    @get("/")
    async def handler() -> None:
        raise TooManyRequestsException(headers={"x-evil": "a\r\nset-cookie: x=1", "retry-after": "5"})

    with caplog.at_level(logging.ERROR, logger="outpour"), create_test_client([handler]) as client:
        response = client.get("/")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "5"
    assert "x-evil" not in response.headers
    assert "set-cookie" not in response.headers
    assert "Dropped header `x-evil`" in caplog.text


class _Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


@pytest.mark.parametrize("media_type", [MediaType.JSON, MediaType.TEXT, MediaType.HTML, "application/problem+json"])
def test_error_extra_is_encoded_with_the_routes_type_encoders(media_type: str) -> None:
    @get("/pay", media_type=media_type)
    def pay() -> None:
        raise ValidationException("Not enough funds.", extra={"missing": _Money(250)})

    with create_test_client([pay], type_encoders={_Money: lambda money: f"{money.cents / 100:.2f}"}) as client:
        response = client.get("/pay")
    assert response.status_code == 400
    assert response.json() == {"status_code": 400, "detail": "Not enough funds.", "extra": {"missing": "2.50"}}


def test_error_raised_by_middleware_uses_the_routes_type_encoders() -> None:
    def refusing(app: Any) -> Any:
        async def middleware(scope: Any, receive: Any, send: Any) -> None:
            raise ValidationException("Refused.", extra={"limit": _Money(100)})

        return middleware

    @get("/guarded", middleware=[refusing], type_encoders={_Money: lambda money: money.cents})
    def guarded() -> None:
        return None

    with create_test_client([guarded], type_encoders={_Money: lambda money: f"{money.cents} cents"}) as client:
        response = client.get("/guarded")
    assert (response.status_code, response.json()["extra"]) == (400, {"limit": 100})  # the handler's encoder wins
