"""Behaviour matched to Litestar's documented parameter and request-body examples."""

from __future__ import annotations

import importlib
from typing import Annotated, Any

import msgspec
import pytest

from outpour import MediaType, post
from outpour import get as get_route
from outpour.datastructures import UploadFile
from outpour.enums import RequestEncodingType
from outpour.params import Body, Parameter, PathParameter
from outpour.testing import create_test_client


@post("/packed", sync_to_thread=False)
def packed(data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MESSAGEPACK)]) -> dict[str, Any]:
    return data


@pytest.mark.parametrize(
    ("content_type", "payload", "status", "expected"),
    [
        pytest.param(None, msgspec.msgpack.encode({"k": [1, 2]}), 201, {"k": [1, 2]}, id="no-content-type"),
        pytest.param("application/json", msgspec.msgpack.encode({"k": "v"}), 201, {"k": "v"}, id="json-label-ignored"),
        pytest.param("application/vnd.msgpack", msgspec.msgpack.encode({}), 201, {}, id="msgpack-label"),
        pytest.param(None, b"\xc1", 400, None, id="garbage-is-400"),
    ],
)
def test_body_declared_msgpack_is_decoded_whatever_the_content_type(
    content_type: str | None, payload: bytes, status: int, expected: Any
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    with create_test_client([packed]) as client:
        response = client.post("/packed", content=payload, headers=headers)
    assert response.status_code == status
    if expected is not None:
        assert response.json() == expected
    else:
        assert "MessagePack" in response.json()["detail"]


@post("/one", media_type=MediaType.TEXT)
async def one_file(data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)]) -> str:
    return f"{data.filename}={(await data.read()).decode()}"


@post("/one-sync", media_type=MediaType.TEXT, sync_to_thread=False)
def one_file_sync(data: UploadFile = Body(media_type=RequestEncodingType.MULTI_PART)) -> str:  # noqa: B008
    return f"{data.filename}={data.file.read().decode()}"


@post("/maybe", media_type=MediaType.TEXT)
async def maybe_file(
    data: Annotated[UploadFile | None, Body(media_type=RequestEncodingType.MULTI_PART)] = None,
) -> str:
    return "none" if data is None else str(data.filename)


@post("/many")
async def many_files(data: Annotated[list[UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)]) -> list[Any]:
    return [[f.filename, len(await f.read())] for f in data]


@pytest.mark.parametrize(
    ("url", "files", "status", "body"),
    [
        pytest.param("/one", {"upload": ("a.txt", b"hey", "text/plain")}, 201, "a.txt=hey", id="single"),
        pytest.param("/one-sync", {"x": ("b.bin", b"zz", "application/octet-stream")}, 201, "b.bin=zz", id="sync"),
        pytest.param(
            "/one",
            [("f", ("first.txt", b"1", "text/plain")), ("f", ("second.txt", b"2", "text/plain"))],
            201,
            "first.txt=1",
            id="single-takes-first",
        ),
        pytest.param("/one", {"field": (None, "text only")}, 400, None, id="single-without-file"),
        pytest.param("/maybe", {"field": (None, "text only")}, 201, "none", id="optional-default"),
        pytest.param("/maybe", {"u": ("m.txt", b"m", "text/plain")}, 201, "m.txt", id="optional-given"),
        pytest.param(
            "/many",
            [("a", ("x.txt", b"abc", "text/plain")), ("b", ("y.txt", b"de", "text/plain")), ("c", (None, "skip"))],
            201,
            [["x.txt", 3], ["y.txt", 2]],
            id="list-of-all-files",
        ),
    ],
)
def test_upload_file_data_shapes(url: str, files: Any, status: int, body: Any) -> None:
    with create_test_client([one_file, one_file_sync, maybe_file, many_files]) as client:
        response = client.post(url, files=files)
    assert response.status_code == status, response.text
    if body is None:
        assert response.json()["status_code"] == 400
    elif isinstance(body, str):
        assert response.text == body
    else:
        assert response.json() == body


@get_route("/versions/{version:int}", sync_to_thread=False)
def version(version: Annotated[int, Parameter(ge=1, le=10)]) -> int:
    return version


