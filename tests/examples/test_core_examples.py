"""The core docs examples under docs/examples/core/ run and behave as documented."""

from __future__ import annotations

import uuid

import pytest

from docs.examples.core import (
    app_hooks,
    dependencies,
    dependency_validation,
    error_media_type,
    errors,
    hello_world,
    layered_parameters,
    lifespan,
    middleware,
    multipart_part_limit,
    optional_parameters,
    parameters,
    route_objects,
    routing,
)
from outpour.testing import TestClient, create_test_client


def test_hello_world() -> None:
    with TestClient(hello_world.app) as client:
        response = client.get("/")
    assert (response.status_code, response.text) == (200, "Hello, world!")


def test_routing() -> None:
    book_id = str(uuid.uuid4())
    with TestClient(routing.app) as client:
        created = client.post("/api/v1/books", json={"id": book_id, "title": "Dune"})
        fetched = client.get(f"/api/v1/books/{book_id}")
        deleted = client.delete(f"/api/v1/books/{book_id}")
        path = client.get("/api/v1/files/a/b.txt")
    assert created.status_code == 201
    assert fetched.json() == {"id": book_id, "title": "Dune"}
    assert deleted.status_code == 204
    assert path.text == "/a/b.txt"
    assert routing.app.route_reverse("book", book_id=book_id) == f"/api/v1/books/{book_id}"


def test_route_objects() -> None:
    with TestClient(route_objects.app) as client:
        listed = client.get("/api/routes").json()
        legacy = client.get("/api/legacy")
    assert listed == [
        {"path": "/api/items/{item_id:int}", "format": "/api/items/{item_id}", "methods": ["GET", "OPTIONS"]},
        {"path": "/api/routes", "format": "/api/routes", "methods": ["GET", "OPTIONS"]},
        {"path": "/api/legacy", "format": "/api/legacy", "methods": ["GET", "OPTIONS"]},
    ]
    assert (legacy.status_code, legacy.json(), legacy.headers["x-api"]) == (200, {"moved": True}, "1")
    item = route_objects.app.route_handler_method_map["/api/items/{item_id:int}"]["GET"]
    assert [(header.name, header.value) for header in item.response_headers or ()] == [("X-API", "1")]
    assert route_objects.app.get_handler_index_by_name("item") == {
        "paths": ["/api/items/{item_id:int}"],
        "handler": item,
        "identifier": "item",
    }


def test_optional_parameters() -> None:
    with TestClient(optional_parameters.app) as client:
        missing = client.get("/required")
        given = client.get("/required", params={"page": 2})
        defaulted = client.get("/optional")
    assert (missing.status_code, missing.json()["detail"]) == (
        400,
        "Missing required query parameter 'page' for path /required",
    )
    assert given.json() == {"page": 2}
    assert defaulted.json() == {"page": None}


def test_multipart_part_limit() -> None:
    with TestClient(multipart_part_limit.app) as client:
        twenty = client.post("/documents", files=[("doc", f"{i}".encode()) for i in range(20)])
        too_many = client.post("/documents", files=[("doc", f"{i}".encode()) for i in range(21)])
        avatar = client.post("/avatar", files={"data": ("me.png", b"png")})
        two = client.post("/avatar", files=[("data", ("me.png", b"png")), ("extra", ("x.png", b"png"))])
    assert (twenty.status_code, twenty.json()) == (201, 20)
    assert too_many.status_code == 413
    assert (avatar.status_code, avatar.text) == (201, "me.png")
    assert two.status_code == 413


def test_parameters() -> None:
    with TestClient(parameters.app) as client:
        ok = client.get("/search?q=x&tags=a&tags=b&pageSize=5", headers={"user-agent": "ua", "cookie": "session=s"})
        bad = client.get("/search?q=x&tags=a&page=0")
    assert ok.json() == {"q": "x", "tags": ["a", "b"], "page": 1, "page_size": 5, "agent": "ua", "token": "s"}
    assert bad.status_code == 400
    assert bad.json()["extra"][0]["key"] == "page"


def test_dependency_validation(caplog: pytest.LogCaptureFixture) -> None:
    with TestClient(dependency_validation.app) as client:
        checked = client.get("/checked")
        unchecked = client.get("/unchecked")
    assert (checked.status_code, checked.json()) == (500, {"status_code": 500, "detail": "Internal Server Error"})
    assert "receives `injected` as `int`, but its provider returned `'whoops'`" in caplog.text
    assert unchecked.json() == {"hello": "whoops"}


