"""The DTO docs examples under docs/examples/dto/ run and behave as documented."""

from __future__ import annotations

import uuid

from docs.examples.dto import (
    basic,
    dto_data,
    layers,
    marking_fields,
    msgspec_structs,
    nested_depth,
    nested_fields,
    patch_requests,
    unknown_fields,
    wrappers,
)
from outpour.testing import TestClient


def test_basic_dto_and_return_dto() -> None:
    with TestClient(basic.app) as client:
        created = client.post("/users", json={"name": "Ada", "email": "ada@example.com", "id": "not-taken"})
        listed = client.get("/users")
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"name", "id"}
    uuid.UUID(body["id"])  # made by the server
    assert listed.json() == [body]


def test_dtos_on_a_controller() -> None:
    with TestClient(layers.app) as client:
        created = client.post("/books", json={"title": "Dune", "author": "Herbert"}).json()
        shown = client.get(f"/books/{created['bookId']}")
        removed = client.delete(f"/books/{created['bookId']}")
    assert created == {"title": "Dune", "author": "Herbert", "bookId": created["bookId"]}
    assert shown.json() == created
    assert (removed.status_code, removed.content) == (204, b"")


def test_marked_fields() -> None:
    with TestClient(marking_fields.app) as client:
        response = client.post(
            "/accounts",
            json={"username": "ada", "password": "pw", "created_at": "1999-01-01T00:00:00Z", "_audit": "x"},
        )
    assert response.json() == {"username": "ada", "created_at": "2026-01-01T00:00:00Z"}


def test_nested_exclusions_and_renames() -> None:
    with TestClient(nested_fields.app) as client:
        body = client.get("/people/me").json()
    assert body == {
        "firstName": "Ada",
        "address": {"street": "1 Main St", "postCode": "75001"},
        "pets": [{"petName": "Rex"}],
    }


def test_dto_data_create_instance() -> None:
    with TestClient(dto_data.app) as client:
        body = client.post("/people", json={"name": "Peter", "address": {"street": "Fake Street"}}).json()
    assert body["name"] == "Peter"
    assert body["address"]["street"] == "Fake Street"
    assert isinstance(body["id"], int)
    assert isinstance(body["address"]["id"], int)


def test_partial_patch() -> None:
    with TestClient(patch_requests.app) as client:
        updated = client.patch("/people/1", json={"name": "Peter Pan", "id": 99})
        missing = client.patch("/people/2", json={"age": 1})
        invalid = client.patch("/people/1", json={"age": "old"})
    assert updated.json() == {"id": 1, "name": "Peter Pan", "age": 40}
    assert missing.status_code == 404
    assert invalid.status_code == 400


def test_max_nested_depth() -> None:
    with TestClient(nested_depth.app) as client:
        assert client.get("/employees/ada").json() == {"name": "Ada", "manager": {"name": "Linus"}}
        assert client.get("/employees/ada/flat").json() == {"name": "Ada"}


def test_unknown_fields_are_refused() -> None:
    with TestClient(unknown_fields.app) as client:
        accepted = client.post("/signups", json={"email": "a@example.com"})
        refused = client.post("/signups", json={"email": "a@example.com", "admin": True})
    assert accepted.json() == {"email": "a@example.com", "newsletter": False}
    assert refused.status_code == 400
    assert refused.json()["extra"][0]["message"] == "Object contains unknown field `admin`"


def test_wrapped_return_values() -> None:
    with TestClient(wrappers.app) as client:
        first = client.get("/users/first")
        page = client.get("/users/page").json()
        counted = client.get("/users/counted").json()
    assert (first.json(), first.headers["x-total"]) == ({"name": "ada"}, "2")
    assert page == {"items": [{"name": "ada"}, {"name": "grace"}], "page_size": 2, "current_page": 1, "total_pages": 1}
    assert counted == {"count": 2, "items": [{"name": "ada"}, {"name": "grace"}]}


def test_msgspec_dto() -> None:
    with TestClient(msgspec_structs.app) as client:
        body = client.post("/orders", json={"itemName": "tea", "quantity": 2, "status": "shipped"}).json()
    assert body == {"itemName": "tea", "quantity": 2, "status": "received"}
