"""Exception classes as Litestar documents them: bases, status codes, ``detail``, ``extra``, ``headers``, str and repr."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour import get
from outpour.exceptions import (
    ClientException,
    HTTPException,
    ImproperlyConfiguredException,
    InternalServerException,
    LitestarException,
    MethodNotAllowedException,
    NoRouteMatchFoundException,
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
    ("exc_class", "bases", "status_code"),
    [
        pytest.param(HTTPException, (LitestarException,), 500, id="HTTPException"),
        pytest.param(ClientException, (HTTPException,), 400, id="ClientException"),
        pytest.param(ValidationException, (ClientException, ValueError), 400, id="ValidationException"),
        pytest.param(NotAuthorizedException, (ClientException,), 401, id="NotAuthorizedException"),
        pytest.param(PermissionDeniedException, (ClientException,), 403, id="PermissionDeniedException"),
        pytest.param(NotFoundException, (ClientException, ValueError), 404, id="NotFoundException"),
        pytest.param(MethodNotAllowedException, (ClientException,), 405, id="MethodNotAllowedException"),
        pytest.param(TooManyRequestsException, (ClientException,), 429, id="TooManyRequestsException"),
        pytest.param(InternalServerException, (HTTPException,), 500, id="InternalServerException"),
        pytest.param(ImproperlyConfiguredException, (HTTPException, ValueError), 500, id="Improperly"),
        pytest.param(ServiceUnavailableException, (InternalServerException,), 503, id="ServiceUnavailableException"),
        pytest.param(NoRouteMatchFoundException, (InternalServerException,), 500, id="NoRouteMatchFoundException"),
        pytest.param(TemplateNotFoundException, (InternalServerException,), 500, id="TemplateNotFoundException"),
    ],
)
def test_bases_and_status_codes_as_litestar_lists_them(
    exc_class: type[HTTPException], bases: tuple[type[Exception], ...], status_code: int
) -> None:
    assert all(issubclass(exc_class, base) for base in bases)
    exc = exc_class() if exc_class is not TemplateNotFoundException else exc_class(template_name="x.html")
    assert exc.status_code == status_code


@given(status_code=st.integers(min_value=400, max_value=404), detail=st.text())
def test_http_exception_str_and_repr(status_code: int, detail: str) -> None:
    exc = HTTPException(status_code=status_code, detail=detail)
    expected_detail = detail or HTTPStatus(status_code).phrase
    assert (exc.status_code, exc.detail) == (status_code, expected_detail)
    assert str(exc) == f"{status_code}: {expected_detail}".strip()
    assert repr(exc) == f"{status_code} - HTTPException - {expected_detail}"


def test_positional_arguments_after_the_detail_follow_it_in_str() -> None:
    exc = NotFoundException("no item", "7")
    assert (exc.detail, str(exc)) == ("no item", "404: no item 7")


def test_extra_and_headers_are_kept_and_sent() -> None:
    exc = NotFoundException(detail="no item", extra={"id": 7}, headers={"x-why": "gone"})
    assert (exc.extra, exc.headers) == ({"id": 7}, {"x-why": "gone"})

    @get("/")
    async def handler() -> None:
        raise exc

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert response.status_code == 404
    assert response.headers["x-why"] == "gone"
    assert response.json() == {"status_code": 404, "detail": "no item", "extra": {"id": 7}}


def test_a_subclass_may_give_its_default_detail_as_a_class_attribute() -> None:
    class OutOfStock(LitestarException):
        detail = "out of stock"

    class Gone(HTTPException):
        status_code = 410

    assert (OutOfStock().detail, str(OutOfStock()), repr(OutOfStock())) == (
        "out of stock",
        "out of stock",
        "OutOfStock - out of stock",
    )
    assert OutOfStock("sold out").detail == "sold out"
    assert (Gone().detail, str(Gone())) == ("Gone", "410: Gone")


def test_litestar_exception_str_and_repr() -> None:
    """``LitestarException`` is another name of ``OutpourException``: its repr says the class's own name."""
    assert (str(LitestarException("a", "b")), repr(LitestarException("a", "b"))) == ("b a", "OutpourException - a")
    assert (LitestarException().detail, repr(LitestarException())) == ("", "OutpourException")


def test_reverse_routing_to_an_unknown_name_is_an_internal_server_exception() -> None:
    @get("/", name="home")
    async def handler() -> None:
        return None

    with create_test_client([handler]) as client:
        app = client.app
        with pytest.raises(InternalServerException, match="No route handler is named `nowhere`") as info:
            app.route_reverse("nowhere")
    assert isinstance(info.value, NoRouteMatchFoundException)
    assert info.value.status_code == 500


class Conflict(HTTPException):
    status_code = 409
    extra = {"retry": "later"}  # noqa: RUF012 - Litestar's subclasses set it as a plain class attribute


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        pytest.param(
            Conflict("taken"), {"status_code": 409, "detail": "taken", "extra": {"retry": "later"}}, id="class"
        ),
        pytest.param(
            Conflict("taken", extra=["own"]), {"status_code": 409, "detail": "taken", "extra": ["own"]}, id="own"
        ),
        pytest.param(Conflict("taken", extra=None), {"status_code": 409, "detail": "taken"}, id="explicit-none"),
        pytest.param(HTTPException(status_code=418), {"status_code": 418, "detail": "I'm a Teapot"}, id="no-extra"),
    ],
)
def test_a_subclass_may_give_its_default_extra_as_a_class_attribute(exc: HTTPException, expected: object) -> None:
    @get("/", sync_to_thread=False)
    def handler() -> None:
        raise exc

    with create_test_client([handler]) as client:
        assert client.get("/").json() == expected


def test_a_configuration_error_is_a_500_http_exception_and_a_value_error_not_an_internal_server_exception() -> None:
    from outpour.exceptions import HTTPException, ImproperlyConfiguredException, InternalServerException

    error = ImproperlyConfiguredException("bad option")
    assert isinstance(error, HTTPException)
    assert isinstance(error, ValueError)
    assert not isinstance(
        error, InternalServerException
    )  # an `except InternalServerException` misses it, as in Litestar
    assert error.status_code == 500
