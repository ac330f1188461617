"""The getting-started page, the tutorial and the debug-page sample of the docs, run as a reader would run them."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from docs.examples.core import debug_page
from docs.examples.getting_started import app as getting_started
from docs.examples.tutorial import books, downloads, pages, paging, responses
from docs.examples.tutorial.app import app as bookshop
from outpour.testing import TestClient

ROOT = Path(__file__).resolve().parents[2]
GETTING_STARTED = ROOT / "docs" / "examples" / "getting_started"
# Run by pytest in a folder of its own, beside its app, as the page tells the reader to.
GETTING_STARTED_TESTS = "docs.examples.getting_started.test_app"


# -- getting started --------------------------------------------------------------------------------------------------


def test_getting_started_app() -> None:
    with TestClient(app=getting_started.app) as client:
        assert client.get("/").text == "Hello, world!"
        assert client.get("/books/0").json() == {"title": "Dune", "author": "Frank Herbert"}
        assert client.get("/books/5").status_code == 404


def test_getting_started_tests_pass_with_pytest(tmp_path: Path) -> None:
    """The page's test file, beside its app in a folder of its own, passes under a plain ``pytest``."""
    tests = ROOT.joinpath(*GETTING_STARTED_TESTS.split(".")).with_suffix(".py")
    shutil.copy(GETTING_STARTED / "app.py", tmp_path / "app.py")
    shutil.copy(tests, tmp_path / "test_app.py")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "test_app.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


# -- the tutorial -----------------------------------------------------------------------------------------------------


def test_tutorial_json_and_status_codes() -> None:
    saved = dict(books.BOOKS)
    try:
        with TestClient(app=bookshop) as client:
            listed = client.get("/books")
            created = client.post("/books", json={"title": "Beloved", "author": "Toni Morrison", "price": 8.0})
            invalid = client.post("/books", json={"title": "No price"})
            removed = client.delete("/books/1")
            gone = client.get("/books/1")
    finally:
        books.BOOKS.clear()
        books.BOOKS.update(saved)
    assert (listed.status_code, [book["title"] for book in listed.json()]) == (200, ["Dune", "Emma", "Ulysses"])
    assert (created.status_code, created.json()) == (
        201,
        {"id": 4, "title": "Beloved", "author": "Toni Morrison", "price": 8.0},
    )
    assert invalid.status_code == 400
    assert (removed.status_code, removed.content) == (204, b"")
    assert (gone.status_code, gone.json()["detail"]) == (404, "There is no book 1.")


def test_tutorial_text_html_and_template() -> None:
    with TestClient(app=bookshop) as client:
        text = client.get("/")
        html = client.get("/shelf")
        page = client.get("/books/2/page")
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text.startswith("The bookshop has 3 books.")
    assert html.headers["content-type"].startswith("text/html")
    assert "<li>Emma</li>" in html.text
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Emma</h1>" in page.text
    assert "by Jane Austen, 7.00 EUR" in page.text
    assert 'href="/books/2"' in page.text


def test_tutorial_response_redirect_and_background(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="bookshop"), TestClient(app=bookshop) as client:
        priced = client.get("/books/1/price")
        moved = client.get("/latest", follow_redirects=False)
        reserved = client.post("/books/2/reserve")
    assert (priced.json(), priced.headers["cache-control"], priced.cookies["last-viewed"]) == (
        {"price": 9.5},
        "max-age=60",
        "1",
    )
    assert "book 1 viewed" in caplog.text
    assert (moved.status_code, moved.headers["location"]) == (302, "/books/3")
    assert (reserved.status_code, reserved.json()) == (202, {"reserved": "Emma"})


def test_tutorial_file_stream_and_events() -> None:
    with TestClient(app=bookshop) as client:
        catalog = client.get("/catalog.txt")
        part = client.get("/catalog.txt", headers={"range": "bytes=0-2"})
        exported = client.get("/books.csv")
        sale = client.get("/sale")
    assert catalog.headers["content-disposition"] == 'attachment; filename="catalog.txt"'
    assert catalog.text.startswith("The bookshop catalogue")
    assert "etag" in catalog.headers
    assert (part.status_code, part.text) == (206, "The")
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.splitlines()[:2] == ["id,title,author,price", "1,Dune,Frank Herbert,9.5"]
    assert sale.headers["content-type"].startswith("text/event-stream")
    assert "event: tick\r\ndata: 3" in sale.text or "event: tick\ndata: 3" in sale.text
    assert "The sale has started!" in sale.text


def test_tutorial_pagination() -> None:
    with TestClient(app=bookshop) as client:
        first = client.get("/catalogue").json()
        second = client.get("/catalogue", params={"current_page": 2}).json()
    assert [book["title"] for book in first["items"]] == ["Dune", "Emma"]
    assert (first["current_page"], first["total_pages"], first["page_size"]) == (1, 2, 2)
    assert [book["title"] for book in second["items"]] == ["Ulysses"]


def test_tutorial_app_has_every_step() -> None:
    """Each step's module contributes its handlers to the app the tutorial ends with."""
    steps = [books.list_books, pages.shelf, responses.latest, downloads.sale, paging.catalogue]
    declared = {path for handler in steps for path in handler.paths}
    assert declared == {"/books", "/shelf", "/latest", "/sale", "/catalogue"}
    assert declared <= {route.path for route in bookshop.routes}


def test_tutorial_openapi_lists_every_route() -> None:
    with TestClient(app=bookshop) as client:
        paths = set(client.get("/schema/openapi.json").json()["paths"])
    assert {"/books", "/books/{book_id}", "/shelf", "/books.csv", "/sale", "/catalogue", "/latest"} <= paths


# -- debug mode -------------------------------------------------------------------------------------------------------


def test_debug_page_sample() -> None:
    with TestClient(app=debug_page.app) as client:
        page = client.get("/ratio/1/0", headers={"accept": "text/html"})
        text = client.get("/ratio/1/0")
        fine = client.get("/ratio/3/2")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>500 ZeroDivisionError</title>" in page.text
    assert text.text.startswith("Traceback (most recent call last):")
    assert text.text.rstrip().endswith("ZeroDivisionError: division by zero")
    assert fine.json() == {"ratio": 1.5}


# -- the SQLAlchemy pagination sample -----------------------------------------------------------------------------------


def test_sqlalchemy_sample_is_seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample's own app shows people on its first request: its lifespan creates the table and seeds it once."""
    from docs.examples.pagination import using_offset_pagination_with_sqlalchemy as sample

    monkeypatch.chdir(tmp_path)  # the sample's default database is `people.sqlite` in the working directory
    with TestClient(app=sample.app) as client:
        first = client.get("/people", params={"limit": 5}).json()
    with TestClient(app=sample.app) as client:  # a second start does not seed twice
        again = client.get("/people", params={"limit": 5, "offset": 10}).json()
    assert [person["name"] for person in first["items"]] == ["Ada", "Grace", "Alan", "Edsger", "Barbara"]
    assert (first["total"], first["limit"], first["offset"]) == (12, 5, 0)
    assert [person["name"] for person in again["items"]] == ["Ken", "Radia"]
    assert again["total"] == 12
