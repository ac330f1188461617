"""The OpenAPI document of handlers, and the routes serving it: JSON, YAML, pages, local assets, caching."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

import msgspec
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from openapi_spec_validator import validate

from outpour import Controller, MediaType, Outpour, Router, asgi, delete, get, head, post, route
from outpour.app import DEFAULT_OPENAPI_CONFIG
from outpour.datastructures import UploadFile
from outpour.di import Provide
from outpour.enums import RequestEncodingType
from outpour.exceptions import HTTPException, ImproperlyConfiguredException, NotFoundException, ValidationException
from outpour.openapi import OpenAPIConfig, ResponseSpec, create_openapi_router, get_openapi_schema
from outpour.openapi._yaml import dump_yaml, emit_yaml
from outpour.openapi.config import default_operation_id_creator
from outpour.openapi.plugins import (
    JsonRenderPlugin,
    RapidocRenderPlugin,
    RedocRenderPlugin,
    ScalarRenderPlugin,
    SwaggerRenderPlugin,
    YamlRenderPlugin,
)
from outpour.openapi.spec import (
    Components,
    Contact,
    Example,
    ExternalDocumentation,
    Info,
    License,
    OpenAPI,
    OpenAPIResponse,
    Operation,
    PathItem,
    Schema,
    Server,
)
from outpour.params import Body, Parameter, QueryParameter
from outpour.response import File, Response
from outpour.serialization import encode_json
from outpour.testing import TestClient
from outpour.types import ASGIApp, Receive, Scope, Send


@dataclass
class Item:
    id: int
    name: str


def document(*handlers: Any, **config: Any) -> dict[str, Any]:
    app = Outpour(list(handlers), openapi_config=OpenAPIConfig(**config))
    result = get_openapi_schema(app)
    assert result is not None
    validate(result)
    return result


def operation(doc: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    return doc["paths"][path][method]  # type: ignore[no-any-return]


# -- the routes -------------------------------------------------------------------------------------------------------


@get("/items/{item_id:int}")
async def get_item(item_id: int) -> Item:
    return Item(item_id, "x")


def test_schema_routes_serve_json_yaml_and_pages() -> None:
    app = Outpour([get_item], openapi_config=OpenAPIConfig(title="T <&>", version="2"))
    with TestClient(app) as client:
        as_json = client.get("/schema/openapi.json")
        as_yaml = client.get("/schema/openapi.yaml")
        as_yml = client.get("/schema/openapi.yml")
        pages = {
            path: client.get(path)
            for path in (
                "/schema",
                "/schema/scalar",
                "/schema/swagger",
                "/schema/redoc",
                "/schema/rapidoc",
                "/schema/elements",
            )
        }
        head_json = client.head("/schema/openapi.json")
    assert as_json.headers["content-type"] == "application/vnd.oai.openapi+json"
    assert as_json.json()["info"] == {"title": "T <&>", "version": "2"}
    assert as_yaml.headers["content-type"] == "application/vnd.oai.openapi"
    assert yaml.safe_load(as_yaml.text) == as_json.json() == yaml.safe_load(as_yml.text)
    assert (head_json.status_code, head_json.content) == (200, b"")
    for path, page in pages.items():
        assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8"), path
        assert "<title>T &lt;&amp;&gt;</title>" in page.text
        assert "/schema/openapi.json" in page.text
    assert pages["/schema"].text == pages["/schema/scalar"].text
    assert '"/schema/_assets/swagger/swagger-ui-bundle.js?v=' in pages["/schema/swagger"].text
    assert '"/schema/_assets/redoc/redoc.standalone.js?v=' in pages["/schema/redoc"].text
    assert not any("https://" in page.text for page in pages.values())
    assert not any(path.startswith("/schema") for path in as_json.json()["paths"])


def test_no_config_serves_no_schema() -> None:
    app = Outpour([get_item], openapi_config=None)
    with TestClient(app) as client:
        assert client.get("/schema/openapi.json").status_code == 404
        assert client.get("/schema").status_code == 404
    assert get_openapi_schema(app) is None
    with pytest.raises(ImproperlyConfiguredException, match="created with `openapi_config=None`"):
        app.openapi_schema  # noqa: B018


def test_the_schema_is_on_by_default() -> None:
    app = Outpour([get_item])
    with TestClient(app) as client:
        served = client.get("/schema/openapi.json")
        page = client.get("/schema")
    assert app.openapi_config is DEFAULT_OPENAPI_CONFIG
    assert served.json()["info"] == {"title": "Outpour API", "version": "1.0.0"}
    assert list(served.json()["paths"]) == ["/items/{item_id}"]
    assert "/schema/_assets/scalar/standalone.js?v=" in page.text
    assert app.openapi_schema is app.openapi_schema  # built once
    assert isinstance(app.openapi_schema, OpenAPI)
    assert encode_json(app.openapi_schema.to_schema()) == served.content  # the served bytes, key order included


def test_openapi_json_bytes_are_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from outpour import serialization

    encodes: list[int] = []
    real = serialization.encode_json

    def counting(value: Any, *args: Any, **kwargs: Any) -> bytes:
        if isinstance(value, dict) and "openapi" in value:
            encodes.append(1)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(serialization, "encode_json", counting)
    with TestClient(Outpour([get_item])) as client:
        bodies = {client.get("/schema/openapi.json").content for _ in range(3)}
    assert len(bodies) == 1
    assert len(encodes) == 1


def test_the_document_is_built_once_and_rebuilt_with_new_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    from outpour.openapi import _generator

    builds: list[int] = []
    real = _generator.build_openapi

    def counting(app: Any, config: Any, operation_classes: Any = None) -> dict[str, Any]:
        builds.append(1)
        return real(app, config, operation_classes)

    monkeypatch.setattr(_generator, "build_openapi", counting)
    app = Outpour([get_item], openapi_config=OpenAPIConfig())
    with TestClient(app) as client:
        first = client.get("/schema/openapi.json").content
        assert client.get("/schema/openapi.json").content == first
        client.get("/schema/openapi.yaml")
        client.get("/schema/swagger")
        assert len(builds) == 1

        @get("/more")
        async def more() -> str:
            return ""

        app.register(more)
        assert "/more" in client.get("/schema/openapi.json").json()["paths"]
    assert len(builds) == 2


def test_update_openapi_schema_rebuilds_the_document_after_changes_in_place() -> None:
    """A change the app cannot see (the config's attributes) appears once the document is updated."""
    config = OpenAPIConfig(title="Before", version="1")
    app = Outpour([get_item], openapi_config=config)
    with TestClient(app) as client:
        first = app.openapi_schema
        assert first.info.title == client.get("/schema/openapi.json").json()["info"]["title"] == "Before"
        config.title, config.description = "After", "Now described"
        assert app.openapi_schema is first
        app.update_openapi_schema()
        served = client.get("/schema/openapi.json").json()
    document = app.openapi_schema
    assert document is not first
    assert (document.info.title, document.info.description) == ("After", "Now described")
    assert served["info"] == {"title": "After", "version": "1", "description": "Now described"}


def test_update_openapi_schema_without_a_document_raises() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="created with `openapi_config=None`"):
        Outpour([get_item], openapi_config=None).update_openapi_schema()


