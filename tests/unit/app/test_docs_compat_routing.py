"""Behaviour matched to Litestar's documented routing, parameter and dependency examples."""

from __future__ import annotations

import pytest

from outpour import Outpour, get, post
from outpour.params import Dependency, Parameter
from outpour.testing import create_test_client


@get("/search")
async def search(term: str, page: int = 1, token: str = Parameter(header="x-token")) -> str:
    return f"{term}{page}{token}"


@pytest.mark.parametrize(
    ("url", "headers", "detail", "extra"),
    [
        pytest.param(
            "/search?page=2",
            {"x-token": "t"},
            "Missing required query parameter 'term' for path /search",
            None,
            id="missing-query",
        ),
        pytest.param(
            "/search?term=a",
            {},
            "Missing required header parameter 'x-token' for path /search",
            None,
            id="missing-header",
        ),
        pytest.param(
            "/search?page=x",
            {"x-token": "t"},
            "Missing required query parameter 'term' for path /search",
            None,
            id="missing-wins-over-type-error",
        ),
        pytest.param(
            "/search?term=a&page=x",
            {"x-token": "t"},
            "Validation failed for GET /search?term=a&page=x",
            [{"message": "Expected `int`, got `str`", "key": "page", "source": "query"}],
            id="type-error-names-the-query",
        ),
    ],
)
def test_parameter_error_bodies(url: str, headers: dict[str, str], detail: str, extra: object) -> None:
    with create_test_client([search]) as client:
        body = client.get(url, headers=headers).json()
    assert body["status_code"] == 400
    assert body["detail"] == detail
    assert body.get("extra") == extra


@get(["/docs", "/docs/{page:int}"], name="docs")
async def docs(page: int = 1) -> int:
    return page


def test_get_handler_index_by_name() -> None:
    app = Outpour([docs])
    index = app.get_handler_index_by_name("docs")
    assert index is not None
    assert index["paths"] == ["/docs", "/docs/{page:int}"]
    assert index["identifier"] == "docs"
    assert index["handler"].fn is docs.fn
    assert app.get_handler_index_by_name("missing") is None


def test_handler_modules_at_litestar_paths() -> None:
    from outpour.handlers import ASGIRouteHandler, HTTPRouteHandler, asgi, asgi_handlers, http_handlers

    assert asgi_handlers.ASGIRouteHandler is ASGIRouteHandler
    assert asgi_handlers.asgi is asgi
    assert http_handlers.HTTPRouteHandler is HTTPRouteHandler
    assert http_handlers.get is get


def test_handler_classes_at_litestars_defining_modules() -> None:
    from outpour.handlers import BaseRouteHandler, HTTPRouteHandler, base
    from outpour.handlers.http_handlers import base as http_base
    from outpour.handlers.http_handlers import decorators
    from outpour.routes import asgi, http, websocket

    assert (base.BaseRouteHandler, http_base.HTTPRouteHandler) == (BaseRouteHandler, HTTPRouteHandler)
    assert (decorators.get, decorators.post) == (get, post)
    assert (http.HTTPRoute.__name__, asgi.ASGIRoute.__name__, websocket.WebSocketRoute.__name__) == (
        "HTTPRoute",
        "ASGIRoute",
        "WebSocketRoute",
    )


def test_an_optional_dependency_nobody_provides_is_none() -> None:
    @get("/opt")
    async def opt(value: int | None = Dependency()) -> str:
        return repr(value)

    with create_test_client([opt]) as client:
        assert client.get("/opt").text == "None"