def test_dependencies() -> None:
    dependencies.LOG.clear()
    with TestClient(dependencies.app) as client:
        response = client.get("/items?limit=500")
    assert response.json() == {"open": True, "limit": 100}
    assert dependencies.LOG == ["opened", "closed"]


def test_errors() -> None:
    with TestClient(errors.app) as client:
        assert client.get("/items/ghost").json() == {"status_code": 404, "detail": "No item named ghost"}
        teapot = client.get("/items/teapot")
        gold = client.get("/items/gold")
    assert teapot.json() == {"status_code": 418, "detail": "I'm a teapot", "extra": {"brew": "later"}}
    assert (gold.status_code, gold.text) == (409, "Sorry, gold is out of stock")


def test_error_media_type() -> None:
    with create_test_client([error_media_type.answer], openapi_config=None) as client:
        ok, refused, invalid = client.get("/answer?q=42"), client.get("/answer?q=-1"), client.get("/answer?q=x")
    assert (ok.headers["content-type"], ok.text) == ("text/plain; charset=utf-8", "the answer is 42")
    assert (refused.status_code, refused.headers["content-type"]) == (400, "text/plain; charset=utf-8")
    assert refused.json() == {"status_code": 400, "detail": "q must not be negative"}
    assert (invalid.status_code, invalid.headers["content-type"]) == (400, "text/plain; charset=utf-8")
    assert invalid.json()["detail"] == "Validation failed for GET /answer?q=x"


def test_lifespan() -> None:
    with TestClient(lifespan.app) as client:
        assert client.get("/users/count").json() == {"users": 3, "ready": True}
    assert lifespan.app.state.db is None


def test_middleware() -> None:
    with TestClient(middleware.app) as client:
        assert client.get("/work").headers["server-timing"].startswith("app;dur=")
        assert "server-timing" not in client.get("/health").headers


@pytest.mark.parametrize(
    ("path", "headers", "status", "expected"),
    [
        pytest.param("/api/reports/2026?page=2", "both", 200, {"year": 2026, "page": 2, "tenant": "acme"}, id="read"),
        pytest.param("/api/reports/count?page=1", "both", 200, {"count": 3}, id="unread-but-valid"),
        pytest.param("/api/reports/count", "both", 400, "Missing required query parameter 'page'", id="no-page"),
        pytest.param("/api/reports/count?page=0", "both", 400, "Expected `int` >= 1", id="page-below-1"),
        pytest.param("/api/reports/count?page=1", "tenant", 400, "header parameter 'x-api-version'", id="no-version"),
    ],
)
def test_layered_parameters(path: str, headers: str, status: int, expected: dict[str, object] | str) -> None:
    sent = {"X-Tenant": "acme"} if headers == "tenant" else {"X-Tenant": "acme", "X-Api-Version": "2"}
    with TestClient(layered_parameters.app) as client:
        response = client.get(path, headers=sent)
    assert response.status_code == status
    if isinstance(expected, dict):
        assert response.json() == expected
    else:
        assert expected in response.text


def test_layered_parameters_are_documented_on_every_operation_below_their_layer() -> None:
    operation = layered_parameters.app.openapi_schema.to_schema()["paths"]["/api/reports/count"]["get"]
    assert [(p["name"], p["in"]) for p in operation["parameters"]] == [
        ("X-Tenant", "header"),
        ("X-Api-Version", "header"),
        ("page", "query"),
    ]


def test_app_hooks() -> None:
    app_hooks.SEEN_ERRORS.clear()
    with TestClient(app_hooks.app, raise_server_exceptions=False) as client:
        items = client.get("/items")
        broken = client.get("/broken")
        health = client.get("/health")
        options = client.options("/items")
        not_allowed = client.delete("/items")
    assert (items.status_code, items.json(), items.headers["x-served-by"]) == (200, [1, 2, 3], "outpour")
    assert (broken.status_code, broken.headers["x-served-by"]) == (500, "outpour")
    assert "database" not in broken.text
    # The 405 is an exception too (MethodNotAllowedException), so the hook sees it as well.
    assert app_hooks.SEEN_ERRORS == ["/broken: the database is down", "/items: 405: Method Not Allowed"]
    assert (health.status_code, health.text) == (200, "ok")
    assert (options.status_code, options.headers["allow"], options.content) == (204, "GET, OPTIONS", b"")
    assert (not_allowed.status_code, not_allowed.headers["allow"]) == (405, "GET, OPTIONS")
