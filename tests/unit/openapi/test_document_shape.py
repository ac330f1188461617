"""The generated document has the shape Litestar's documentation shows: ids, summaries, responses, components, servers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

import msgspec
import pytest

from outpour import Controller, Outpour, Router, get, post, route
from outpour.datastructures import UploadFile
from outpour.enums import RequestEncodingType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.openapi import OpenAPIConfig
from outpour.openapi.plugins import JsonRenderPlugin, RedocRenderPlugin
from outpour.openapi.spec import Components, Example, OpenAPIType, Operation, Schema, Server
from outpour.params import Body
from outpour.testing import TestClient, create_test_client


@dataclass
class Pet:
    name: str
    nickname: str | None = None
    owner: str | None = None
    age: int = 3


def schema_of(*handlers: Any, **config: Any) -> dict[str, Any]:
    app = Outpour(list(handlers), openapi_config=OpenAPIConfig(title="t", version="1", **config))
    return app.openapi_schema.to_schema()


def test_operation_summary_id_and_default_response() -> None:
    @get("/pets/{pet_id:int}/toys")
    async def list_pet_toys(pet_id: int) -> None:
        return None

    operation = schema_of(list_pet_toys)["paths"]["/pets/{pet_id}/toys"]["get"]
    assert operation["summary"] == "ListPetToys"
    assert operation["operationId"] == "PetsPetIdToysListPetToys"
    assert operation["deprecated"] is False
    assert operation["responses"]["200"] == {"description": "Request fulfilled, document follows", "headers": {}}


@pytest.mark.parametrize(
    ("operation_id", "expected"),
    [
        pytest.param(None, {"get": "GetShared", "post": "PostShared"}, id="default-creator"),
        pytest.param("Both", {"get": "GetBoth", "post": "PostBoth"}, id="given-string"),
    ],
)
def test_several_methods_prefix_the_operation_id(operation_id: str | None, expected: dict[str, str]) -> None:
    @route("/", http_method=["GET", "POST"], operation_id=operation_id)
    async def shared() -> str:
        return ""

    path = schema_of(shared)["paths"]["/"]
    assert {method: path[method]["operationId"] for method in expected} == expected


def test_duplicate_operation_ids_are_refused() -> None:
    @get("/a", operation_id="same")
    async def first() -> None: ...

    @get("/b", operation_id="same")
    async def second() -> None: ...

    app = Outpour([first, second])
    with pytest.raises(ImproperlyConfiguredException, match="`same`"):
        app.openapi_schema  # noqa: B018


def test_explicit_response_spec_without_headers_stays_bare() -> None:
    from outpour import delete
    from outpour.openapi import ResponseSpec

    @delete("/", responses={204: ResponseSpec(None, description="Gone")})
    async def remove() -> None: ...

    assert schema_of(remove)["paths"]["/"]["delete"]["responses"] == {"204": {"description": "Gone"}}


def test_components_schemas_always_present() -> None:
    @get("/")
    async def plain() -> str:
        return ""

    assert schema_of(plain)["components"] == {"schemas": {}}


def test_object_schema_one_of_sorted_required_and_no_null_default() -> None:
    @post("/")
    async def create(data: Pet) -> Pet:
        return data

    assert schema_of(create)["components"]["schemas"]["Pet"] == {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "nickname": {"oneOf": [{"type": "string"}, {"type": "null"}]},
            "owner": {"oneOf": [{"type": "string"}, {"type": "null"}]},
            "age": {"type": "integer", "default": 3},
        },
        "required": ["name"],
        "title": "Pet",
    }


def test_local_class_is_named_by_its_qualified_name() -> None:
    class Local(msgspec.Struct):
        b: int
        a: int

    @post("/")
    async def create(data: Local) -> None: ...

    schemas = schema_of(create)["components"]["schemas"]
    name = "test_local_class_is_named_by_its_qualified_name.Local"
    assert schemas[name]["required"] == ["a", "b"]
    assert schemas[name]["title"] == "Local"


def test_tags_are_merged_sorted_and_a_tuple_on_the_spec_object() -> None:
    class Pets(Controller):
        path = "/pets"
        tags: ClassVar[list[str]] = ["pets"]

        @get(tags=["read", "animals"])
        async def read(self) -> str:
            return ""

    app = Outpour([Router("/v1", route_handlers=[Pets], tags=["v1"])])
    operation = app.openapi_schema.paths["/v1/pets"].get  # type: ignore[index]
    assert operation is not None
    assert operation.tags == ("animals", "pets", "read", "v1")
    assert operation.to_schema()["tags"] == ["animals", "pets", "read", "v1"]


@get("/ping", sync_to_thread=False)
def ping() -> str:
    return "pong"


@pytest.mark.parametrize(
    ("servers", "root_path", "expected"),
    [
        pytest.param(None, "/api", "/api", id="default-servers-follow-root-path"),
        pytest.param(None, "", "/", id="default-without-root-path"),
        pytest.param([Server(url="https://example.com/v1")], "/api", "https://example.com/v1", id="explicit-kept"),
    ],
)
@pytest.mark.parametrize("document", ["openapi.json", "openapi.yaml"])
def test_served_servers_follow_the_root_path(
    servers: list[Server] | None, root_path: str, expected: str, document: str
) -> None:
    config = (
        OpenAPIConfig(title="t", version="1", servers=servers) if servers else OpenAPIConfig(title="t", version="1")
    )
    with create_test_client([ping], openapi_config=config, root_path=root_path) as client:
        response = client.get(f"/schema/{document}")
        assert response.status_code == 200
        assert f"url: {expected}" in response.text or f'"url":"{expected}"' in response.text
        configured = servers[0].url if servers else "/"
        assert client.app.openapi_schema.servers[0].url == configured  # the app's object keeps the configured ones


def test_to_openapi_schema_merges_components() -> None:
    config = OpenAPIConfig(
        title="t",
        version="1",
        components=[
            Components(schemas={"Name": Schema(type=OpenAPIType.STRING)}),
            Components(examples={"one": Example(summary="an example")}),
        ],
    )
    document = config.to_openapi_schema()
    assert document.info.title == "t"
    assert document.components.to_schema() == {
        "schemas": {"Name": {"type": "string"}},
        "examples": {"one": {"summary": "an example"}},
    }


@pytest.mark.parametrize(
    "plugins",
    [
        pytest.param([], id="none"),
        pytest.param([RedocRenderPlugin()], id="redoc"),
        pytest.param([JsonRenderPlugin(path="/other.json")], id="json-elsewhere"),
        pytest.param([RedocRenderPlugin(), JsonRenderPlugin()], id="json-given"),
    ],
)
def test_a_json_plugin_is_always_among_the_render_plugins(plugins: list[Any]) -> None:
    config = OpenAPIConfig(title="t", version="1", render_plugins=plugins)
    assert sum(plugin.has_path("/openapi.json") for plugin in config.render_plugins) == 1


@dataclasses.dataclass
class SampledOperation(Operation):
    """An operation documented with code samples, as a handler's ``operation_class``."""

    x_code_samples: list[dict[str, str]] | None = dataclasses.field(default=None, metadata={"alias": "x-codeSamples"})

    def __post_init__(self) -> None:
        self.tags = ["samples"]
        self.x_code_samples = [{"lang": "Shell", "source": "curl localhost/sampled"}]


