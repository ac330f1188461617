"""Hostile input never reaches a 500: arbitrary paths, query strings and path templates, under Hypothesis."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outpour import Outpour, get
from outpour._plan import parse_query
from outpour._routing import parse_template
from outpour.exceptions import ClientException, ImproperlyConfiguredException
from outpour.testing import TestClient


@get("/items/{item_id:int}")
async def item(item_id: int, limit: int = 10, tags: list[str] | None = None) -> dict[str, Any]:
    return {"id": item_id, "limit": limit, "tags": tags}


@get("/files/{rest:path}")
async def files(rest: str) -> str:
    return rest


@get("/users/{user_id:uuid}/posts/{day:date}")
async def posts(user_id: Any, day: Any) -> str:
    return "ok"


APP = Outpour(route_handlers=[item, files, posts])


async def _call(path: str, query_string: bytes) -> int:
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query_string,
        "headers": [],
        "root_path": "",
    }
    await APP(scope, receive, send)
    assert messages[0]["type"] == "http.response.start"
    status: int = messages[0]["status"]
    return status


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(["/items/", "/files/", "/users/", "/", "/items/1/", ""]),
    rest=st.text(max_size=40),
    query=st.binary(max_size=60),
)
def test_any_path_and_query_is_never_a_server_error(prefix: str, rest: str, query: bytes) -> None:
    import anyio

    path = "/" + (prefix + rest).lstrip("/")
    status = anyio.run(_call, path, query)
    assert status in (200, 400, 404, 405), (path, query, status)


@given(st.dictionaries(st.text(max_size=10), st.lists(st.text(max_size=10), min_size=1, max_size=3), max_size=5))
def test_query_round_trip(values: dict[str, list[str]]) -> None:
    encoded = urlencode([(k, v) for k, vs in values.items() for v in vs]).encode()
    assert parse_query(encoded) == values


@given(st.binary(max_size=80))
def test_query_parser_raises_only_client_errors(raw: bytes) -> None:
    with contextlib.suppress(ClientException):
        parse_query(raw)


@given(st.text(max_size=60))
def test_path_templates_parse_or_raise_configuration_errors(text: str) -> None:
    try:
        template = parse_template("/" + text.strip("/"))
    except ImproperlyConfiguredException:
        return
    assert template.path.startswith("/")


def test_examples_through_the_client() -> None:
    with TestClient(APP) as client:
        assert client.get("/items/5?limit=3&tags=a").json() == {"id": 5, "limit": 3, "tags": ["a"]}
        assert client.get("/items/%FF").status_code == 404  # not an `int`: no route has that path
        assert client.get("/files/a%2Fb/c").status_code == 200