@get_route("/code/{code:str}", sync_to_thread=False)
def code(code: Annotated[str, PathParameter(max_length=3, lower_case=True)]) -> str:
    return code


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("/versions/1", 200, id="int-low-bound"),
        pytest.param("/versions/10", 200, id="int-high-bound"),
        pytest.param("/versions/0", 400, id="int-below"),
        pytest.param("/versions/11", 400, id="int-above"),
        pytest.param("/code/abc", 200, id="str-ok"),
        pytest.param("/code/abcd", 400, id="str-too-long"),
        pytest.param("/code/ABC", 400, id="str-not-lower"),
    ],
)
def test_path_parameter_constraints_are_enforced(url: str, status: int) -> None:
    with create_test_client([version, code]) as client:
        response = client.get(url)
    assert response.status_code == status
    if status == 400:
        assert response.json()["extra"][0]["source"] == "path"


@get_route("/documented", sync_to_thread=False)
def documented(
    shown: Annotated[str, Parameter(description="shown", schema_component_key="shown_key")],
    hidden: Annotated[str | None, Parameter(include_in_schema=False)] = None,
) -> str:
    return f"{shown}{hidden}"


def test_parameter_documentation_keywords() -> None:
    with create_test_client([documented]) as client:
        assert client.get("/documented?shown=a&hidden=b").text == "ab"
        schema = client.get("/schema/openapi.json").json()
    names = [p["name"] for p in schema["paths"]["/documented"]["get"]["parameters"]]
    assert names == ["shown"]


@pytest.mark.parametrize(
    ("keyword", "value"),
    [
        pytest.param("content_encoding", "base64", id="content_encoding"),
        pytest.param("external_docs", None, id="external_docs"),
        pytest.param("schema_component_key", "Key", id="schema_component_key"),
        pytest.param("multipart_form_part_limit", 10, id="multipart_form_part_limit"),
    ],
)
def test_body_accepts_documented_keywords(keyword: str, value: Any) -> None:
    kwarg = Body(**{keyword: value})
    assert getattr(kwarg, keyword) == value


@post("/optional-body", sync_to_thread=False)
def optional_body(data: Annotated[dict[str, int], Body()] = {"fallback": 1}) -> dict[str, int]:  # noqa: B006
    return data


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", {"fallback": 1}, id="empty-uses-default"),
        pytest.param(b'{"given": 2}', {"given": 2}, id="given"),
    ],
)
def test_body_default_is_used_for_an_empty_body(content: bytes, expected: dict[str, int]) -> None:
    with create_test_client([optional_body]) as client:
        response = client.post("/optional-body", content=content)
    assert response.json() == expected


@pytest.mark.parametrize(
    ("module", "name"),
    [
        pytest.param("outpour.openapi.spec.example", "Example", id="example"),
        pytest.param("outpour.openapi.spec.external_documentation", "ExternalDocumentation", id="external-docs"),
        pytest.param("outpour.openapi.spec.info", "Info", id="info"),
        pytest.param("outpour.openapi.spec.server", "Server", id="server"),
        pytest.param("outpour.openapi.spec.tag", "Tag", id="tag"),
        pytest.param("outpour.openapi.spec.schema", "Schema", id="schema"),
        pytest.param("outpour.openapi.spec.enums", "OpenAPIType", id="enums"),
        pytest.param("outpour.openapi.spec.security_scheme", "SecurityScheme", id="security-scheme"),
        pytest.param("outpour.openapi.spec.components", "Components", id="components"),
    ],
)
def test_openapi_spec_objects_are_importable_from_their_own_modules(module: str, name: str) -> None:
    package = importlib.import_module("outpour.openapi.spec")
    assert getattr(importlib.import_module(module), name) is getattr(package, name)


@pytest.mark.parametrize(
    ("extras", "opt", "expected"),
    [
        pytest.param({"no_timeout": True}, None, {"no_timeout": True}, id="extra-only"),
        pytest.param({"flag": 1}, {"kept": 2}, {"kept": 2, "flag": 1}, id="merged-with-opt"),
        pytest.param({"kept": 3}, {"kept": 2}, {"kept": 3}, id="extra-wins"),
    ],
)
def test_handler_extra_keywords_become_opt(extras: dict[str, Any], opt: dict[str, Any] | None, expected: Any) -> None:
    options: dict[str, Any] = {**extras, **({"opt": opt} if opt is not None else {})}
    handler = get_route("/", **options)
    assert dict(handler.opt or {}) == expected


def test_scope_type_has_the_asgi_member() -> None:
    from outpour.enums import ScopeType

    assert ScopeType("asgi") is ScopeType.ASGI
