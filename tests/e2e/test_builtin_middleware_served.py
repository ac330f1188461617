"""End to end under uvicorn on 127.0.0.1: CORS from a browser (headless Chromium, two page origins), gzip-compressed
server-sent events arriving as they are yielded, CSRF and allowed hosts over real connections.

Three uvicorn processes: the API, and the same page app on two ports (the allowed origin and a disallowed one).
"""

from __future__ import annotations

import json
import os
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.e2e._serving import free_port, running
from tests.e2e.test_browser import CHROMIUM_ARGS, TIMEOUT_MS, chromium  # noqa: F401 - the session fixture

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]

API = """
import asyncio
import os
import time

from outpour import Outpour, Request, Response, get, post
from outpour.config.compression import CompressionConfig
from outpour.config.cors import CORSConfig
from outpour.config.csrf import CSRFConfig
from outpour.datastructures import Cookie
from outpour.response import ServerSentEvent


@post("/login", status_code=200, exclude_from_csrf=True)
def login() -> Response[str]:
    return Response("in", cookies=[Cookie(key="who", value="ada", samesite="lax")])


@get("/whoami")
def whoami(request: Request) -> dict:
    return {"who": request.cookies.get("who")}


@post("/api/things", exclude_from_csrf=True)
def create_thing() -> str:
    return "created"


@post("/form")
def form() -> str:
    return "accepted"


@get("/events")
async def events() -> ServerSentEvent:
    async def generate():
        for index in range(8):
            await asyncio.sleep(0.1)
            yield f"{index} {time.time()}"

    return ServerSentEvent(generate())


app = Outpour(
    [login, whoami, create_thing, form, events],
    cors_config=CORSConfig(allow_origins=[os.environ["ALLOWED_ORIGIN"]], allow_credentials=True),
    csrf_config=CSRFConfig(secret="e2e-secret"),
    compression_config=CompressionConfig(backend="gzip", minimum_size=1),
    allowed_hosts=["127.0.0.1", "localhost"],
)
"""

PAGES = """
from outpour import Outpour, get
from outpour.response import Response


@get("/")
def index() -> Response[str]:
    return Response("<!doctype html><title>page</title><p>page</p>", media_type="text/html")


app = Outpour([index])
"""


def _uvicorn(module: str, port: int) -> list[str]:
    command = [sys.executable, "-m", "uvicorn", f"{module}:app", "--host", "127.0.0.1", "--port", str(port)]
    return [*command, "--no-access-log", "--log-level", "warning"]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """The API, the allowed page origin and the disallowed one, as base URLs."""
    directory = tmp_path_factory.mktemp("e2e-builtin-middleware")
    (directory / "mw_api.py").write_text(API)
    (directory / "mw_pages.py").write_text(PAGES)
    api_port, allowed_port, other_port = free_port(), free_port(), free_port()
    allowed, other = f"http://127.0.0.1:{allowed_port}", f"http://127.0.0.1:{other_port}"
    env = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(directory), str(ROOT), os.environ.get("PYTHONPATH")])),
        "ALLOWED_ORIGIN": allowed,
    }
    with (
        running(_uvicorn("mw_api", api_port), api_port, cwd=directory, env=env),
        running(_uvicorn("mw_pages", allowed_port), allowed_port, cwd=directory, env=env),
        running(_uvicorn("mw_pages", other_port), other_port, cwd=directory, env=env),
    ):
        yield f"http://127.0.0.1:{api_port}", allowed, other


def test_sse_events_arrive_gzipped_as_they_are_yielded(servers: tuple[str, str, str]) -> None:
    """Each event is flushed by the compressor: it reaches the client within 50 ms of being yielded."""
    api = servers[0]
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    text, delays = "", []
    with httpx.stream("GET", f"{api}/events", headers={"accept-encoding": "gzip"}, timeout=10) as response:
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["vary"] == "Accept-Encoding, Origin"
        for raw in response.iter_raw():
            arrived = time.time()
            text += decoder.decompress(raw).decode()
            while "\r\n\r\n" in text:
                event, text = text.split("\r\n\r\n", 1)
                yielded = float(event.removeprefix("data: ").split()[1])
                delays.append(arrived - yielded)
    assert len(delays) == 8
    assert max(delays) < 0.05, delays


def test_csrf_and_allowed_hosts_over_a_real_connection(servers: tuple[str, str, str]) -> None:
    api = servers[0]
    with httpx.Client(base_url=api, timeout=10) as client:
        assert client.get("/whoami").status_code == 200
        token = client.cookies["csrftoken"]
        refused = client.post("/form")
        accepted = client.post("/form", headers={"x-csrftoken": token})
        exempt = client.post("/api/things")
        bad_host = client.get("/whoami", headers={"host": "evil.test"})
    assert (refused.status_code, "CSRF token verification failed" in refused.text) == (403, True)
    assert (accepted.status_code, accepted.text) == (201, "accepted")
    assert exempt.status_code == 201
    assert bad_host.status_code == 400


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:  # noqa: F811 - the session fixture above
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield launched
        finally:
            launched.close()


FETCH = """async (api) => {
    try {
        const login = await fetch(api + "/api/things", {
            method: "POST", credentials: "include", headers: {"X-Requested-With": "fetch"},
        });
        await fetch(api + "/login", {method: "POST", credentials: "include"}).catch(() => null);
        const who = await fetch(api + "/whoami", {credentials: "include"});
        return {ok: true, created: await login.text(), who: await who.json()};
    } catch (error) {
        return {ok: false, error: String(error)};
    }
}"""


def test_browser_cross_origin_fetch_with_credentials(browser: Browser, servers: tuple[str, str, str]) -> None:
    """From the allowed origin a credentialed, preflighted fetch succeeds; from another origin the browser blocks it."""
    api, allowed, other = servers
    results = {}
    for name, origin in (("allowed", allowed), ("other", other)):
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            page.goto(origin + "/")
            results[name] = page.evaluate(FETCH, api)
        finally:
            context.close()
    assert results["allowed"] == {"ok": True, "created": "created", "who": {"who": "ada"}}, json.dumps(results)
    assert results["other"]["ok"] is False
    assert "Failed to fetch" in results["other"]["error"]
