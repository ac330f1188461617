"""How invalid parameters, bodies and injected values are reported, as Litestar 3.0 reports them.

Every test builds its app on the specialised request paths and on the general one (``OUTPOUR_GENERAL_PATH=1``).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Annotated, Any

import pytest

from outpour import get, post
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.params import CookieParameter, Dependency, HeaderParameter, QueryParameter
from outpour.testing import create_test_client


@pytest.fixture(autouse=True, params=[pytest.param(False, id="fast"), pytest.param(True, id="general")])
def general(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Build each app on the specialised paths, then on the general path."""
    if request.param:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")
    else:
        monkeypatch.delenv("OUTPOUR_GENERAL_PATH", raising=False)
    return bool(request.param)


@dataclasses.dataclass
class Line:
    sku: str
    quantity: int


@dataclasses.dataclass
class Order:
    line: Line
    note: str


def test_body_and_parameter_errors_are_reported_together_in_signature_order() -> None:
    @post("/orders")
    async def create(
        data: Order,
        page: int,
        limit: Annotated[int, QueryParameter(name="max", ge=1)],
        token: Annotated[int, HeaderParameter(name="X-Token")],
        session: Annotated[int, CookieParameter(name="sid")],
    ) -> None:
        return None

    with create_test_client([create]) as client:
        client.cookies.set("sid", "abc")
        response = client.post(
            "/orders",
            json={"line": {"sku": "a", "quantity": "two"}, "note": "n"},
            params={"page": "one", "max": "0"},
            headers={"X-Token": "t"},
        )
    assert response.status_code == 400
    assert response.json()["extra"] == [
        {"message": "Expected `int`, got `str`", "key": "line.quantity", "source": "body"},
        {"message": "Expected `int`, got `str`", "key": "page", "source": "query"},
        {"message": "Expected `int` >= 1", "key": "limit", "source": "query"},
        {"message": "Expected `int`, got `str`", "key": "token", "source": "header"},
        {"message": "Expected `int`, got `str`", "key": "session", "source": "cookie"},
    ]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        pytest.param("max=x", {"message": "Expected `int`, got `str`", "key": "limit", "source": "query"}, id="bad"),
        pytest.param("", None, id="missing"),
    ],
)
def test_an_aliased_parameter_is_named_in_errors_as_declared_and_missing_as_sent(
    query: str, error: dict[str, Any] | None
) -> None:
    @get("/items")
    async def items(limit: Annotated[int, QueryParameter(name="max")]) -> int:
        return limit

    with create_test_client([items]) as client:
        response = client.get(f"/items?{query}")
    assert response.status_code == 400
    if error is None:
        assert response.json()["detail"] == "Missing required query parameter 'max' for path /items"
    else:
        assert response.json()["extra"] == [error]


def test_a_body_error_names_the_path_in_the_key_not_in_the_message() -> None:
    @post("/lines")
    async def create(data: list[Line]) -> None:
        return None

    with create_test_client([create]) as client:
        response = client.post("/lines", json=[{"sku": "a", "quantity": 1}, {"sku": 2, "quantity": 1}])
    assert response.json()["extra"] == [{"message": "Expected `str`, got `int`", "key": "[1].sku", "source": "body"}]


def test_a_client_error_takes_precedence_over_a_dependency_of_the_wrong_type(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @get("/", dependencies={"count": Provide(lambda: "three", sync_to_thread=False)})
    async def handler(count: int, page: int) -> int:
        return count + page

    with create_test_client([handler]) as client, caplog.at_level(logging.ERROR, logger="outpour"):
        bad_request = client.get("/?page=x")
        bad_dependency = client.get("/?page=1")
    assert (bad_request.status_code, bad_request.json()["extra"]) == (
        400,
        [{"message": "Expected `int`, got `str`", "key": "page", "source": "query"}],
    )
    assert bad_dependency.status_code == 500
    assert "Expected `int`, got `str` - at `$.count`" in caplog.text


@pytest.mark.parametrize(
    "annotation",
    [
        pytest.param(Annotated[int, Dependency(skip_validation=True)], id="annotated"),
        pytest.param(int, id="default"),
    ],
)
def test_dependency_skip_validation_passes_the_value_unchecked(annotation: Any) -> None:
    if annotation is int:

        @get("/", dependencies={"value": Provide(lambda: "text", sync_to_thread=False)})
        async def handler(value: int = Dependency(skip_validation=True)) -> dict[str, Any]:
            return {"value": value}

    else:

        @get("/", dependencies={"value": Provide(lambda: "text", sync_to_thread=False)})
        async def handler(value: annotation) -> dict[str, Any]:
            return {"value": value}

    with create_test_client([handler]) as client:
        response = client.get("/")
    assert (response.status_code, response.json()) == (200, {"value": "text"})


def test_a_dependency_marked_without_skip_validation_is_still_checked() -> None:
    @get("/", dependencies={"value": Provide(lambda: "text", sync_to_thread=False)})
    async def handler(value: int = Dependency()) -> int:
        return value

    with create_test_client([handler]) as client:
        assert client.get("/").status_code == 500


async def _dict_data(data: dict[str, str]) -> dict[str, str]:
    return data


def test_data_of_two_types_names_both_types_sorted() -> None:
    @post("/", dependencies={"other": Provide(_dict_data)})
    async def handler(data: list[str], other: dict[str, str]) -> None:
        return None

    with pytest.raises(
        ImproperlyConfiguredException,
        match=r"'data' fields have mismatched types: 'dict\[str, str\]' <> 'list\[str\]'",
    ):
        create_test_client([handler])
