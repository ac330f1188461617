"""docs/examples/openapi: local assets, every page, pages without web fonts, documented content negotiation."""

from __future__ import annotations

import html
import json
import re

import pytest
from openapi_spec_validator import validate

from docs.examples.openapi import content_negotiation, local_assets, offline_fonts, pages
from outpour.testing import TestClient


def test_swagger_page_uses_local_files() -> None:
    with TestClient(local_assets.app) as client:
        page = client.get("/schema/swagger")
        assert page.status_code == 200
        urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert [url.split("?v=")[0] for url in urls] == [
            "/schema/_assets/swagger/swagger-ui.css",
            "/schema/_assets/swagger/swagger-ui-bundle.js",
            "/schema/_assets/swagger/swagger-ui-standalone-preset.js",
        ]
        for url in urls:
            asset = client.get(url)
            assert asset.status_code == 200
            assert asset.content == (local_assets.ASSETS / url.split("?")[0].rsplit("/", 1)[1]).read_bytes()
        assert client.get("/hello").text == "Hello, world!"
        assert client.get("/schema/openapi.json").json()["info"]["title"] == "Offline docs"


@pytest.mark.parametrize(
    ("path", "marker"),
    [
        pytest.param("/schema", "/schema/_assets/scalar/standalone.js", id="first-page-at-the-root"),
        pytest.param("/schema/scalar", "/schema/_assets/scalar/standalone.js", id="scalar"),
        pytest.param("/schema/swagger", "/schema/_assets/swagger/swagger-ui-bundle.js", id="swagger"),
        pytest.param("/schema/redoc", "/schema/_assets/redoc/redoc.standalone.js", id="redoc"),
        pytest.param("/schema/rapidoc", "/schema/_assets/rapidoc/rapidoc-min.js", id="rapidoc"),
        pytest.param("/schema/elements", "/schema/_assets/elements/web-components.min.js", id="elements"),
    ],
)
def test_every_page_is_served(path: str, marker: str) -> None:
    with TestClient(pages.app) as client:
        page = client.get(path)
    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert marker in page.text


def test_pages_without_web_fonts() -> None:
    with TestClient(offline_fonts.app) as client:
        redoc = client.get("/schema/redoc").text
        scalar = client.get("/schema/scalar").text
    assert "fonts.googleapis.com" not in redoc
    assert "https://cdn.jsdelivr.net/npm/redoc@2.4.0/bundles/redoc.standalone.js" in redoc
    assert "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.40.0" in scalar
    configuration = re.search(r"data-configuration='([^']*)'", scalar)
    assert configuration is not None
    assert json.loads(html.unescape(configuration.group(1))) == {"withDefaultFonts": False}


def test_content_negotiation_is_documented_and_answered() -> None:
    with TestClient(content_negotiation.app) as client:
        document = client.get("/schema/openapi.json").json()
        answers = {
            accept: client.get("/greeting", headers={"Accept": accept}).headers["content-type"].split(";")[0]
            for accept in ("text/plain", "text/html", "application/json")
        }
    validate(document)
    content = document["paths"]["/greeting"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["text/plain", "text/html", "application/json"]
    assert set(answers.values()) == set(content)
    assert all(answers[accept] == accept for accept in answers)
