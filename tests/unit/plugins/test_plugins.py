"""Plugins: ``InitPlugin`` in ``plugins=[...]``, ``PluginRegistry`` lookups, the attrs and pydantic plugins."""

from __future__ import annotations

import inspect
from typing import Any

import attrs
import msgspec
import pydantic
import pytest

from outpour import MediaType, Outpour, Request, Response, get, post
from outpour.config.app import AppConfig
from outpour.di import NamedDependency, Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.file_system import FileSystemRegistry
from outpour.openapi.spec import Schema
from outpour.plugins import (
    CLIPlugin,
    DIPlugin,
    InitPlugin,
    InitPluginProtocol,
    OpenAPISchemaPlugin,
    PluginRegistry,
    ReceiveRoutePlugin,
    SerializationPlugin,
)
from outpour.plugins.attrs import AttrsSchemaPlugin, is_attrs_class
from outpour.plugins.pydantic import (
    PydanticDIPlugin,
    PydanticDTO,
    PydanticInitPlugin,
    PydanticPlugin,
    PydanticSchemaPlugin,
)
from outpour.serialization import get_serializer
from outpour.testing import create_test_client
from outpour.typing import FieldDefinition


@get("/", sync_to_thread=False)
def route_handler(name: NamedDependency[str]) -> dict[str, str]:
    return {"hello": name}


def get_name() -> str:
    return "world"


class MyPlugin(InitPlugin):
    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.dependencies = {**(app_config.dependencies or {}), "name": Provide(get_name, sync_to_thread=False)}
        app_config.route_handlers.append(route_handler)
        return app_config


def test_init_plugin_changes_the_app_config() -> None:
    with create_test_client(plugins=[MyPlugin()]) as client:
        assert client.get("/").json() == {"hello": "world"}


def test_init_plugins_run_after_the_hooks_in_order() -> None:
    seen: list[str] = []

    class Recorder(InitPlugin):
        def __init__(self, name: str) -> None:
            self.name = name

        def on_app_init(self, app_config: AppConfig) -> AppConfig:
            seen.append(self.name)
            return app_config

    def hook(app_config: AppConfig) -> AppConfig:
        seen.append("hook")
        app_config.plugins.append(Recorder("added-by-hook"))
        return app_config

    Outpour(plugins=[Recorder("first"), Recorder("second")], on_app_init=[hook])
    assert seen == ["hook", "first", "second", "added-by-hook"]


def test_a_protocol_plugin_without_the_base_class_runs() -> None:
    class Duck:
        def on_app_init(self, app_config: AppConfig) -> AppConfig:
            app_config.debug = True
            return app_config

    assert isinstance(Duck(), InitPluginProtocol)
    assert Outpour(plugins=[Duck()]).debug is True


def test_init_plugin_must_return_the_config() -> None:
    class Broken(InitPlugin):
        def on_app_init(self, app_config: AppConfig) -> AppConfig:
            return None  # type: ignore[return-value]

    with pytest.raises(ImproperlyConfiguredException, match="must return the `AppConfig`"):
        Outpour(plugins=[Broken()])


def test_the_default_init_plugin_changes_nothing() -> None:
    config = AppConfig()
    assert InitPlugin().on_app_init(config) is config


def test_registry_lookups() -> None:
    registry_plugin = FileSystemRegistry()
    init = MyPlugin()
    app = Outpour(plugins=[init, registry_plugin])
    plugins = app.plugins
    assert isinstance(plugins, PluginRegistry)
    assert plugins.get(FileSystemRegistry) is registry_plugin
    assert plugins.get(MyPlugin) is init
    assert plugins.get(InitPlugin) is init  # the first instance when no plugin has exactly that type
    assert plugins.get("FileSystemRegistry") is registry_plugin
    assert plugins.get("outpour.file_system.FileSystemRegistry") is registry_plugin
    assert list(plugins) == [init, registry_plugin]
    assert init in plugins
    assert MyPlugin() not in plugins
    assert len(plugins) == 2
    assert plugins.init == (init,)
    assert (plugins.di, plugins.openapi, plugins.cli) == ((), (), ())
    assert repr(plugins) == "PluginRegistry([MyPlugin, FileSystemRegistry])"


@pytest.mark.parametrize("key", [pytest.param(PydanticPlugin, id="type"), pytest.param("PydanticPlugin", id="name")])
def test_registry_get_missing_is_a_key_error(key: Any) -> None:
    with pytest.raises(KeyError, match=r"No plugin of type 'PydanticPlugin' registered; the app has `MyPlugin`"):
        PluginRegistry([MyPlugin()]).get(key)


