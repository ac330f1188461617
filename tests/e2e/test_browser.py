"""The demo app in a real browser: headless Chromium from Debian's packages, driven by Playwright.

The demo app runs under uvicorn on 127.0.0.1 (a free port) for the whole session. Chromium is Debian's
``/usr/bin/chromium``; when it is missing, ``scripts/install-chromium.sh`` installs it, and only if it still cannot be
found are these tests skipped (with the script's explanation; in CI they fail). Playwright never downloads a browser.

The browser may reach nothing but the demo server: every other request is aborted and recorded, so that a page that
needs the network (a CDN asset) fails its test. (Playwright turns the browser's HTTP cache off while it intercepts
requests, so the reload check runs in a context of its own.)
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests._services import unavailable
from tests.e2e._serving import free_port, running

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_SCRIPT = ROOT / "scripts" / "install-chromium.sh"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, installed by the project's script when missing."""
    if not CHROMIUM.exists():
        try:
            result = subprocess.run(
                ["sh", str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=900, check=False
            )
            why = (result.stdout + result.stderr).strip()
        except (OSError, subprocess.TimeoutExpired) as exc:
            why = f"running {INSTALL_SCRIPT} failed: {exc}"
        if not CHROMIUM.exists():
            unavailable(f"Chromium is not at {CHROMIUM} and {INSTALL_SCRIPT.name} could not install it: {why}")
    return CHROMIUM


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo app under uvicorn on 127.0.0.1; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "examples.demo.app:app", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--no-access-log", "--log-level", "warning"]
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    logs = tmp_path_factory.mktemp("demo-server")
    with running(command, port, ROOT, env, log_dir=logs):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    # Module scope: Playwright's sync API runs an event loop in this thread while it is open, which would break
    # every later test that starts its own loop.
    """One headless Chromium for the session."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (`pip install playwright`)"
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Visit:
    """A fresh browser page that can reach only the demo server."""

    page: Page
    base: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextlib.contextmanager
def visiting(browser: Browser, base: str) -> Iterator[Visit]:
    """A fresh browser context whose requests to anything but ``base`` are aborted (and recorded)."""
    context = browser.new_context(accept_downloads=True, base_url=base)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    seen = Visit(page, base)

    def only_the_server(route: Route) -> None:
        url = route.request.url
        if url.startswith((base + "/", "data:", "blob:")) or url == base:
            route.continue_()
        else:
            seen.blocked.append(url)
            route.abort()

    context.route("**/*", only_the_server)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    try:
        yield seen
    finally:
        context.close()


@pytest.fixture
def visit(browser: Browser, demo: str) -> Iterator[Visit]:
    with visiting(browser, demo) as seen:
        yield seen


def test_index_page_loads(visit: Visit) -> None:
    response = visit.page.goto("/")
    assert response is not None
    assert response.status == 200
    assert visit.page.title() == "outpour demo"
    assert visit.page.locator("h1").inner_text() == "outpour demo"
    links = visit.page.locator("a[data-kind]")
    assert links.count() >= 3
    assert visit.blocked == []
    assert visit.errors == []


def test_every_example_link_answers(visit: Visit) -> None:
    """Each example linked from the index answers below 400."""
    visit.page.goto("/")
    hrefs = visit.page.locator("a[data-kind]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs
    failures = {}
    for href in hrefs:
        response = visit.page.request.get(href, max_redirects=0)
        if response.status >= 400:
            failures[href] = response.status
    assert failures == {}


def test_sse_page_shows_events_arriving(visit: Visit) -> None:
    visit.page.goto("/sse/page")
    events = visit.page.locator("#events li")
    visit.page.wait_for_function("document.querySelectorAll('#events li').length >= 5")
    assert events.count() >= 5
    texts = events.all_inner_texts()
    assert len(set(texts)) == len(texts), texts  # distinct events, not one repeated
    assert visit.blocked == []
    assert visit.errors == []


def test_file_link_downloads_with_its_name(visit: Visit) -> None:
    visit.page.goto("/")
    with visit.page.expect_download() as info:
        visit.page.locator("a#download").click()
    download = info.value
    assert download.suggested_filename == "report.csv"
    saved = Path(download.path())
    assert saved.read_text().startswith("id,")


def test_layered_cookie_is_visible_to_the_page(visit: Visit) -> None:
    visit.page.goto("/layers/page")
    cookie = visit.page.evaluate("document.cookie")
    assert "demo-layer=router" in cookie
    visit.page.wait_for_function("document.querySelector('#cookies').textContent.includes('demo-layer=router')")
    assert visit.errors == []


def test_layers_page_shows_the_304(visit: Visit) -> None:
    """The page's script sends the ETag back in If-None-Match and shows the server's 304."""
    visit.page.goto("/layers/page")
    revalidated = visit.page.locator("#revalidated")
    visit.page.wait_for_function("document.querySelector('#revalidated').textContent.startsWith('304')")
    assert revalidated.inner_text().startswith("304")
    assert 'etag: "demo-v1"' in visit.page.locator("#headers").inner_text()
    assert visit.errors == []


def test_reload_is_answered_304(browser: Browser, demo: str) -> None:
    """A reload revalidates the cached response with If-None-Match, and the server answers 304 Not Modified.

    Playwright (like the DevTools ``responseReceived`` event) reports the cached response the 304 refreshed, with
    status 200; the status that came over the wire is in DevTools' ``responseReceivedExtraInfo``.
    """
    context = browser.new_context(base_url=demo)  # no request interception: it would switch the cache off
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        urls: dict[str, str] = {}
        wire_statuses: dict[str, int] = {}
        devtools.on(
            "Network.requestWillBeSent", lambda event: urls.update({event["requestId"]: event["request"]["url"]})
        )
        devtools.on(
            "Network.responseReceivedExtraInfo",
            lambda event: wire_statuses.update({event["requestId"]: event["statusCode"]}),
        )
        first = page.goto("/layers/headers")
        assert first is not None
        assert (first.status, first.headers["etag"]) == (200, '"demo-v1"')
        with page.expect_response(demo + "/layers/headers") as reloaded:
            page.reload()
        assert reloaded.value.request.all_headers().get("if-none-match") == '"demo-v1"'
        assert "the response headers" in page.locator("body").inner_text()  # the cached body is shown again

        def statuses() -> list[int]:
            return [wire_statuses.get(key, 0) for key, url in urls.items() if url == demo + "/layers/headers"]

        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while 0 in statuses() and time.monotonic() < deadline:  # the extra-info event may come a moment later
            page.wait_for_timeout(50)
        assert statuses() == [200, 304]
    finally:
        context.close()


def test_openapi_page_renders_with_local_assets(visit: Visit) -> None:
    assets: list[str] = []
    visit.page.on("response", lambda response: assets.append(response.url) if "/_assets/" in response.url else None)
    response = visit.page.goto("/schema/swagger")
    assert response is not None
    assert response.status == 200
    # Swagger UI rendered the document: its title and the operation list, with a known path.
    visit.page.locator(".information-container .title").get_by_text("outpour demo").wait_for()
    visit.page.locator(".opblock-summary-path[data-path='/json']").first.wait_for()
    assert visit.page.locator(".opblock").count() >= 25
    assert sorted(url.split("?")[0].rsplit("/", 1)[1] for url in assets) == [
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-ui.css",
    ]
    assert visit.blocked == [], f"the OpenAPI page fetched assets from elsewhere: {visit.blocked}"
    assert visit.errors == []


# Each OpenAPI page other than Swagger UI's (above), with its assets served by the demo, and the files it loads.
OPENAPI_PAGES = [
    pytest.param("/schema/redoc", ["redoc.standalone.js"], id="redoc"),
    pytest.param("/schema/scalar", ["standalone.js"], id="scalar"),
    pytest.param("/schema/rapidoc", ["rapidoc-min.js"], id="rapidoc"),
    pytest.param("/schema/elements", ["styles.min.css", "web-components.min.js"], id="stoplight-elements"),
]


@pytest.mark.parametrize(("path", "files"), OPENAPI_PAGES)
def test_openapi_ui_renders_offline(visit: Visit, path: str, files: list[str]) -> None:
    """The page loads only the demo's own assets and lists the operations, by their summaries."""
    assets: list[str] = []
    visit.page.on("response", lambda response: assets.append(response.url) if "/_assets/" in response.url else None)
    response = visit.page.goto(path)
    assert response is not None
    assert response.status == 200
    # The summaries of `GET /json` and `GET /cursor`, as each renderer lists them (RapiDoc and Elements inside shadow
    # roots, which Playwright's text selectors pierce).
    for summary in ("JsonValue", "Cursor"):
        visit.page.get_by_text(summary).filter(visible=True).first.wait_for()
    assert sorted({url.split("?")[0].rsplit("/", 1)[1] for url in assets}) == sorted(files)
    # ReDoc's "API docs by Redocly" badge tries its logo from Redocly's CDN and hides itself when that fails: the
    # only outside request any of these pages makes, and not one the page needs.
    outside = [url for url in visit.blocked if url != "https://cdn.redoc.ly/redoc/logo-mini.svg"]
    assert outside == [], f"{path} fetched from elsewhere: {outside}"
    assert visit.errors == []


REDOC_BADGE = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _html_example_links(visit: Visit) -> list[str]:
    visit.page.goto("/")
    hrefs: list[str] = visit.page.locator("a[data-kind]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    html = []
    for href in hrefs:
        response = visit.page.request.get(href, max_redirects=0)
        if response.headers.get("content-type", "").startswith("text/html"):
            html.append(href)
    return html


def test_every_html_page_of_the_demo_renders(visit: Visit) -> None:
    """Each HTML page linked from the index: something drawn (its screenshot differs from a blank page), body text,
    no script error, no console error, nothing fetched from elsewhere."""
    console_errors: list[str] = []
    visit.page.on(
        "console",
        lambda message: (
            console_errors.append(f"{message.text} at {message.location.get('url')}")
            if message.type == "error" and message.location.get("url") != REDOC_BADGE
            else None
        ),
    )
    pages = _html_example_links(visit)
    assert {"/template", "/sse/page", "/ws/page", "/chat", "/schema/redoc", "/schema/elements"} <= {
        href.split("?")[0] for href in pages
    }
    visit.page.goto("about:blank")
    blank = visit.page.screenshot()
    failures: dict[str, str] = {}
    for href in ["/", *pages]:
        console_errors.clear()
        visit.page.goto(href, wait_until="load")
        visit.page.wait_for_timeout(300)  # let script-drawn pages (the OpenAPI UIs) paint
        if visit.page.screenshot() == blank:
            failures[href] = "blank"
        elif not visit.page.locator("body").inner_text().strip() and "/schema/" not in href:
            failures[href] = "no text"
        elif console_errors:
            failures[href] = f"console: {console_errors}"
    assert failures == {}
    assert [url for url in visit.blocked if url != REDOC_BADGE] == []
    assert visit.errors == []


def test_template_page_is_styled(visit: Visit) -> None:
    visit.page.goto("/template?name=Ada")
    assert visit.page.locator("h1").inner_text() == "Hello, Ada!"
    header = visit.page.locator("header").evaluate("element => getComputedStyle(element).backgroundColor")
    assert header == "rgb(11, 110, 79)"
    assert visit.page.locator("main").evaluate("element => getComputedStyle(element).borderRadius") == "8px"


def test_pagination_page_links_walk_the_pages(visit: Visit) -> None:
    visit.page.goto("/items/classic/page?page_size=10&current_page=1")
    assert visit.page.locator("#previous").count() == 0
    visit.page.locator("#next").click()
    visit.page.wait_for_url("**current_page=2")
    assert visit.page.locator("#items td").first.inner_text() == "11"
    assert visit.page.locator("#summary").inner_text() == "Page 2 of 10, 10 items per page."
    visit.page.locator("#previous").click()
    visit.page.wait_for_url("**current_page=1")
    assert visit.page.locator("#items td").first.inner_text() == "1"
    assert visit.errors == []


def test_websocket_page_echoes_and_streams(visit: Visit) -> None:
    visit.page.goto("/ws/page")
    visit.page.wait_for_function("document.querySelector('#state').textContent === 'connected'")
    visit.page.fill("#message", "hello from chromium")
    visit.page.press("#message", "Enter")
    visit.page.wait_for_function("document.querySelectorAll('#echoes li').length >= 1")
    assert visit.page.locator("#echoes li").first.inner_text().startswith("hello from chromium (")
    visit.page.wait_for_function("document.querySelectorAll('#ticks li').length >= 3")
    ticks = visit.page.locator("#ticks li").all_inner_texts()
    assert [tick.split(" at ")[0] for tick in ticks[:3]] == ["tick 1", "tick 2", "tick 3"]
    assert visit.blocked == []
    assert visit.errors == []


def test_chat_message_appears_live_in_another_page(browser: Browser, demo: str) -> None:
    """Two chat pages open: a message posted in one arrives in both, through the channel and server-sent events."""
    text = f"hello from chromium {time.monotonic_ns()}"  # the channel keeps history: make this message unique
    with visiting(browser, demo) as writer, visiting(browser, demo) as reader:
        for visit in (writer, reader):
            visit.page.goto("/chat")
            visit.page.wait_for_function("document.querySelector('#state').textContent === 'connected'")
        writer.page.fill("#author", "Ada")
        writer.page.fill("#text", text)
        writer.page.press("#text", "Enter")
        for visit in (reader, writer):
            visit.page.locator("#messages li", has_text=text).wait_for()
        arrived = reader.page.locator("#messages li", has_text=text).inner_text()
        assert arrived.startswith(f"Ada: {text} (")
        assert writer.page.locator("#sent").inner_text() == "sent"
        assert writer.page.locator("#text").input_value() == ""
        for visit in (writer, reader):
            assert visit.blocked == []
            assert visit.errors == []


@pytest.fixture(scope="module")
def plain_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``tests/e2e/_openapi_default_app.py`` (a plain ``Outpour([...])``) under uvicorn on 127.0.0.1."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "tests.e2e._openapi_default_app:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with running(command, port, ROOT, env, log_dir=tmp_path_factory.mktemp("plain-server")):
        yield f"http://127.0.0.1:{port}"


@pytest.mark.parametrize(
    ("path", "folder"),
    [
        pytest.param("/schema", "scalar", id="root-scalar"),
        pytest.param("/schema/swagger", "swagger", id="swagger"),
        pytest.param("/schema/redoc", "redoc", id="redoc"),
        pytest.param("/schema/scalar", "scalar", id="scalar"),
        pytest.param("/schema/rapidoc", "rapidoc", id="rapidoc"),
        pytest.param("/schema/elements", "elements", id="stoplight-elements"),
    ],
)
def test_default_openapi_pages_render_offline(browser: Browser, plain_app: str, path: str, folder: str) -> None:
    """A plain app's default pages list its operations with every request but those to the app itself cut off."""
    with visiting(browser, plain_app) as visit:
        assets: list[str] = []
        visit.page.on("response", lambda response: assets.append(response.url) if "/_assets/" in response.url else None)
        response = visit.page.goto(path)
        assert response is not None
        assert response.status == 200
        # The summaries of `GET /widgets` and `POST /widgets`, from the handlers' names, as each page lists them.
        for summary in ("ListWidgets", "CreateWidget"):
            visit.page.get_by_text(summary).filter(visible=True).first.wait_for()
        assert assets
        assert all(url.startswith(f"{plain_app}/schema/_assets/{folder}/") for url in assets), assets
        outside = [url for url in visit.blocked if url != REDOC_BADGE]
        assert outside == [], f"{path} fetched from elsewhere: {outside}"
        assert visit.errors == []
