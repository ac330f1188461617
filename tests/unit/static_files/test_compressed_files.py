"""A compressed file in a static directory is sent as the archive it is, never with a ``Content-Encoding``."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from outpour.static_files import create_static_files_router
from outpour.testing import create_test_client


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        pytest.param("app.js.gz", "application/gzip", id="gzip"),
        pytest.param("backup.tar.gz", "application/gzip", id="tar-gz"),
        pytest.param("style.css.br", "application/x-brotli", id="brotli"),
    ],
)
def test_a_compressed_file_keeps_its_bytes_and_the_type_of_the_archive(
    tmp_path: Path, name: str, media_type: str
) -> None:
    data = gzip.compress(b"console.log('hi')")
    (tmp_path / name).write_bytes(data)

    with create_test_client([create_static_files_router(path="/static", directories=[tmp_path])]) as client:
        response = client.get(f"/static/{name}", headers={"Accept-Encoding": "identity"})

    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert "content-encoding" not in response.headers
    assert response.content == data
