"""Routing: static and typed paths, 404/405, automatic HEAD, duplicates, mounts, routers, controllers, reverse routing."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from outpour import Controller, Outpour, Router, asgi, delete, get, patch, post, route
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException, NoRouteMatchFoundException
from outpour.handlers import ASGIRouteHandler
from outpour.testing import create_test_client
from outpour.types import Receive, Scope, Send


@get("/")
async def root() -> str:
    return "root"


@get("/items/{item_id:int}")
async def item(item_id: int) -> dict[str, Any]:
    return {"item_id": item_id, "type": type(item_id).__name__}


def test_static_route_and_404() -> None:
    with create_test_client([root]) as client:
        assert client.get("/").text == "root"
        missing = client.get("/nope")
    assert missing.status_code == 404
    assert missing.json() == {"status_code": 404, "detail": "Not Found"}


def test_trailing_slash_matches() -> None:
    with create_test_client([item]) as client:
        assert client.get("/items/3/").json() == {"item_id": 3, "type": "int"}


@pytest.mark.parametrize(
    ("type_name", "raw", "expected"),
    [
        pytest.param("int", "42", 42, id="int"),
        pytest.param("str", "abc", "abc", id="str"),
        pytest.param("float", "1.5", 1.5, id="float"),
        pytest.param(
            "uuid", "6c9f4a8e-1b1e-4b8e-9f3a-2d8c1b6a7e10", UUID("6c9f4a8e-1b1e-4b8e-9f3a-2d8c1b6a7e10"), id="uuid"
        ),
        pytest.param("decimal", "3.14", Decimal("3.14"), id="decimal"),
        pytest.param("date", "2024-02-29", date(2024, 2, 29), id="date"),
        pytest.param("datetime", "2024-02-29T10:20:30", datetime(2024, 2, 29, 10, 20, 30), id="datetime"),
        pytest.param("time", "10:20:30", time(10, 20, 30), id="time"),
        pytest.param("timedelta", "PT1M", timedelta(minutes=1), id="timedelta"),
        pytest.param("timedelta", "1.5", timedelta(seconds=1.5), id="timedelta-seconds"),
        pytest.param("int", "-3", -3, id="int-negative"),
        pytest.param("int", "+7", 7, id="int-plus-sign"),
        pytest.param("path", "a/b/c.txt", "/a/b/c.txt", id="path"),
    ],
)
def test_typed_path_parameters(type_name: str, raw: str, expected: Any) -> None:
    seen: list[Any] = []

    @get(f"/p/{{value:{type_name}}}")
    async def handler(value: Any) -> None:
        seen.append(value)

    with create_test_client([handler]) as client:
        response = client.get(f"/p/{raw}")
    assert response.status_code == 200, response.text
    assert seen == [expected]


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        pytest.param("/items/{item_id:int}", "abc", id="int"),
        pytest.param("/items/{item_id:int}", "\u0661\u0662", id="int-non-ascii-digits"),
        pytest.param("/items/{item_id:uuid}", "not-a-uuid", id="uuid"),
        pytest.param("/items/{item_id:date}", "2024-13-45", id="date"),
        pytest.param("/items/{item_id:float}", "nan", id="float-nan"),
    ],
)
def test_a_segment_not_of_the_slot_type_is_not_found(path: str, raw: str) -> None:
    """The slot's type is part of the route, as in Litestar: `/items/abc` is no path of `/items/{item_id:int}`."""
    calls: list[Any] = []

    @get(path)
    async def handler(item_id: Any) -> None:
        calls.append(item_id)

    with create_test_client([handler]) as client:
        response = client.get(f"/items/{raw}")
    assert (response.status_code, response.json(), calls) == (404, {"status_code": 404, "detail": "Not Found"}, [])


def test_405_has_allow_header() -> None:
    @post("/things")
    async def create() -> None:
        return None

    @get("/things")
    async def read() -> str:
        return "ok"

    with create_test_client([create, read]) as client:
        response = client.put("/things")
        unknown = client.request("BREW", "/things")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, OPTIONS, POST"
    assert unknown.status_code == 405