def test_custom_path_plugins_and_local_assets(tmp_path: Path) -> None:
    script = tmp_path / "swagger-ui-bundle.js"
    script.write_text("window.ok = 1;", encoding="utf-8")
    plugins = [
        SwaggerRenderPlugin(js_url=script, css_url="https://example.com/s.css", path="/"),
        RapidocRenderPlugin(path=["/rapidoc", "/rapi"]),
        ScalarRenderPlugin(css_url="https://example.com/scalar.css", options={"theme": "moon"}),
        JsonRenderPlugin(path="/spec.json"),
        YamlRenderPlugin(path="/spec.yaml"),
        JsonRenderPlugin(),  # already served: skipped
    ]
    app = Outpour([get_item], path="/v1", openapi_config=OpenAPIConfig(path="/docs", render_plugins=plugins))
    with TestClient(app) as client:
        root = client.get("/v1/docs")
        asset = client.get("/v1/docs/_assets/swagger/swagger-ui-bundle.js")
        missing = client.get("/v1/docs/_assets/swagger/nope.js")
        rapi = client.get("/v1/docs/rapi")
        scalar = client.get("/v1/docs/scalar")
        spec_json = client.get("/v1/docs/spec.json")
        spec_yaml = client.get("/v1/docs/spec.yaml")
    assert 'src="/v1/docs/_assets/swagger/swagger-ui-bundle.js?v=' in root.text
    assert "https://example.com/s.css" in root.text
    assert (asset.text, asset.headers["content-type"]) == ("window.ok = 1;", "text/javascript; charset=utf-8")
    assert missing.status_code == 404
    assert 'spec-url="/v1/docs/openapi.json"' in rapi.text
    assert "https://example.com/scalar.css" in scalar.text
    assert "&quot;theme&quot;: &quot;moon&quot;" in scalar.text
    assert spec_json.json()["paths"] == {"/v1/items/{item_id}": spec_json.json()["paths"]["/v1/items/{item_id}"]}
    assert yaml.safe_load(spec_yaml.text) == spec_json.json()


