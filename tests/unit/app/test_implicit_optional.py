"""Litestar 3.0 dropped the implicit ``None`` default of optional parameters: only a default makes one optional."""

from __future__ import annotations

from typing import Annotated, Optional

import pytest

from outpour import get
from outpour.params import CookieParameter, FromHeader, Parameter, QueryParameter
from outpour.testing import create_test_client


@get("/query", sync_to_thread=False)
def query(value: int | None) -> dict[str, int | None]:
    return {"value": value}


@get("/typing-optional", sync_to_thread=False)
def typing_optional(value: Optional[int]) -> dict[str, int | None]:  # noqa: UP045 - the older spelling too
    return {"value": value}


@get("/header", sync_to_thread=False)
def header(value: FromHeader[str | None]) -> dict[str, str | None]:
    return {"value": value}


@get("/cookie", sync_to_thread=False)
def cookie(value: Annotated[str | None, CookieParameter(name="v")]) -> dict[str, str | None]:
    return {"value": value}


@get("/defaulted", sync_to_thread=False)
def defaulted(value: int | None = None) -> dict[str, int | None]:
    return {"value": value}


@get("/not-required", sync_to_thread=False)
def not_required(value: Annotated[int | None, QueryParameter(required=False)]) -> dict[str, int | None]:
    return {"value": value}


@get("/kwarg-and-default", sync_to_thread=False)
def kwarg_and_default(value: Annotated[int | None, Parameter(query="value")] = None) -> dict[str, int | None]:
    return {"value": value}


HANDLERS = [query, typing_optional, header, cookie, defaulted, not_required, kwarg_and_default]


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        pytest.param("/query", "Missing required query parameter 'value' for path /query", id="query"),
        pytest.param(
            "/typing-optional", "Missing required query parameter 'value' for path /typing-optional", id="optional"
        ),
        pytest.param("/header", "Missing required header parameter 'value' for path /header", id="header"),
        pytest.param("/cookie", "Missing required cookie parameter 'v' for path /cookie", id="cookie"),
    ],
)
@pytest.mark.parametrize("general_path", [False, True], ids=["plan", "general"])
def test_an_optional_type_without_default_is_still_required(
    path: str, detail: str, general_path: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if general_path:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
    with create_test_client(HANDLERS) as client:
        response = client.get(path)
    assert (response.status_code, response.json()["detail"]) == (400, detail)


@pytest.mark.parametrize("path", ["/defaulted", "/not-required", "/kwarg-and-default"])
def test_a_default_or_required_false_makes_it_optional(path: str) -> None:
    with create_test_client(HANDLERS) as client:
        assert client.get(path).json() == {"value": None}
        assert client.get(path, params={"value": "3"}).json() == {"value": 3}


def test_a_given_value_is_converted() -> None:
    with create_test_client(HANDLERS) as client:
        assert client.get("/query", params={"value": "7"}).json() == {"value": 7}
        assert client.get("/header", headers={"value": "h"}).json() == {"value": "h"}
        assert client.get("/cookie", headers={"cookie": "v=c"}).json() == {"value": "c"}
