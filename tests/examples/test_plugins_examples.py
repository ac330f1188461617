"""The plugin docs examples under docs/examples/plugins/ run and behave as documented."""

from __future__ import annotations

from types import ModuleType

import pytest

from docs.examples.plugins.flash_messages import jinja, mako, minijinja, usage
from docs.examples.plugins.htmx import responses as htmx_responses
from docs.examples.plugins.htmx import usage as htmx_usage
from docs.examples.plugins.problem_details import basic_usage, convert_exceptions, convert_http_exceptions
from outpour.testing import TestClient


def test_problem_details_basic_usage() -> None:
    with TestClient(basic_usage.app) as client:
        refused = client.post("/purchase", json={"item_id": 1234, "quantity": 2})
        bought = client.post("/purchase", json={"item_id": 1234, "quantity": 1})
    assert (refused.status_code, refused.headers["content-type"]) == (403, "application/problem+json")
    assert refused.json() == {
        "type": "https://example.com/probs/out-of-credit",
        "status": 403,
        "title": "You do not have enough credit.",
        "instance": "/account/12345/msgs/abc",
        "detail": "Your current balance is 30, but that costs 50.",
        "balance": 30,
    }
    assert (bought.status_code, bought.json()) == (201, {"balance": 5})


def test_problem_details_convert_http_exceptions() -> None:
    with TestClient(convert_http_exceptions.app) as client:
        missing = client.get("/items/2")
        found = client.get("/items/1")
    assert (missing.status_code, missing.headers["content-type"]) == (404, "application/problem+json")
    assert missing.json() == {
        "type": "about:blank",
        "status": 404,
        "detail": "No item with the given ID was found",
        "item_id": 2,
    }
    assert found.json() == {"name": "kettle"}


def test_problem_details_convert_exceptions() -> None:
    with TestClient(convert_exceptions.app) as client:
        refused = client.post("/purchase", json={"item_id": 1234, "quantity": 2})
        malformed = client.post("/purchase", json={"item_id": "x"})
    assert (refused.status_code, refused.json()["instance"]) == (403, "/account/12345/msgs/abc")
    assert refused.json()["balance"] == 30
    assert (malformed.status_code, malformed.headers["content-type"]) == (400, "application/problem+json")


@pytest.mark.parametrize(
    "module",
    [pytest.param(jinja, id="jinja"), pytest.param(mako, id="mako"), pytest.param(minijinja, id="minijinja")],
)
def test_flash_messages_engines(module: ModuleType) -> None:
    with TestClient(module.app) as client:
        page = client.get("/")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text.strip() == '<ul><li class="info">Welcome back!</li></ul>'


def test_flash_messages_usage() -> None:
    with TestClient(usage.app) as client:
        saved = client.post("/profile", json={"name": "Ann"})
        refused = client.post("/profile", json={})
        plain = client.get("/")
    assert (saved.status_code, saved.url.path) == (200, "/")
    assert '<p class="success">Saved, Ann!</p>' in saved.text
    assert '<p class="error">A name is required.</p>' in refused.text
    assert "<p" not in plain.text


def test_htmx_usage() -> None:
    with TestClient(htmx_usage.app) as client:
        page = client.get("/contacts", params={"q": "gr"})
        rows = client.get("/contacts", params={"q": "a"}, headers={"HX-Request": "true"})
    assert "<!doctype html>" in page.text
    assert '<tbody id="rows"><tr><td>Grace Hopper</td></tr></tbody>' in page.text
    assert "hx-push-url" not in page.headers
    assert rows.text.count("<tr>") == 4
    assert "<html>" not in rows.text
    assert rows.headers["hx-push-url"] == "/contacts?q=a"


def test_htmx_responses() -> None:
    htmx_responses.JOB.progress = 0
    with TestClient(htmx_responses.app) as client:
        refused = client.post("/items", json={"name": " "})
        added = client.post("/items", json={"name": "Tea"})
        polls = [client.get("/progress") for _ in range(2)]
        logout = client.post("/logout")
    assert (refused.headers["hx-retarget"], refused.text) == (
        "#form-errors",
        "<p class='error'>A name is required.</p>",
    )
    assert (added.headers["hx-trigger-after-settle"], added.text) == ('{"itemAdded":{"name":"Tea"}}', "<li>Tea</li>")
    assert [(poll.status_code, poll.text) for poll in polls] == [(200, "50%"), (286, "")]
    assert (logout.status_code, logout.headers["hx-redirect"], logout.text) == (200, "/login", "")
