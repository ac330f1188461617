from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pytest

from outpour import MediaType, Outpour, Response, Router, asgi, delete, get, post
from outpour.cli._routes import RouteRow, media_label, response_kind, route_rows
from outpour.pagination import ClassicPagination, CursorPagination, OffsetPagination
from outpour.response import ASGIResponse, File, Redirect, ServerSentEvent, Stream, Template
from outpour.types import ASGIApp, Receive, Scope, Send


class CustomResponse(Response[Any]):
    pass


@get("/json")
async def json_handler() -> dict[str, int]:
    return {}


@get("/text")
async def text_handler() -> str:
    return ""


@get("/html", media_type=MediaType.HTML)
async def html_handler() -> str:
    return ""


@get("/msgpack", media_type=MediaType.MESSAGEPACK)
async def msgpack_handler() -> dict[str, int]:
    return {}


@get("/problem", media_type="application/problem+json; charset=utf-8")
async def problem_handler() -> dict[str, int]:
    return {}


@get("/csv", media_type="text/csv")
async def csv_handler() -> str:
    return ""


@delete("/gone")
async def gone_handler() -> None:
    return None


@get("/response")
async def response_handler() -> Response[str]:
    return Response("")


@get("/asgi-response")
async def asgi_response_handler() -> ASGIResponse:
    return ASGIResponse(body=b"")


@get("/returned-asgi-app")
async def returned_asgi_app_handler() -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        return None

    return app


@get("/stream")
async def stream_handler() -> Stream:
    return Stream([b""])


@get("/sse")
async def sse_handler() -> ServerSentEvent:
    async def events() -> AsyncIterator[str]:
        yield "x"

    return ServerSentEvent(events())


@get("/file")
async def file_handler() -> File:
    return File("x")


@get("/redirect")
async def redirect_handler() -> Redirect:
    return Redirect("/")


@get("/template")
async def template_handler() -> Template:
    return Template("x.html")


@get("/classic")
async def classic_handler() -> ClassicPagination[int]:
    return ClassicPagination(items=[], page_size=1, current_page=1, total_pages=1)


@get("/offset")
async def offset_handler() -> OffsetPagination[int]:
    return OffsetPagination(items=[], limit=1, offset=0, total=0)


@get("/cursor")
async def cursor_handler() -> CursorPagination[str, int]:
    return CursorPagination(items=[], results_per_page=1, cursor=None)


@get("/annotated")
async def annotated_handler() -> Annotated[Stream | None, "doc"]:
    return None


@dataclass
class Item:
    name: str


@get("/dataclass")
async def dataclass_handler() -> Item:
    return Item("x")


@get("/literal")
async def literal_handler() -> Literal["a", "b"]:
    return "a"


@get("/union")
async def union_handler() -> int | str:
    return 1


@get("/custom", response_class=CustomResponse)
async def custom_handler() -> dict[str, int]:
    return {}


@post(["/many", "/many/{n:int}"])
async def many_handler(n: int = 0) -> dict[str, int]:
    return {}


@asgi("/asgi")
async def asgi_handler(scope: Scope, receive: Receive, send: Send) -> None:
    return None


@asgi("/mounted", is_mount=True)
async def mount_handler(scope: Scope, receive: Receive, send: Send) -> None:
    return None


HANDLERS = [
    json_handler,
    text_handler,
    html_handler,
    msgpack_handler,
    problem_handler,
    csv_handler,
    gone_handler,
    response_handler,
    asgi_response_handler,
    returned_asgi_app_handler,
    stream_handler,
    sse_handler,
    file_handler,
    redirect_handler,
    template_handler,
    classic_handler,
    offset_handler,
    cursor_handler,
    annotated_handler,
    union_handler,
    literal_handler,
    dataclass_handler,
    custom_handler,
    many_handler,
    asgi_handler,
    mount_handler,
]


