"""Debug mode's error page: HTML for a browser (escaped, with source and request), plain text for other clients."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outpour import Request, Response, get
from outpour._debug_page import accepts_html
from outpour.exceptions import NotFoundException, ServiceUnavailableException
from outpour.exceptions.responses import create_debug_response
from outpour.testing import create_test_client

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HOSTILE = "<script>alert('x')</script> & \"quotes\""


@get("/boom")
async def boom() -> None:
    raise RuntimeError(HOSTILE)


def _lookup(table: dict[str, int], key: str) -> int:
    return table[key]


@get("/chained")
async def chained() -> None:
    try:
        _lookup({}, "missing")
    except KeyError as exc:
        raise ValueError("the price list has no `missing`") from exc


@get("/during")
async def during() -> None:
    try:
        _lookup({}, "gone")
    except KeyError:
        raise LookupError("while reporting")  # noqa: B904 - the implicit context is what the page shows


@get("/unavailable")
async def unavailable() -> None:
    raise ServiceUnavailableException("pool exhausted", headers={"retry-after": "5"})


@get("/missing")
async def missing() -> None:
    raise NotFoundException("no such item")


def test_browser_gets_an_html_page() -> None:
    with create_test_client([boom], debug=True) as client:
        response = client.get("/boom?q=<i>x</i>", headers={"accept": BROWSER_ACCEPT, "x-note": "<b>note</b>"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>500 RuntimeError</title>" in page
    # the message, the failing source line and the request, each escaped
    assert html.escape(HOSTILE) in page
    assert "<script>" not in page
    assert "raise RuntimeError(HOSTILE)" in page
    assert re.search(r'<span class="current">\s*25\s+raise RuntimeError\(HOSTILE\)</span>', page)
    assert f"{__file__}, line" in page
    assert "in boom" in page
    assert "<th>Method</th><td>GET</td>" in page
    assert "<th>Path</th><td>/boom</td>" in page
    assert "<th>Query</th><td>q=%3Ci%3Ex%3C/i%3E</td>" in page
    assert "<th>Header x-note</th><td>&lt;b&gt;note&lt;/b&gt;</td>" in page


@pytest.mark.parametrize(
    "accept",
    [
        pytest.param(None, id="no-accept"),
        pytest.param("*/*", id="anything"),
        pytest.param("application/json", id="json"),
        pytest.param("text/html;q=0", id="html-refused"),
        pytest.param("text/html;q=bad", id="bad-quality"),
        pytest.param("text/plain, text/*", id="plain"),
    ],
)
def test_other_clients_get_plain_text(accept: str | None) -> None:
    headers = {"accept": accept} if accept is not None else {}
    with create_test_client([boom], debug=True) as client:
        response = client.get("/boom", headers=headers)
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("Traceback (most recent call last):")
    assert HOSTILE in response.text


@pytest.mark.parametrize("accept", [pytest.param(BROWSER_ACCEPT, id="browser"), pytest.param("*/*", id="other")])
def test_nothing_leaks_outside_debug(accept: str) -> None:
    with create_test_client([boom], debug=False) as client:
        response = client.get("/boom", headers={"accept": accept})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}


def test_a_client_error_is_json_even_for_a_browser_in_debug() -> None:
    with create_test_client([missing], debug=True) as client:
        response = client.get("/missing", headers={"accept": BROWSER_ACCEPT})
    assert response.status_code == 404
    assert response.json() == {"status_code": 404, "detail": "no such item"}


def test_the_page_keeps_the_status_and_headers_of_an_http_exception() -> None:
    with create_test_client([unavailable], debug=True) as client:
        response = client.get("/unavailable", headers={"accept": "text/html"})
    assert (response.status_code, response.headers["retry-after"]) == (503, "5")
    assert "<title>503 ServiceUnavailableException</title>" in response.text
    assert "pool exhausted" in response.text


def test_a_head_request_gets_no_body() -> None:
    @get("/boom-head", sync_to_thread=False)
    def boom_head() -> None:
        raise RuntimeError("no body for HEAD")

    with create_test_client([boom_head], debug=True) as client:
        response = client.head("/boom-head", headers={"accept": "text/html"})
    assert (response.status_code, response.headers["content-type"], response.content) == (
        500,
        "text/html; charset=utf-8",
        b"",
    )


@pytest.mark.parametrize(
    ("path", "link", "first", "second"),
    [
        pytest.param(
            "/chained",
            "The exception above was the direct cause of the following:",
            "ValueError: the price list has no `missing`",
            "KeyError: &#x27;missing&#x27;",
            id="cause",
        ),
        pytest.param(
            "/during",
            "While handling the exception above, another happened:",
            "LookupError: while reporting",
            "KeyError: &#x27;gone&#x27;",
            id="context",
        ),
    ],
)
def test_the_page_shows_the_whole_chain(path: str, link: str, first: str, second: str) -> None:
    with create_test_client([chained, during], debug=True) as client:
        page = client.get(path, headers={"accept": "text/html"}).text
    assert page.index(f"<h2>{first}</h2>") < page.index(link) < page.index(f"<h2>{second}</h2>")
    assert "in _lookup" in page


def test_a_frame_without_source_shows_its_location() -> None:
    namespace: dict[str, Any] = {}
    exec(compile("def explode():\n    raise OSError('disk full')\n", "<generated>", "exec"), namespace)

    @get("/generated", sync_to_thread=False)
    def generated() -> None:
        namespace["explode"]()

    with create_test_client([generated], debug=True) as client:
        page = client.get("/generated", headers={"accept": "text/html"}).text
    assert "<h3>&lt;generated&gt;, line 2, in explode</h3><pre></pre>" in page
    assert "OSError: disk full" in page


def test_create_debug_response_is_the_page_for_a_browser() -> None:
    def handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        return create_debug_response(request, exc)

    with create_test_client([boom], debug=True, exception_handlers={RuntimeError: handler}) as client:
        page = client.get("/boom", headers={"accept": BROWSER_ACCEPT})
        text = client.get("/boom")
    assert (page.status_code, page.headers["content-type"]) == (500, "text/html; charset=utf-8")
    assert html.escape(HOSTILE) in page.text
    assert text.headers["content-type"] == "text/plain; charset=utf-8"


@given(st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=60))
def test_any_accept_header_is_read_without_error(value: str) -> None:
    scope: Any = {"headers": [(b"accept", value.encode("latin-1"))]}
    expected = any(
        part.split(";")[0].strip().lower() in {"text/html", "application/xhtml+xml"} for part in value.split(",")
    )
    assert accepts_html(scope) in ({False} if not expected else {True, False})


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        pytest.param("TEXT/HTML", True, id="case"),
        pytest.param("application/xhtml+xml;q=0.5", True, id="xhtml"),
        pytest.param("text/html; charset=utf-8; q=0.1", True, id="params"),
        pytest.param("text/html;q=0.0", False, id="zero"),
        pytest.param("text/htmlx", False, id="other-type"),
    ],
)
def test_accepts_html(accept: str, expected: bool) -> None:
    scope: Any = {"headers": [(b"user-agent", b"x"), (b"accept", accept.encode())]}
    assert accepts_html(scope) is expected
