"""The options of the app, routers, controllers and handlers: Litestar 3.0's constructors keyword for keyword, one
table (``outpour._options``) behind them, Litestar keywords outpour does not implement refused at creation, and other
handler keywords kept in ``opt``."""

from __future__ import annotations

import dataclasses
import inspect
import pdb
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec
import pytest

import outpour._options
import outpour.app
from outpour import Controller, Litestar, Outpour, Router, asgi, delete, get, head, patch, post, put, route
from outpour._options import OPTIONS, Layer, LayerOptions, Option, Unsupported, options_of
from outpour.config import AppConfig
from outpour.config.app import DEFAULT_OPENAPI_CONFIG
from outpour.config.response_cache import ResponseCacheConfig
from outpour.datastructures.state import State
from outpour.events import SimpleEventEmitter
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers import ASGIRouteHandler, HandlerOptions, HTTPRouteHandler
from outpour.testing import create_test_client
from outpour.types import Empty, Receive, Scope, Send

REQUIRED = object()
"""A parameter without a default."""
FACTORY_LIST, FACTORY_DICT, FACTORY_STATE = object(), object(), object()
"""An ``AppConfig`` field whose default is made by a factory: an empty list, dict or ``State``."""

# `litestar.app.Litestar.__init__` in Litestar 3.0's API.txt: every keyword after `route_handlers` is keyword-only.
# Outpour's defaults differ where Litestar's is an object outpour does not have: the OpenAPI config (outpour's own
# title).
LITESTAR_APP_PARAMETERS: list[tuple[str, Any]] = [
    ("route_handlers", None),
    ("after_exception", None),
    ("after_request", None),
    ("after_response", None),
    ("allowed_hosts", None),
    ("before_request", None),
    ("before_send", None),
    ("cache_control", None),
    ("compression_config", None),
    ("cors_config", None),
    ("csrf_config", None),
    ("dto", Empty),
    ("debug", None),
    ("dependencies", None),
    ("etag", None),
    ("event_emitter_backend", SimpleEventEmitter),
    ("exception_handlers", None),
    ("guards", None),
    ("include_in_schema", Empty),
    ("listeners", None),
    ("middleware", None),
    ("multipart_form_part_limit", 1000),
    ("on_app_init", None),
    ("on_shutdown", None),
    ("on_startup", None),
    ("openapi_config", DEFAULT_OPENAPI_CONFIG),
    ("opt", None),
    ("parameters", None),
    ("path", None),
    ("plugins", None),
    ("request_class", None),
    ("request_max_body_size", 10_000_000),
    ("response_cache_config", None),
    ("response_class", None),
    ("response_cookies", None),
    ("response_headers", None),
    ("return_dto", Empty),
    ("security", None),
    ("signature_namespace", None),
    ("signature_types", None),
    ("state", None),
    ("stores", None),
    ("tags", None),
    ("template_config", None),
    ("type_decoders", None),
    ("type_encoders", None),
    ("websocket_class", None),
    ("lifespan", None),
    ("pdb_on_exception", None),
    ("debugger_module", pdb),
    ("experimental_features", None),
]
OUTPOUR_APP_PARAMETERS: list[tuple[str, Any]] = [("request_max_header_size", 65_536)]

# `litestar.router.Router.__init__`: `path`, then keyword-only; `route_handlers` is required.
LITESTAR_ROUTER_PARAMETERS: list[tuple[str, Any]] = [
    ("path", REQUIRED),
    ("after_request", None),
    ("after_response", None),
    ("before_request", None),
    ("cache_control", None),
    ("dependencies", None),
    ("dto", Empty),
    ("etag", None),
    ("exception_handlers", None),
    ("guards", None),
    ("include_in_schema", Empty),
    ("middleware", None),
    ("opt", None),
    ("parameters", None),
    ("request_class", None),
    ("response_class", None),
    ("response_cookies", None),
    ("response_headers", None),
    ("return_dto", Empty),
    ("route_handlers", REQUIRED),
    ("security", None),
    ("signature_namespace", None),
    ("signature_types", None),
    ("tags", None),
    ("type_decoders", None),
    ("type_encoders", None),
    ("websocket_class", None),
    ("request_max_body_size", Empty),
]

