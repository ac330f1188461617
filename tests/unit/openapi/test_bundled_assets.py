"""The page assets outpour ships in ``outpour/openapi/static/``: present with their licenses, and served by an app."""

from __future__ import annotations

from pathlib import Path

import pytest

import outpour.openapi
from outpour import Outpour, get
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import RapidocRenderPlugin, RedocRenderPlugin, ScalarRenderPlugin, StoplightRenderPlugin
from outpour.testing import TestClient

STATIC = Path(outpour.openapi.__file__).parent / "static"
BUNDLED = {
    "redoc": ["redoc.standalone.js"],
    "scalar": ["standalone.js"],
    "rapidoc": ["rapidoc-min.js"],
    "elements": ["web-components.min.js", "styles.min.css"],
    "swagger": ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"],
}
NOTICES = {"swagger": ["NOTICE"]}  # Apache-2.0 section 4(d): the NOTICE file travels with the files


@get("/ping", sync_to_thread=False)
def ping() -> str:
    return "pong"


@pytest.mark.parametrize(("folder", "files"), [pytest.param(k, v, id=k) for k, v in BUNDLED.items()])
def test_each_bundle_ships_with_its_license(folder: str, files: list[str]) -> None:
    assert sorted(path.name for path in (STATIC / folder).iterdir()) == sorted(
        ["LICENSE", *NOTICES.get(folder, []), *files]
    )
    assert (
        "Permission is hereby granted" in (STATIC / folder / "LICENSE").read_text()
        or "Apache License" in (STATIC / folder / "LICENSE").read_text()
    )
    for name in files:
        assert (STATIC / folder / name).stat().st_size > 100_000  # the real build, not a placeholder


def test_an_app_serves_the_bundled_files() -> None:
    plugins = [
        RedocRenderPlugin(js_url=STATIC / "redoc" / "redoc.standalone.js", google_fonts=False),
        ScalarRenderPlugin(js_url=STATIC / "scalar" / "standalone.js"),
        RapidocRenderPlugin(js_url=STATIC / "rapidoc" / "rapidoc-min.js"),
        StoplightRenderPlugin(
            js_url=STATIC / "elements" / "web-components.min.js", css_url=STATIC / "elements" / "styles.min.css"
        ),
    ]
    app = Outpour([ping], openapi_config=OpenAPIConfig(title="t", version="1", render_plugins=plugins))
    with TestClient(app) as client:
        page = client.get("/schema/rapidoc").text
        script = client.get("/schema/_assets/rapidoc/rapidoc-min.js")
    assert 'src="/schema/_assets/rapidoc/rapidoc-min.js?v=' in page
    assert script.status_code == 200
    assert script.content == (STATIC / "rapidoc" / "rapidoc-min.js").read_bytes()


@pytest.mark.parametrize(
    ("js_url", "attribute"),
    [
        pytest.param(STATIC / "rapidoc" / "rapidoc-min.js", ' load-fonts="false"', id="local-script-no-web-fonts"),
        pytest.param("https://example.com/rapidoc-min.js", "", id="remote-script-keeps-the-default"),
    ],
)
def test_rapidoc_loads_web_fonts_only_with_a_remote_script(js_url: str | Path, attribute: str) -> None:
    app = Outpour(
        [ping],
        openapi_config=OpenAPIConfig(title="t", version="1", render_plugins=[RapidocRenderPlugin(js_url=js_url)]),
    )
    with TestClient(app) as client:
        page = client.get("/schema/rapidoc").text
    assert f'<rapi-doc spec-url="/schema/openapi.json"{attribute}></rapi-doc>' in page


def test_bundled_assets_docs_sample() -> None:
    from docs.examples.openapi import bundled_assets

    with TestClient(bundled_assets.app) as client:
        pages = {name: client.get(f"/schema/{name}").text for name in ("scalar", "redoc", "rapidoc", "elements")}
        scalar_js = client.get("/schema/_assets/scalar/standalone.js")
    assert '"agent": {"disabled": true}' in pages["scalar"].replace("&quot;", '"')
    assert "/schema/_assets/redoc/redoc.standalone.js" in pages["redoc"]
    assert "fonts.googleapis.com" not in pages["redoc"]
    assert 'load-fonts="false"' in pages["rapidoc"]
    assert "/schema/_assets/elements/styles.min.css" in pages["elements"]
    assert scalar_js.status_code == 200
    assert len(scalar_js.content) > 1_000_000