def test_automatic_head_has_get_status_and_headers_without_body() -> None:
    @get("/data", response_headers={"x-extra": "1"})
    async def data() -> dict[str, int]:
        return {"a": 1}

    with create_test_client([data]) as client:
        full = client.get("/data")
        head = client.head("/data")
    assert head.status_code == full.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == full.headers["content-length"] == str(len(full.content))
    assert head.headers["content-type"] == full.headers["content-type"] == "application/json"
    assert head.headers["x-extra"] == "1"


def test_path_list_registers_every_path() -> None:
    @get(["/a", "/b/{n:int}"])
    async def handler(n: int = 0) -> int:
        return n

    with create_test_client([handler]) as client:
        assert client.get("/a").json() == 0
        assert client.get("/b/7").json() == 7


def test_route_with_several_methods_defaults_to_200() -> None:
    @route("/multi", http_method=["GET", "POST"])
    async def multi() -> str:
        return "x"

    with create_test_client([multi]) as client:
        assert client.get("/multi").status_code == 200
        assert client.post("/multi").status_code == 200


def test_duplicate_route_names_both_handlers() -> None:
    @get("/dup")
    async def first() -> None:
        return None

    @get("/dup")
    async def second() -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match=r"first.*second"):
        Outpour(route_handlers=[first, second])


def test_duplicate_dynamic_route_is_an_error() -> None:
    @get("/u/{a:int}")
    async def first(a: int) -> None:
        return None

    @get("/u/{b:str}")
    async def second(b: str) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="Duplicate route"):
        Outpour(route_handlers=[first, second])


@pytest.mark.parametrize(
    ("path", "message"),
    [
        pytest.param(
            "/x/{id}",
            "Path parameter `id` in `/x/{id}` has no type: write `{id:str}` (or int, float, uuid, decimal, date, "
            "datetime, time, timedelta, path).",
            id="untyped",
        ),
        pytest.param(
            "/x/{id:integer}",
            "Path parameter `id` in `/x/{id:integer}` has unknown type `integer`; use one of str, int, float, uuid, "
            "decimal, date, datetime, time, timedelta, path.",
            id="unknown-type",
        ),
        pytest.param(
            "/x/pre{id:int}",
            "Path `/x/pre{id:int}` has a malformed parameter segment `pre{id:int}`: a parameter takes a whole segment "
            "and is written `{name:type}`, e.g. `/items/{item_id:int}`.",
            id="partial-segment",
        ),
        pytest.param("/x/{id", "malformed parameter segment `{id`", id="unclosed-brace"),
        pytest.param("/x/id}", "malformed parameter segment `id}`", id="unopened-brace"),
        pytest.param("/x/{id:int}/{id:int}", "twice", id="duplicate-name"),
        pytest.param("/x/{rest:path}/more", "last segment", id="path-not-last"),
    ],
)
def test_bad_path_templates_raise_at_creation(path: str, message: str) -> None:
    @get(path)
    async def handler() -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match=re.escape(message)):
        Outpour(route_handlers=[handler])


@pytest.mark.parametrize(
    ("path", "request_path", "expected"),
    [
        pytest.param("/{value: str}", "/html", {"value": "html"}, id="space-after-colon"),
        pytest.param("/n/{value : int}", "/n/42", {"value": 42}, id="spaces-around-colon"),
        pytest.param("/n/{ value:int }", "/n/7", {"value": 7}, id="spaces-inside-braces"),
        pytest.param("/d/{value :\tdate}", "/d/2024-02-29", {"value": "2024-02-29"}, id="tab"),
    ],
)
def test_spaces_in_a_path_parameter_are_ignored(path: str, request_path: str, expected: dict[str, Any]) -> None:
    """Litestar's docs write `/{template_type: str}`: the name and the type are read without the spaces."""

    @get(path)
    async def handler(value: Any) -> dict[str, Any]:
        return {"value": value}

    app = Outpour([handler], openapi_config=None)
    with create_test_client([handler]) as client:
        response = client.get(request_path)
    assert (response.status_code, response.json()) == (200, expected)
    assert app.routes[0].path == path.replace(" ", "").replace("\t", "")


