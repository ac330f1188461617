"""Parameters compiled from the signature: path, query, header, cookie, special kwargs and the request body."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated, Any, TypedDict

import attrs
import msgspec
import pydantic
import pytest

from outpour import Controller, MediaType, Request, get, post
from outpour.datastructures import Headers, MultiDict, State, UploadFile
from outpour.enums import RequestEncodingType
from outpour.params import Body, FromCookie, FromHeader, FromQuery, Parameter
from outpour.testing import create_test_client


@dataclass
class Item:
    name: str
    price: float
    tags: list[str]


class ItemStruct(msgspec.Struct):
    name: str
    price: float


class ItemDict(TypedDict):
    name: str
    price: float


@attrs.define
class ItemAttrs:
    name: str
    price: float


class ItemModel(pydantic.BaseModel):
    name: str
    price: float = pydantic.Field(gt=0)


def test_query_parameters_plain_alias_list_optional_default() -> None:
    @get("/q")
    async def handler(
        limit: int,
        tags: list[str],
        page: int = 1,
        search: str | None = None,
        size: Annotated[int, Parameter(query="pageSize", ge=1, le=100)] = 20,
    ) -> dict[str, Any]:
        return {"limit": limit, "tags": tags, "page": page, "search": search, "size": size}

    with create_test_client([handler]) as client:
        response = client.get("/q?limit=10&tags=a&tags=b&pageSize=50")
        defaults = client.get("/q?limit=1&tags=x")
        no_tags = client.get("/q?limit=1")  # a list without a default is required, like any parameter
    assert response.json() == {"limit": 10, "tags": ["a", "b"], "page": 1, "search": None, "size": 50}
    assert defaults.json() == {"limit": 1, "tags": ["x"], "page": 1, "search": None, "size": 20}
    assert no_tags.status_code == 400
    assert "tags" in no_tags.json()["detail"]


@pytest.mark.parametrize(
    ("query", "key", "message"),
    [
        pytest.param("limit=ten", "limit", "Expected `int`, got `str`", id="wrong-type"),
        pytest.param("limit=5&pageSize=0", "size", ">= 1", id="constraint"),  # the parameter's name, as Litestar
    ],
)
def test_bad_query_is_400_naming_the_parameter(query: str, key: str, message: str) -> None:
    @get("/q")
    async def handler(limit: int, size: Annotated[int, Parameter(query="pageSize", ge=1)] = 20) -> int:
        return limit

    with create_test_client([handler]) as client:
        response = client.get(f"/q?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == f"Validation failed for GET /q?{query}"
    assert any(e["key"] == key and message in e["message"] and e["source"] == "query" for e in body["extra"]), body


def test_invalid_utf8_in_query_is_400() -> None:
    @get("/q")
    async def handler(name: str = "") -> str:
        return name

    with create_test_client([handler]) as client:
        response = client.get("/q?name=%ff%fe")
    assert response.status_code == 400
    assert "UTF-8" in response.json()["detail"]


def test_annotated_and_shorthand_markers() -> None:
    @get("/m")
    async def handler(
        api_key: Annotated[str, Parameter(header="X-API-Key")],
        x_trace: FromHeader[str],
        session: FromCookie[str],
        sort: FromQuery[str] = "asc",
        theme: Annotated[str, Parameter(cookie="ui-theme")] = "light",
    ) -> dict[str, str]:
        return {"api_key": api_key, "x_trace": x_trace, "session": session, "sort": sort, "theme": theme}

    with create_test_client([handler]) as client:
        response = client.get(
            "/m?sort=desc", headers={"x-api-key": "k", "x-trace": "t", "cookie": "session=s1; ui-theme=dark"}
        )
        missing = client.get("/m")
    assert response.json() == {"api_key": "k", "x_trace": "t", "session": "s1", "sort": "desc", "theme": "dark"}
    assert missing.status_code == 400
    assert missing.json()["detail"] == "Missing required header parameter 'x-api-key' for path /m"


def test_special_kwargs() -> None:
    @get("/s/{n:int}")
    async def handler(
        request: Request[Any, Any, Any],
        headers: Any,
        cookies: dict[str, str],
        query: Any,
        scope: dict[str, Any],
        state: State,
        n: int,
    ) -> dict[str, Any]:
        return {
            "method": request.method,
            "header": headers.get("x-a"),
            "cookie": cookies.get("c"),
            "query": query.getall("v"),
            "path": scope["path"],
            "state": state.greeting,
            "n": n,
            "path_params": request.path_params,
        }

    with create_test_client([handler], state={"greeting": "hi"}) as client:
        response = client.get("/s/3?v=1&v=2", headers={"x-a": "A", "cookie": "c=C"})
    assert response.json() == {
        "method": "GET",
        "header": "A",
        "cookie": "C",
        "query": ["1", "2"],
        "path": "/s/3",
        "state": "hi",
        "n": 3,
        "path_params": {"n": 3},
    }


def test_mappings_annotated_dict_are_plain_dicts() -> None:
    @get("/d")
    async def handler(headers: dict[str, str], cookies: dict[str, Any], query: dict[str, int]) -> dict[str, Any]:
        return {
            "types": [type(m).__name__ for m in (headers, cookies, query)],
            "header": headers["x-a"],
            "cookie": cookies["c"],
            "query": query,
        }

    with create_test_client([handler]) as client:
        response = client.get("/d?v=1&v=2&w=3", headers={"x-a": "A", "cookie": "c=C"})
        bad = client.get("/d?v=x")
    assert response.json() == {"types": ["dict"] * 3, "header": "A", "cookie": "C", "query": {"v": 1, "w": 3}}
    assert bad.status_code == 400
    assert bad.json()["extra"][0]["key"] == "query"


def test_mappings_annotated_otherwise_keep_their_multi_values() -> None:
    @get("/m")
    async def handler(query: MultiDict[str], headers: Headers) -> list[Any]:
        return [query.getall("v"), headers.getall("x-a")]

    with create_test_client([handler]) as client:
        response = client.get("/m?v=1&v=2", headers=[("x-a", "A"), ("x-a", "B")])
    assert response.json() == [["1", "2"], ["A", "B"]]


@pytest.mark.parametrize(
    ("annotation", "payload", "expected"),
    [
        pytest.param(
            Item, {"name": "a", "price": 1.5, "tags": ["x"]}, {"name": "a", "price": 1.5, "tags": ["x"]}, id="dataclass"
        ),
        pytest.param(ItemStruct, {"name": "a", "price": 2.0}, {"name": "a", "price": 2.0}, id="struct"),
        pytest.param(ItemDict, {"name": "a", "price": 3.0}, {"name": "a", "price": 3.0}, id="typeddict"),
        pytest.param(ItemAttrs, {"name": "a", "price": 4.0}, {"name": "a", "price": 4.0}, id="attrs"),
        pytest.param(ItemModel, {"name": "a", "price": 5.0}, {"name": "a", "price": 5.0}, id="pydantic"),
        pytest.param(list[int], [1, 2, 3], [1, 2, 3], id="list"),
    ],
)
def test_data_is_decoded_and_validated(annotation: Any, payload: Any, expected: Any) -> None:
    received: list[Any] = []

    async def echo(data: Any) -> Any:
        received.append(data)
        return data

    echo.__annotations__ = {"data": annotation, "return": annotation}
    handler = post("/echo")(echo)
    with create_test_client([handler]) as client:
        response = client.post("/echo", json=payload)
        packed = client.post(
            "/echo", content=msgspec.msgpack.encode(payload), headers={"content-type": "application/vnd.msgpack"}
        )
    assert response.status_code == 201, response.text
    assert response.json() == expected
    assert packed.json() == expected
    expected_type = dict if annotation is ItemDict else getattr(annotation, "__origin__", annotation)
    assert isinstance(received[0], expected_type)


@pytest.mark.parametrize(
    ("content", "content_type", "status", "fragment"),
    [
        pytest.param(
            b'{"name": "a", "price": "x", "tags": []}',
            "application/json",
            400,
            "Expected `float`, got `str`",
            id="wrong-type",
        ),
        pytest.param(b'{"name": "a"}', "application/json", 400, "missing required field", id="missing-field"),
        pytest.param(b'{"name": ', "application/json", 400, "Malformed JSON", id="malformed-json"),
        pytest.param(b"\xc1", "application/vnd.msgpack", 400, "Malformed MessagePack", id="malformed-msgpack"),
        pytest.param(b"name=a", "text/plain", 415, "Unsupported request body media type", id="unsupported"),
        pytest.param(b"", "application/json", 400, "body is empty", id="empty"),
    ],
)
def test_bad_bodies_are_4xx_with_a_message(content: bytes, content_type: str, status: int, fragment: str) -> None:
    @post("/items")
    async def create(data: Item) -> Item:
        return data

    with create_test_client([create]) as client:
        response = client.post("/items", content=content, headers={"content-type": content_type})
    assert response.status_code == status
    assert fragment in response.text


def test_body_error_names_the_field() -> None:
    @post("/items")
    async def create(data: Item) -> Item:
        return data

    with create_test_client([create]) as client:
        response = client.post("/items", json={"name": "a", "price": 1, "tags": [1]})
    assert response.status_code == 400
    assert response.json()["extra"] == [{"message": "Expected `str`, got `int`", "key": "tags[0]", "source": "body"}]


def test_pydantic_validation_error_is_400() -> None:
    @post("/m")
    async def create(data: ItemModel) -> ItemModel:
        return data

    with create_test_client([create]) as client:
        response = client.post("/m", json={"name": "a", "price": -1})
    assert response.status_code == 400
    assert "greater than 0" in response.text


def test_body_over_the_limit_is_413() -> None:
    @post("/up", request_max_body_size=10)
    async def upload(body: bytes) -> int:
        return len(body)

    with create_test_client([upload]) as client:
        small = client.post("/up", content=b"123")
        large = client.post("/up", content=b"x" * 11)
    assert small.json() == 3
    assert large.status_code == 413


def test_default_body_limit_is_10_mb() -> None:
    @post("/up")
    async def upload(body: bytes) -> int:
        return len(body)

    with create_test_client([upload]) as client:
        response = client.post("/up", content=b"x", headers={"content-length": str(10_000_001)})
    assert response.status_code == 413


def test_form_data_into_a_dataclass() -> None:
    @dataclass
    class Login:
        user: str
        remember: bool

    @post("/login")
    async def login(data: Annotated[Login, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Login:
        return data

    with create_test_client([login]) as client:
        response = client.post("/login", data={"user": "ann", "remember": "true"})
    assert response.json() == {"user": "ann", "remember": True}


def test_sync_handlers_run_in_a_thread_unless_told_otherwise() -> None:
    @get("/threaded", media_type=MediaType.TEXT)
    def threaded() -> str:
        return threading.current_thread().name

    @get("/inline", media_type=MediaType.TEXT, sync_to_thread=False)
    def inline() -> str:
        return threading.current_thread().name

    with create_test_client([threaded, inline]) as client:
        in_thread = client.get("/threaded").text
        on_loop = client.get("/inline").text
    assert in_thread != on_loop


def test_get_with_data_is_refused() -> None:
    from outpour import Outpour
    from outpour.exceptions import ImproperlyConfiguredException

    @get("/bad")
    async def bad(data: Item) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="GET requests carry no body"):
        Outpour(route_handlers=[bad])


def test_deeply_nested_body_is_400() -> None:
    @post("/any")
    async def anything(data: Any) -> None:
        return None

    with create_test_client([anything]) as client:
        response = client.post(
            "/any", content=b"[" * 100_000 + b"]" * 100_000, headers={"content-type": "application/json"}
        )
    assert response.status_code == 400


def test_uploaded_files_are_closed_after_the_response() -> None:
    kept: list[UploadFile] = []

    @dataclass
    class Upload:
        title: str
        attachment: UploadFile

    @post("/upload")
    async def upload(data: Annotated[Upload, Body(media_type=RequestEncodingType.MULTI_PART)]) -> dict[str, Any]:
        kept.append(data.attachment)
        return {"title": data.title, "size": len(await data.attachment.read())}

    with create_test_client([upload]) as client:
        response = client.post("/upload", data={"title": "t"}, files={"attachment": ("a.txt", b"hello")})
    assert response.json() == {"title": "t", "size": 5}
    assert kept[0].file.closed


def test_body_limit_none_at_the_handler_means_no_limit_even_under_a_limited_app() -> None:
    @post("/up", request_max_body_size=None)
    async def upload(body: bytes) -> int:
        return len(body)

    @post("/limited")
    async def limited(body: bytes) -> int:
        return len(body)

    with create_test_client([upload, limited], request_max_body_size=5) as client:
        unlimited = client.post("/up", content=b"x" * 11)
        refused = client.post("/limited", content=b"x" * 11)
    assert unlimited.json() == 11
    assert refused.status_code == 413


def test_body_limit_set_on_a_controller_applies_to_its_handlers() -> None:
    class Uploads(Controller):
        path = "/c"
        request_max_body_size = 4

        @post("/")
        async def upload(self, body: bytes) -> int:
            return len(body)

    with create_test_client([Uploads]) as client:
        assert client.post("/c", content=b"1234").json() == 4
        assert client.post("/c", content=b"12345").status_code == 413


@pytest.mark.parametrize(
    ("content", "content_type", "detail"),
    [
        pytest.param(
            b'{"name": "\x80"}', "application/json", "Malformed JSON request body: invalid UTF-8 at byte 10.", id="utf8"
        ),
        pytest.param(
            b'{"name": ', "application/json", "Malformed JSON request body: the document ends too early.", id="short"
        ),
        pytest.param(
            b'{"name" "a"}', "application/json", "Malformed JSON request body: unexpected input at byte 8.", id="syntax"
        ),
        pytest.param(
            b"\x81\xa4name\xa1\x80",
            "application/vnd.msgpack",
            "Malformed MessagePack request body: a string is not valid UTF-8.",
            id="msgpack-utf8",
        ),
    ],
)
def test_malformed_bodies_get_outpours_own_400(content: bytes, content_type: str, detail: str) -> None:
    @post("/items")
    async def create(data: dict[str, str]) -> dict[str, str]:
        return data

    with create_test_client([create]) as client:
        response = client.post("/items", content=content, headers={"content-type": content_type})
    assert response.status_code == 400
    assert response.json()["detail"] == detail
    assert "Traceback" not in response.text