def test_operation_class_shapes_the_served_and_the_object_document() -> None:
    @get("/sampled", operation_class=SampledOperation)
    async def sampled() -> str:
        return ""

    @get("/plain")
    async def plain() -> str:
        return ""

    app = Outpour([sampled, plain], openapi_config=OpenAPIConfig(title="t", version="1"))
    paths = app.openapi_schema.paths
    assert paths is not None
    custom = paths["/sampled"].get
    assert isinstance(custom, SampledOperation)
    assert custom.tags == ["samples"]
    assert type(paths["/plain"].get) is Operation
    with TestClient(app=app) as client:
        served = client.get("/schema/openapi.json").json()["paths"]["/sampled"]["get"]
    assert served["x-codeSamples"] == [{"lang": "Shell", "source": "curl localhost/sampled"}]
    assert served["tags"] == ["samples"]
    assert served["operationId"] == "SampledSampled"


def test_an_operation_needs_no_responses_to_be_built() -> None:
    assert SampledOperation().to_schema() == {
        "tags": ["samples"],
        "x-codeSamples": [{"lang": "Shell", "source": "curl localhost/sampled"}],
    }


def test_classes_sharing_a_name_are_both_module_qualified() -> None:
    first = dataclasses.make_dataclass("Model", [("a", str)])
    second = dataclasses.make_dataclass("Model", [("b", str)])
    first.__module__, second.__module__ = "shop.orders", "shop.users"

    @get("/orders", signature_namespace={"First": first})
    async def orders() -> first:  # type: ignore[valid-type]
        return first(a="")  # type: ignore[no-any-return]

    @get("/users", signature_namespace={"Second": second})
    async def users() -> second:  # type: ignore[valid-type]
        return second(b="")  # type: ignore[no-any-return]

    document = schema_of(orders, users)
    assert set(document["components"]["schemas"]) == {"orders_Model", "users_Model"}
    refs = [
        document["paths"][p]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        for p in ("/orders", "/users")
    ]
    assert refs == [{"$ref": "#/components/schemas/orders_Model"}, {"$ref": "#/components/schemas/users_Model"}]


def test_a_parameter_read_as_two_types_is_refused() -> None:
    from outpour.di import Provide

    async def as_int(limit: int) -> int:
        return limit

    async def as_optional_int(limit: int | None = None) -> int:
        return limit or 0

    async def as_str(limit: str) -> str:
        return limit

    @get("/same", dependencies={"a": Provide(as_int), "b": Provide(as_optional_int)})
    async def same(a: int, b: int) -> None: ...

    @get("/clash", dependencies={"a": Provide(as_int), "b": Provide(as_str)})
    async def clash(a: int, b: str) -> None: ...

    parameters = schema_of(same)["paths"]["/same"]["get"]["parameters"]
    assert [(p["name"], p["in"]) for p in parameters] == [("limit", "query")]
    with pytest.raises(ImproperlyConfiguredException, match=r"`limit` of .* is read as `int` and as `str`"):
        schema_of(clash)


_BINARY = {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        pytest.param(UploadFile, {"type": "object", "properties": {"file": _BINARY}}, id="one-file"),
        pytest.param(
            list[UploadFile],
            {"type": "object", "properties": {"files": {"type": "array", "items": _BINARY}}},
            id="files",
        ),
        pytest.param(dict[str, UploadFile], {"type": "object", "additionalProperties": _BINARY}, id="named-files"),
    ],
)
def test_a_multipart_body_of_files_is_a_form(annotation: Any, expected: dict[str, Any]) -> None:
    async def upload(data: Annotated[Any, Body(media_type=RequestEncodingType.MULTI_PART)]) -> None: ...

    upload.__annotations__["data"] = Annotated[annotation, Body(media_type=RequestEncodingType.MULTI_PART)]
    document = schema_of(post("/upload")(upload))
    assert document["paths"]["/upload"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"] == expected
