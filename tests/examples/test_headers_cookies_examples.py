"""The response header, cookie, Cache-Control and ETag docs examples run and behave as the guide documents."""

from __future__ import annotations

import random
from types import ModuleType

import pytest

from docs.examples.datastructures.headers import cache_control, etag, etag_parsing
from docs.examples.responses import (
    response_cookies_1,
    response_cookies_2,
    response_cookies_3,
    response_cookies_4,
    response_cookies_5,
    response_headers_1,
    response_headers_2,
    response_headers_3,
    response_headers_4,
)
from outpour.datastructures import ETag
from outpour.testing import TestClient


def highest(low: int, high: int) -> int:
    """Stand-in for ``randint`` that tells which range a value came from."""
    return high


def set_cookie_lines(module: ModuleType, path: str) -> list[str]:
    with TestClient(module.app) as client:
        response = client.get(path)
    assert response.status_code == 200
    return response.headers.get_list("set-cookie")


# -- headers ------------------------------------------------------------------------------------------------------------


def test_headers_from_all_four_layers() -> None:
    with TestClient(response_headers_1.app) as client:
        response = client.get("/router-path/controller-path/handler-path")
    assert response.status_code == 200
    assert response.text == "hello world"
    layered = [(name, value) for name, value in response.headers.multi_items() if name.endswith("-header")]
    # the guide's dict, in the guide's order: the handler's header first, the app's last
    assert layered == [
        ("my-local-header", "local header"),
        ("controller-level-header", "controller header"),
        ("router-level-header", "router header"),
        ("app-level-header", "app header"),
    ]


@pytest.mark.parametrize(
    ("module", "path", "expected"),
    [
        pytest.param(response_headers_2, "/resources", "100", id="returned-response"),
        pytest.param(response_headers_3, "/router-path/resources", "100", id="router-hook"),
        pytest.param(response_headers_4, "/router-path/resources", "1000", id="handler-range-kept-by-hook"),
        pytest.param(response_headers_4, "/router-path/other-resources", "100", id="router-range"),
    ],
)
def test_dynamic_header(module: ModuleType, path: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "randint", highest)
    with TestClient(module.app) as client:
        response = client.get(path)
    assert response.status_code == 200
    assert response.headers.get_list("random-header") == [expected]
    assert response.json()["name"].endswith("resource")


@pytest.mark.parametrize(
    ("module", "path", "low", "high"),
    [
        pytest.param(response_headers_2, "/resources", 1, 100, id="returned-response"),
        pytest.param(response_headers_3, "/router-path/resources", 1, 100, id="router-hook"),
        pytest.param(response_headers_4, "/router-path/resources", 100, 1000, id="handler"),
    ],
)
def test_dynamic_header_is_random_in_range(module: ModuleType, path: str, low: int, high: int) -> None:
    with TestClient(module.app) as client:
        values = [int(client.get(path).headers["random-header"]) for _ in range(20)]
    assert all(low <= value <= high for value in values)


# -- cookies ------------------------------------------------------------------------------------------------------------


def test_cookies_from_all_four_layers() -> None:
    lines = set_cookie_lines(response_cookies_1, "/router-path/controller-path")
    # the four lines of the guide, in its order: the handler's cookie first, the app's last. The values hold a space,
    # so they are quoted, as `http.cookies` (and so Litestar) renders them; the guide prints them unquoted.
    assert [f"Set-Cookie: {line}" for line in lines] == [
        'Set-Cookie: local-cookie="local value"; Path=/; SameSite=lax',
        'Set-Cookie: controller-cookie="controller value"; Path=/; SameSite=lax',
        'Set-Cookie: router-cookie="router value"; Path=/; SameSite=lax',
        'Set-Cookie: app-cookie="app value"; Path=/; SameSite=lax',
    ]


def test_lower_layer_cookie_overrides() -> None:
    # only the handler's my-cookie, as the guide prints it; the app's cookie follows it
    assert set_cookie_lines(response_cookies_2, "/controller-path") == [
        "my-cookie=456; Path=/; SameSite=lax",
        "theme=dark; Path=/; SameSite=lax",
    ]
    assert set_cookie_lines(response_cookies_2, "/controller-path/inherited") == [
        "my-cookie=123; Path=/; SameSite=lax",
        "theme=dark; Path=/; SameSite=lax",
    ]


@pytest.mark.parametrize(
    ("module", "path", "expected"),
    [
        pytest.param(response_cookies_3, "/resources", "100", id="returned-response"),
        pytest.param(response_cookies_4, "/router-path/resources", "100", id="router-hook"),
        pytest.param(response_cookies_5, "/router-path/resources", "1000", id="handler-range-kept-by-hook"),
        pytest.param(response_cookies_5, "/router-path/other-resources", "100", id="router-range"),
    ],
)
def test_dynamic_cookie(module: ModuleType, path: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "randint", highest)
    # the documentation-only cookie declared on the layer is never sent: one line, the dynamic one
    assert set_cookie_lines(module, path) == [f"Random-Cookie={expected}; Path=/; SameSite=lax"]


def test_dynamic_cookie_is_random_in_range() -> None:
    with TestClient(response_cookies_4.app) as client:
        values = [int(client.get("/router-path/resources").cookies["Random-Cookie"]) for _ in range(20)]
    assert all(1 <= value <= 100 for value in values)


# -- Cache-Control ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("/population", "max-age=2628288, public", id="app"),
        pytest.param("/chance_of_rain", "max-age=86400, public", id="controller"),
        pytest.param("/timestamp", "no-store", id="handler"),
    ],
)
def test_cache_control_closest_layer_wins(path: str, expected: str) -> None:
    with TestClient(cache_control.app) as client:
        response = client.get(path)
    assert response.status_code == 200
    assert response.headers.get_list("cache-control") == [expected]


# -- ETag ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("/population", '"bar"', id="app"),
        pytest.param("/chance_of_rain", '"foo"', id="controller"),
        pytest.param("/timestamp", 'W/"bar"', id="handler"),
    ],
)
def test_etag_closest_layer_wins_and_revalidates(path: str, expected: str) -> None:
    with TestClient(etag.app) as client:
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers.get_list("etag") == [expected]
        revalidated = client.get(path, headers={"if-none-match": expected})
        changed = client.get(path, headers={"if-none-match": '"something-else"'})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == expected
    assert "content-type" not in revalidated.headers
    assert changed.status_code == 200
    assert changed.content == response.content or path == "/timestamp"


def test_dynamic_etag_names_what_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(random, "randint", highest)
    with TestClient(etag.app) as client:
        response = client.get("/population-dynamic")
        revalidated = client.get("/population-dynamic", headers={"if-none-match": 'W/"1000"'})
    assert response.text == "1000"
    # the documentation-only layered ETag is not sent: only the response's own
    assert response.headers.get_list("etag") == ['"1000"']
    assert revalidated.status_code == 304
    assert revalidated.headers["etag"] == '"1000"'


def test_etag_parsing() -> None:
    assert etag_parsing.strong == ETag(value="foo")
    assert etag_parsing.weak == ETag(value="foo", weak=True)
    assert etag_parsing.rendered == ['"foo"', 'W/"foo"']
    assert etag_parsing.candidates == [ETag(value="bar"), ETag(value="foo", weak=True)]
    assert etag_parsing.matches_weakly is True
    assert etag_parsing.matches_strongly is False