# `litestar.config.app.AppConfig`, field by field.
LITESTAR_APP_CONFIG_FIELDS: list[tuple[str, Any]] = [
    ("after_exception", FACTORY_LIST),
    ("after_request", None),
    ("after_response", None),
    ("allowed_hosts", None),
    ("before_request", None),
    ("before_send", FACTORY_LIST),
    ("cache_control", None),
    ("compression_config", None),
    ("cors_config", None),
    ("csrf_config", None),
    ("debug", False),
    ("dependencies", FACTORY_DICT),
    ("dto", Empty),
    ("etag", None),
    ("event_emitter_backend", SimpleEventEmitter),
    ("exception_handlers", FACTORY_DICT),
    ("guards", FACTORY_LIST),
    ("include_in_schema", Empty),
    ("lifespan", FACTORY_LIST),
    ("listeners", FACTORY_LIST),
    ("middleware", FACTORY_LIST),
    ("on_shutdown", FACTORY_LIST),
    ("on_startup", FACTORY_LIST),
    ("openapi_config", None),
    ("opt", FACTORY_DICT),
    ("parameters", FACTORY_DICT),
    ("path", ""),
    ("pdb_on_exception", False),
    ("debugger_module", pdb),
    ("plugins", FACTORY_LIST),
    ("request_class", None),
    ("request_max_body_size", Empty),
    ("response_class", None),
    ("response_cookies", FACTORY_LIST),
    ("response_headers", FACTORY_LIST),
    ("response_cache_config", ResponseCacheConfig()),
    ("return_dto", Empty),
    ("route_handlers", FACTORY_LIST),
    ("security", FACTORY_LIST),
    ("signature_namespace", FACTORY_DICT),
    ("signature_types", FACTORY_LIST),
    ("state", FACTORY_STATE),
    ("stores", None),
    ("tags", FACTORY_LIST),
    ("template_config", None),
    ("type_decoders", None),
    ("type_encoders", None),
    ("websocket_class", None),
    ("multipart_form_part_limit", 1000),
    ("experimental_features", None),
]
OUTPOUR_APP_CONFIG_FIELDS: list[tuple[str, Any]] = [("request_max_header_size", 65_536)]

# `litestar.controller.Controller`'s attributes.
LITESTAR_CONTROLLER_ATTRIBUTES = {
    "after_request",
    "after_response",
    "before_request",
    "cache_control",
    "dependencies",
    "dto",
    "etag",
    "exception_handlers",
    "guards",
    "include_in_schema",
    "middleware",
    "opt",
    "parameters",
    "path",
    "request_class",
    "request_max_body_size",
    "response_class",
    "response_cookies",
    "response_headers",
    "return_dto",
    "security",
    "signature_namespace",
    "signature_types",
    "tags",
    "type_decoders",
    "type_encoders",
    "websocket_class",
}

DECORATORS: list[Callable[..., HTTPRouteHandler]] = [get, post, put, patch, delete, head]


async def _noop() -> None:
    return None


def _parameters(function: Callable[..., Any]) -> list[tuple[str, Any]]:
    return [
        (p.name, REQUIRED if p.default is inspect.Parameter.empty else p.default)
        for p in inspect.signature(function).parameters.values()
        if p.name != "self"
    ]


def _kinds(function: Callable[..., Any]) -> list[inspect._ParameterKind]:
    return [p.kind for p in inspect.signature(function).parameters.values() if p.name != "self"]


def _field_defaults(config: type[AppConfig]) -> list[tuple[str, Any]]:
    made: dict[type, object] = {list: FACTORY_LIST, dict: FACTORY_DICT, State: FACTORY_STATE}
    out: list[tuple[str, Any]] = []
    for f in dataclasses.fields(config):
        if f.default_factory is not dataclasses.MISSING:
            value = f.default_factory()
            out.append((f.name, value or made[type(value)]))
        else:
            out.append((f.name, f.default))
    return out


# -- Litestar's constructors -------------------------------------------------------------------------------------------


def test_litestar_is_outpour() -> None:
    assert Litestar is Outpour
    assert outpour.app.Litestar is Outpour


def test_app_takes_litestars_keywords_then_its_own() -> None:
    assert _parameters(Outpour.__init__) == LITESTAR_APP_PARAMETERS + OUTPOUR_APP_PARAMETERS
    kinds = _kinds(Outpour.__init__)
    assert kinds[0] is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert set(kinds[1:]) == {inspect.Parameter.KEYWORD_ONLY}


