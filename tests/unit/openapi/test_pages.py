"""The documentation pages: each one with every asset served by the app itself (no internet needed), and options."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from outpour import Outpour, get
from outpour.config.csrf import CSRFConfig
from outpour.exceptions import ImproperlyConfiguredException
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import (
    BUNDLED_VERSIONS,
    STATIC_DIRECTORY,
    OpenAPIRenderPlugin,
    RapidocRenderPlugin,
    RedocRenderPlugin,
    ScalarRenderPlugin,
    StoplightRenderPlugin,
    SwaggerRenderPlugin,
    asset_digest,
)
from outpour.testing import TestClient


@get("/ping")
async def ping() -> str:
    return "pong"


def local_files(directory: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = directory / name
        path.write_text(f"/* {name} */", encoding="utf-8")
        paths.append(path)
    return paths


def offline_plugins(directory: Path) -> list[OpenAPIRenderPlugin]:
    swagger_js, swagger_css, preset = local_files(
        directory, "swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"
    )
    (redoc_js,) = local_files(directory, "redoc.standalone.js")
    (scalar_js,) = local_files(directory, "scalar.js")
    (rapidoc_js,) = local_files(directory, "rapidoc-min.js")
    elements_js, elements_css = local_files(directory, "web-components.min.js", "styles.min.css")
    return [
        SwaggerRenderPlugin(js_url=swagger_js, css_url=swagger_css, standalone_preset_js_url=preset),
        RedocRenderPlugin(js_url=redoc_js, google_fonts=False),
        ScalarRenderPlugin(js_url=scalar_js, options={"withDefaultFonts": False}),
        RapidocRenderPlugin(js_url=rapidoc_js),
        StoplightRenderPlugin(js_url=elements_js, css_url=elements_css),
    ]


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        pytest.param(
            "/schema/swagger",
            ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"],
            id="swagger",
        ),
        pytest.param("/schema/redoc", ["redoc.standalone.js"], id="redoc"),
        pytest.param("/schema/scalar", ["scalar.js"], id="scalar"),
        pytest.param("/schema/rapidoc", ["rapidoc-min.js"], id="rapidoc"),
        pytest.param("/schema/elements", ["web-components.min.js", "styles.min.css"], id="elements"),
    ],
)
def test_pages_with_local_assets_need_no_internet(tmp_path: Path, page: str, assets: list[str]) -> None:
    app = Outpour([ping], openapi_config=OpenAPIConfig(render_plugins=offline_plugins(tmp_path)))
    with TestClient(app) as client:
        html = client.get(page).text
        urls = re.findall(r'(?:src|href)="([^"]+)"', html)
        served = {url: client.get(url) for url in urls}
    assert not re.search(r"https?://", html), html  # nothing is fetched from another host
    names = [Path(url.split("?v=")[0]).name for url in urls]
    assert sorted(names) == sorted(assets)
    for (url, response), name in zip(served.items(), names, strict=True):
        assert url.startswith("/schema/_assets/"), url
        assert response.status_code == 200, url
        assert response.text == f"/* {name} */"
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["etag"] == f'"{url.split("?v=")[1]}"'  # the URL is versioned by the content
    assert "/schema/openapi.json" in html


def test_another_version_loads_from_a_cdn_and_urls_given_win() -> None:
    plugins: list[OpenAPIRenderPlugin] = [
        SwaggerRenderPlugin(js_url="https://assets.example/s.js"),
        StoplightRenderPlugin(version="8"),
        ScalarRenderPlugin(version="1.2.3"),
        RedocRenderPlugin(version="2"),
    ]
    with TestClient(Outpour([ping], openapi_config=OpenAPIConfig(render_plugins=plugins))) as client:
        swagger = client.get("/schema/swagger").text
        elements = client.get("/schema/elements").text
        scalar = client.get("/schema/scalar").text
        redoc = client.get("/schema/redoc").text
    assert 'src="https://assets.example/s.js"' in swagger
    assert 'href="/schema/_assets/swagger/swagger-ui.css?v=' in swagger  # the shipped stylesheet, not given
    assert "validatorUrl" not in swagger  # a remote script: Swagger UI's defaults
    assert "https://cdn.jsdelivr.net/npm/@stoplight/elements@8/web-components.min.js" in elements
    assert "https://cdn.jsdelivr.net/npm/@stoplight/elements@8/styles.min.css" in elements
    assert 'apiDescriptionUrl="/schema/openapi.json"' in elements
    assert "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.2.3" in scalar
    assert "withDefaultFonts" not in scalar
    assert "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js" in redoc
    assert "fonts.googleapis.com" in redoc  # from a CDN, ReDoc keeps Litestar's default fonts


def test_default_config_serves_five_pages_with_the_shipped_files() -> None:
    with TestClient(Outpour([ping])) as client:
        pages = {name: client.get(f"/schema/{name}").text for name in BUNDLED_VERSIONS}
        root = client.get("/schema").text
        urls = {name: re.findall(r'(?:src|href)="([^"]+)"', page) for name, page in pages.items()}
        assets = {url: client.get(url) for found in urls.values() for url in found}
        first = next(iter(assets.items()))
        revalidated = client.get(first[0], headers={"If-None-Match": f'W/{first[1].headers["etag"]}, "other"'})
        unknown = client.get("/schema/_assets/scalar/nope.js")
    assert root == pages["scalar"]
    for name, page in pages.items():
        assert not re.search(r"https?://", page), name
        assert urls[name], name
        assert all(url.startswith(f"/schema/_assets/{name}/") for url in urls[name]), name
    assert 'load-fonts="false"' in pages["rapidoc"]
    assert "validatorUrl: null" in pages["swagger"]
    for url, response in assets.items():
        filename = url.split("?v=")[0].rsplit("/", 1)[1]
        folder = url.split("/")[3]
        assert response.content == (STATIC_DIRECTORY / folder / filename).read_bytes(), url
        assert response.headers["etag"] == f'"{asset_digest(STATIC_DIRECTORY / folder / filename)}"'
    assert (revalidated.status_code, revalidated.content) == (304, b"")
    assert revalidated.headers["etag"] == first[1].headers["etag"]
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    "init_oauth",
    [pytest.param({"clientId": "abc"}, id="mapping"), pytest.param(b'{"clientId": "abc"}', id="bytes")],
)
def test_swagger_oauth_settings(init_oauth: Any) -> None:
    plugin = SwaggerRenderPlugin(init_oauth=init_oauth, oauth2_redirect_url="/schema/oauth2-redirect.html")
    with TestClient(Outpour([ping], openapi_config=OpenAPIConfig(render_plugins=[plugin]))) as client:
        page = client.get("/schema/swagger").text
    call = re.search(r"window\.ui\.initOAuth\((.*)\);", page)
    assert call is not None
    assert json.loads(call.group(1)) == {"clientId": "abc"}
    assert 'oauth2RedirectUrl: "/schema/oauth2-redirect.html"' in page


def test_swagger_without_oauth_settings() -> None:
    with TestClient(Outpour([ping], openapi_config=OpenAPIConfig(render_plugins=[SwaggerRenderPlugin()]))) as client:
        page = client.get("/schema/swagger").text
    assert "initOAuth" not in page
    assert "oauth2RedirectUrl" not in page


def test_a_missing_local_asset_fails_at_start_up(tmp_path: Path) -> None:
    plugin = RedocRenderPlugin(js_url=tmp_path / "nope.js")
    with pytest.raises(ImproperlyConfiguredException, match=r"RedocRenderPlugin\(js_url=\.\.\.\)` is the local file"):
        Outpour([ping], openapi_config=OpenAPIConfig(render_plugins=[plugin]))


def test_two_local_assets_with_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (first,) = local_files(tmp_path / "a", "same.js")
    (second,) = local_files(tmp_path / "b", "same.js")
    plugin = SwaggerRenderPlugin(js_url=first, standalone_preset_js_url=second)
    with pytest.raises(ImproperlyConfiguredException, match=r"two local files named `same\.js`"):
        Outpour([ping], openapi_config=OpenAPIConfig(render_plugins=[plugin]))


def test_one_local_file_used_twice_is_served_once(tmp_path: Path) -> None:
    (both,) = local_files(tmp_path, "both.js")
    plugin = SwaggerRenderPlugin(js_url=both, css_url="https://example.com/s.css", standalone_preset_js_url=both)
    assert plugin.local_assets() == {"swagger/both.js": both}


@pytest.mark.parametrize(
    ("path", "plugin"), [("/schema/swagger", SwaggerRenderPlugin()), ("/schema/rapidoc", RapidocRenderPlugin())]
)
def test_pages_that_send_requests_copy_the_csrf_token_into_its_header(path: str, plugin: OpenAPIRenderPlugin) -> None:
    csrf = CSRFConfig(secret="s" * 32, cookie_name="token-cookie", header_name="x-token-header")
    app = Outpour([ping], csrf_config=csrf, openapi_config=OpenAPIConfig(render_plugins=[plugin]))
    with TestClient(app) as client:
        page = client.get(path).text
    assert '"token-cookie="' in page  # read from document.cookie when a request is tried
    assert '"x-token-header"' in page


@pytest.mark.parametrize(
    ("path", "plugin"), [("/schema/swagger", SwaggerRenderPlugin()), ("/schema/rapidoc", RapidocRenderPlugin())]
)
@pytest.mark.parametrize("csrf", [None, CSRFConfig(secret="s" * 32, cookie_httponly=True)])
def test_pages_leave_out_the_csrf_script_when_no_script_can_read_the_token(
    path: str, plugin: OpenAPIRenderPlugin, csrf: CSRFConfig | None
) -> None:
    app = Outpour([ping], csrf_config=csrf, openapi_config=OpenAPIConfig(render_plugins=[plugin]))
    with TestClient(app) as client:
        page = client.get(path).text
    assert "csrftoken" not in page
    assert "document.cookie" not in page