def test_a_path_written_with_and_without_spaces_is_one_route() -> None:
    @get("/items/{id : int}")
    async def read(id: int) -> int:
        return id

    @post("/items/{id:int}")
    async def write(id: int) -> int:
        return -id

    app = Outpour([read, write], openapi_config=None)
    assert [(r.path, sorted(r.methods)) for r in app.routes] == [("/items/{id:int}", ["GET", "OPTIONS", "POST"])]
    with create_test_client([read, write]) as client:
        assert (client.get("/items/3").json(), client.post("/items/3").json()) == (3, -3)
        assert client.get("/items/x").status_code == 404


def test_literal_segments_win_over_parameters() -> None:
    @get("/users/me")
    async def me() -> str:
        return "me"

    @get("/users/{name:str}")
    async def user(name: str) -> str:
        return f"user {name}"

    with create_test_client([me, user]) as client:
        assert client.get("/users/me").text == "me"
        assert client.get("/users/bob").text == "user bob"


def test_nested_routers_and_controllers() -> None:
    class ItemController(Controller):
        path = "/items"

        @get("/{item_id:int}")
        async def read(self, item_id: int) -> dict[str, int]:
            return {"id": item_id}

        @delete("/{item_id:int}")
        async def remove(self, item_id: int) -> None:
            return None

    inner = Router(path="/v1", route_handlers=[ItemController])
    outer = Router(path="/api", route_handlers=[inner])
    with create_test_client([outer]) as client:
        assert client.get("/api/v1/items/5").json() == {"id": 5}
        deleted = client.delete("/api/v1/items/5")
    assert deleted.status_code == 204
    assert deleted.content == b""


class Orders(Controller):
    """A controller with its own layer of options, for ``as_router``."""

    path = "/orders"
    response_headers = {"X-Layer": "orders"}  # noqa: RUF012
    dependencies = {"currency": Provide(lambda: "EUR", sync_to_thread=False)}  # noqa: RUF012
    tags = ["orders"]  # noqa: RUF012

    @get("/{order_id:int}")
    async def read(self, order_id: int, currency: str) -> dict[str, Any]:
        return {"id": order_id, "currency": currency, "controller": type(self).__name__}

    @post("/")
    async def create(self) -> str:
        return "created"


@pytest.mark.parametrize(
    "registered",
    [pytest.param(lambda: Orders, id="controller"), pytest.param(lambda: Orders().as_router(), id="as-router")],
)
def test_as_router_serves_what_the_controller_serves(registered: Any) -> None:
    value = registered()
    app = Outpour([Router("/api", route_handlers=[value])])
    with create_test_client([Router("/api", route_handlers=[value])]) as client:
        read, created = client.get("/api/orders/3"), client.post("/api/orders")
    assert read.json() == {"id": 3, "currency": "EUR", "controller": "Orders"}
    assert (read.headers["x-layer"], created.status_code, created.text) == ("orders", 201, "created")
    assert app.openapi_schema.to_schema()["paths"]["/api/orders/{order_id}"]["get"]["tags"] == ["orders"]


def test_as_router_is_a_router_with_the_controllers_options() -> None:
    router = Orders().as_router()
    assert isinstance(router, Router)
    assert (router.path, router.tags, router.response_headers) == ("/orders", ["orders"], {"X-Layer": "orders"})
    assert sorted(h.handler_name for h in router.route_handlers) == ["Orders.create", "Orders.read"]


async def _raw(self: Any, scope: Scope, receive: Receive, send: Send) -> None:
    return None  # pragma: no cover - never called