def test_redoc_without_google_fonts() -> None:
    app = Outpour([], openapi_config=OpenAPIConfig(render_plugins=[RedocRenderPlugin(google_fonts=False)]))
    with TestClient(app) as client:
        page = client.get("/schema/redoc").text
    assert "fonts.googleapis.com" not in page


def test_create_openapi_router_is_excluded_from_the_schema() -> None:
    router = create_openapi_router(OpenAPIConfig(path="/api-docs"))
    assert isinstance(router, Router)
    assert (router.path, getattr(router, "include_in_schema", None)) == ("/api-docs", False)


def test_config_checks_its_path() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="must be a path such as `/schema`"):
        OpenAPIConfig(path=b"/schema")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "expected"),
    [("docs", "/docs"), ("/docs/", "/docs"), ("docs/", "/docs"), ("/", "/"), ("", "/")],
)
def test_config_normalizes_its_path(given: str, expected: str) -> None:
    assert OpenAPIConfig(path=given).path == expected


# -- the document -----------------------------------------------------------------------------------------------------


def test_info_servers_tags_security_webhooks_components() -> None:
    doc = document(
        get_item,
        title="A",
        version="3",
        description="desc",
        summary="sum",
        contact=Contact(name="me", email="me@example.com"),
        license=License(name="MIT", identifier="MIT"),
        terms_of_service="https://example.com/tos",
        external_docs=ExternalDocumentation(url="https://example.com/docs"),
        servers=[Server(url="https://api.example.com")],
        security=[{"key": []}],
        webhooks={"ping": PathItem(post=Operation(responses={"200": OpenAPIResponse(description="ok")}))},
        components=[
            Components(schemas={"Extra": Schema(type="string", examples=["x"])}),
            Components(security_schemes={"key": {"type": "apiKey", "name": "k", "in": "header"}}),  # type: ignore[dict-item]
        ],
    )
    assert doc["info"] == {
        "title": "A",
        "version": "3",
        "summary": "sum",
        "description": "desc",
        "termsOfService": "https://example.com/tos",
        "contact": {"name": "me", "email": "me@example.com"},
        "license": {"name": "MIT", "identifier": "MIT"},
    }
    assert doc["servers"] == [{"url": "https://api.example.com"}]
    assert doc["security"] == [{"key": []}]
    assert doc["externalDocs"] == {"url": "https://example.com/docs"}
    assert doc["webhooks"]["ping"]["post"]["responses"]["200"] == {"description": "ok"}
    assert doc["components"]["schemas"]["Extra"] == {"type": "string", "examples": ["x"]}
    assert set(doc["components"]["schemas"]) == {"Extra", "Item"}
    assert "key" in doc["components"]["securitySchemes"]


def test_info_object_replaces_the_fields() -> None:
    doc = document(info=Info(title="Given", version="9"), title="ignored")
    assert doc["info"] == {"title": "Given", "version": "9"}
    assert doc["paths"] == {}
    assert doc["components"] == {"schemas": {}}


@pytest.mark.parametrize(
    ("media_type", "returns", "expected"),
    [
        pytest.param(None, "dict[str, int]", {"application/json": {"type": "object"}}, id="json"),
        pytest.param(MediaType.TEXT, "str", {"text/plain": {"type": "string"}}, id="text"),
        pytest.param(MediaType.HTML, "str", {"text/html": {"type": "string"}}, id="html"),
        pytest.param(MediaType.MESSAGEPACK, "list[int]", {"application/vnd.msgpack": {"type": "array"}}, id="msgpack"),
        pytest.param("application/vnd.x+json", "int", {"application/vnd.x+json": {"type": "integer"}}, id="+json"),
        pytest.param(MediaType.JSON, "bytes", {"application/json": {}}, id="raw-json-bytes"),
        pytest.param(None, "bytes", {"text/plain": {"type": "string"}}, id="bytes-are-text"),
        pytest.param("application/pdf", "bytes", {"application/pdf": {"type": "string"}}, id="bytes"),
        pytest.param(None, "Response[Item]", {"application/json": {"$ref": "#/components/schemas/Item"}}, id="resp"),
        pytest.param(None, "Response", {"application/json": {}}, id="bare-response"),
    ],
)
def test_success_media_type_and_body(media_type: str | None, returns: str, expected: dict[str, Any]) -> None:
    namespace: dict[str, Any] = {}
    exec(
        f"async def handler() -> {returns}: ...",
        {"Item": Item, "Response": Response, "Any": Any},
        namespace,
    )
    handler = get("/x", media_type=media_type)(namespace["handler"])
    content = operation(document(handler), "/x")["responses"]["200"]["content"]
    got = {key: value["schema"] for key, value in content.items()}
    assert {k: {kk: vv for kk, vv in v.items() if kk in expected[k]} for k, v in got.items()} == expected


