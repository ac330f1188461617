"""What route handlers and ``Provide`` tell about their function, as Litestar's API lists it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from functools import partial
from typing import Any

import msgspec
import pytest

from outpour import Controller, Outpour, Request, get
from outpour.di import Provide
from outpour.exceptions import ImproperlyConfiguredException
from outpour.types import Empty
from outpour.typing import FieldDefinition


@get("/items/{item_id:int}", sync_to_thread=False)
def read_item(item_id: int, q: str | None = None, *, limit: int = 10) -> dict[str, Any]:
    return {"item_id": item_id, "q": q, "limit": limit}


@get("/async")
async def read_async(request: Request) -> None:
    return None


class Shop(Controller):
    path = "/shop"

    @get("/")
    async def list_items(self, page: int = 1) -> list[int]:
        return [page]


def test_str_is_the_dotted_path_and_the_default_name() -> None:
    assert str(read_item) == f"{__name__}.read_item"
    app = Outpour([read_item, Shop])
    assert app.route_reverse(f"{__name__}.read_item", item_id=3) == "/items/3"
    shop_handler = app.route_handler_method_map["/shop"]["GET"]
    assert str(shop_handler) == f"{__name__}.Shop.list_items"
    assert app.route_reverse(str(shop_handler)) == "/shop"


def test_parsed_fn_signature() -> None:
    parsed = read_item.parsed_fn_signature
    assert list(parsed.parameters) == ["item_id", "q", "limit"]
    assert all(isinstance(field, FieldDefinition) for field in parsed.parameters.values())
    assert (parsed.parameters["item_id"].annotation, parsed.parameters["item_id"].default) == (int, Empty)
    assert (parsed.parameters["q"].is_optional, parsed.parameters["q"].default) == (True, None)
    assert parsed.parameters["limit"].default == 10
    assert parsed.return_type.annotation == dict[str, Any]
    assert list(parsed.original_signature.parameters) == ["item_id", "q", "limit"]
    assert read_item.parsed_fn_signature is parsed  # parsed once


def test_a_controller_handler_is_parsed_without_self_once_bound() -> None:
    app = Outpour([Shop])
    handler = app.route_handler_method_map["/shop"]["GET"]
    assert list(handler.parsed_fn_signature.parameters) == ["page"]


def test_signature_model_checks_the_parameters() -> None:
    model = read_item.signature_model
    assert issubclass(model, msgspec.Struct)
    assert model.__struct_fields__ == ("item_id", "q", "limit")
    assert msgspec.convert({"item_id": 1}, model) == model(item_id=1, q=None, limit=10)
    with pytest.raises(msgspec.ValidationError, match=r"Expected `int`, got `str` - at `\$.item_id`"):
        msgspec.convert({"item_id": "x"}, model)


def test_has_sync_callable() -> None:
    class Callable:
        async def __call__(self) -> None:
            return None

    async def takes_a(a: int) -> None:
        return None

    assert read_item.has_sync_callable is True
    assert read_async.has_sync_callable is False
    assert get("/c")(Callable()).has_sync_callable is False
    assert get("/p")(partial(partial(takes_a), a=1)).has_sync_callable is False


def test_a_handler_without_function_has_no_signature() -> None:
    handler = get("/nothing")
    with pytest.raises(ImproperlyConfiguredException, match="has no function: decorate one with it"):
        _ = handler.parsed_fn_signature


def test_an_annotation_that_cannot_be_resolved_says_where_to_declare_it() -> None:
    def handler(value: Unknown) -> None:  # type: ignore[name-defined]  # noqa: F821
        return None

    with pytest.raises(ImproperlyConfiguredException, match="signature_namespace"):
        _ = get("/x")(handler).parsed_fn_signature


def test_provide_attributes() -> None:
    def sync_fn(a: int, b: str = "x") -> int:
        return a

    async def async_fn() -> int:
        return 1

    def gen() -> Generator[int, None, None]:
        yield 1

    async def agen() -> AsyncGenerator[int, None]:
        yield 1

    provide = Provide(sync_fn)
    assert (
        provide.has_sync_callable,
        provide.has_sync_generator_dependency,
        provide.has_async_generator_dependency,
    ) == (
        True,
        False,
        False,
    )
    assert (Provide(gen).has_sync_generator_dependency, Provide(agen).has_async_generator_dependency) == (True, True)
    assert Provide(async_fn).has_sync_callable is False
    parsed = provide.parsed_fn_signature
    assert (list(parsed.parameters), parsed.return_type.annotation) == (["a", "b"], int)
    assert provide.signature_model.__struct_fields__ == ("a", "b")


@pytest.mark.anyio
async def test_provide_value_is_the_cached_value() -> None:
    calls: list[int] = []

    async def counted() -> int:
        calls.append(1)
        return len(calls)

    provide = Provide(counted, use_cache=True)
    before: Any = provide.value
    assert before is Empty
    assert (await provide(), await provide(), provide.value, calls) == (1, 1, 1, [1])
    provide.value = 5
    assert await provide() == 5


def test_provide_signature_after_the_app_resolved_it() -> None:
    class Local:
        pass

    def needs_local(value: Local) -> Local:
        return value

    provide = Provide(needs_local, sync_to_thread=False)

    @get("/", dependencies={"dep": provide}, signature_namespace={"Local": Local}, sync_to_thread=False)
    def handler(dep: Any) -> None:
        return None

    Outpour([handler])
    assert provide.parsed_fn_signature.parameters["value"].annotation is Local
