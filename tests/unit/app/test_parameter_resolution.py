"""Where a handler parameter's value comes from, and the declarations refused because it could come from two places."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pytest

from outpour import MediaType, Outpour, Request, get, post, websocket
from outpour.constants import RESERVED_KWARGS
from outpour.datastructures import MultiDict, State
from outpour.di import Provide
from outpour.enums import RequestEncodingType
from outpour.exceptions import (
    ClientException,
    ImproperlyConfiguredException,
    InvalidAnnotationException,
    MalformedBodyException,
    SerializationException,
    WebSocketDisconnect,
)
from outpour.params import (
    Body,
    CookieParameter,
    FromHeader,
    FromPath,
    HeaderParameter,
    Parameter,
    ParameterKwarg,
    QueryParameter,
)
from outpour.testing import create_test_client


async def _one() -> int:
    return 1


# -- one handler, several paths: the default fills in where the path has no slot ------------------------------------


def test_path_parameter_default_serves_the_path_without_it() -> None:
    @get(["/items", "/items/{item_id:int}"], media_type=MediaType.TEXT)
    async def item(item_id: FromPath[int] = 0) -> str:
        return f"item {item_id}"

    with create_test_client([item]) as client:
        assert client.get("/items").text == "item 0"
        assert client.get("/items/7").text == "item 7"
        assert client.get("/items/x").status_code == 404


def test_optional_path_parameter_defaulting_to_none() -> None:
    @get(["/", "/{word:str}"], media_type=MediaType.TEXT, sync_to_thread=False)
    def echo(word: FromPath[str | None] = None) -> str:
        return word or "nothing"

    with create_test_client([echo]) as client:
        assert client.get("/").text == "nothing"
        assert client.get("/hi").text == "hi"


def test_path_parameter_without_default_still_needs_its_slot() -> None:
    @get(["/items", "/items/{item_id:int}"])
    async def item(item_id: FromPath[int]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="item_id"):
        Outpour([item])


def test_path_type_parameter_drops_repeated_leading_slashes() -> None:
    @get("/files/{rest:path}", media_type=MediaType.TEXT, sync_to_thread=False)
    def files(rest: FromPath[Path]) -> str:
        return rest.as_posix()

    with create_test_client([files]) as client:
        assert client.get("/files//a/b.txt").text == "/a/b.txt"
        assert client.get("/files/a/b.txt").text == "/a/b.txt"


# -- conflicts refused when the app is built -------------------------------------------------------------------------


@pytest.mark.parametrize("marker", [QueryParameter, HeaderParameter, CookieParameter])
def test_path_parameter_also_declared_elsewhere_is_refused(marker: type[ParameterKwarg]) -> None:
    @get("/{key:str}")
    async def handler(key: Annotated[str, marker(name="key")]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="`key` could come from"):
        Outpour([handler])


def test_path_parameter_also_a_dependency_is_refused() -> None:
    @get("/{key:str}", dependencies={"key": Provide(_one)})
    async def handler(key: str) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match=r"path parameter `\{key:\.\.\.\}` or the dependency `key`"):
        Outpour([handler])


@pytest.mark.parametrize("marker", [QueryParameter, HeaderParameter, CookieParameter])
def test_dependency_also_declared_as_a_parameter_is_refused(marker: type[ParameterKwarg]) -> None:
    @get("/", dependencies={"key": Provide(_one)})
    async def handler(key: Annotated[int, marker()]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="dependency `key`"):
        Outpour([handler])


def test_reserved_names_are_litestars() -> None:
    assert {"state", "headers", "cookies", "request", "socket", "data", "query", "scope", "body"} == RESERVED_KWARGS


@pytest.mark.parametrize("name", sorted(RESERVED_KWARGS))
def test_reserved_name_put_to_another_use_is_refused(name: str) -> None:
    decorator = websocket if name == "socket" else post
    namespace: dict[str, Any] = {"Annotated": Annotated, "QueryParameter": QueryParameter}
    exec(f"async def as_path({name}: int) -> None: ...", namespace)
    exec(f"async def as_dependency({name}: int) -> None: ...", namespace)
    exec(f"async def as_alias({name}: Annotated[int, QueryParameter(name='other')]) -> None: ...", namespace)
    for handler in (
        decorator("/{" + name + ":int}")(namespace["as_path"]),
        decorator("/", dependencies={name: Provide(_one)})(namespace["as_dependency"]),
        decorator("/")(namespace["as_alias"]),
    ):
        with pytest.raises(ImproperlyConfiguredException, match=f"`{name}` is a reserved parameter name"):
            Outpour([handler], openapi_config=None)


def test_reserved_name_of_a_layered_parameter_is_ignored() -> None:
    @get("/", media_type=MediaType.TEXT)
    async def handler(request: Request) -> str:
        return request.url.path

    with create_test_client([handler], parameters={"request": Parameter(str)}) as client:
        assert client.get("/").text == "/"


def test_state_must_be_typed_as_state() -> None:
    @get("/")
    async def handler(state: str) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="`state`"):
        Outpour([handler], openapi_config=None)


def test_body_must_be_typed_as_bytes() -> None:
    @post("/")
    async def handler(body: list[str]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="`body`"):
        Outpour([handler])

    @post("/")
    async def documented(body: Annotated[bytes, Body(title="raw")]) -> None:
        return None

    Outpour([documented])


async def _json_data(data: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    return data


async def _form_data(
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> dict[str, Any]:
    return data


async def _list_data(data: list[str]) -> list[str]:
    return data


def test_handler_and_dependency_reading_the_body_in_two_encodings_are_refused() -> None:
    @post("/", dependencies={"first": Provide(_form_data)})
    async def handler(first: dict[str, Any], data: Annotated[Any, Body()]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="two encodings"):
        Outpour([handler])


def test_handler_and_dependency_reading_the_body_as_two_types_are_refused() -> None:
    @post("/", dependencies={"items": Provide(_list_data)})
    async def handler(data: dict[str, str], items: list[str]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="two types"):
        Outpour([handler])


def test_handler_taking_any_data_shares_the_body_with_a_dependency() -> None:
    @post("/", dependencies={"first": Provide(_json_data)})
    async def handler(first: dict[str, Any], data: Annotated[Any, Body()]) -> dict[str, Any]:
        return {"first": first, "data": data}

    with create_test_client([handler]) as client:
        assert client.post("/", json={"a": 1}).json() == {"first": {"a": 1}, "data": {"a": 1}}


# -- headers, parameter defaults, the query mapping ------------------------------------------------------------------


def test_header_parameter_is_read_under_its_own_name_then_with_dashes() -> None:
    @get("/", media_type=MediaType.TEXT)
    async def handler(api_key: FromHeader[str]) -> str:
        return api_key

    with create_test_client([handler]) as client:
        assert client.get("/", headers={"api_key": "underscored"}).text == "underscored"
        assert client.get("/", headers={"Api-Key": "dashed"}).text == "dashed"
        missing = client.get("/")
        assert missing.status_code == 400
        assert "'api_key'" in missing.json()["detail"]


def test_parameter_default_given_in_the_marker() -> None:
    @get("/", media_type=MediaType.TEXT)
    async def handler(
        token: Annotated[str | None, HeaderParameter(name="x-token", required=False, default=None)],
        page: Annotated[int, QueryParameter(ge=1, default=1)],
    ) -> str:
        return f"{token} {page}"

    with create_test_client([handler]) as client:
        assert client.get("/").text == "None 1"
        assert client.get("/?page=3", headers={"x-token": "t"}).text == "t 3"
        assert client.get("/?page=0").status_code == 400


def test_layered_parameter_default_given_in_the_marker() -> None:
    @get("/", media_type=MediaType.TEXT)
    async def handler() -> str:
        return "ok"

    with create_test_client(
        [handler], parameters={"limit": QueryParameter(annotation=int, le=10, default=5)}
    ) as client:
        assert client.get("/").text == "ok"
        assert client.get("/?limit=50").status_code == 400


def test_query_kwarg_is_a_multi_dict() -> None:
    @get("/", sync_to_thread=False)
    def handler(query: MultiDict[str]) -> dict[str, list[str]]:
        assert isinstance(query, MultiDict)
        return {key: query.getall(key) for key in query}

    with create_test_client([handler]) as client:
        assert client.get("/?a=1&a=2&b=3").json() == {"a": ["1", "2"], "b": ["3"]}


def test_state_annotated_with_a_state_subclass_is_accepted() -> None:
    class AppState(State):
        greeting: str

    @get("/", media_type=MediaType.TEXT)
    async def handler(state: AppState) -> str:
        return str(state.greeting)

    with create_test_client([handler], state=State({"greeting": "hello"})) as client:
        assert client.get("/").text == "hello"


def test_named_dependency_resolves_without_a_runtime_import() -> None:
    @get("/", media_type=MediaType.TEXT)
    async def handler(number: NamedDependency[int]) -> str:  # type: ignore[name-defined]  # noqa: F821
        return str(number)

    handler.fn.__annotations__["number"] = "NamedDependency[int]"
    with create_test_client([handler], dependencies={"number": Provide(_one)}) as client:
        assert client.get("/").text == "1"


# -- a malformed body read by hand -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "method"), [("application/json", "json"), ("application/x-msgpack", "msgpack")]
)
def test_malformed_body_is_a_client_error_and_a_serialization_error(content_type: str, method: str) -> None:
    caught: list[Exception] = []

    @post("/", media_type=MediaType.TEXT)
    async def handler(request: Request) -> str:
        try:
            await getattr(request, method)()
        except SerializationException as exc:
            caught.append(exc)
            raise
        return "parsed"

    with create_test_client([handler]) as client:
        response = client.post("/", content=b"\xc1{", headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert len(caught) == 1
    assert isinstance(caught[0], MalformedBodyException)
    assert isinstance(caught[0], ClientException)


def test_exceptions_at_litestars_module_paths() -> None:
    from outpour.exceptions import base_exceptions, dto_exceptions, http_exceptions, websocket_exceptions

    assert base_exceptions.SerializationException is SerializationException
    assert http_exceptions.ImproperlyConfiguredException is ImproperlyConfiguredException
    assert websocket_exceptions.WebSocketDisconnect is WebSocketDisconnect
    assert dto_exceptions.InvalidAnnotationException is InvalidAnnotationException


# -- an empty form -------------------------------------------------------------------------------------------------


@dataclass
class Signup:
    name: str
    age: int


def test_empty_form_gives_none_for_an_optional_data_type() -> None:
    @post("/", sync_to_thread=False)
    def handler(data: Annotated[Signup | None, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> dict[str, Any]:
        return {"data": None if data is None else data.name}

    with create_test_client([handler]) as client:
        assert client.post("/", data={}).json() == {"data": None}
        assert client.post("/", data={"name": "Ada", "age": "36"}).json() == {"data": "Ada"}


def test_empty_form_is_refused_for_a_required_data_type() -> None:
    @post("/", sync_to_thread=False)
    def handler(data: Annotated[Signup, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> None:
        return None

    with create_test_client([handler]) as client:
        assert client.post("/", data={}).status_code == 400


def test_list_query_parameter_without_default_is_required() -> None:
    @get("/", sync_to_thread=False)
    def tagged(tags: list[str]) -> list[str]:
        return tags

    @get("/optional", sync_to_thread=False)
    def optional(tags: list[str] | None = None) -> list[str] | None:
        return tags

    with create_test_client([tagged, optional]) as client:
        missing = client.get("/")
        assert missing.status_code == 400
        assert missing.json()["detail"] == "Missing required query parameter 'tags' for path /"
        assert client.get("/?tags=a&tags=b").json() == ["a", "b"]
        assert client.get("/optional").json() is None
