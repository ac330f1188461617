"""docs/examples/openapi/local_assets.py: the Swagger UI page loads the app's own copies of its files."""

from __future__ import annotations

import re

from docs.examples.openapi import local_assets
from outpour.testing import TestClient


def test_swagger_page_uses_local_files() -> None:
    with TestClient(local_assets.app) as client:
        page = client.get("/schema/swagger")
        assert page.status_code == 200
        urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert urls == [
            "/schema/_assets/swagger/swagger-ui.css",
            "/schema/_assets/swagger/swagger-ui-bundle.js",
            "/schema/_assets/swagger/swagger-ui-standalone-preset.js",
        ]
        for url in urls:
            asset = client.get(url)
            assert asset.status_code == 200
            assert asset.content == (local_assets.ASSETS / url.rsplit("/", 1)[1]).read_bytes()
        assert client.get("/hello").text == "Hello, world!"
        assert client.get("/schema/openapi.json").json()["info"]["title"] == "Offline docs"
