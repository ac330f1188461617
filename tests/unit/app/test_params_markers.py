"""The 3.0 parameter markers: location classes, body shorthands, ``SkipValidation``, and their signatures."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Annotated, Any, get_args

import msgspec
import pytest

from outpour import MediaType, get, post
from outpour.datastructures import UploadFile
from outpour.enums import ParamType, RequestEncodingType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.params import (
    Body,
    BodyKwarg,
    CookieParameter,
    FromCookie,
    FromHeader,
    FromPath,
    FromQuery,
    HeaderParameter,
    JSONBody,
    KwargDefinition,
    MsgPackBody,
    MultipartBody,
    Parameter,
    ParameterKwarg,
    PathParameter,
    QueryParameter,
    SkipValidation,
    SkipValidationMarker,
    URLEncodedBody,
)
from outpour.testing import create_test_client


def test_location_classes_read_their_place_under_the_declared_name() -> None:
    @get("/users/{user_id:int}")
    async def handler(
        user_id: Annotated[int, PathParameter(ge=1)],
        limit: Annotated[int, QueryParameter(gt=0, le=100)],
        token: Annotated[str, HeaderParameter(name="X-API-KEY")],
        session: Annotated[str, CookieParameter(name="session-id")],
        snake_case: Annotated[str, QueryParameter(name="camelCase")] = "none",
    ) -> dict[str, Any]:
        return {"id": user_id, "limit": limit, "token": token, "session": session, "alias": snake_case}

    with create_test_client([handler]) as client:
        response = client.get("/users/7?limit=5&camelCase=foo", headers={"x-api-key": "k", "cookie": "session-id=s"})
        too_big = client.get("/users/7?limit=500", headers={"x-api-key": "k", "cookie": "session-id=s"})
        no_header = client.get("/users/7?limit=5", headers={"cookie": "session-id=s"})
    assert response.json() == {"id": 7, "limit": 5, "token": "k", "session": "s", "alias": "foo"}
    assert (too_big.status_code, too_big.json()["extra"][0]["key"]) == (400, "limit")
    assert (no_header.status_code, no_header.json()["detail"]) == (
        400,
        "Missing required header parameter 'x-api-key' for path /users/7",
    )


def test_path_parameter_name_reads_another_slot_on_every_path() -> None:
    @get("/items/{item_id:int}")
    async def only_path(ident: Annotated[int, PathParameter(name="item_id")]) -> int:
        return ident

    @get("/items/{item_id:int}/tags")
    async def with_query(ident: Annotated[int, PathParameter(name="item_id")], tag: FromQuery[str]) -> list[Any]:
        return [ident, tag]

    with create_test_client([only_path, with_query]) as client:
        assert client.get("/items/3").json() == 3
        assert client.get("/items/3/tags?tag=x").json() == [3, "x"]


def test_path_parameter_naming_a_missing_slot_is_refused_at_creation() -> None:
    @get("/items/{item_id:int}")
    async def handler(ident: Annotated[int, PathParameter(name="id")]) -> int:
        return ident

    with pytest.raises(ImproperlyConfiguredException, match=r"reads path parameter `id`"):
        create_test_client([handler])


@pytest.mark.parametrize(
    ("alias", "marker"),
    [
        pytest.param(FromQuery, QueryParameter(), id="query"),
        pytest.param(FromHeader, HeaderParameter(), id="header"),
        pytest.param(FromCookie, CookieParameter(), id="cookie"),
        pytest.param(FromPath, PathParameter(), id="path"),
    ],
)
def test_from_aliases_are_the_location_class_without_options(alias: Any, marker: ParameterKwarg) -> None:
    (meta,) = get_args(alias[int])[1:]
    assert meta == marker
    assert type(meta) is type(marker)
    assert meta.is_marker
    assert not type(marker)(description="d").is_marker


@pytest.mark.parametrize(
    ("cls", "param_type"),
    [
        pytest.param(QueryParameter, ParamType.QUERY, id="query"),
        pytest.param(HeaderParameter, ParamType.HEADER, id="header"),
        pytest.param(CookieParameter, ParamType.COOKIE, id="cookie"),
        pytest.param(PathParameter, ParamType.PATH, id="path"),
        pytest.param(ParameterKwarg, None, id="plain"),
    ],
)
def test_param_type_names_the_location(cls: type[ParameterKwarg], param_type: ParamType | None) -> None:
    assert cls.param_type is param_type


def test_kwarg_fields_follow_litestar_order() -> None:
    shared = [
        "examples",
        "external_docs",
        "content_encoding",
        "title",
        "description",
        "const",
        "gt",
        "ge",
        "lt",
        "le",
        "multiple_of",
        "min_items",
        "max_items",
        "min_length",
        "max_length",
        "pattern",
        "lower_case",
        "upper_case",
        "format",
        "enum",
        "read_only",
        "schema_extra",
        "schema_component_key",
        "include_in_schema",
    ]
    assert [f.name for f in dataclasses.fields(KwargDefinition)] == shared
    assert [f.name for f in dataclasses.fields(QueryParameter)] == [
        *shared,
        "name",
        "annotation",
        "header",
        "cookie",
        "query",
        "required",
        "default",  # after Litestar 3.0's fields: its later releases take `HeaderParameter(..., default=None)`
    ]
    assert [f.name for f in dataclasses.fields(BodyKwarg)] == [*shared, "media_type", "multipart_form_part_limit"]


def test_parameter_and_body_take_no_default() -> None:
    assert "default" not in inspect.signature(Parameter).parameters
    assert "default" not in inspect.signature(Body).parameters
    assert inspect.signature(Body).parameters["multipart_form_part_limit"].default is None


@pytest.mark.parametrize(
    ("kwarg", "expected"),
    [
        pytest.param(QueryParameter(), False, id="nothing"),
        pytest.param(QueryParameter(description="d", format="uuid"), False, id="documentation-only"),
        pytest.param(QueryParameter(ge=1), True, id="ge"),
        pytest.param(HeaderParameter(pattern="^a"), True, id="pattern"),
        pytest.param(BodyKwarg(max_items=3), True, id="body-max-items"),
        pytest.param(QueryParameter(lower_case=True), True, id="lower-case"),
    ],
)
def test_is_constrained(kwarg: KwargDefinition, expected: bool) -> None:
    assert kwarg.is_constrained is expected


@pytest.mark.parametrize(
    ("make", "match"),
    [
        pytest.param(lambda: HeaderParameter(query="q"), r"`HeaderParameter\(query=\.\.\.\)` reads a header", id="h-q"),
        pytest.param(lambda: QueryParameter(cookie="c"), r"use `CookieParameter`", id="q-c"),
        pytest.param(lambda: Parameter(header="h", cookie="c"), r"one place only", id="two-places"),
    ],
)
def test_contradicting_places_are_refused(make: Any, match: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        make()


def test_header_parameter_with_its_own_place_is_accepted() -> None:
    assert HeaderParameter(header="X-A").header == "X-A"


def test_layered_location_classes() -> None:
    @get("/")
    async def handler(router_param: FromHeader[str], tenant: str) -> list[str]:
        return [router_param, tenant]

    with create_test_client(
        [handler],
        parameters={
            "router_param": HeaderParameter(annotation=str, name="MyHeader", pattern="^[a-z]+$", required=False),
            "tenant": CookieParameter(annotation=str, name="tenant-id"),
            "optional": QueryParameter(annotation=int, required=False, lt=10),
        },
    ) as client:
        ok = client.get("/", headers={"myheader": "abc", "cookie": "tenant-id=t"})
        bad = client.get("/", headers={"myheader": "ABC", "cookie": "tenant-id=t"})
        missing = client.get("/", headers={"cookie": "tenant-id=t"})
        optional_bad = client.get("/?optional=20", headers={"myheader": "abc", "cookie": "tenant-id=t"})
    assert ok.json() == ["abc", "t"]
    assert (bad.status_code, bad.json()["extra"][0]["key"]) == (400, "router_param")  # the name, as Litestar
    assert missing.status_code == 400  # the handler's `FromHeader[str]` makes it required
    assert (optional_bad.status_code, optional_bad.json()["extra"][0]["key"]) == (400, "optional")


def test_header_parameter_name_is_documented_as_declared() -> None:
    @get("/")
    async def handler(
        token: Annotated[str, HeaderParameter(name="X-API-KEY", format="uuid", enum=["a"], read_only=True)],
    ) -> None:
        return None

    with create_test_client([handler]) as client:
        (parameter,) = client.get("/schema/openapi.json").json()["paths"]["/"]["get"]["parameters"]
    assert (parameter["name"], parameter["in"]) == ("X-API-KEY", "header")
    assert parameter["schema"] == {"type": "string", "format": "uuid", "enum": ["a"], "readOnly": True}


class Form(msgspec.Struct):
    name: str
    count: int


@pytest.mark.parametrize(
    "form",
    [
        pytest.param("multipart", id="multipart"),
        pytest.param("urlencoded", id="urlencoded"),
    ],
)
def test_form_body_shorthands_decode_the_form(form: str) -> None:
    @post("/multipart")
    async def multipart(data: MultipartBody[Form]) -> dict[str, Any]:
        return {"name": data.name, "count": data.count}

    @post("/urlencoded")
    async def urlencoded(data: URLEncodedBody[Form]) -> dict[str, Any]:
        return {"name": data.name, "count": data.count}

    with create_test_client([multipart, urlencoded]) as client:
        if form == "multipart":
            response = client.post("/multipart", files={"name": (None, "ann"), "count": (None, "3")})
        else:
            response = client.post("/urlencoded", data={"name": "ann", "count": "3"})
    assert response.json() == {"name": "ann", "count": 3}


def test_multipart_body_decodes_a_dict_with_files() -> None:
    @post("/upload", media_type=MediaType.TEXT)
    async def upload(data: MultipartBody[dict[str, Any]]) -> str:
        file = data["file"]
        assert isinstance(file, UploadFile)
        return f"{data['title']}:{file.filename}:{(await file.read()).decode()}"

    with create_test_client([upload]) as client:
        response = client.post("/upload", files={"file": ("a.txt", b"hello")}, data={"title": "t"})
    assert response.text == "t:a.txt:hello"


def test_multipart_body_is_documented_as_multipart() -> None:
    @post("/upload")
    async def upload(data: MultipartBody[Form]) -> None:
        return None

    with create_test_client([upload]) as client:
        body = client.get("/schema/openapi.json").json()["paths"]["/upload"]["post"]["requestBody"]
    assert list(body["content"]) == [RequestEncodingType.MULTI_PART.value]


def test_msgpack_and_json_body_shorthands() -> None:
    @post("/msgpack")
    async def from_msgpack(data: MsgPackBody[Form]) -> int:
        return data.count

    @post("/json")
    async def from_json(data: JSONBody[Form]) -> int:
        return data.count

    with create_test_client([from_msgpack, from_json]) as client:
        packed = client.post("/msgpack", content=msgspec.msgpack.encode({"name": "a", "count": 4}))
        as_json = client.post("/json", json={"name": "a", "count": 5})
    assert (packed.json(), as_json.json()) == (4, 5)


def test_skip_validation_passes_a_dependency_as_it_is() -> None:
    async def provide_str() -> str:
        return "whoops"

    @get("/", dependencies={"injected": provide_str})
    async def hello_world(injected: SkipValidation[int]) -> dict[str, Any]:
        return {"hello": injected}

    with create_test_client([hello_world]) as client:
        assert client.get("/").json() == {"hello": "whoops"}


def test_skip_validation_passes_a_query_value_unconverted() -> None:
    @get("/")
    async def handler(number: SkipValidation[FromQuery[int]], checked: FromQuery[int] = 0) -> list[Any]:
        return [number, checked]

    with create_test_client([handler]) as client:
        assert client.get("/?number=abc").json() == ["abc", 0]
        assert client.get("/?number=1&checked=x").status_code == 400


def test_skip_validation_passes_the_body_undecoded_into_its_type() -> None:
    @post("/")
    async def handler(data: SkipValidation[Form]) -> Any:
        return data

    with create_test_client([handler]) as client:
        assert client.post("/", json={"anything": [1]}).json() == {"anything": [1]}


def test_skip_validation_marker() -> None:
    (marker,) = get_args(SkipValidation[int])[1:]
    assert isinstance(marker, SkipValidationMarker)
    assert repr(marker) == "SkipValidationMarker()"
