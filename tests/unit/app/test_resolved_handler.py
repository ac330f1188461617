"""A registered handler answers Litestar's attribute names with its route's values, resolved over its layers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from outpour import (
    Controller,
    MediaType,
    Outpour,
    Request,
    Response,
    Router,
    asgi,
    delete,
    get,
    head,
    patch,
    post,
    put,
    route,
)
from outpour.datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
from outpour.di import Provide
from outpour.exceptions import NotAuthorizedException
from outpour.handlers import ASGIRouteHandler, HTTPRouteHandler
from outpour.params import Parameter
from outpour.response import File, Redirect
from outpour.testing import TestClient, create_test_client
from outpour.types import ASGIApp, Receive, Scope, Send

# -- one route with every layered option on each layer ----------------------------------------------------------------


def app_guard(connection: Any, handler: Any) -> None:
    return None


def router_guard(connection: Any, handler: Any) -> None:
    return None


def controller_guard(connection: Any, handler: Any) -> None:
    return None


def handler_guard(connection: Any, handler: Any) -> None:
    return None


def app_before(request: Request[Any, Any, Any]) -> None:
    return None


def handler_before(request: Request[Any, Any, Any]) -> None:
    return None


def app_after(response: Response[Any]) -> Response[Any]:
    return response


def router_after_response(request: Request[Any, Any, Any]) -> None:
    return None


def app_middleware(app: ASGIApp) -> ASGIApp:
    return app


def router_middleware(app: ASGIApp) -> ASGIApp:
    return app


def app_exc(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    return Response({"by": "app"}, status_code=500)


def handler_exc(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    return Response({"by": "handler"}, status_code=401)


def decode_app(type_: type, value: Any) -> Any:
    return value


def decode_handler(type_: type, value: Any) -> Any:
    return value


def is_never(type_: Any) -> bool:
    return False


def provide_app() -> str:
    return "app"


def provide_router() -> str:
    return "router"


def provide_handler() -> str:
    return "handler"


class RouterRequest(Request[Any, Any, Any]):
    pass


class ControllerResponse(Response[Any]):
    pass


class Things(Controller):
    path = "/things"
    guards = [controller_guard]  # noqa: RUF012
    response_class = ControllerResponse
    response_headers = [ResponseHeader(name="X-Controller", value="c")]  # noqa: RUF012
    tags = ["things", "shared"]  # noqa: RUF012
    opt = {"controller": True, "level": "controller"}  # noqa: RUF012
    type_encoders = {complex: str}  # noqa: RUF012

    @get(
        "/{thing_id:int}",
        guards=[handler_guard],
        before_request=handler_before,
        exception_handlers={NotAuthorizedException: handler_exc},
        dependencies={"who": provide_handler},
        opt={"level": "handler"},
        response_headers={"X-Shared": "handler"},
        response_cookies=[Cookie(key="shared", value="handler")],
        type_decoders=[(is_never, decode_handler)],
        parameters={"limit": Parameter(int, query="limit", required=False)},
        tags=["shared", "handler"],
        etag=ETag(value="v1"),
        request_max_body_size=1024,
        security=[{"handler": []}],
    )
    async def read(self, thing_id: int, who: str, where: str) -> dict[str, Any]:
        return {"thing": thing_id, "who": who, "where": where}


router = Router(
    "/api",
    route_handlers=[Things],
    guards=[router_guard],
    after_response=router_after_response,
    middleware=[router_middleware],
    dependencies={"who": provide_router, "where": provide_router},
    request_class=RouterRequest,
    response_headers=[ResponseHeader(name="X-Shared", value="router"), ResponseHeader(name="X-Router", value="r")],
    response_cookies={"router": "r"},
    cache_control=CacheControlHeader(max_age=60),
    opt={"router": True, "level": "router"},
    security=[{"router": []}],
    include_in_schema=False,
)


def layered_app() -> Outpour:
    return Outpour(
        [router],
        guards=[app_guard],
        before_request=app_before,
        after_request=app_after,
        middleware=[app_middleware],
        dependencies={"who": Provide(provide_app), "app_only": provide_app},
        exception_handlers={NotAuthorizedException: app_exc, 500: app_exc},
        response_headers={"X-Shared": "app", "X-App": "a"},
        response_cookies=[Cookie(key="shared", value="app"), Cookie(key="app", value="a")],
        type_encoders={complex: repr, bytes: bytes.hex},
        type_decoders=[(is_never, decode_app)],
        opt={"app": True, "level": "app"},
        parameters={"token": Parameter(str, header="x-token", required=False)},
        tags=["app"],
        signature_namespace={"AppName": int},
    )


def registered(app: Outpour, path: str, method: str = "GET") -> HTTPRouteHandler:
    handler = app.route_handler_method_map[path][method]
    assert isinstance(handler, HTTPRouteHandler)
    return handler


THING = "/api/things/{thing_id:int}"


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        pytest.param("guards", (app_guard, router_guard, controller_guard, handler_guard), id="guards-outer-first"),
        pytest.param("before_request", handler_before, id="before_request-closest"),
        pytest.param("after_request", app_after, id="after_request-from-app"),
        pytest.param("after_response", router_after_response, id="after_response-from-router"),
        pytest.param("middleware", (app_middleware, router_middleware), id="middleware-outer-first"),
        pytest.param(
            "exception_handlers", {NotAuthorizedException: handler_exc, 500: app_exc}, id="exception_handlers-merged"
        ),
        pytest.param(
            "opt",
            {"app": True, "router": True, "controller": True, "level": "handler"},
            id="opt-merged",
        ),
        pytest.param("request_class", RouterRequest, id="request_class-closest"),
        pytest.param("response_class", ControllerResponse, id="response_class-closest"),
        pytest.param("type_encoders", {complex: str, bytes: bytes.hex}, id="type_encoders-merged"),
        pytest.param(
            "type_decoders", ((is_never, decode_app), (is_never, decode_handler)), id="type_decoders-outer-first"
        ),
        pytest.param("tags", ("app", "things", "shared", "handler"), id="tags-once-each"),
        pytest.param("security", ({"router": []}, {"handler": []}), id="security-outer-first"),
        pytest.param("include_in_schema", False, id="include_in_schema-closest"),
        pytest.param("cache_control", CacheControlHeader(max_age=60), id="cache_control-closest"),
        pytest.param("etag", ETag(value="v1"), id="etag-closest"),
        pytest.param("request_max_body_size", 1024, id="request_max_body_size-closest"),
        pytest.param("media_type", MediaType.JSON.value, id="media_type-inferred"),
        pytest.param("status_code", 200, id="status_code"),
    ],
)
def test_registered_handler_answers_resolved_values(attribute: str, expected: Any) -> None:
    handler = registered(layered_app(), THING)
    assert getattr(handler, attribute) == expected


def test_response_headers_and_cookies_are_merged_by_name_closest_first() -> None:
    handler = registered(layered_app(), THING)
    assert [(h.name, h.value) for h in handler.response_headers or ()] == [
        ("X-Shared", "handler"),
        ("X-Controller", "c"),
        ("X-Router", "r"),
        ("X-App", "a"),
    ]
    assert all(isinstance(h, ResponseHeader) for h in handler.response_headers or ())
    assert [(c.key, c.value) for c in handler.response_cookies or ()] == [
        ("shared", "handler"),
        ("router", "r"),
        ("app", "a"),
    ]


def test_dependencies_are_merged_and_each_is_a_provide() -> None:
    handler = registered(layered_app(), THING)
    dependencies = handler.dependencies or {}
    assert set(dependencies) == {"who", "where", "app_only"}
    assert all(isinstance(provide, Provide) for provide in dependencies.values())
    assert [dependencies[name].dependency for name in ("who", "where", "app_only")] == [
        provide_handler,
        provide_router,
        provide_app,
    ]


def test_parameters_and_signature_namespace_are_merged() -> None:
    handler = registered(layered_app(), THING)
    assert set(handler.parameters or {}) == {"token", "limit"}
    assert (handler.signature_namespace or {})["AppName"] is int


def test_the_client_sees_what_the_attributes_say() -> None:
    app = layered_app()
    handler = registered(app, THING)
    with TestClient(app) as client:
        response = client.get("/api/things/3")
    assert response.json() == {"thing": 3, "who": "handler", "where": "router"}
    sent = [name.decode() for name, _ in response.headers.raw if name.decode().startswith("x-")]
    assert sent == [h.name.lower() for h in handler.response_headers or ()]
    assert response.headers["cache-control"] == "max-age=60"
    assert response.headers["etag"] == '"v1"'
    assert response.headers.get_list("set-cookie") == [
        c.to_header(header="").strip() for c in handler.response_cookies or ()
    ]


def test_registration_leaves_the_declared_handler_alone() -> None:
    layered_app()
    declared = Things.read
    assert declared.guards == [handler_guard]
    assert declared.opt == {"level": "handler"}
    assert declared.request_class is None
    assert declared.media_type is None


def test_a_handler_of_every_app_is_its_own_copy() -> None:
    first, second = Outpour([router]), Outpour([Router("/other", route_handlers=[Things])])
    one, other = registered(first, THING), registered(second, "/other/things/{thing_id:int}")
    assert one is not other
    assert (len(one.guards or ()), len(other.guards or ())) == (3, 2)


def test_an_asgi_handler_answers_its_resolved_values_too() -> None:
    @asgi("/raw", guards=[handler_guard], opt={"own": 1})
    async def raw(scope: Scope, receive: Receive, send: Send) -> None:
        return None

    app = Outpour([Router("/r", route_handlers=[raw], guards=[router_guard], opt={"router": 2})])
    handler = app.route_handler_method_map["/r/raw"]["asgi"]
    assert isinstance(handler, ASGIRouteHandler)
    assert (handler.guards, handler.opt) == ((router_guard, handler_guard), {"router": 2, "own": 1})


# -- media_type -------------------------------------------------------------------------------------------------------


@get("/text")
async def text() -> str:
    return "t"


@get("/bytes")
async def raw_bytes() -> bytes:
    return b"b"


@get("/json")
async def data() -> dict[str, int]:
    return {"a": 1}


@get("/html", media_type=MediaType.HTML)
async def html() -> str:
    return "<p>"


@get("/response")
async def response() -> Response[str]:
    return Response("r")


@get("/anything")
async def anything() -> Any:
    return File(__file__, filename="test_resolved_handler.py")


@get("/either")
async def either() -> Redirect | File:
    return Redirect("/text")


async def empty_app(scope: Scope, receive: Receive, send: Send) -> None:
    return None


@get("/app")
async def asgi_app() -> ASGIApp:
    return empty_app


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        pytest.param(text, "text/plain", id="str-is-text"),
        pytest.param(raw_bytes, "text/plain", id="bytes-is-text"),
        pytest.param(data, "application/json", id="data-is-json"),
        pytest.param(html, "text/html", id="given"),
        pytest.param(response, None, id="response-keeps-its-own"),
        pytest.param(anything, None, id="any-may-be-a-response"),
        pytest.param(either, None, id="union-of-responses"),
        pytest.param(asgi_app, None, id="asgi-app-may-be-a-response"),
    ],
)
def test_media_type_is_resolved(handler: HTTPRouteHandler, expected: str | None) -> None:
    app = Outpour([handler])
    assert registered(app, handler.paths[0]).media_type == expected


def test_a_handler_returning_a_file_keeps_the_files_media_type() -> None:
    with create_test_client([anything]) as client:
        assert client.get("/anything").headers["content-type"].startswith("text/x-python")


# -- status_code --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decorator", "expected"),
    [
        pytest.param(get, 200, id="get"),
        pytest.param(post, 201, id="post"),
        pytest.param(put, 200, id="put"),
        pytest.param(patch, 200, id="patch"),
        pytest.param(delete, 204, id="delete"),
        pytest.param(head, 200, id="head"),
    ],
)
def test_status_code_is_resolved_at_construction(decorator: Callable[..., HTTPRouteHandler], expected: int) -> None:
    @decorator("/s")
    async def handler() -> None:
        return None

    assert handler.status_code == expected


@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        pytest.param(["GET", "POST"], 200, id="several-methods"),
        pytest.param(["POST", "DELETE"], 200, id="several-including-delete"),
        pytest.param("POST", 201, id="one-post"),
        pytest.param(["DELETE"], 204, id="one-delete"),
    ],
)
def test_route_with_several_methods_defaults_to_200(methods: Any, expected: int) -> None:
    @route("/s", http_method=methods)
    async def handler() -> None:
        return None

    assert handler.status_code == expected


def test_a_given_status_code_wins() -> None:
    @post("/s", status_code=202)
    async def accepted() -> None:
        return None

    assert accepted.status_code == 202
    assert registered(Outpour([accepted]), "/s", "POST").status_code == 202


# -- Litestar 2's resolve_*() methods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "attribute", "convert"),
    [
        pytest.param("resolve_guards", "guards", list, id="guards"),
        pytest.param("resolve_dependencies", "dependencies", dict, id="dependencies"),
        pytest.param("resolve_exception_handlers", "exception_handlers", dict, id="exception_handlers"),
        pytest.param("resolve_middleware", "middleware", list, id="middleware"),
        pytest.param("resolve_layered_parameters", "parameters", dict, id="parameters"),
        pytest.param("resolve_signature_namespace", "signature_namespace", dict, id="signature_namespace"),
        pytest.param("resolve_type_decoders", "type_decoders", list, id="type_decoders"),
        pytest.param("resolve_type_encoders", "type_encoders", dict, id="type_encoders"),
        pytest.param("resolve_before_request", "before_request", None, id="before_request"),
        pytest.param("resolve_after_response", "after_response", None, id="after_response"),
        pytest.param("resolve_request_class", "request_class", None, id="request_class"),
        pytest.param("resolve_response_class", "response_class", None, id="response_class"),
        pytest.param("resolve_request_max_body_size", "request_max_body_size", None, id="request_max_body_size"),
        pytest.param("resolve_include_in_schema", "include_in_schema", None, id="include_in_schema"),
        pytest.param("resolve_security", "security", list, id="security"),
        pytest.param("resolve_tags", "tags", list, id="tags"),
        pytest.param("resolve_response_cookies", "response_cookies", frozenset, id="response_cookies"),
    ],
)
def test_resolve_methods_are_deprecated_and_return_the_attribute(method: str, attribute: str, convert: Any) -> None:
    handler = registered(layered_app(), THING)
    expected = getattr(handler, attribute)
    with pytest.warns(DeprecationWarning, match=rf"`{method}\(\)` is deprecated .* read the handler's `{attribute}`"):
        value = getattr(handler, method)()
    assert value == (convert(expected) if convert is not None else expected)


def test_resolve_response_headers_adds_cache_control_and_etag_as_litestar_2_did() -> None:
    handler = registered(layered_app(), THING)
    with pytest.warns(DeprecationWarning, match="resolve_response_headers"):
        headers = handler.resolve_response_headers()
    assert {(h.name, h.value) for h in headers} == {
        ("X-Shared", "handler"),
        ("X-Controller", "c"),
        ("X-Router", "r"),
        ("X-App", "a"),
        ("cache-control", "max-age=60"),
        ("etag", '"v1"'),
    }


def test_resolve_opts_returns_none_and_opt_is_merged() -> None:
    handler = registered(layered_app(), THING)
    with pytest.warns(DeprecationWarning, match="resolve_opts"):
        assert handler.resolve_opts() is None  # type: ignore[func-returns-value]
    assert handler.opt["app"] is True


def test_resolve_methods_before_registration_answer_the_handlers_own_values() -> None:
    with pytest.warns(DeprecationWarning, match="is deprecated"):
        assert (text.resolve_guards(), text.resolve_request_class(), text.resolve_response_class()) == (
            [],
            Request,
            Response,
        )
