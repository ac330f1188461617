from app import app

from outpour.testing import TestClient


def test_index() -> None:
    with TestClient(app=app) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.text == "Hello, world!"


def test_add_and_read_a_book() -> None:
    with TestClient(app=app) as client:
        created = client.post("/books", json={"title": "Emma", "author": "Jane Austen"})
        assert created.status_code == 201
        book_id = len(client.get("/books").json()) - 1
        assert client.get(f"/books/{book_id}").json() == {"title": "Emma", "author": "Jane Austen"}


def test_a_missing_book_is_a_404() -> None:
    with TestClient(app=app) as client:
        response = client.get("/books/99")
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no book 99."
