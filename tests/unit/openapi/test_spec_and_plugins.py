"""The 3.0 spec objects (``OpenAPI``, ``XML``, ``Encoding``, ``Link``...) and the render plugins' signatures and hooks."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest

from outpour import MediaType, Outpour, get
from outpour.enums import OpenAPIMediaType
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import (
    OpenAPIRenderPlugin,
    RedocRenderPlugin,
    ScalarRenderPlugin,
    StoplightRenderPlugin,
    SwaggerRenderPlugin,
    YamlRenderPlugin,
)
from outpour.openapi.spec import (
    XML,
    Callback,
    Components,
    Encoding,
    Info,
    Link,
    OpenAPI,
    OpenAPIFormat,
    OpenAPIResponse,
    Operation,
    PathItem,
    Paths,
    Reference,
    Responses,
    Schema,
    Server,
    Tag,
)
from outpour.openapi.spec import (
    OpenAPIMediaType as MediaTypeObject,
)
from outpour.openapi.spec.encoding import Encoding as EncodingFromModule
from outpour.openapi.spec.enums import OpenAPIFormat as FormatFromModule
from outpour.openapi.spec.link import Link as LinkFromModule
from outpour.openapi.spec.open_api import OpenAPI as OpenAPIFromModule
from outpour.openapi.spec.xml import XML as XMLFromModule
from outpour.router import Router
from outpour.testing import TestClient


@get("/ping", sync_to_thread=False)
def ping() -> str:
    return "pong"


def test_openapi_document_defaults() -> None:
    """An empty ``components`` is left out, as in the documents the app serves."""
    assert OpenAPI().to_schema() == {
        "openapi": "3.1.0",
        "info": {"title": "Outpour API", "version": "1.0.0"},
        "servers": [{"url": "/"}],
    }


def test_openapi_document_with_every_part() -> None:
    responses: Responses = {"200": OpenAPIResponse(description="ok"), "404": Reference(ref="#/components/x")}
    callback: Callback = {"{$request.body#/url}": PathItem(post=Operation(responses=responses))}
    paths: Paths = {"/items": PathItem(get=Operation(responses=responses, callbacks={"onEvent": callback}))}
    document = OpenAPI(
        info=Info(title="Shop", version="2"),
        json_schema_dialect="https://json-schema.org/draft/2020-12/schema",
        servers=[Server(url="https://api.example")],
        paths=paths,
        components=Components(links={"self": Link(operation_id="getItem")}),
        security=[{"key": []}],
        tags=[Tag(name="items")],
    ).to_schema()
    assert document["jsonSchemaDialect"] == "https://json-schema.org/draft/2020-12/schema"
    operation = document["paths"]["/items"]["get"]
    assert operation["responses"] == {"200": {"description": "ok"}, "404": {"$ref": "#/components/x"}}
    assert operation["callbacks"]["onEvent"]["{$request.body#/url}"]["post"]["responses"]["200"] == {
        "description": "ok"
    }
    assert document["components"] == {"links": {"self": {"operationId": "getItem"}}}
    assert (document["security"], document["tags"]) == ([{"key": []}], [{"name": "items"}])


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(
            XML(name="pet", namespace="https://example.com/ns", prefix="ex", attribute=True),
            {"name": "pet", "namespace": "https://example.com/ns", "prefix": "ex", "attribute": True, "wrapped": False},
            id="xml",
        ),
        pytest.param(
            Encoding(content_type="image/png", style="form", explode=True),
            {"contentType": "image/png", "style": "form", "explode": True, "allowReserved": False},
            id="encoding",
        ),
        pytest.param(
            Link(operation_id="getUser", parameters={"id": "$response.body#/id"}, server=Server(url="/v2")),
            {"operationId": "getUser", "parameters": {"id": "$response.body#/id"}, "server": {"url": "/v2"}},
            id="link",
        ),
        pytest.param(
            Schema(type="array", xml=XML(wrapped=True)),
            {"type": "array", "xml": {"attribute": False, "wrapped": True}},
            id="schema-xml",
        ),
        pytest.param(
            MediaTypeObject(encoding={"avatar": Encoding(content_type="image/png")}),
            {"encoding": {"avatar": {"contentType": "image/png", "explode": False, "allowReserved": False}}},
            id="media-type-encoding",
        ),
        pytest.param(
            OpenAPIResponse(description="created", links={"next": Link(operation_ref="#/paths/~1items/get")}),
            {"description": "created", "links": {"next": {"operationRef": "#/paths/~1items/get"}}},
            id="response-links",
        ),
    ],
)
def test_spec_objects_to_schema(obj: Any, expected: dict[str, Any]) -> None:
    assert obj.to_schema() == expected


def test_schema_takes_every_json_schema_keyword_by_its_litestar_field_name() -> None:
    text = Schema(type="string")
    schema = Schema(
        type="object",
        schema_not=Schema(required=["secret"]),
        schema_if=Schema(properties={"kind": Schema(const="card")}),
        then=Schema(required=["number"]),
        schema_else=Schema(required=["iban"]),
        dependent_schemas={"number": Schema(required=["expiry"])},
        dependent_required={"expiry": ["number"]},
        pattern_properties={"^x-": text},
        property_names=Schema(max_length=20),
        unevaluated_properties=Schema(type="integer"),
        example={"kind": "card"},
    )
    assert schema.to_schema() == {
        "type": "object",
        "not": {"required": ["secret"]},
        "if": {"properties": {"kind": {"const": "card"}}},
        "then": {"required": ["number"]},
        "else": {"required": ["iban"]},
        "dependentSchemas": {"number": {"required": ["expiry"]}},
        "patternProperties": {"^x-": {"type": "string"}},
        "propertyNames": {"maxLength": 20},
        "unevaluatedProperties": {"type": "integer"},
        "dependentRequired": {"expiry": ["number"]},
        "example": {"kind": "card"},
    }
    array = Schema(type="array", contains=text, min_contains=1, max_contains=3, unevaluated_items=Schema(type="null"))
    assert array.to_schema() == {
        "type": "array",
        "contains": {"type": "string"},
        "unevaluatedItems": {"type": "null"},
        "maxContains": 3,
        "minContains": 1,
    }
    encoded = Schema(type="string", content_media_type="application/json", content_schema=Schema(type="object"))
    assert encoded.to_schema()["contentSchema"] == {"type": "object"}


def test_equal_schemas_hash_alike_whatever_their_examples() -> None:
    def make(examples: list[Any] | None) -> Schema:
        return Schema(
            one_of=[Schema(type="string"), Schema(type="object", properties={"k": Schema(type="integer")})],
            examples=examples,
        )

    assert hash(make(None)) == hash(make([None, [1, 2]]))
    assert len({make(None), make(None)}) == 1
    assert hash(make(None)) != hash(Schema(type="string"))


def test_openapi_format_and_modules() -> None:
    assert OpenAPIFormat.DATE_TIME.value == "date-time"
    assert OpenAPIFormat.UUID.value == "uuid"
    assert Schema(type="string", format=OpenAPIFormat.EMAIL).to_schema() == {"type": "string", "format": "email"}
    assert (XMLFromModule, EncodingFromModule, LinkFromModule, OpenAPIFromModule, FormatFromModule) == (
        XML,
        Encoding,
        Link,
        OpenAPI,
        OpenAPIFormat,
    )


@pytest.mark.parametrize(
    "cls",
    [
        pytest.param(RedocRenderPlugin, id="redoc"),
        pytest.param(ScalarRenderPlugin, id="scalar"),
        pytest.param(StoplightRenderPlugin, id="stoplight"),
        pytest.param(YamlRenderPlugin, id="yaml"),
    ],
)
def test_render_plugins_take_keyword_arguments_only(cls: type[OpenAPIRenderPlugin]) -> None:
    parameters = list(inspect.signature(cls).parameters.values())
    assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in parameters)
    with pytest.raises(TypeError):
        cls("/x")  # type: ignore[call-arg]


def test_has_path() -> None:
    plugin = RedocRenderPlugin(path=["/redoc", "/docs"])
    assert plugin.has_path("/docs")
    assert not plugin.has_path("/swagger")


def test_yaml_render_plugin_media_type() -> None:
    assert YamlRenderPlugin().media_type == OpenAPIMediaType.OPENAPI_YAML
    plugin = YamlRenderPlugin(path="/spec.yaml", media_type="application/yaml")
    with TestClient(Outpour([ping], openapi_config=OpenAPIConfig(render_plugins=[plugin]))) as client:
        response = client.get("/schema/spec.yaml")
    assert response.headers["content-type"].startswith("application/yaml")
    assert "openapi: 3.1.0" in response.text


def test_scalar_render_options() -> None:
    plugin = ScalarRenderPlugin(js_url="https://example.com/scalar.js", options={"theme": "moon"})
    assert plugin.render_options() == '{"theme": "moon"}'
    with TestClient(Outpour([ping], openapi_config=OpenAPIConfig(render_plugins=[plugin]))) as client:
        page = client.get("/schema/scalar").text
    assert "data-configuration='{&quot;theme&quot;: &quot;moon&quot;}'" in page


def test_scalar_with_the_shipped_script_turns_off_web_fonts_and_the_agent_unless_told() -> None:
    default = ScalarRenderPlugin(options={"theme": "moon"})
    told = ScalarRenderPlugin(options={"withDefaultFonts": True, "agent": {"disabled": False}})
    assert json.loads(default.render_options()) == {
        "theme": "moon",
        "withDefaultFonts": False,
        "agent": {"disabled": True},
    }
    assert json.loads(told.render_options()) == {"withDefaultFonts": True, "agent": {"disabled": False}}


def test_receive_router_lets_a_plugin_add_routes() -> None:
    received: list[Router] = []

    class MyOpenAPIPlugin(OpenAPIRenderPlugin):
        def render(self, request: Any, openapi_schema: Any) -> bytes:
            return b"<html>My UI of Choice!</html>"

        def receive_router(self, router: Router) -> None:
            received.append(router)

            @get("/something", media_type=MediaType.TEXT, sync_to_thread=False)
            def something() -> str:
                return "Something"

            router.register(something)

    config = OpenAPIConfig(render_plugins=[MyOpenAPIPlugin(path="/mine")])
    with TestClient(Outpour([ping], openapi_config=config)) as client:
        assert client.get("/schema/mine").text == "<html>My UI of Choice!</html>"
        assert client.get("/schema/something").text == "Something"
        assert "/schema/something" not in client.get("/schema/openapi.json").json()["paths"]
    assert len(received) == 1


def test_swagger_serves_its_oauth2_redirect_page() -> None:
    config = OpenAPIConfig(render_plugins=[SwaggerRenderPlugin()])
    with TestClient(Outpour([ping], openapi_config=config)) as client:
        response = client.get("/schema/oauth2-redirect.html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.content == SwaggerRenderPlugin.render_oauth2_redirect()
    assert b"swaggerUIRedirectOauth2" in response.content
    assert b"window.close()" in response.content


def test_other_pages_serve_no_oauth2_redirect_page() -> None:
    config = OpenAPIConfig(render_plugins=[RedocRenderPlugin()])
    with TestClient(Outpour([ping], openapi_config=config)) as client:
        assert client.get("/schema/oauth2-redirect.html").status_code == 404


def test_a_subclass_with_its_own_name_keeps_the_shipped_script() -> None:
    class BrandedScalar(ScalarRenderPlugin):
        name = "branded"

    with TestClient(Outpour([ping], openapi_config=OpenAPIConfig(render_plugins=[BrandedScalar()]))) as client:
        page = client.get("/schema/scalar").text
        script = client.get("/schema/_assets/branded/standalone.js")
    assert 'src="/schema/_assets/branded/standalone.js?v=' in page
    assert (script.status_code, len(script.content) > 1_000_000) == (200, True)