def test_status_codes_bodyless_asgi_and_head() -> None:
    @post("/things")
    async def create() -> Item:
        return Item(1, "a")

    @delete("/things/{thing_id:int}")
    async def remove(thing_id: int) -> None:
        return None

    @get("/raw")
    async def raw() -> ASGIApp:
        async def app(scope: Scope, receive: Receive, send: Send) -> None: ...

        return app

    @head("/ping")
    async def ping() -> None:
        return None

    @asgi("/mounted")
    async def mounted(scope: Scope, receive: Receive, send: Send) -> None: ...

    doc = document(create, remove, raw, ping, mounted)
    assert list(operation(doc, "/things", "post")["responses"]) == ["201"]
    no_content = {"description": "Request fulfilled, nothing follows", "headers": {}}
    assert operation(doc, "/things/{thing_id}", "delete")["responses"]["204"] == no_content
    document_follows = {"description": "Request fulfilled, document follows", "headers": {}}
    assert operation(doc, "/raw")["responses"]["200"] == document_follows
    assert list(doc["paths"]["/ping"]) == ["head"]  # a handler declared for HEAD is an operation
    assert operation(doc, "/ping", "head")["responses"]["200"] == document_follows
    assert "/mounted" not in doc["paths"]
    assert "head" not in doc["paths"]["/raw"]  # the automatic HEAD answer of a GET route is not


def test_a_route_declared_for_get_and_head_documents_both() -> None:
    @route("/both", http_method=["GET", "HEAD"])
    async def both() -> None:
        return None

    doc = document(both)
    assert sorted(doc["paths"]["/both"]) == ["get", "head"]
    validate(doc)


def test_include_in_schema_on_every_layer() -> None:
    @get("/a", include_in_schema=False)
    async def hidden_handler() -> str:
        return ""

    @get("/b")
    async def shown() -> str:
        return ""

    class Hidden(Controller):
        path = "/c"
        include_in_schema = False

        @get("/")
        async def inside(self) -> str:
            return ""

        @get("/shown", include_in_schema=True)
        async def back(self) -> str:
            return ""

    doc = document(hidden_handler, shown, Hidden, Router("/r", route_handlers=[shown], include_in_schema=False))
    assert list(doc["paths"]) == ["/b", "/c/shown"]


def test_operation_ids_summaries_descriptions_tags_deprecation() -> None:
    @route("/one", http_method=["GET", "POST"], operation_id="Same")
    async def multi() -> str:
        """Several paths and methods."""
        return ""

    @get("/documented", summary="S", description="D", tags=["t2", "t1"], deprecated=True, response_description="R")
    async def documented() -> str:
        return ""

    @get("/by-function", operation_id=lambda handler, method, parts: f"{method.lower()}_{handler.handler_name}")
    async def by_function() -> str:
        """First line.

        More.
        """
        return ""

    doc = document(multi, documented, by_function, use_handler_docstrings=True, tags=None)
    ids = [operation(doc, "/one", m)["operationId"] for m in ("get", "post")]
    assert ids == ["GetSame", "PostSame"]  # a handler of several methods: its id is prefixed with each method
    assert operation(doc, "/one")["summary"] == "Multi"
    assert operation(doc, "/one")["description"] == "Several paths and methods."
    documented_op = operation(doc, "/documented")
    assert (documented_op["summary"], documented_op["description"], documented_op["tags"]) == ("S", "D", ["t1", "t2"])
    assert documented_op["deprecated"] is True
    assert documented_op["responses"]["200"]["description"] == "R"
    assert operation(doc, "/by-function")["operationId"].startswith("get_")
    assert operation(doc, "/by-function")["description"] == "First line.\n\nMore."


def test_default_operation_id_creator() -> None:
    from outpour._routing import parse_template

    template = parse_template("/user-items/{item_id:int}/v2")
    assert default_operation_id_creator(get_item, "GET", list(template.segments)) == "UserItemsItemIdV2GetItem"
    assert default_operation_id_creator(get_item, "GET", []) == "GetItem"


class Filters(msgspec.Struct):
    color: str


