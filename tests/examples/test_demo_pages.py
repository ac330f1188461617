"""The demo's HTML pages: the styled template page and the pagination pages with previous / next links."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from examples.demo.app import app
from outpour import Outpour
from outpour.testing import TestClient


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Outpour]]:
    with TestClient(app=app) as test_client:
        yield test_client


def links(html: str) -> dict[str, str]:
    return {
        match[0]: match[1].replace("&amp;", "&") for match in re.findall(r'id="(previous|next)" href="([^"]+)"', html)
    }


def ids(html: str) -> list[int]:
    return [int(value) for value in re.findall(r"<tr><td>(\d+)</td>", html)]


def test_template_page_is_styled_and_escaped(client: TestClient[Outpour]) -> None:
    response = client.get("/template", params={"name": "<b>Ada</b>"})
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<style>" in response.text
    assert '<header><a href="/">outpour demo</a></header>' in response.text
    assert "Hello, &lt;b&gt;Ada&lt;/b&gt;!" in response.text


@pytest.mark.parametrize(
    ("url", "rows", "expected_links", "summary"),
    [
        pytest.param(
            "/items/classic/page?page_size=10&current_page=1",
            (1, 10),
            {"next": "/items/classic/page?page_size=10&current_page=2"},
            "Page 1 of 10, 10 items per page.",
            id="classic-first",
        ),
        pytest.param(
            "/items/classic/page?page_size=10&current_page=5",
            (41, 50),
            {
                "previous": "/items/classic/page?page_size=10&current_page=4",
                "next": "/items/classic/page?page_size=10&current_page=6",
            },
            "Page 5 of 10, 10 items per page.",
            id="classic-middle",
        ),
        pytest.param(
            "/items/classic/page?page_size=10&current_page=10",
            (91, 95),
            {"previous": "/items/classic/page?page_size=10&current_page=9"},
            "Page 10 of 10, 10 items per page.",
            id="classic-last",
        ),
        pytest.param(
            "/items/offset/page?limit=5&offset=3",
            (4, 8),
            {"previous": "/items/offset/page?limit=5&offset=0", "next": "/items/offset/page?limit=5&offset=8"},
            "Items 4 to 8 of 95.",
            id="offset",
        ),
        pytest.param(
            "/items/offset/page?limit=5&offset=90",
            (91, 95),
            {"previous": "/items/offset/page?limit=5&offset=85"},
            "Items 91 to 95 of 95.",
            id="offset-last",
        ),
        pytest.param(
            "/items/cursor/page?results_per_page=10",
            (1, 10),
            {"next": "/items/cursor/page?results_per_page=10&cursor=10"},
            "10 items after id 0; the next cursor is 10.",
            id="cursor-first",
        ),
        pytest.param(
            "/items/cursor/page?results_per_page=10&cursor=90",
            (91, 95),
            {"previous": "/items/cursor/page?results_per_page=10&cursor=80"},
            "5 items after id 90; the next cursor is None.",
            id="cursor-last",
        ),
    ],
)
def test_pagination_pages(
    client: TestClient[Outpour], url: str, rows: tuple[int, int], expected_links: dict[str, str], summary: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    found = ids(response.text)
    assert (found[0], found[-1], len(found)) == (rows[0], rows[1], rows[1] - rows[0] + 1)
    assert links(response.text) == expected_links
    assert summary in response.text


def test_following_next_walks_every_row(client: TestClient[Outpour]) -> None:
    """From the first cursor page, the next links reach every row once, and stop."""
    url: str | None = "/items/cursor/page?results_per_page=20"
    seen: list[int] = []
    while url is not None:
        html = client.get(url).text
        seen += ids(html)
        url = links(html).get("next")
    assert seen == list(range(1, 96))


def test_pagination_page_refuses_bad_input(client: TestClient[Outpour]) -> None:
    response = client.get("/items/classic/page", params={"current_page": 0})
    assert response.status_code == 400
    assert "current_page" in response.text
