"""``RequestFactory`` builds requests with a full scope, for calling guards and other request consumers directly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from outpour import Outpour, Request, get
from outpour.datastructures import Cookie, UploadFile
from outpour.enums import RequestEncodingType
from outpour.testing import RequestFactory


@dataclass
class Point:
    x: int
    y: int


def test_get_scope_parts() -> None:
    request = RequestFactory().get(
        "/items/7",
        headers={"X-Trace": "abc"},
        cookies=[Cookie(key="flavour", value="oat")],
        query_params={"tag": ["a", "b"], "page": "2"},
        path_params={"item_id": "7"},
        state={"counter": 3},
        user="ada",
        auth="token-1",
        session={"cart": [1]},
    )
    assert isinstance(request, Request)
    assert request.method == "GET"
    assert str(request.url) == "http://test.org:3000/items/7?tag=a&tag=b&page=2"
    assert str(request.base_url) == "http://test.org:3000/"
    assert request.headers["x-trace"] == "abc"
    assert request.cookies == {"flavour": "oat"}
    assert request.query_params.getall("tag") == ["a", "b"]
    assert request.path_params == {"item_id": "7"}
    assert request.state.counter == 3
    assert (request.user, request.auth, request.session) == ("ada", "token-1", {"cart": [1]})
    assert request.client is not None
    assert (request.client.host, request.client.port) == ("test.org", 3000)
    assert request.scope["http_version"] == "1.1"
    assert isinstance(request.app, Outpour)


@pytest.mark.parametrize(
    ("kwargs", "url"),
    [
        pytest.param({}, "http://test.org:3000/x", id="defaults"),
        pytest.param(
            {"server": "example.com", "port": 8443, "scheme": "https", "root_path": "/api"},
            "https://example.com:8443/api/x",
            id="custom-server",
        ),
    ],
)
def test_factory_options_shape_the_url(kwargs: dict[str, Any], url: str) -> None:
    assert str(RequestFactory(**kwargs).get("/x").url) == url


def test_cookie_header_string_and_given_app() -> None:
    app = Outpour()
    request = RequestFactory(app=app).get(cookies="a=1; b=2", http_version="2")
    assert request.cookies == {"a": "1", "b": "2"}
    assert request.app is app
    assert request.scope["http_version"] == "2"


def test_default_route_handler_uses_the_method_and_handler_kwargs() -> None:
    factory = RequestFactory(handler_kwargs={"opt": {"secret": "s3"}})
    for make, method in ((factory.get, "GET"), (factory.delete, "DELETE"), (factory.post, "POST")):
        handler = make().route_handler
        assert handler.http_methods == {method} or list(handler.http_methods) == [method]
        assert handler.opt["secret"] == "s3"


def test_given_route_handler_is_used() -> None:
    @get("/secret", opt={"secret": "x"}, sync_to_thread=False)
    def secret() -> None:
        return None

    assert RequestFactory().get("/secret", route_handler=secret).route_handler is secret


@pytest.mark.anyio
@pytest.mark.parametrize("method", ["post", "put", "patch"])
@pytest.mark.parametrize(
    ("media_type", "data", "content_type", "expected"),
    [
        pytest.param(
            RequestEncodingType.JSON, {"a": 1, "b": [1, 2]}, "application/json", {"a": 1, "b": [1, 2]}, id="json"
        ),
        pytest.param(RequestEncodingType.JSON, Point(1, 2), "application/json", {"x": 1, "y": 2}, id="json-dataclass"),
        pytest.param(
            RequestEncodingType.URL_ENCODED,
            {"a": "1", "b": ["x", "y"]},
            "application/x-www-form-urlencoded",
            {"a": "1", "b": ["x", "y"]},
            id="urlencoded",
        ),
        pytest.param(
            RequestEncodingType.URL_ENCODED,
            Point(3, 4),
            "application/x-www-form-urlencoded",
            {"x": "3", "y": "4"},
            id="urlencoded-dataclass",
        ),
        pytest.param(
            RequestEncodingType.MULTI_PART,
            {"a": "1", "n": 2, "flag": True, "b": ["x", "y"]},
            "multipart/form-data",
            {"a": "1", "n": "2", "flag": "true", "b": ["x", "y"]},
            id="multipart",
        ),
    ],
)
async def test_bodies(
    method: str, media_type: RequestEncodingType, data: Any, content_type: str, expected: dict[str, Any]
) -> None:
    request = getattr(RequestFactory(), method)("/p", data=data, request_media_type=media_type)
    assert request.method == method.upper()
    assert request.headers["content-type"].split(";")[0] == content_type
    body = await request.body()
    assert request.headers["content-length"] == str(len(body))
    if media_type is RequestEncodingType.JSON:
        assert await request.json() == expected
    else:
        form = await request.form()
        assert {key: (values if len(values := form.getall(key)) > 1 else values[0]) for key in form} == expected


@pytest.mark.anyio
async def test_msgpack_body() -> None:
    request = RequestFactory().post("/", data={"a": 1}, request_media_type=RequestEncodingType.MESSAGEPACK)
    assert request.headers["content-type"] == "application/vnd.msgpack"
    assert await request.msgpack() == {"a": 1}


@pytest.mark.anyio
async def test_multipart_with_files_and_explicit_headers_win() -> None:
    request = RequestFactory().post(
        "/upload",
        data={"name": "doc"},
        files={"upload": ("a.txt", b"hello", "text/plain")},
        request_media_type=RequestEncodingType.MULTI_PART,
    )
    form = await request.form()
    assert form["name"] == "doc"
    upload = form["upload"]
    assert isinstance(upload, UploadFile)
    assert await upload.read() == b"hello"
    await upload.close()
    custom = RequestFactory().post("/", data={"a": 1}, headers={"Content-Type": "text/x-custom"})
    assert custom.headers.getall("content-type") == ["text/x-custom"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda f: f.get(), id="get"),
        pytest.param(lambda f: f.delete(), id="delete"),
        pytest.param(lambda f: f.patch(), id="patch-without-data"),
    ],
)
async def test_no_body(make: Any) -> None:
    request = make(RequestFactory())
    assert await request.body() == b""
    assert "content-type" not in request.headers