async def _page(self: Any) -> None:
    return None  # pragma: no cover - never called


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        pytest.param(get("/{a:int}"), get("/{b:str}", name="b"), "for GET at `/things/{b:str}`", id="same-shape"),
        pytest.param(route("/x", http_method=["PUT", "PATCH"]), patch("x/", name="p"), "for PATCH", id="overlap"),
        pytest.param(asgi("/raw"), asgi("/raw", name="raw2"), "for every method at `/things/raw`", id="asgi"),
    ],
)
def test_a_controller_taking_a_method_twice_on_a_path_is_refused(first: Any, second: Any, message: str) -> None:
    is_asgi = isinstance(first, ASGIRouteHandler)
    things = type(
        "Things",
        (Controller,),
        {"path": "/things", "one": first(_raw if is_asgi else _page), "two": second(_raw if is_asgi else _page)},
    )
    with pytest.raises(ImproperlyConfiguredException, match=re.escape(message)):
        Outpour([things])
    with pytest.raises(ImproperlyConfiguredException, match="Controller `Things` has two handlers"):
        things().validate_route_handlers([things.one, things.two])  # type: ignore[attr-defined]


def test_other_methods_or_an_asgi_handler_on_one_path_are_accepted() -> None:
    handlers = [route("/", http_method=["GET", "PUT"])(_page), post("/", name="p")(_page), asgi("/", name="a")(_raw)]
    Orders().validate_route_handlers(handlers)


def test_asgi_handler_and_mount() -> None:
    @asgi("/raw")
    async def raw_app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": scope["method"].encode()})

    @asgi("/mounted", is_mount=True)
    async def mounted(scope: Scope, receive: Receive, send: Send) -> None:
        body = f"{scope['root_path']}|{scope['path']}".encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    with create_test_client([raw_app, mounted]) as client:
        assert client.post("/raw").text == "POST"
        assert client.get("/mounted/a/b").text == "/mounted|/a/b"
        assert client.get("/mounted").text == "/mounted|/"


def test_route_reverse() -> None:
    @get("/books/{book_id:int}/pages/{page:int}", name="page")
    async def page(book_id: int, page: int) -> None:
        return None

    app = Outpour(route_handlers=[Router(path="/lib", route_handlers=[page])])
    assert app.route_reverse("page", book_id=3, page=14) == "/lib/books/3/pages/14"
    with pytest.raises(NoRouteMatchFoundException, match="needs path parameters"):
        app.route_reverse("page", book_id=3)
    with pytest.raises(NoRouteMatchFoundException, match="No route handler is named"):
        app.route_reverse("nope")


def test_duplicate_handler_names_are_refused() -> None:
    @get("/a", name="same")
    async def a() -> None:
        return None

    @get("/b", name="same")
    async def b() -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="names must be unique"):
        Outpour(route_handlers=[a, b])


def test_registering_a_non_handler_is_refused() -> None:
    async def plain() -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="is not a route handler"):
        Outpour(route_handlers=[plain])