def test_parameters_from_handlers_dependencies_and_templates() -> None:
    async def provide_page(page: Annotated[int, Parameter(ge=1, description="Page")] = 1) -> int:
        return page

    mixed_examples: list[Any] = [Example(value="cat"), "dog", object()]  # plain values too; unusable ones are left out

    @get("/search/{owner:str}/{rest:path}", dependencies={"page": Provide(provide_page)})
    async def search(
        page: int,
        q: Annotated[str, Parameter(query="query", examples=mixed_examples, required=True)],
        ids: list[int],
        token: Annotated[str, Parameter(header="X-Token", min_length=8)],
        accept: Annotated[str | None, Parameter(header="Accept")] = None,
        session: Annotated[str | None, Parameter(cookie="sid")] = None,
        choice: Annotated[int | None, Parameter(required=False)] = None,
    ) -> str:
        return ""

    params = {(p["in"], p["name"]): p for p in operation(document(search), "/search/{owner}/{rest}")["parameters"]}
    assert set(params) == {
        ("query", "page"),
        ("query", "query"),
        ("query", "ids"),
        ("header", "X-Token"),
        ("cookie", "sid"),
        ("query", "choice"),
        ("path", "owner"),
        ("path", "rest"),
    }
    assert params[("query", "page")] == {
        "name": "page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "default": 1},
        "description": "Page",
    }
    assert params[("query", "query")]["examples"] == {
        "query-example-1": {"value": "cat"},
        "query-example-2": {"value": "dog"},
    }
    assert params[("query", "query")]["required"] is True
    assert params[("query", "ids")]["required"] is True  # as the request is checked: a list without a default
    assert params[("query", "ids")]["schema"] == {"type": "array", "items": {"type": "integer"}}
    assert params[("header", "X-Token")]["schema"] == {"type": "string", "minLength": 8}
    assert params[("query", "choice")]["schema"] == {"oneOf": [{"type": "integer"}, {"type": "null"}]}
    assert params[("path", "rest")] == {"name": "rest", "in": "path", "required": True, "schema": {"type": "string"}}


def test_request_bodies() -> None:
    @post("/json")
    async def as_json(data: Annotated[Item, Body(description="An item", examples=[Example(value={"id": 1})])]) -> None:
        return None

    @post("/optional")
    async def optional(data: Item | None = None) -> None:
        return None

    @post("/form")
    async def form(data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]) -> None:
        return None

    @dataclass
    class Upload:
        file: UploadFile
        note: str

    @post("/upload", signature_namespace={"Upload": Upload})
    async def upload(data: Annotated[Upload, Body(media_type=RequestEncodingType.MULTI_PART)]) -> None:
        return None

    @post("/raw")
    async def raw(body: bytes) -> None:
        return None

    doc = document(as_json, optional, form, upload, raw)
    body = operation(doc, "/json", "post")["requestBody"]
    assert body == {
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Item"},
                "examples": {"body-example-1": {"value": {"id": 1}}},
            }
        },
        "required": True,
        "description": "An item",
    }
    assert operation(doc, "/optional", "post")["requestBody"]["required"] is False
    assert "application/x-www-form-urlencoded" in operation(doc, "/form", "post")["requestBody"]["content"]
    multipart = operation(doc, "/upload", "post")["requestBody"]["content"]["multipart/form-data"]
    upload_schema = doc["components"]["schemas"]["test_request_bodies.Upload"]  # a local class: named by qualname
    assert upload_schema["properties"]["file"]["format"] == "binary"
    assert multipart["schema"] == {"$ref": "#/components/schemas/test_request_bodies.Upload"}
    assert operation(doc, "/raw", "post")["requestBody"] == {
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        "required": False,
    }
    assert "400" not in operation(doc, "/raw", "post")["responses"]


def test_error_responses_raises_validation_and_response_specs() -> None:
    @get(
        "/items/{item_id:int}",
        raises=[NotFoundException, ValidationException],
        responses={
            409: ResponseSpec(Item, description="Conflict", examples=[Example(value={"id": 1, "name": "a"})]),
            410: ResponseSpec(None, description="Gone"),
            418: OpenAPIResponse(description="Teapot"),
        },
    )
    async def fetch(item_id: int) -> Item:
        return Item(item_id, "a")

    @get("/plain/{name:str}")
    async def plain(name: str) -> str:
        return name

    doc = document(fetch, plain)
    responses = operation(doc, "/items/{item_id}")["responses"]
    assert list(responses) == ["200", "400", "404", "409", "410", "418"]
    assert responses["404"]["description"] == "Not Found (NotFoundException)"
    assert responses["400"]["description"] == "Bad Request (ValidationException)"
    assert responses["409"]["content"]["application/json"]["examples"] == {
        "response-example-1": {"value": {"id": 1, "name": "a"}}
    }
    assert responses["410"] == {"description": "Gone"}
    assert responses["418"] == {"description": "Teapot"}
    assert list(operation(doc, "/plain/{name}")["responses"]) == ["200"]


