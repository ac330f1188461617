"""The responses docs examples (media types to custom responses) run and send what the guide says, byte for byte."""

from __future__ import annotations

import msgspec
import pytest

from docs.examples.responses import (
    annotated_responses,
    asgi_apps,
    custom_responses,
    json_suffix_responses,
    media_types,
    pydantic_encoders,
    response_content,
    returning_data,
    returning_responses,
    status_codes,
    third_party_responses,
)
from outpour.testing import TestClient


def test_returning_data_defaults_to_200_json() -> None:
    with TestClient(returning_data.app) as client:
        response = client.get("/resources")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == str(len(response.content))
    assert response.content == b'{"id":1,"name":"my resource"}'


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        pytest.param(
            "/resources",
            "text/plain; charset=utf-8",
            b"The rumbling rabbit ran around the rock",
            id="text",
        ),
        pytest.param("/ping", "text/plain; charset=utf-8", b"healthy", id="text-health"),
        pytest.param(
            "/health-check", "application/vnd.msgpack", msgspec.msgpack.encode({"hello": "world"}), id="msgpack"
        ),
        pytest.param(
            "/logo.svg",
            "image/svg+xml",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
            id="other-iana-type",
        ),
    ],
)
def test_media_types(path: str, content_type: str, body: bytes) -> None:
    with TestClient(media_types.app) as client:
        response = client.get(path)
    assert (response.status_code, response.headers["content-type"], response.content) == (200, content_type, body)
    assert response.headers["content-length"] == str(len(body))


def test_html_page() -> None:
    with TestClient(media_types.app) as client:
        response = client.get("/page")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.content.startswith(b"\n    <html>\n        <body>")
    assert b"<span>Hello World!</span>" in response.content
    assert response.headers["content-length"] == str(len(response.content))


def test_json_suffix_media_type() -> None:
    with TestClient(json_suffix_responses.app) as client:
        response = client.get("/coffee")
    assert response.status_code == 418
    assert response.headers["content-type"] == "application/problem+json"
    assert response.content == msgspec.json.encode(
        {
            "type": "https://example.com/problems/teapot",
            "title": "This server is a teapot",
            "status": 418,
            "detail": "It cannot brew coffee.",
        }
    )


@pytest.mark.parametrize(
    ("accept", "content_type", "body"),
    [
        pytest.param(None, "text/plain; charset=utf-8", b"Good morning!", id="no-header"),
        pytest.param("*/*", "text/plain; charset=utf-8", b"Good morning!", id="anything"),
        pytest.param("text/html", "text/html; charset=utf-8", b"<p>Good morning!</p>", id="html"),
        pytest.param("application/xml", "application/xml", b"<greeting>Good morning!</greeting>", id="xml"),
        pytest.param(
            "text/plain;q=0.5, application/xml;q=0.9, text/html;q=0.1",
            "application/xml",
            b"<greeting>Good morning!</greeting>",
            id="q-values",
        ),
        pytest.param("text/*;q=0.8, text/html", "text/html; charset=utf-8", b"<p>Good morning!</p>", id="specific"),
        pytest.param("image/png", "text/plain; charset=utf-8", b"Good morning!", id="unacceptable-default"),
    ],
)
def test_content_negotiation(accept: str | None, content_type: str, body: bytes) -> None:
    headers = {} if accept is None else {"accept": accept}
    with TestClient(response_content.app) as client:
        response = client.get("/greeting", headers=headers)
    assert (response.status_code, response.headers["content-type"], response.content) == (200, content_type, body)


def test_status_codes_explicit_and_defaults() -> None:
    resource = {"id": 2, "name": "second"}
    with TestClient(status_codes.app) as client:
        accepted = client.get("/resources")
        created = client.post("/resources", json=resource)
        replaced = client.put("/resources/2", json={"id": 2, "name": "replaced"})
        renamed = client.patch("/resources/2/name", json="renamed")
        deleted = client.delete("/resources/2")
        echo_get = client.get("/echo")
        echo_post = client.post("/echo")
    assert (accepted.status_code, accepted.content) == (202, b'{"id":1,"name":"my resource"}')
    assert (created.status_code, created.json()) == (201, resource)
    assert (replaced.status_code, replaced.json()) == (200, {"id": 2, "name": "replaced"})
    assert (renamed.status_code, renamed.json()) == (200, {"id": 2, "name": "renamed"})
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert "content-type" not in deleted.headers
    assert (echo_get.status_code, echo_post.status_code, echo_post.text) == (200, 200, "echo")
    assert 2 not in status_codes.RESOURCES


def test_returning_responses() -> None:
    with TestClient(returning_responses.app) as client:
        resource = client.get("/resources")
        secret = client.get("/secrets/db")
    assert resource.status_code == 200
    assert resource.content == b'{"id":1,"name":"my resource"}'
    assert resource.headers["x-resource-version"] == "7"
    assert resource.headers["content-type"] == "application/json"
    assert resource.headers["set-cookie"] == "last-seen=1; Path=/; SameSite=lax"
    assert secret.headers.get_list("cache-control") == ["no-store"]
    assert secret.json() == {"name": "db", "value": "s3cr3t"}


def test_annotated_responses() -> None:
    annotated_responses.BOOKS.clear()
    annotated_responses.BOOKS[1] = "Dune"
    with TestClient(annotated_responses.app) as client:
        found = client.get("/books/1")
        missing = client.get("/books/2")
        deleted = client.delete("/books/1")
        after = client.get("/books/1")
    assert (found.status_code, found.content, found.headers["x-book-count"]) == (200, b'{"id":1,"title":"Dune"}', "1")
    assert (missing.status_code, missing.content) == (404, b"null")
    assert (deleted.status_code, deleted.content, deleted.headers["x-book-count"]) == (204, b"", "0")
    assert after.status_code == 404


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        pytest.param("/function", 200, b"function answered /function", id="function"),
        pytest.param("/method", 200, b"hello from a method", id="method"),
        pytest.param("/instance", 418, b"an instance with __call__", id="instance"),
        pytest.param("/inline", 200, b"defined in the handler", id="inline"),
    ],
)
def test_returning_asgi_apps(path: str, status: int, body: bytes) -> None:
    with TestClient(asgi_apps.app) as client:
        response = client.get(path)
    assert (response.status_code, response.content) == (status, body)
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-length"] == str(len(body))


def test_third_party_response() -> None:
    with TestClient(third_party_responses.app) as client:
        response = client.get("/")
    assert (response.status_code, response.content) == (200, b'{"hello":"world"}')
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-made-by"] == "starlette"


def test_pydantic_encoders_give_one_router_its_own_dump_options() -> None:
    with TestClient(pydantic_encoders.app) as client:
        default = client.get("/account")
        public = client.get("/public/account")
    assert default.content == b'{"user_name":"ada","nickname":null}'
    assert public.content == b'{"userName":"ada"}'


def test_custom_response_class_serializes_multidict() -> None:
    with TestClient(custom_responses.app) as client:
        response = client.get("/tags")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b'{"color":["red","blue"],"size":["L"]}'
