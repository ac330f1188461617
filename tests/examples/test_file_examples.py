"""The docs examples of files, redirects and static files run and behave as documented."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from fsspec.implementations.memory import MemoryFileSystem

from docs.examples.responses import (
    file_response,
    file_response_fs,
    file_response_fs_registry,
    file_response_media_type,
    redirect_response,
)
from docs.examples.static_files import full_example
from outpour.testing import TestClient

FILES = Path(file_response.__file__).parent / "files"


def test_file_download() -> None:
    with TestClient(file_response.app) as client:
        response = client.get("/reports/latest")
    assert response.status_code == 200
    assert response.content == (FILES / "quarterly.pdf").read_bytes()
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="Q3 report.pdf"'
    assert "etag" in response.headers
    assert "last-modified" in response.headers


def test_file_media_type() -> None:
    with TestClient(file_response_media_type.app) as client:
        from_handler = client.get("/exports/latest")
        from_file = client.get("/exports/raw")
    assert from_handler.headers["content-type"] == "text/csv; charset=utf-8"
    assert from_handler.headers["content-disposition"] == 'attachment; filename="export.csv"'
    assert from_file.headers["content-type"] == "application/octet-stream"
    assert from_file.headers["content-disposition"] == 'inline; filename="export-latest"'
    assert from_handler.content == from_file.content == (FILES / "export-latest").read_bytes()


@pytest.fixture
def bucket() -> MemoryFileSystem:
    fs = MemoryFileSystem()
    fs.pipe_file("/media-bucket/covers/dune.png", b"\x89PNG fake cover")
    fs.pipe_file("/logo.svg", b"<svg/>")
    yield fs
    fs.rm("/media-bucket", recursive=True)
    fs.rm("/logo.svg")


def test_file_from_an_fsspec_file_system(bucket: MemoryFileSystem) -> None:
    with TestClient(file_response_fs.create_app(bucket, prefix="/media-bucket/covers")) as client:
        response = client.get("/covers/dune.png")
        missing = client.get("/covers/nope.png")
    assert (response.status_code, response.content) == (200, b"\x89PNG fake cover")
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"] == 'inline; filename="dune.png"'
    assert missing.status_code == 404


def test_file_from_the_registry(bucket: MemoryFileSystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "local.txt").write_text("from disk")
    with TestClient(file_response_fs_registry.create_app(bucket)) as client:
        remote = client.get("/assets/logo.svg")
        local = client.get("/downloads/local.txt")
    assert (remote.status_code, remote.content) == (200, b"<svg/>")
    assert (local.status_code, local.content) == (200, b"from disk")


def test_redirects() -> None:
    with TestClient(redirect_response.app) as client:
        home = client.get("/home", follow_redirects=False)
        blog = client.get("/old-blog/hello world", follow_redirects=False)
        search = client.post("/search?q=café", follow_redirects=False)
    assert (home.status_code, home.headers["location"]) == (302, "/")
    assert (blog.status_code, blog.headers["location"]) == (301, "/blog/hello%20world")
    assert (search.status_code, search.headers["location"]) == (303, "/results?q=caf%C3%A9")


def test_static_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    example = importlib.reload(full_example)  # the directories are relative to where the app is created
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<h1>welcome</h1>")
    (tmp_path / "site" / "404.html").write_text("<h1>lost</h1>")
    with TestClient(example.app) as client:
        hello = client.get("/static/hello.txt")
        index = client.get("/site")
        lost = client.get("/site/nowhere")
    assert (hello.status_code, hello.text) == (200, "Hello, world!")
    assert hello.headers["content-disposition"] == 'inline; filename="hello.txt"'
    assert (index.status_code, index.text) == (200, "<h1>welcome</h1>")
    assert (lost.status_code, lost.text) == (404, "<h1>lost</h1>")