def test_router_takes_litestars_keywords() -> None:
    assert _parameters(Router.__init__) == LITESTAR_ROUTER_PARAMETERS
    kinds = _kinds(Router.__init__)
    assert kinds[0] is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert set(kinds[1:]) == {inspect.Parameter.KEYWORD_ONLY}


def test_app_config_has_litestars_fields_then_outpours() -> None:
    assert _field_defaults(AppConfig) == LITESTAR_APP_CONFIG_FIELDS + OUTPOUR_APP_CONFIG_FIELDS


def test_controller_has_litestars_attributes() -> None:
    assert set(Controller.__annotations__) == LITESTAR_CONTROLLER_ATTRIBUTES


def test_from_config_round_trips_every_field() -> None:
    config = AppConfig(route_handlers=[get("/x")(_noop)], path="/api", debug=True, tags=["t"])
    app = Outpour.from_config(config)
    assert (app.debug, app.path, app.tags, [r.path for r in app.routes]) == (True, "/api", ["t"], ["/api/x"])
    assert app.openapi_config is None  # AppConfig's default, as in Litestar


# -- the table behind them ---------------------------------------------------------------------------------------------


def _names(layer: Layer, *, supported: bool | None = None) -> set[str]:
    return {option.name for option in options_of(layer, supported=supported)}


def test_every_option_is_declared_once() -> None:
    names = [option.name for option in OPTIONS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("declared", "layer"),
    [
        pytest.param(lambda: set(inspect.signature(Outpour.__init__).parameters) - {"self"}, Layer.APP, id="app"),
        pytest.param(lambda: set(inspect.signature(Router.__init__).parameters) - {"self"}, Layer.ROUTER, id="router"),
        pytest.param(lambda: {f.name for f in dataclasses.fields(AppConfig)} | {"on_app_init"}, Layer.APP, id="config"),
        pytest.param(lambda: LITESTAR_CONTROLLER_ATTRIBUTES, Layer.CONTROLLER, id="controller"),
        pytest.param(lambda: set(HandlerOptions.__optional_keys__), Layer.HTTP_HANDLER, id="http-handler"),
    ],
)
def test_constructors_match_the_table(declared: Callable[[], set[str]], layer: Layer) -> None:
    assert declared() == _names(layer)


def test_layer_options_are_the_supported_layered_ones() -> None:
    assert set(LayerOptions.__optional_keys__) == _names(Layer.ASGI_HANDLER, supported=True) - {
        "name",
        "is_mount",
        "copy_scope",
    }


def test_the_table_refuses_exactly_litestars_unimplemented_keywords() -> None:
    assert all(_names(layer, supported=False) == set() for layer in Layer)  # every Litestar 3.0 keyword is implemented


# -- unsupported keywords raise at creation ----------------------------------------------------------------------------


# Every keyword of Litestar 3.0 is implemented now; the refusal stays for the next one, tested with a pretend entry.
_PRETEND = Option(
    "fuzzy_routing",
    Layer.APP | Layer.ROUTER | Layer.HTTP_HANDLER,
    unsupported=Unsupported("fuzzy routing", "Name the route's path exactly."),
)


@pytest.fixture
def pretend_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {layer: (_PRETEND,) if layer in _PRETEND.layers else () for layer in Layer}
    monkeypatch.setattr(outpour._options, "_UNSUPPORTED", table)


@pytest.mark.usefixtures("pretend_unsupported")
def test_an_unsupported_option_is_refused_naming_it_and_what_to_do() -> None:
    with pytest.raises(ImproperlyConfiguredException) as refused:
        outpour._options.reject_unsupported(Layer.APP, {"fuzzy_routing": True}, "`Outpour(...)`")
    assert str(refused.value).endswith(
        "Remove `fuzzy_routing=True` from `Outpour(...)`: outpour does not implement fuzzy routing yet. "
        "Name the route's path exactly."
    )
    with pytest.raises(
        ImproperlyConfiguredException, match=r"Remove `fuzzy_routing = 'x{56}\.\.\.` from controller `Users`"
    ):
        outpour._options.reject_unsupported(
            Layer.ROUTER, {"fuzzy_routing": "x" * 100}, "controller `Users`", attribute=True
        )
    outpour._options.reject_unsupported(Layer.HTTP_HANDLER, {"fuzzy_routing": None}, "`@get('/')`")  # its default


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"dto": None, "return_dto": None, "websocket_class": None}, id="none"),
        pytest.param({"dto": Empty, "return_dto": Empty}, id="empty"),
        pytest.param(
            {"pdb_on_exception": False, "debugger_module": pdb, "multipart_form_part_limit": 1000}, id="defaults"
        ),
        pytest.param({"listeners": [], "stores": None, "experimental_features": None}, id="empty-collections"),
    ],
)
def test_app_accepts_the_default_of_an_unsupported_keyword(options: dict[str, Any]) -> None:
    with create_test_client([get("/")(_noop)], **options) as client:
        assert client.get("/").status_code == 200


