"""The templating and pagination docs examples under docs/examples/ run and behave as documented."""

from __future__ import annotations

from types import ModuleType

import pytest

from docs.examples.pagination import using_classic_pagination, using_cursor_pagination, using_offset_pagination
from docs.examples.templating import (
    engine_instance,
    returning_templates_jinja,
    returning_templates_mako,
    returning_templates_minijinja,
    template_functions,
)
from outpour.testing import TestClient


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(returning_templates_jinja, id="jinja"),
        pytest.param(returning_templates_mako, id="mako"),
        pytest.param(returning_templates_minijinja, id="minijinja"),
    ],
)
def test_returning_templates(module: ModuleType) -> None:
    with TestClient(module.app) as client:
        page = client.get("/hello/Ann")
        inline = client.get("/inline/<script>")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Hello, Ann!</h1>" in page.text
    assert "/hello/Ann" in page.text.replace("&#x2f;", "/")
    assert 'href="/"' in page.text.replace("&#x2f;", "/")
    assert inline.text == "<strong>&lt;script&gt;</strong>"


def test_template_functions() -> None:
    with TestClient(template_functions.app) as client:
        visits = client.get("/visits")
        report = client.get("/report/Q3")
    assert visits.text.strip() == "<p>Visits so far: 7. Shout: WELCOME from /visits</p>"
    assert (report.headers["content-type"], report.text.strip()) == (
        "text/plain; charset=utf-8",
        "Report for Q3: 3 item(s).",
    )


def test_engine_instance() -> None:
    with TestClient(engine_instance.app) as client:
        assert client.get("/Ann").text == "<p>Bonjour, Ann!</p>"


def test_pagination_examples() -> None:
    with TestClient(using_classic_pagination.app) as client:
        classic = client.get("/people?page_size=20&current_page=3").json()
    with TestClient(using_offset_pagination.app) as client:
        offset = client.get("/people?limit=10&offset=39").json()
    with TestClient(using_cursor_pagination.app) as client:
        first = client.get("/people?results_per_page=20").json()
        last = client.get(f"/people?results_per_page=40&cursor={first['cursor']}").json()
    assert (len(classic["items"]), classic["total_pages"]) == (7, 3)
    assert [p["id"] for p in offset["items"]][::9] == ["p040", "p049"]
    assert offset["total"] == 50
    assert (first["cursor"], len(last["items"]), last["cursor"]) == ("p020", 30, None)