NEGOTIATED = [
    ResponseSpec(str, description="Negotiated", media_type=MediaType.HTML),
    ResponseSpec(Item, media_type=MediaType.JSON),
    ResponseSpec(bytes, media_type="application/vnd.msgpack"),
    ResponseSpec(None, media_type=MediaType.TEXT),
]


def test_a_sequence_of_response_specs_documents_content_negotiation() -> None:
    @get("/negotiate", responses={200: NEGOTIATED}, response_headers={"X-Layer": "yes"})
    async def negotiate() -> Response[Any]:
        return Response("x")

    doc = document(negotiate)
    validate(doc)
    success = operation(doc, "/negotiate")["responses"]["200"]
    assert success["description"] == "Negotiated"
    assert success["content"] == {
        "text/html": {"schema": {"type": "string"}},
        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}},
        "application/vnd.msgpack": {"schema": {}},
    }
    assert "X-Layer" in success["headers"]


def test_a_response_spec_for_another_status_does_not_take_the_success_headers() -> None:
    @get("/a", responses={404: [ResponseSpec(None, description="Gone")]}, response_headers={"X-Layer": "yes"})
    async def handler() -> str:
        return "x"

    assert operation(document(handler), "/a")["responses"]["404"] == {"description": "Gone"}


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param([], id="empty"),
        pytest.param([ResponseSpec(str), {"description": "x"}], id="not-response-specs"),
    ],
)
def test_a_sequence_of_other_things_is_a_configuration_error(spec: Any) -> None:
    @get("/a", responses={200: spec})
    async def handler() -> str:
        return "x"

    with pytest.raises(ImproperlyConfiguredException, match="one `ResponseSpec` per media type"):
        document(handler)


def test_layered_headers_cookies_cache_control_and_etag_are_documented() -> None:
    from outpour.datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader

    @get(
        "/",
        response_headers={"x-plain": "1", "content-type": "text/plain"},
        response_cookies=[Cookie(key="only", documentation_only=True)],
        etag=ETag(documentation_only=True),
    )
    async def handler() -> str:
        return ""

    router = Router(
        "/r",
        route_handlers=[handler],
        response_headers=[ResponseHeader(name="X-Old", value="v", deprecated=True, required=True, example="e")],
        cache_control=CacheControlHeader(no_store=True),
    )
    headers = operation(document(router), "/r")["responses"]["200"]["headers"]
    assert headers == {
        "X-Old": {"schema": {"type": "string", "examples": ["e"]}, "required": True, "deprecated": True},
        "x-plain": {"schema": {"type": "string", "examples": ["1"]}},
        "Set-Cookie": {"schema": {"type": "string"}, "description": "Sets the cookies `only`"},
        "Cache-Control": {"schema": {"type": "string", "examples": ["no-store"]}},
        "ETag": {"schema": {"type": "string"}},
    }


def test_a_response_header_documents_every_openapi_field_a_header_object_allows() -> None:
    """``allow_empty_value`` and ``allow_reserved`` are left out: OpenAPI 3.1 forbids them in a header object."""
    from outpour.datastructures import ResponseHeader
    from outpour.openapi.spec import Example, OpenAPIHeader

    with pytest.warns(DeprecationWarning, match="is deprecated and ignored"):
        full = ResponseHeader(
            name="X-Full",
            value="a,b",
            description="Every field",
            required=True,
            deprecated=True,
            allow_empty_value=True,
            style="simple",
            explode=False,
            allow_reserved=True,
            examples={"two": Example(summary="Two items", value="a,b")},
        )

    @get("/", response_headers=[full, ResponseHeader(name="X-Bare", value="1")])
    async def handler() -> str:
        return ""

    doc = document(handler)
    validate(doc)
    headers = operation(doc, "/")["responses"]["200"]["headers"]
    assert headers["X-Full"] == {
        "schema": {"type": "string", "examples": ["a,b"]},
        "description": "Every field",
        "required": True,
        "deprecated": True,
        "style": "simple",
        "explode": False,
        "examples": {"two": {"summary": "Two items", "value": "a,b"}},
    }
    assert headers["X-Bare"] == {"schema": {"type": "string", "examples": ["1"]}}
    read = Outpour([handler]).openapi_schema.paths["/"].get.responses["200"].headers["X-Full"]  # type: ignore[union-attr,index]
    assert isinstance(read, OpenAPIHeader)
    assert (read.style, read.explode, read.allow_reserved, read.examples) == (
        "simple",
        False,
        None,
        {"two": Example(summary="Two items", value="a,b")},
    )