def test_layers_accept_the_default_of_an_unsupported_keyword() -> None:
    class Users(Controller):
        path = "/users"
        dto = None
        return_dto = Empty
        websocket_class = None

        @get("/", cache=False, cache_key_builder=None, dto=None, return_dto=Empty)
        async def list_users(self) -> list[str]:
            return ["ada"]

    router = Router("/api", route_handlers=[Users], dto=None, return_dto=Empty, websocket_class=None)
    with create_test_client([router]) as client:
        assert client.get("/api/users").json() == ["ada"]


# -- other keywords ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decorator", "options", "expected"),
    [
        pytest.param(get, {"no_timeout": True}, {"no_timeout": True}, id="unknown"),
        pytest.param(get, {"opt": {"a": 1}, "b": 2}, {"a": 1, "b": 2}, id="merged-into-opt"),
        pytest.param(get, {"signature_types": [int]}, {"signature_types": [int]}, id="other-layer-keyword"),
        pytest.param(asgi, {"cache": 60}, {"cache": 60}, id="not-an-asgi-keyword"),
    ],
)
def test_other_handler_keywords_go_into_opt(
    decorator: Callable[..., Any], options: dict[str, Any], expected: dict[str, Any]
) -> None:
    """As Litestar documents (``@get("/", no_timeout=True)``), a keyword the decorator does not take is an `opt` entry."""
    assert decorator("/", **options).opt == expected


def test_unknown_app_and_router_keywords_are_type_errors() -> None:
    unknown: dict[str, Any] = {"colour": "red"}
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Outpour([], **unknown)
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Router("/", route_handlers=[], **unknown)


def test_handler_class_is_the_class_of_the_handler() -> None:
    class TimedHandler(HTTPRouteHandler):
        pass

    class MountHandler(ASGIRouteHandler):
        pass

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        return None

    handlers = [d("/", handler_class=TimedHandler)(_noop) for d in DECORATORS]
    handlers.append(route("/", http_method=["GET"], handler_class=TimedHandler)(_noop))
    assert {type(h) for h in handlers} == {TimedHandler}
    assert type(asgi("/", handler_class=MountHandler)(app)) is MountHandler


# -- signature_types ---------------------------------------------------------------------------------------------------

if TYPE_CHECKING:

    class Point(msgspec.Struct):
        x: int


def _point_type() -> type[msgspec.Struct]:
    # The class is named `Point` but bound to no name the handler's module or frame can see.
    class Point(msgspec.Struct):
        x: int

    return Point


POINT = _point_type()


@post("/point", status_code=200)
async def take_point(data: Point) -> int:
    return data.x


class PointController(Controller):
    path = "/c"
    signature_types = [POINT]  # noqa: RUF012 - Litestar's documented spelling

    @post("/point", status_code=200)
    async def take(self, data: Point) -> int:
        return data.x


@pytest.mark.parametrize(
    ("handlers", "app_options", "path"),
    [
        pytest.param([take_point], {"signature_types": [POINT]}, "/point", id="app"),
        pytest.param([Router("/r", route_handlers=[take_point], signature_types=[POINT])], {}, "/r/point", id="router"),
        pytest.param([PointController], {}, "/c/point", id="controller"),
    ],
)
def test_signature_types_name_types_for_annotations(handlers: list[Any], app_options: Any, path: str) -> None:
    with create_test_client(handlers, **app_options) as client:
        assert client.post(path, json={"x": 3}).json() == 3


def test_without_signature_types_the_annotation_does_not_resolve() -> None:
    with pytest.raises(ImproperlyConfiguredException):
        Outpour([take_point])