def test_request_app_plugins_get() -> None:
    @get("/", sync_to_thread=False)
    def handler(request: Request[Any, Any, Any]) -> str:
        return type(request.app.plugins.get(FileSystemRegistry)).__name__

    with create_test_client([handler], plugins=[FileSystemRegistry()]) as client:
        assert client.get("/").text == "FileSystemRegistry"


class Serializer(SerializationPlugin):
    def supports_type(self, field_definition: FieldDefinition) -> bool:
        return False

    def create_dto_for_type(self, field_definition: FieldDefinition) -> type[Any]:
        raise NotImplementedError


class Schemas(OpenAPISchemaPlugin):
    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        return Schema()


@pytest.mark.parametrize(
    ("plugin", "match"),
    [
        pytest.param(Serializer(), r"`Serializer` is a `SerializationPlugin`.*DTOs are not supported yet", id="ser"),
        pytest.param(CLIPlugin(), r"`CLIPlugin` is a `CLIPlugin`: the `outpour` command line", id="cli"),
        pytest.param(ReceiveRoutePlugin(), r"routes are not handed to plugins yet", id="receive-route"),
        pytest.param(Schemas(), r"`Schemas` is an `OpenAPISchemaPlugin`", id="schema"),
    ],
)
def test_plugins_outpour_does_not_run_are_refused(plugin: Any, match: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        Outpour(plugins=[plugin])


def test_cli_plugin_defaults() -> None:
    plugin = CLIPlugin()
    assert plugin.on_cli_init(None) is None  # type: ignore[func-returns-value,arg-type]
    with plugin.server_lifespan(None):  # type: ignore[arg-type]
        pass
    assert ReceiveRoutePlugin().receive_route(None) is None  # type: ignore[func-returns-value]


def test_openapi_schema_plugin_defaults() -> None:
    with pytest.raises(NotImplementedError, match="is_plugin_supported_type"):
        Schemas.is_plugin_supported_type(int)
    assert Schemas.is_undefined_sentinel(None) is False
    assert Schemas.is_constrained_field(FieldDefinition.from_annotation(int)) is False


@attrs.define
class Pet:
    """A pet."""

    name: str
    age: int = 0


class Model(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    first_name: str = pydantic.Field(alias="firstName")
    nickname: str | None = None
    age: int = 0


def test_attrs_schema_plugin() -> None:
    plugin = AttrsSchemaPlugin()
    assert is_attrs_class(Pet)
    assert not is_attrs_class(Model)
    assert plugin.is_plugin_supported_type(Pet)
    assert plugin.is_plugin_supported_field(FieldDefinition.from_annotation(Pet))
    assert not plugin.is_plugin_supported_field(FieldDefinition.from_annotation(list[Pet]))
    assert plugin.to_openapi_schema(FieldDefinition.from_annotation(Pet), None) == plugin.to_openapi_schema(Pet, None)
    schema = plugin.to_openapi_schema(Pet, None).to_schema()
    assert schema["type"] == "object"
    assert set(schema["properties"]) == {"name", "age"}
    assert schema["required"] == ["name"]
    assert Outpour(plugins=[plugin]).plugins.openapi == (plugin,)


@pytest.mark.parametrize(("prefer_alias", "key"), [pytest.param(False, "first_name"), pytest.param(True, "firstName")])
def test_pydantic_schema_plugin(prefer_alias: bool, key: str) -> None:
    plugin = PydanticSchemaPlugin(prefer_alias=prefer_alias)
    assert plugin.is_plugin_supported_type(Model)
    assert not plugin.is_plugin_supported_type(Pet)
    assert plugin.is_plugin_supported_field(FieldDefinition.from_kwarg(Model, "data"))
    schema = plugin.to_openapi_schema(Model, None)
    assert plugin.to_openapi_schema(FieldDefinition.from_annotation(Model), None) == schema
    assert isinstance(schema, Schema)
    assert schema.properties is not None
    assert key in schema.properties


def test_pydantic_plugin_signature() -> None:
    assert list(inspect.signature(PydanticPlugin).parameters) == [
        "exclude",
        "exclude_defaults",
        "exclude_none",
        "exclude_unset",
        "include",
        "prefer_alias",
        "validate_strict",
        "round_trip",
    ]


def test_pydantic_plugin_registers_its_parts_and_dump_options() -> None:
    @get("/")
    async def handler() -> Model:
        return Model(firstName="Ann", age=3)

    @post("/")
    async def create(data: Model) -> str:
        return data.first_name

    plugin = PydanticPlugin(prefer_alias=True, exclude_none=True, validate_strict=True)
    with create_test_client([handler, create], plugins=[plugin]) as client:
        got = client.get("/")
        created = client.post("/", json={"firstName": "Bo"})
        strict = client.post("/", json={"firstName": "Bo", "age": "5"})
        kinds = {type(p) for p in client.app.plugins}
    with create_test_client([handler, create]) as client:
        default_dump = client.get("/")
        lax = client.post("/", json={"firstName": "Bo", "age": "5"})
    assert got.json() == {"firstName": "Ann", "age": 3}
    assert default_dump.json() == {"first_name": "Ann", "nickname": None, "age": 3}
    assert created.text == "Bo"
    assert (strict.status_code, lax.status_code) == (400, 201)
    assert {PydanticPlugin, PydanticInitPlugin, PydanticSchemaPlugin, PydanticDIPlugin} <= kinds


def test_pydantic_init_plugin_defaults_change_nothing() -> None:
    config = AppConfig()
    PydanticInitPlugin().on_app_init(config)
    assert (config.type_encoders, config.type_decoders) in ((None, None), ({}, []), ({}, None), (None, []))


def test_pydantic_init_plugin_keeps_the_apps_encoder() -> None:
    def own(model: pydantic.BaseModel) -> str:
        return "own"

    config = AppConfig(type_encoders={pydantic.BaseModel: own})
    PydanticInitPlugin(exclude_none=True).on_app_init(config)
    assert config.type_encoders is not None
    assert config.type_encoders[pydantic.BaseModel] is own


def test_pydantic_init_plugin_encoders_build_a_serializer_by_hand() -> None:
    class Account(pydantic.BaseModel):
        name: str = pydantic.Field(alias="userName")
        password: pydantic.SecretStr
        note: str | None = None

    account = Account(userName="ada", password=pydantic.SecretStr("hunter2"))
    serializer = get_serializer(PydanticInitPlugin.encoders(prefer_alias=True, exclude_none=True))
    rendered = Response(None).render({"account": account}, media_type=MediaType.JSON, enc_hook=serializer)
    assert msgspec.json.decode(rendered) == {"account": {"userName": "ada", "password": "**********"}}
    assert serializer(pydantic.SecretStr("")) == ""


def test_pydantic_init_plugin_decoders_validate_models() -> None:
    class Point(pydantic.BaseModel):
        x: int

    [(is_model, lax)] = PydanticInitPlugin.decoders()
    [(_, strict)] = PydanticInitPlugin.decoders(validate_strict=True)
    assert is_model(Point)
    assert not is_model(dict)
    assert lax(Point, {"x": "1"}) == Point(x=1)
    with pytest.raises(pydantic.ValidationError):
        strict(Point, {"x": "1"})


def test_pydantic_di_plugin_builds_a_model_dependency_from_the_query() -> None:
    class Filters(pydantic.BaseModel):
        limit: int = 10
        tag: str | None = None

    @get("/", dependencies={"filters": Provide(Filters, sync_to_thread=False)})
    async def handler(filters: NamedDependency[Filters]) -> dict[str, Any]:
        return filters.model_dump()

    plugin = PydanticDIPlugin()
    assert plugin.has_typed_init(Filters)
    assert not plugin.has_typed_init(Pet)
    signature, hints = plugin.get_typed_init(Filters)
    assert list(signature.parameters) == ["limit", "tag"]
    assert hints["limit"] is int
    with create_test_client([handler], plugins=[plugin]) as client:
        assert client.get("/?limit=3").json() == {"limit": 3, "tag": None}
        assert client.get("/?limit=x").status_code == 400


def test_di_plugin_is_abstract() -> None:
    with pytest.raises(TypeError, match="abstract"):
        DIPlugin()  # type: ignore[abstract]


@pytest.mark.parametrize(
    "use",
    [pytest.param(lambda: PydanticDTO[Model], id="subscript"), pytest.param(lambda: PydanticDTO(), id="call")],
)
def test_pydantic_dto_is_not_supported_yet(use: Any) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="DTOs are not supported yet"):
        use()


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("outpour.plugins.pydantic.PydanticPlugin", id="outpour-path"),
        pytest.param("litestar.plugins.pydantic.PydanticPlugin", id="litestar-path"),
    ],
)
def test_registry_get_by_dotted_path_accepts_litestar_prefix(path: str) -> None:
    plugin = PydanticPlugin()
    assert PluginRegistry([MyPlugin(), plugin]).get(path) is plugin


def test_registry_get_by_unknown_dotted_path_is_a_key_error() -> None:
    with pytest.raises(KeyError, match=r"No plugin of type 'litestar2.plugins.pydantic.PydanticPlugin' registered"):
        PluginRegistry([PydanticPlugin()]).get("litestar2.plugins.pydantic.PydanticPlugin")