def test_redirect_uses_a_redirect_status() -> None:
    from outpour.response import Redirect

    @get("/a")
    async def a() -> Redirect:
        return Redirect("/b")

    @get("/b", status_code=307)
    async def b() -> Redirect:
        return Redirect("/a")

    doc = document(a, b)
    assert list(operation(doc, "/a")["responses"]) == ["302"]
    assert list(operation(doc, "/b")["responses"]) == ["307"]


def test_file_stream_and_template_media_types() -> None:
    from outpour.response import File, Stream, Template

    @get("/file")
    async def file() -> File:
        return File("x")

    @get("/json-stream")
    async def json_stream() -> Stream:
        return Stream([b"1"])

    @get("/page", media_type="application/xhtml+xml")
    async def page() -> Template:
        return Template(template_str="x")

    doc = document(file, json_stream, page)
    assert operation(doc, "/file")["responses"]["200"]["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}
    }
    assert operation(doc, "/json-stream")["responses"]["200"]["content"] == {"application/json": {"schema": {}}}
    assert list(operation(doc, "/page")["responses"]["200"]["content"]) == ["application/xhtml+xml"]


# -- YAML -------------------------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters(codec="utf-8", exclude_categories=["Cs"])),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_the_fallback_yaml_emitter_round_trips(value: Any) -> None:
    assert yaml.safe_load(emit_yaml(value)) == value


def test_yaml_emitter_specials_and_pyyaml_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    assert yaml.safe_load(emit_yaml({"a": [float("inf"), float("-inf")], "b": {}, "c": []})) == {
        "a": [float("inf"), float("-inf")],
        "b": {},
        "c": [],
    }
    assert emit_yaml({"x": float("nan")}) == '"x": .nan\n'
    import sys

    monkeypatch.setitem(sys.modules, "yaml", None)
    assert dump_yaml({"a": 1}) == '"a": 1\n'


def test_a_list_parameter_without_a_default_is_documented_as_the_request_is_checked() -> None:
    @get("/items")
    async def items(tags: list[str], pages: list[int] | None = None) -> list[str]:
        return tags

    app = Outpour([items])
    doc = get_openapi_schema(app)
    assert doc is not None
    params = {p["name"]: p for p in operation(doc, "/items")["parameters"]}
    assert params["tags"]["required"] is True
    assert params["pages"]["required"] is False
    with TestClient(app) as client:
        assert client.get("/items").status_code == 400  # `tags` missing
        assert client.get("/items?tags=a&tags=b").json() == ["a", "b"]


def test_a_path_parameter_keeps_its_description_and_constraints() -> None:
    @get("/users/{user_id:int}")
    async def user(user_id: Annotated[int, Parameter(description="The user's number", ge=1)]) -> int:
        return user_id

    (param,) = operation(document(user), "/users/{user_id}")["parameters"]
    assert param == {
        "name": "user_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
        "description": "The user's number",
    }


def test_schema_extra_takes_schema_field_names_and_document_keywords() -> None:
    @get("/search")
    async def search(
        q: Annotated[
            str,
            Parameter(
                schema_extra={
                    "schema_not": Schema(enum=["admin"]),
                    "max_length": 20,
                    "minLength": 2,
                    "x-internal": True,
                }
            ),
        ],
    ) -> str:
        return q

    (param,) = operation(document(search), "/search")["parameters"]
    assert param["schema"] == {
        "type": "string",
        "not": {"enum": ["admin"]},
        "maxLength": 20,
        "minLength": 2,
        "x-internal": True,
    }


def test_schema_extra_with_an_unknown_key_is_refused_when_the_document_is_built() -> None:
    @get("/search")
    async def search(q: Annotated[str, Parameter(schema_extra={"max_lenght": 20})]) -> str:
        return q

    app = Outpour([search])
    with pytest.raises(ImproperlyConfiguredException, match=r"`schema_extra` declares key `max_lenght`"):
        get_openapi_schema(app)


class Colour(StrEnum):
    """A colour of the palette."""

    RED = "red"
    BLUE = "blue"


