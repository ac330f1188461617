"""A Starlette ``HTTPException`` raised in a handler (by a library shared with Starlette apps) keeps its status."""

from __future__ import annotations

from typing import Any

from starlette import exceptions as starlette_exceptions

from outpour import MediaType, Request, Response, get
from outpour.testing import create_test_client


@get("/teapot", sync_to_thread=False)
def teapot() -> None:
    raise starlette_exceptions.HTTPException(status_code=418, detail="short and stout", headers={"x-pot": "1"})


@get("/plain", sync_to_thread=False)
def plain() -> None:
    raise starlette_exceptions.HTTPException(status_code=400)


def test_its_status_detail_and_headers_reach_the_client() -> None:
    with create_test_client([teapot, plain]) as client:
        teapot_response = client.get("/teapot")
        plain_response = client.get("/plain")
    assert teapot_response.status_code == 418
    assert teapot_response.json() == {"status_code": 418, "detail": "short and stout"}
    assert teapot_response.headers["x-pot"] == "1"
    assert plain_response.json() == {"status_code": 400, "detail": "Bad Request"}


def test_a_handler_for_its_class_gets_it_as_raised() -> None:
    def on_starlette(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
        return Response(f"caught {type(exc).__module__}", media_type=MediaType.TEXT, status_code=409)

    with create_test_client([teapot], exception_handlers={starlette_exceptions.HTTPException: on_starlette}) as client:
        response = client.get("/teapot")
    assert (response.status_code, response.text) == (409, "caught starlette.exceptions")


def test_a_handler_for_every_exception_gets_the_translated_one() -> None:
    def on_any(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
        return Response(type(exc).__name__, media_type=MediaType.TEXT, status_code=getattr(exc, "status_code", 500))

    with create_test_client([teapot], exception_handlers={Exception: on_any}) as client:
        response = client.get("/teapot")
    assert (response.status_code, response.text) == (418, "HTTPException")