def test_unknown_keyword_is_a_type_error() -> None:
    assert get("/", not_an_option=True).opt == {"not_an_option": True}  # type: ignore[call-arg]  # extras go to `opt`
    with pytest.raises(TypeError, match="unexpected keyword"):
        Router(path="/", route_handlers=[], colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword"):
        Outpour(route_handlers=[], colour="red")  # type: ignore[call-arg]


def test_root_path_is_stripped() -> None:
    with create_test_client([root], root_path="/prefix") as client:
        response = client.get("/prefix/")
    assert response.text == "root"


def test_a_handler_not_yet_in_an_app_has_a_dict_opt() -> None:
    @get("/", opt={"a": 1}, no_timeout=True)  # type: ignore[call-arg]  # extra keywords go to `opt` at run time
    async def with_opt() -> None: ...

    @get("/")
    async def without() -> None: ...

    assert with_opt.opt == {"a": 1, "no_timeout": True}
    assert without.opt == {}
    without.opt["b"] = 2
    assert without.opt == {"b": 2}


# -- the route table's matcher, reached for every request on the general path (docs/dev/general-path.md) -----------


async def _call(app: Outpour, path: str, method: str = "GET", **scope: Any) -> tuple[int, dict[str, str], bytes]:
    """Call ``app`` once with a hand-made scope (one a test client would not send) and collect its answer."""
    messages: list[dict[str, Any]] = []
    full: dict[str, Any] = {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "server": ("testserver", 80),
        **scope,
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(full, receive, send)
    start = messages[0]
    headers = {k.decode(): v.decode() for k, v in start.get("headers", [])}
    return start["status"], headers, b"".join(m.get("body", b"") for m in messages[1:])


@pytest.fixture(params=[pytest.param(False, id="fast"), pytest.param(True, id="general")])
def both_paths(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Build each app of the test with the static-path shortcut on, then with every request through the matcher."""
    if request.param:
        monkeypatch.setenv("OUTPOUR_GENERAL_PATH", "1")


async def _echo_mount(scope: Scope, receive: Receive, send: Send) -> None:
    message = await receive()
    body = f"{scope['root_path']}|{scope['path']}|{message.get('body', b'').decode()}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


@pytest.mark.usefixtures("both_paths")
def test_a_mount_at_the_root_answers_what_nothing_else_matches() -> None:
    root_mount = asgi("/", is_mount=True)(_echo_mount)
    with create_test_client([root, item, root_mount]) as client:
        assert client.get("/").text == "root"
        assert client.get("/items/3").json() == {"item_id": 3, "type": "int"}
        assert client.post("/other/place", content=b"data").text == "|/other/place|data"


@pytest.mark.usefixtures("both_paths")
def test_a_mount_under_a_root_path_adds_its_prefix_to_it() -> None:
    mount = asgi("/m", is_mount=True)(_echo_mount)
    with create_test_client([mount], root_path="/prefix") as client:
        assert client.post("/prefix/m/a", content=b"body").text == "/prefix/m|/a|body"


@pytest.mark.usefixtures("both_paths")
def test_the_longest_mount_prefix_wins() -> None:
    outer = asgi("/a", is_mount=True, name="outer")(_echo_mount)
    inner = asgi("/a/b", is_mount=True, name="inner")(_echo_mount)
    with create_test_client([outer, inner]) as client:
        assert client.get("/a/b/c").text == "/a/b|/c|"
        assert client.get("/a/c").text == "/a|/c|"


@pytest.mark.anyio
async def test_a_mount_called_without_a_root_path_in_the_scope() -> None:
    app = Outpour([asgi("/m", is_mount=True)(_echo_mount), asgi("/", is_mount=True)(_echo_mount)])
    assert await _call(app, "/m/x") == (200, {}, b"/m|/x|")
    assert await _call(app, "/y") == (200, {}, b"|/y|")


def test_a_mount_path_cannot_have_parameters() -> None:
    with pytest.raises(ImproperlyConfiguredException) as refused:
        Outpour([asgi("/m/{x:int}", is_mount=True)(_echo_mount)])
    assert str(refused.value).endswith("A mount path cannot have parameters: `/m/{x:int}`.")


def test_two_asgi_handlers_on_one_path_are_refused() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="Duplicate route: \\* `/raw`"):
        Outpour([asgi("/raw", name="one")(_echo_mount), asgi("/raw", name="two")(_echo_mount)])


def test_an_asgi_route_carries_its_handler() -> None:
    raw = asgi("/raw")(_echo_mount)
    app = Outpour([raw])
    [asgi_route] = [r for r in app.routes if r.path == "/raw"]
    assert [h.handler_name for h in asgi_route.route_handlers] == [raw.handler_name]


@pytest.mark.usefixtures("both_paths")
def test_an_asgi_handler_on_a_path_with_parameters_takes_every_method() -> None:
    with create_test_client([asgi("/raw/{x:int}")(_echo_mount)]) as client:
        assert client.put("/raw/5", content=b"b").text == "|/raw/5|b"


@pytest.mark.usefixtures("both_paths")
@pytest.mark.parametrize("path", [pytest.param("/things", id="static"), pytest.param("/things/{x:int}", id="dynamic")])
def test_other_methods_get_405_and_options_gets_the_allow_list(path: str) -> None:
    @get(path)
    async def read() -> str:
        return "ok"

    request_path = path.replace("{x:int}", "1")
    with create_test_client([read]) as client:
        refused = client.put(request_path)
        options = client.options(request_path)
    assert (refused.status_code, refused.headers["allow"]) == (405, "GET, OPTIONS")
    assert (options.status_code, options.headers["allow"]) == (204, "GET, OPTIONS")


@pytest.mark.usefixtures("both_paths")
def test_a_root_path_is_taken_off_before_matching() -> None:
    with create_test_client([root, item], root_path="/prefix") as client:
        assert client.get("/prefix/items/4").json() == {"item_id": 4, "type": "int"}
        assert client.get("/prefix").text == "root"


@pytest.mark.usefixtures("both_paths")
def test_only_slashes_are_taken_off_the_end() -> None:
    @get("/boX")
    async def box() -> str:
        return "box"

    with create_test_client([box]) as client:
        assert client.get("/boX/").text == "box"


@pytest.mark.anyio
@pytest.mark.usefixtures("both_paths")
async def test_a_path_of_slashes_is_the_root() -> None:
    status, _, body = await _call(Outpour([root]), "//", root_path="")
    assert (status, body) == (200, b"root")


@pytest.mark.usefixtures("both_paths")
def test_a_literal_segment_after_a_parameter_wins_over_a_parameter() -> None:
    @get("/a/{x:int}/edit")
    async def edit(x: int) -> str:
        return "edit"

    @get("/a/{x:int}/{y:str}")
    async def other(x: int, y: str) -> str:
        return f"other {y}"

    with create_test_client([other, edit]) as client:
        assert client.get("/a/1/edit").text == "edit"
        assert client.get("/a/1/view").text == "other view"


@pytest.mark.usefixtures("both_paths")
def test_the_matcher_backtracks_out_of_a_dead_end() -> None:
    @get("/x/lit/{q:str}/z")
    async def deep(q: str) -> str:
        return f"deep {q}"

    @get("/x/{p:str}/c")
    async def shallow(p: str) -> str:
        return f"shallow {p}"

    @get("/y/lit/{q:str}/z")
    async def deep_y(q: str) -> str:
        return f"deep {q}"

    @get("/y/{p:str}/{r:str}")
    async def two_params(p: str, r: str) -> str:
        return f"two {p} {r}"

    with create_test_client([deep, shallow, deep_y, two_params]) as client:
        assert client.get("/x/lit/c").text == "shallow lit"
        assert client.get("/x/lit/q/z").text == "deep q"
        assert client.get("/y/lit/c").text == "two lit c"


@pytest.mark.usefixtures("both_paths")
def test_a_path_parameter_matches_nothing_after_its_prefix() -> None:
    @get("/files/{p:path}")
    async def files(p: str) -> str:
        return p

    with create_test_client([files]) as client:
        assert client.get("/files").text == "/"
        assert client.get("/files/a/b").text == "/a/b"


@pytest.mark.usefixtures("both_paths")
def test_a_path_slot_and_a_segment_slot_are_different_routes() -> None:
    @get("/a/{x:str}")
    async def one(x: str) -> str:
        return f"one {x}"

    @get("/a/{rest:path}")
    async def rest(rest: str) -> str:
        return f"rest {rest}"

    with create_test_client([one, rest]) as client:
        assert client.get("/a/b").text == "one b"
        assert client.get("/a/b/c").text == "rest /b/c"


def test_route_reverse_picks_the_path_taking_the_most_parameters() -> None:
    @get(["/a", "/a/{x:int}", "/a/{x:int}/{y:int}"], name="multi")
    async def multi(x: int = 0, y: int = 0) -> None:
        return None

    app = Outpour([multi])
    assert app.route_reverse("multi") == "/a"
    assert app.route_reverse("multi", x=1) == "/a/1"
    assert app.route_reverse("multi", x=1, y=2) == "/a/1/2"


def test_route_reverse_checks_types_except_for_path_parameters() -> None:
    @get("/books/{book_id:int}/files/{rest:path}", name="file")
    async def file(book_id: int, rest: str) -> None:
        return None

    app = Outpour([file])
    assert app.route_reverse("file", book_id=1, rest="/Xa/bX/") == "/books/1/files/Xa/bX"
    assert app.route_reverse("file", book_id=2, rest=5) == "/books/2/files/5"
    with pytest.raises(NoRouteMatchFoundException) as wrong:
        app.route_reverse("file", book_id=1.5, rest="x")
    assert str(wrong.value).endswith("Path parameter `book_id` of `file` takes `int`, got `1.5`.")
    with pytest.raises(NoRouteMatchFoundException) as missing:
        app.route_reverse("file", book_id=1)
    assert str(missing.value).endswith("Route `file` needs path parameters ['book_id', 'rest'], got ['book_id'].")


def test_route_reverse_lists_every_path_it_could_not_fill() -> None:
    @get(["/a/{x:int}", "/b/{x:int}/{y:int}"], name="two")
    async def two(x: int, y: int = 0) -> None:
        return None

    with pytest.raises(NoRouteMatchFoundException) as missing:
        Outpour([two]).route_reverse("two", z=1)
    assert str(missing.value).endswith("Route `two` needs path parameters ['x'] or ['x', 'y'], got ['z'].")


def test_a_named_controller_handler_may_be_registered_twice() -> None:
    class Pages(Controller):
        path = "/pages"

        @get("/{n:int}", name="page")
        async def page(self, n: int) -> int:
            return n

    app = Outpour([Router("/a", route_handlers=[Pages]), Router("/b", route_handlers=[Pages])])
    assert app.route_reverse("page", n=1) in ("/a/pages/1", "/b/pages/1")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        pytest.param("/{v:float}", "1.5", "/1.5", id="float-as-text"),
        pytest.param("/{v:uuid}", "6f1b3c2e-0000-4000-8000-000000000000", None, id="uuid-as-text"),
        pytest.param("/{v:date}", "2026-12-06", "/2026-12-06", id="date-as-text"),
        pytest.param("/{v:datetime}", "2026-12-06T10:00:00", "/2026-12-06T10:00:00", id="datetime-as-text"),
        pytest.param("/{v:time}", "10:00:00", "/10:00:00", id="time-as-text"),
        pytest.param("/{v:timedelta}", "PT1S", "/PT1S", id="timedelta-as-text"),
        pytest.param("/{v:path}", "a/b", "/a/b", id="path"),
        pytest.param("/{v:int}", 7, "/7", id="int"),
    ],
)
def test_route_reverse_takes_text_for_types_written_as_text(path: str, value: Any, expected: str | None) -> None:
    @get(path, name="target")
    async def target() -> None:
        return None

    reversed_path = Outpour(route_handlers=[target]).route_reverse("target", v=value)
    assert reversed_path == (expected if expected is not None else f"/{value}")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param("/{v:int}", "100", id="int-given-text"),
        pytest.param("/{v:decimal}", "1.5", id="decimal-given-text"),
        pytest.param("/{v:int}", 1.5, id="int-given-float"),
        pytest.param("/{v:str}", 3, id="str-given-int"),
    ],
)
def test_route_reverse_refuses_a_value_of_another_type(path: str, value: Any) -> None:
    @get(path, name="target")
    async def target() -> None:
        return None

    with pytest.raises(NoRouteMatchFoundException, match=r"Path parameter `v` of `target` takes"):
        Outpour(route_handlers=[target]).route_reverse("target", v=value)