@pytest.fixture(scope="module")
def app() -> Outpour:
    return Outpour(HANDLERS)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        pytest.param("/json", "JSON", id="json"),
        pytest.param("/text", "text", id="text"),
        pytest.param("/html", "HTML", id="html"),
        pytest.param("/msgpack", "MessagePack", id="msgpack"),
        pytest.param("/problem", "JSON (application/problem+json)", id="json-suffix"),
        pytest.param("/csv", "text/csv", id="other-media-type"),
        pytest.param("/gone", "no body", id="none"),
        pytest.param("/response", "response (JSON)", id="response"),
        pytest.param("/asgi-response", "ASGI response", id="asgi-response"),
        pytest.param("/returned-asgi-app", "returned ASGI app", id="returned-asgi-app"),
        pytest.param("/stream", "stream", id="stream"),
        pytest.param("/sse", "server-sent events", id="sse"),
        pytest.param("/file", "file", id="file"),
        pytest.param("/redirect", "redirect", id="redirect"),
        pytest.param("/template", "template", id="template"),
        pytest.param("/classic", "classic pagination (JSON)", id="classic"),
        pytest.param("/offset", "offset pagination (JSON)", id="offset"),
        pytest.param("/cursor", "cursor pagination (JSON)", id="cursor"),
        pytest.param("/annotated", "stream", id="annotated-optional"),
        pytest.param("/union", "JSON", id="union"),
        pytest.param("/literal", "JSON", id="literal"),
        pytest.param("/dataclass", "JSON", id="dataclass"),
        pytest.param("/custom", "JSON via CustomResponse", id="response-class"),
        pytest.param("/many/{n:int}", "JSON", id="second-path"),
        pytest.param("/asgi", "ASGI app", id="asgi"),
        pytest.param("/mounted", "ASGI app (mount)", id="mount"),
    ],
)
def test_response_kind(app: Outpour, path: str, kind: str) -> None:
    rows = {row.path: row for row in route_rows(app)}
    assert rows[path].kind == kind


def test_rows_are_sorted_and_name_methods_and_handlers(app: Outpour) -> None:
    rows = route_rows(app)
    assert [row.path for row in rows] == sorted(row.path for row in rows)
    by_path = {row.path: row for row in rows}
    assert by_path["/many"] == RouteRow("/many", ("POST",), "many_handler", "JSON")
    assert by_path["/gone"].methods == ("DELETE",)
    assert by_path["/asgi"].methods == ("*",)


def test_exclude_and_hidden_prefix() -> None:
    app = Outpour(
        [
            Router("/schema", route_handlers=[json_handler]),
            Router("/schemas", route_handlers=[text_handler]),
            html_handler,
        ],
        openapi_config=None,
    )
    assert [row.path for row in route_rows(app)] == ["/html", "/schema/json", "/schemas/text"]
    assert [row.path for row in route_rows(app, exclude=[r"^/schemas?/"])] == ["/html"]
    assert [row.path for row in route_rows(app, hide_prefix="/schema")] == ["/html", "/schemas/text"]


def test_a_route_without_a_plan_is_marked(app: Outpour) -> None:
    app = Outpour([json_handler], openapi_config=None)
    app.plans.clear()
    assert [row.kind for row in route_rows(app)] == ["?"]


def test_response_class_response_is_not_named() -> None:
    app = Outpour([json_handler], response_class=Response, openapi_config=None)
    assert response_kind(app.plans[0]) == "JSON"


@pytest.mark.parametrize(
    ("media_type", "label"),
    [
        pytest.param("application/json", "JSON", id="json"),
        pytest.param("Application/JSON; charset=utf-8", "JSON", id="params-and-case"),
        pytest.param("application/vnd.msgpack", "MessagePack", id="msgpack-iana"),
        pytest.param("application/msgpack", "MessagePack", id="msgpack"),
        pytest.param("text/plain; charset=latin-1", "text", id="text"),
        pytest.param("application/vnd.api+json", "JSON (application/vnd.api+json)", id="json-suffix"),
        pytest.param("image/png", "image/png", id="other"),
    ],
)
def test_media_label(media_type: str, label: str) -> None:
    assert media_label(media_type) == label


def test_websocket_routes_are_listed() -> None:
    from outpour import WebSocket, websocket

    @websocket("/live")
    async def live(socket: WebSocket) -> None:  # pragma: no cover - never served
        await socket.accept()

    rows = route_rows(Outpour([live], openapi_config=None))
    assert rows == [RouteRow("/live", ("WEBSOCKET",), "test_websocket_routes_are_listed.<locals>.live", "WebSocket")]
