"""Layered ``parameters={...}`` on the app, routers, controllers and handlers, and constraints given to ``Body(...)``."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from openapi_spec_validator import validate

from outpour import Controller, Outpour, Router, get, post
from outpour.config import AppConfig
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.openapi import OpenAPIConfig, get_openapi_schema
from outpour.params import Body, FromQuery, Parameter
from outpour.testing import TestClient, create_test_client

# -- the layered example: a cookie from the app, a header from a router, a query parameter from a controller ----------


class LayeredController(Controller):
    path = "/controller"
    parameters = {"controller_param": Parameter(int, lt=100)}  # noqa: RUF012

    @get("/{path_param:int}")
    def my_handler(
        self,
        path_param: int,
        local_param: str,
        router_param: str,
        controller_param: int = Parameter(int, lt=50),
    ) -> dict[str, Any]:
        return {
            "path_param": path_param,
            "local_param": local_param,
            "router_param": router_param,
            "controller_param": controller_param,
        }

    @get("/unused")
    async def unused(self) -> str:
        return "ok"


def layered_app() -> Outpour:
    router = Router(
        path="/router",
        route_handlers=[LayeredController],
        parameters={"router_param": Parameter(str, header="MyHeader", required=False)},
    )
    return Outpour(
        route_handlers=[router],
        parameters={"app_param": Parameter(str, cookie="special-cookie", min_length=3)},
        openapi_config=OpenAPIConfig(title="t", version="1"),
    )


GOOD_QUERY = {"local_param": "a", "controller_param": "10"}
GOOD_HEADERS = {"MyHeader": "x"}
GOOD_COOKIE = "special-cookie=cookie"
CTL = {"controller_param": "10"}


@pytest.mark.parametrize(
    ("path", "query", "headers", "cookie", "status", "expected"),
    [
        pytest.param(
            "/router/controller/1",
            GOOD_QUERY,
            GOOD_HEADERS,
            GOOD_COOKIE,
            200,
            {"path_param": 1, "local_param": "a", "router_param": "x", "controller_param": 10},
            id="all-layers",
        ),
        pytest.param(
            "/router/controller/1",
            {"local_param": "a", "controller_param": "60"},
            GOOD_HEADERS,
            GOOD_COOKIE,
            400,
            "controller_param",
            id="handler-overrides-controller-constraint",
        ),
        pytest.param(
            "/router/controller/1",
            {"local_param": "a", "controller_param": "x"},
            GOOD_HEADERS,
            GOOD_COOKIE,
            400,
            "controller_param",
            id="query-type",
        ),
        pytest.param("/router/controller/1", GOOD_QUERY, {}, GOOD_COOKIE, 400, "myheader", id="missing-router-header"),
        pytest.param("/router/controller/1", GOOD_QUERY, GOOD_HEADERS, "", 400, "special-cookie", id="missing-cookie"),
        pytest.param(
            "/router/controller/1",
            GOOD_QUERY,
            GOOD_HEADERS,
            "special-cookie=ab",
            400,
            "special-cookie",
            id="cookie-constraint",
        ),
        pytest.param("/router/controller/unused", CTL, {}, GOOD_COOKIE, 200, "ok", id="unread-header-optional"),
        pytest.param(
            "/router/controller/unused", {}, {}, GOOD_COOKIE, 400, "controller_param", id="unread-query-required"
        ),
        pytest.param("/router/controller/unused", CTL, {}, "", 400, "special-cookie", id="unread-cookie-required"),
        pytest.param(
            "/router/controller/unused",
            {"controller_param": "150"},
            {},
            GOOD_COOKIE,
            400,
            "controller_param",
            id="unread-controller-constraint",
        ),
        pytest.param(
            "/router/controller/unused",
            CTL,
            {},
            "special-cookie=ab",
            400,
            "special-cookie",
            id="unread-cookie-constraint",
        ),
    ],
)
def test_layered_example(
    path: str, query: dict[str, str], headers: dict[str, str], cookie: str, status: int, expected: Any
) -> None:
    all_headers = {**headers, **({"Cookie": cookie} if cookie else {})}
    with TestClient(layered_app()) as client:
        response = client.get(path, params=query, headers=all_headers)
    assert response.status_code == status, response.text
    if status == 200:
        assert (response.json() if isinstance(expected, dict) else response.text) == expected
    else:
        assert expected in response.text


def test_layered_example_openapi() -> None:
    document = get_openapi_schema(layered_app())
    assert document is not None
    validate(document)
    parameters = document["paths"]["/router/controller/{path_param}"]["get"]["parameters"]
    listed = {(p["in"], p["name"]): (p["required"], p["schema"]) for p in parameters}
    assert listed == {
        ("path", "path_param"): (True, {"type": "integer"}),
        ("query", "local_param"): (True, {"type": "string"}),
        ("header", "MyHeader"): (False, {"type": "string"}),
        ("query", "controller_param"): (True, {"type": "integer", "exclusiveMaximum": 50}),
        ("cookie", "special-cookie"): (True, {"type": "string", "minLength": 3}),
    }
    unused = document["paths"]["/router/controller/unused"]["get"]["parameters"]
    assert {(p["in"], p["name"], p["required"]) for p in unused} == {
        ("header", "MyHeader", False),
        ("query", "controller_param", True),
        ("cookie", "special-cookie", True),
    }
    assert "400" in document["paths"]["/router/controller/unused"]["get"]["responses"]


# -- closest layer wins, defaults ---------------------------------------------------------------------------------------


@get("/value")
async def read_value(value: int) -> int:
    return value


@get("/value-default")
async def read_value_default(value: int = 7) -> int:
    return value


@get("/value-marker")
async def read_value_marker(value: FromQuery[int]) -> int:
    return value


@get("/value-own")
async def read_value_own(value: Annotated[int, Parameter(query="own")]) -> int:
    return value


@get("/value-handler", parameters={"value": Parameter(int, query="h")})
async def read_value_handler(value: int) -> int:
    return value


class ValueController(Controller):
    path = "/ctl"
    parameters = {"value": Parameter(int, header="X-Ctl")}  # noqa: RUF012

    @get("/")
    async def read(self, value: int) -> int:
        return value


@pytest.mark.parametrize(
    ("path", "query", "headers", "status", "body"),
    [
        pytest.param("/r/value", {}, {"X-Value": "3"}, 200, "3", id="router-header-beats-app-query"),
        pytest.param("/r/value", {"app": "3"}, {}, 400, "x-value", id="app-query-not-read"),
        pytest.param("/value", {"app": "4"}, {}, 200, "4", id="app-query"),
        pytest.param("/value", {}, {}, 400, "app", id="app-query-missing"),
        pytest.param("/value-default", {}, {}, 200, "7", id="signature-default-wins"),
        pytest.param("/r/value-layer-default", {}, {}, 200, "null", id="layer-not-required"),
        pytest.param("/value-marker", {"app": "5"}, {}, 200, "5", id="marker-takes-layer"),
        pytest.param("/value-own", {"own": "6"}, {}, 200, "6", id="own-parameter-wins"),
        pytest.param("/value-handler", {"h": "8"}, {}, 200, "8", id="handler-layer"),
        pytest.param("/r/ctl", {}, {"X-Ctl": "2"}, 200, "2", id="controller-beats-router"),
    ],
)
def test_closest_layer_wins(path: str, query: dict[str, str], headers: dict[str, str], status: int, body: str) -> None:
    @get("/value-layer-default")
    async def read_layer_default(value: int | None) -> int | None:
        return value

    inner = Router(
        "/r/value-layer-default",
        route_handlers=[read_layer_default],
        parameters={"value": Parameter(int, query="v", required=False)},
    )
    router = Router(
        "/r",
        route_handlers=[read_value, ValueController],
        parameters={"value": Parameter(int, header="X-Value")},
    )
    app = Outpour(
        route_handlers=[
            router,
            Router("/", route_handlers=[inner]),
            read_value,
            read_value_default,
            read_value_marker,
            read_value_own,
            read_value_handler,
        ],
        parameters={"value": Parameter(int, query="app")},
    )
    with TestClient(app) as client:
        response = client.get(path.replace("/r/value-layer-default", "/r/value-layer-default/value-layer-default"))
        response = client.get(
            path.replace("/r/value-layer-default", "/r/value-layer-default/value-layer-default"),
            params=query,
            headers=headers,
        )
    assert response.status_code == status, response.text
    assert body in response.text


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        pytest.param({"limit": "5", "token": "abc"}, 200, "5", id="valid"),
        pytest.param({"limit": "5"}, 400, "token", id="missing"),
        pytest.param({"limit": "5", "token": "a"}, 400, "token", id="too-short"),
    ],
)
def test_layered_only_on_fast_query_path(query: dict[str, str], status: int, body: str) -> None:
    @get("/items")
    async def items(limit: int) -> int:
        return limit

    with create_test_client([items], parameters={"token": Parameter(str, min_length=2)}) as client:
        response = client.get("/items", params=query)
    assert response.status_code == status
    assert body in response.text


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        pytest.param({}, 201, "none", id="optional-missing"),
        pytest.param({"flag": "1"}, 201, "none", id="optional-valid"),
        pytest.param({"flag": "x"}, 400, "flag", id="optional-invalid"),
    ],
)
def test_layered_only_optional(query: dict[str, str], status: int, body: str) -> None:
    @post("/items")
    async def create(data: dict[str, int]) -> str:
        return "none"

    with create_test_client(
        [create], parameters={"flag": Parameter(int, required=False)}, openapi_config=None
    ) as client:
        response = client.post("/items", params=query, json={"a": 1})
    assert response.status_code == status
    assert body in response.text


def test_layered_parameter_of_a_dependency() -> None:
    async def provide_page(page: int) -> int:
        return page * 10

    @get("/pages", dependencies={"paged": Provide(provide_page)})
    async def pages(paged: int) -> int:
        return paged

    with create_test_client([pages], parameters={"page": Parameter(int, query="p", ge=1)}) as client:
        assert client.get("/pages", params={"p": "2"}).text == "20"
        assert client.get("/pages", params={"p": "0"}).status_code == 400
        assert client.get("/pages").status_code == 400


def test_layered_names_of_path_params_and_dependencies_are_ignored() -> None:
    @get("/users/{user_id:int}", dependencies={"db": Provide(lambda: "db", sync_to_thread=False)})
    async def user(user_id: int, db: str) -> str:
        return f"{user_id}-{db}"

    params = {"user_id": Parameter(str, header="X-User"), "db": Parameter(str), "request": Parameter(str)}
    with create_test_client([user], parameters=params) as client:
        assert client.get("/users/3").text == "3-db"


def test_layered_parameter_must_be_a_parameter() -> None:
    @get("/")
    async def index() -> str:
        return ""

    with pytest.raises(ImproperlyConfiguredException, match="`token`"):
        Outpour([index], parameters={"token": "nope"})  # type: ignore[dict-item]


def test_app_config_carries_parameters() -> None:
    @get("/")
    async def index() -> str:
        return "ok"

    def on_init(config: AppConfig) -> AppConfig:
        assert config.parameters == {"a": Parameter(int)}
        config.parameters = {"b": Parameter(int)}
        return config

    app = Outpour([index], parameters={"a": Parameter(int)}, on_app_init=[on_init])
    with TestClient(app) as client:
        assert client.get("/").status_code == 400
        assert client.get("/", params={"b": "1", "a": "x"}).status_code == 200


# -- Body(...) constraints ----------------------------------------------------------------------------------------------


@post("/number")
async def number(data: int = Body(ge=1, lt=10, multiple_of=2)) -> int:
    return data


@post("/optional-number")
async def optional_number(data: Annotated[int | None, Body(le=5)] = None) -> int | None:
    return data


@post("/list")
async def items(data: Annotated[list[int], Body(min_items=1, max_items=2)]) -> int:
    return len(data)


@post("/text")
async def text(data: str = Body(pattern="^[a-z]+$", max_length=4)) -> str:
    return data


@post("/mapping")
async def mapping(data: Annotated[dict[str, int], Body(max_items=1, ge=3)]) -> int:
    return len(data)


@pytest.mark.parametrize(
    ("path", "payload", "status"),
    [
        pytest.param("/number", 4, 201, id="number-ok"),
        pytest.param("/number", 0, 400, id="number-ge"),
        pytest.param("/number", 10, 400, id="number-lt"),
        pytest.param("/number", 3, 400, id="number-multiple-of"),
        pytest.param("/optional-number", None, 201, id="optional-none"),
        pytest.param("/optional-number", 6, 400, id="optional-le"),
        pytest.param("/list", [1, 2], 201, id="list-ok"),
        pytest.param("/list", [], 400, id="list-min-items"),
        pytest.param("/list", [1, 2, 3], 400, id="list-max-items"),
        pytest.param("/text", "abc", 201, id="text-ok"),
        pytest.param("/text", "ABC", 400, id="text-pattern"),
        pytest.param("/text", "abcde", 400, id="text-max-length"),
        pytest.param("/mapping", {"a": 1, "b": 2}, 201, id="mapping-documentation-only"),
    ],
)
def test_body_constraints(path: str, payload: Any, status: int) -> None:
    with create_test_client([number, optional_number, items, text, mapping]) as client:
        response = client.post(path, json=payload)
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        pytest.param("/number", {"type": "integer", "minimum": 1, "exclusiveMaximum": 10, "multipleOf": 2}, id="num"),
        pytest.param("/list", {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 2}, id="list"),
        pytest.param("/text", {"type": "string", "pattern": "^[a-z]+$", "maxLength": 4}, id="text"),
    ],
)
def test_body_constraints_documented(path: str, schema: dict[str, Any]) -> None:
    document = get_openapi_schema(Outpour([number, items, text]))
    assert document is not None
    content = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    assert content["schema"] == schema