def test_schema_component_key_gives_a_parameter_a_component_of_its_own() -> None:
    @get("/paint")
    async def paint(
        wall: Annotated[Colour, QueryParameter(description="The wall's colour", schema_component_key="WallColour")],
        door: Colour,
    ) -> None:
        return None

    doc = document(paint)
    params = {p["name"]: p for p in operation(doc, "/paint")["parameters"]}
    assert params["wall"]["schema"] == {"$ref": "#/components/schemas/WallColour"}
    assert params["door"]["schema"] == {"$ref": "#/components/schemas/Colour"}
    schemas = doc["components"]["schemas"]
    assert schemas["WallColour"]["description"] == "The wall's colour"
    assert schemas["Colour"]["description"] == "A colour of the palette."
    assert schemas["WallColour"]["enum"] == schemas["Colour"]["enum"] == ["red", "blue"]


def test_schema_component_key_on_a_return_annotation() -> None:
    @get("/one")
    async def one() -> Annotated[Item, Parameter(schema_component_key="PublicItem")]:
        return Item(1, "a")

    @get("/two")
    async def two() -> Annotated[Item, Parameter(schema_component_key="PublicItem")]:
        return Item(2, "b")

    doc = document(one, two)
    for path in ("/one", "/two"):
        body = operation(doc, path)["responses"]["200"]["content"]["application/json"]
        assert body == {"schema": {"$ref": "#/components/schemas/PublicItem"}}
    assert doc["components"]["schemas"]["PublicItem"]["properties"].keys() == {"id", "name"}


def test_one_schema_component_key_for_two_types_is_refused() -> None:
    @get("/one")
    async def one() -> Annotated[Item, Parameter(schema_component_key="Thing")]:
        return Item(1, "a")

    @get("/two")
    async def two() -> Annotated[Colour, Parameter(schema_component_key="Thing")]:
        return Colour.RED

    app = Outpour([one, two])
    with pytest.raises(ImproperlyConfiguredException, match="Schema component keys must be unique"):
        get_openapi_schema(app)


Number = TypeVar("Number", int, float)


@dataclass
class Measure(Generic[Number]):
    value: Number


def test_a_constrained_type_variable_is_one_of_its_types() -> None:
    @get("/measure")
    async def measure() -> Measure:  # type: ignore[type-arg]
        return Measure(1)

    schema = document(measure)["components"]["schemas"]["Measure"]
    assert schema["properties"]["value"] == {"oneOf": [{"type": "integer"}, {"type": "number"}]}


def test_a_str_enum_sent_as_text_documents_its_values() -> None:
    @get("/colour", media_type=MediaType.TEXT)
    async def colour() -> Colour:
        return Colour.RED

    doc = document(colour)
    assert operation(doc, "/colour")["responses"]["200"]["content"] == {
        "text/plain": {"schema": {"$ref": "#/components/schemas/Colour"}}
    }


def test_schema_extra_keeps_a_title_or_description_meant_for_the_schema() -> None:
    @post("/items")
    async def create(data: Annotated[Item, Body(title="Item", schema_extra={"title": "New item"})]) -> None:
        return None

    @get("/items")
    async def search(
        q: Annotated[str, Parameter(description="Words", schema_extra={"description": "Any text"})],
    ) -> None:
        return None

    doc = document(create, search)
    body = operation(doc, "/items", "post")["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Item", "title": "New item"}
    (param,) = operation(doc, "/items")["parameters"]
    assert param["description"] == "Words"
    assert param["schema"] == {"type": "string", "description": "Any text"}


def test_content_encoding_and_media_type_describe_the_response_body() -> None:
    @get("/thumbnail", content_encoding="base64", content_media_type="image/png")
    async def thumbnail() -> str:
        return ""

    @get("/report", content_media_type="text/csv")
    async def report() -> File:
        return File(Path(__file__))

    doc = document(thumbnail, report)
    body = operation(doc, "/thumbnail")["responses"]["200"]["content"]
    assert body == {
        "text/plain": {"schema": {"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"}}
    }
    file_body = operation(doc, "/report")["responses"]["200"]["content"]
    assert file_body == {"application/octet-stream": {"schema": {"type": "string", "contentMediaType": "text/csv"}}}


class EnhanceYourCalm(HTTPException):
    status_code = 420
    detail = "Too many requests from this client."


def test_an_error_without_a_standard_status_phrase_is_described_by_its_detail() -> None:
    @get("/calm", raises=[EnhanceYourCalm])
    async def calm() -> None:
        return None

    error = operation(document(calm), "/calm")["responses"]["420"]
    assert error["description"] == "Too many requests from this client. (EnhanceYourCalm)"
